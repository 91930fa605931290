/**
 * Activities (calls, meetings, tasks, emails) carry the account and, for tasks, the contact of their parent
 * record (EspoCRM Crm\Hooks\Meeting|Call|Task\ParentLink and the Email repository): a parent Account gives
 * `accountId`; a parent Contact gives a task its `contactId`; any other parent passes on its own
 * `accountId`/`contactId`. The values follow every change of the parent and are read-only to clients.
 */
import { dynamic, type Db } from '../db/dynamic.js';
import { getEntity, hasEntity, type EntityMeta } from '../metadata/index.js';
import type { RecordHooks } from '../records/hooks.js';

/** Link fields an entity derives from its parent: `account` → Account, `contact` → Contact. */
const DERIVED = [
  { field: 'account', entityType: 'Account', key: 'accountId' },
  { field: 'contact', entityType: 'Contact', key: 'contactId' },
] as const;

function derivedKeys(meta: EntityMeta): (typeof DERIVED)[number][] {
  if (meta.fields.get('parent')?.type !== 'linkParent') return [];
  return DERIVED.filter(({ field, entityType }) => {
    const defs = meta.fields.get(field);
    return defs?.type === 'link' && defs.readOnly === true && defs.entity === entityType;
  });
}

/** Whether records of this entity type derive links from their parent. */
export function derivesFromParent(meta: EntityMeta): boolean {
  return derivedKeys(meta).length > 0;
}

/** Recomputes the derived links of one record from its current parent; answers the values written. */
export async function deriveFromParent(db: Db, meta: EntityMeta, id: string): Promise<Record<string, string | null> | null> {
  const keys = derivedKeys(meta);
  if (keys.length === 0) return null;
  const row = await dynamic(db).selectFrom(meta.table).select(['parentId', 'parentType']).where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const parent = await loadParent(db, row.parentType, row.parentId);
  const values: Record<string, string | null> = {};
  for (const { entityType, key } of keys) {
    values[key] = parent === null ? null : parent.type === entityType ? parent.id : (parent.values[key] ?? null);
  }
  await dynamic(db).updateTable(meta.table).set(values).where('id', '=', id).execute();
  return values;
}

interface Parent {
  readonly type: string;
  readonly id: string;
  readonly values: Readonly<Record<string, string | null>>;
}

async function loadParent(db: Db, type: unknown, id: unknown): Promise<Parent | null> {
  if (typeof type !== 'string' || typeof id !== 'string' || !hasEntity(type)) return null;
  const meta = getEntity(type);
  const columns = DERIVED.map(({ key }) => key).filter((key) => meta.columns.includes(key));
  const row = await dynamic(db)
    .selectFrom(meta.table)
    .select(['id', ...columns])
    .where('id', '=', id)
    .where('deleted', '=', 0)
    .executeTakeFirst();
  if (!row) return null;
  const values = Object.fromEntries(columns.map((key) => [key, typeof row[key] === 'string' ? (row[key] as string) : null]));
  return { type, id, values };
}

/** Derives on create (when a parent is set) and whenever an update changes the parent. */
export const parentAccountHooks: RecordHooks = {
  async afterCreate(event, { db }) {
    const meta = getEntity(event.entityType);
    if (!derivesFromParent(meta) || !event.row.parentId) return;
    const derived = await deriveFromParent(db, meta, event.id);
    return derived ? { ...event.row, ...derived } : undefined;
  },
  async afterUpdate(event, { db }) {
    const meta = getEntity(event.entityType);
    if (derivesFromParent(meta) && ('parentId' in event.changes.attributes || 'parentType' in event.changes.attributes)) {
      await deriveFromParent(db, meta, event.id);
    }
  },
};
