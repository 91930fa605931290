/**
 * What the record service reports after a successful write, for the stream (Create/Update/Assign
 * notes, followers) and anything else that reacts to changes. Hooks run inside the write's
 * transaction with its connection: if a hook throws, nothing of the request is written.
 */
import type { Transaction } from 'kysely';
import type { Row } from '../db/dynamic.js';
import type { Database } from '../db/schema.js';
import type { RequestContext } from '../read/context.js';
import type { RecordData } from '../read/values.js';

export interface HookContext {
  /** The open transaction: write with it. */
  readonly db: Transaction<Database>;
  readonly ctx: RequestContext;
  /** The write's timestamp (`YYYY-MM-DD HH:MM:SS` UTC), also used for modifiedAt. */
  readonly now: string;
}

export interface AttributeChange {
  readonly was: unknown;
  readonly became: unknown;
}

export interface ChangeSet {
  /** Every attribute whose value changed (read shape, e.g. `emailAddress`, `teamsIds`). */
  readonly attributes: Readonly<Record<string, AttributeChange>>;
  /** Audited fields that changed, with all their attributes: the data of EspoCRM's `Update` note. */
  readonly audited: {
    readonly fields: readonly string[];
    readonly was: RecordData;
    readonly became: RecordData;
  };
  /** Set when `assignedUserId` changed (EspoCRM writes an `Assign` note). */
  readonly assignedUser: AttributeChange | null;
}

export interface CreatedEvent {
  readonly entityType: string;
  readonly id: string;
  /** The new record's stored columns as the insert wrote them (read back by it, database defaults included). */
  readonly row: Row;
}

export interface UpdatedEvent {
  readonly entityType: string;
  readonly id: string;
  readonly previous: RecordData;
  readonly record: RecordData;
  readonly changes: ChangeSet;
}

export interface DeletedEvent {
  readonly entityType: string;
  readonly id: string;
  readonly record: RecordData;
}

export interface RecordHooks {
  /**
   * A hook that changes the new record's stored row answers the changed row: the hooks after it get that as
   * `event.row`, so none has to read the row again.
   */
  afterCreate?(event: CreatedEvent, context: HookContext): Promise<void | Row>;
  afterUpdate?(event: UpdatedEvent, context: HookContext): Promise<void>;
  afterDelete?(event: DeletedEvent, context: HookContext): Promise<void>;
}

/** Runs several hook sets one after the other, in the given order (later ones see earlier ones' writes). */
export function combineRecordHooks(...list: readonly RecordHooks[]): RecordHooks {
  return {
    afterCreate: async (event, context) => {
      let current = event;
      for (const hooks of list) {
        const row = await hooks.afterCreate?.(current, context);
        if (row) current = { ...current, row };
      }
      return current === event ? undefined : current.row;
    },
    afterUpdate: async (event, context) => {
      for (const hooks of list) await hooks.afterUpdate?.(event, context);
    },
    afterDelete: async (event, context) => {
      for (const hooks of list) await hooks.afterDelete?.(event, context);
    },
  };
}
