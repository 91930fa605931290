/**
 * The notes EspoCRM writes when records are saved (Tools\Stream\HookProcessor, Service::noteCreate,
 * noteAssign, handleAudited, noteCreateRelated), as record-service hooks:
 * - `Create` for a new record of an entity with a stream: data `{}`, or `{assignedUserId, assignedUserName}`,
 *   plus `{statusValue, statusField}` where the entity has a status field;
 * - `Assign` when the assigned user changes: data `{assignedUserId, assignedUserName}` (`{assignedUserId: null}`
 *   when unassigned);
 * - `Update` when audited fields change: data `{fields, attributes: {was, became}}` (the status field is
 *   reported as `{value}` instead);
 * - `CreateRelated` on the parent's stream when a record is created with a parent whose link to it is audited
 *   (Account `calls`, `meetings`, `documents`): data null.
 * Create and Assign notes of records that belong to an account also show in the account's stream
 * (`superParent`). The assignee becomes a follower on create and on assignment.
 */
import { dynamic, type Db, type Row } from '../db/dynamic.js';
import { executeFixed } from '../db/prepared.js';
import { getEntity, hasEntity, type EntityMeta } from '../metadata/index.js';
import type { ManyManyLink } from '../metadata/types.js';
import type { HookContext, RecordHooks } from '../records/hooks.js';
import { loadManyManyIds, loadNames } from '../read/loaders.js';
import type { RecordData } from '../read/values.js';
import { allowAllResolver, autoFollow, type AccessResolver } from './followers.js';
import { writeNote, type RecordRef } from './notes.js';
import { unfollowAll } from './subscriptions.js';

/** EspoCRM `scopes.*.statusField`. */
const STATUS_FIELDS: Readonly<Record<string, string>> = { Opportunity: 'stage', Case: 'status', Meeting: 'status', Call: 'status', Task: 'status' };

export interface StreamHooksOptions {
  /** Access control of other users (assignees follow only with stream access); everything allowed by default. */
  readonly accessFor?: AccessResolver;
}

export function streamRecordHooks(options: StreamHooksOptions = {}): RecordHooks {
  const accessFor = options.accessFor ?? allowAllResolver;
  return {
    async afterCreate(event, context) {
      const meta = getEntity(event.entityType);
      // The stored row after the insert and the hooks before this one (they pass on what they change).
      const { row } = event;
      if (meta.stream) {
        const followers = [...(context.ctx.user.type === 'portal' ? [context.ctx.user.id] : []), ...stringOrEmpty(row.assignedUserId)];
        await autoFollow(context.db, meta, event.id, followers, accessFor);
        await writeNote(context.db, {
          type: 'Create',
          parent: { entityType: meta.entityType, id: event.id },
          superParent: superParentOf(meta, row),
          data: { ...(await assignmentData(context.db, meta, row, false)), ...createStatusData(meta, row) },
          createdById: context.ctx.user.id,
          now: context.now,
        });
      }
      await noteCreateRelated(meta, event.id, row, context);
    },

    async afterUpdate(event, context) {
      const meta = getEntity(event.entityType);
      const row = await currentRow(context.db, meta, event.id);
      if (meta.stream && event.changes.assignedUser) {
        await autoFollow(context.db, meta, event.id, stringOrEmpty(row.assignedUserId), accessFor);
        await writeNote(context.db, {
          type: 'Assign',
          parent: { entityType: meta.entityType, id: event.id },
          superParent: superParentOf(meta, row),
          data: await assignmentData(context.db, meta, row, true),
          createdById: context.ctx.user.id,
          now: context.now,
        });
      }
      const data = updateData(meta, event.changes.audited, event.changes.attributes);
      if (data) {
        await writeNote(context.db, { type: 'Update', parent: { entityType: meta.entityType, id: event.id }, data, createdById: context.ctx.user.id, now: context.now });
      }
    },

    async afterDelete(event, { db }) {
      if (getEntity(event.entityType).stream) await unfollowAll(db, event.entityType, event.id);
    },
  };
}

function stringOrEmpty(value: unknown): string[] {
  return typeof value === 'string' && value !== '' ? [value] : [];
}

/** The stored state after the write (values derived by earlier hooks included). */
async function currentRow(db: Db, meta: EntityMeta, id: string): Promise<Row> {
  return (await executeFixed(db, dynamic(db).selectFrom(meta.table).select(meta.columns).where('id', '=', id))).rows[0] ?? {};
}

/** The account a record belongs to (EspoCRM's account link): its stream shows the record's notes too. */
function superParentOf(meta: EntityMeta, row: Row): RecordRef | null {
  const link = meta.links.account;
  if (link?.type !== 'belongsTo' || link.entity !== 'Account') return null;
  const id = row[link.key];
  return typeof id === 'string' ? { entityType: 'Account', id } : null;
}

async function assignmentData(db: Db, meta: EntityMeta, row: Row, always: boolean): Promise<RecordData> {
  const userId = row.assignedUserId;
  if (meta.attributes.has('assignedUserId') && typeof userId === 'string') {
    const names = await loadNames(db, 'User', [userId]);
    return { assignedUserId: userId, assignedUserName: names.get(userId) ?? null };
  }
  return always ? { assignedUserId: null } : {};
}

function createStatusData(meta: EntityMeta, row: Row): RecordData {
  const field = STATUS_FIELDS[meta.entityType];
  const value = field ? row[field] : null;
  return field && value ? { statusValue: value, statusField: field } : {};
}

/** Service::handleAudited: null when nothing audited changed. */
function updateData(meta: EntityMeta, audited: { fields: readonly string[]; was: RecordData; became: RecordData }, attributes: Readonly<Record<string, { became: unknown }>>): RecordData | null {
  const statusField = meta.stream ? STATUS_FIELDS[meta.entityType] : undefined;
  const fields = audited.fields.filter((field) => field !== statusField);
  const status = statusField ? attributes[statusField]?.became : undefined;
  if (fields.length === 0 && !status) return null;
  const was: RecordData = {};
  const became: RecordData = {};
  for (const field of fields) {
    for (const name of meta.fieldAttributeNames.get(field) ?? []) {
      if (name in audited.became) {
        was[name] = audited.was[name];
        became[name] = audited.became[name];
      }
    }
  }
  return { fields, attributes: { was, became }, ...(status ? { value: status } : {}) };
}

/**
 * HookProcessor::handleCreateRelated: for each record the new one points to (belongsTo, parent, many-to-many),
 * a `CreateRelated` note on that record's stream when its link back to the new record is audited; one note
 * per entity type.
 */
async function noteCreateRelated(meta: EntityMeta, id: string, row: Row, { db, ctx, now }: HookContext) {
  const notified = new Set<string>();
  for (const [name, link] of Object.entries(meta.links)) {
    // A many-to-many target is of the link's entity type: when no note could be written for that type
    // (no stream, link back not audited, already notified), its linked ids are not read (Account: teams, targetLists).
    if (link.type === 'manyMany' && !mayNoteCreateRelated(meta, link, link.entity, notified)) continue;
    const target = await relatedTarget(db, meta, id, row, name, link);
    if (!target || !mayNoteCreateRelated(meta, link, target.entityType, notified)) continue;
    await writeNote(db, {
      type: 'CreateRelated',
      parent: target,
      related: { entityType: meta.entityType, id },
      superParent: superParentOf(meta, row),
      data: null,
      createdById: ctx.user.id,
      now,
    });
    notified.add(target.entityType);
  }
}

type Link = EntityMeta['links'][string];

function mayNoteCreateRelated(meta: EntityMeta, link: Link, entityType: string, notified: ReadonlySet<string>): boolean {
  if (notified.has(entityType) || !hasEntity(entityType)) return false;
  const foreign = getEntity(entityType);
  return Boolean(foreign.stream) && reverseLinkAudited(meta, link, foreign);
}

async function relatedTarget(db: Db, meta: EntityMeta, id: string, row: Row, name: string, link: Link): Promise<RecordRef | null> {
  switch (link.type) {
    case 'belongsTo':
      return typeof row[link.key] === 'string' ? { entityType: link.entity, id: row[link.key] as string } : null;
    case 'belongsToParent': {
      const [type, parentId] = [row[link.typeKey], row[link.idKey]];
      return typeof type === 'string' && typeof parentId === 'string' ? { entityType: type, id: parentId } : null;
    }
    case 'manyMany': {
      if (!meta.fields.has(name)) return null; // only link-multiple fields are set on create
      const first = (await loadManyManyIds(db, link, [id])).get(id)?.[0];
      return first ? { entityType: link.entity, id: first } : null;
    }
    default:
      return null;
  }
}

/** Whether the foreign entity's link back to `meta` through `link` is audited. */
function reverseLinkAudited(meta: EntityMeta, link: Link, foreign: EntityMeta): boolean {
  return Object.values(foreign.links).some((back) => {
    if (!('entity' in back) || back.entity !== meta.entityType || !back.audited) return false;
    switch (link.type) {
      case 'belongsTo':
        return back.type === 'hasMany' && back.foreignKey === link.key;
      case 'belongsToParent':
        return back.type === 'hasChildren' && back.foreignKey === link.idKey;
      case 'manyMany':
        return back.type === 'manyMany' && back.middleTable === (link as ManyManyLink).middleTable;
      default:
        return false;
    }
  });
}
