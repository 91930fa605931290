/**
 * What the link service reports after relating or unrelating one record, inside the request's
 * transaction (EspoCRM's afterRelate/afterUnrelate hooks): stream notes of audited links, the contact's
 * primary account. If a hook throws, nothing of the request is written.
 */
import type { HookContext } from '../records/hooks.js';

export interface LinkEvent {
  readonly entityType: string;
  readonly id: string;
  readonly link: string;
  readonly foreignEntityType: string;
  readonly foreignId: string;
}

export interface LinkHooks {
  /** Only when the relation changed: re-relating a related record reports nothing (EspoCRM's mapper). */
  afterRelate?(event: LinkEvent, context: HookContext): Promise<void>;
  /** Whether or not the records were related (EspoCRM runs its unrelate hooks unconditionally). */
  afterUnrelate?(event: LinkEvent, context: HookContext): Promise<void>;
}

/** Runs several hook sets one after the other, in the given order. */
export function combineLinkHooks(...list: readonly LinkHooks[]): LinkHooks {
  return {
    afterRelate: async (event, context) => {
      for (const hooks of list) await hooks.afterRelate?.(event, context);
    },
    afterUnrelate: async (event, context) => {
      for (const hooks of list) await hooks.afterUnrelate?.(event, context);
    },
  };
}
