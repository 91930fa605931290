/**
 * Email addresses and phone numbers, stored as EspoCRM does (application/Espo/Core/FieldProcessing/
 * EmailAddress/Saver.php, PhoneNumber/Saver.php): one shared `email_address` / `phone_number` row per
 * address (matched by lower-case address / exact number) holding the opt-out and invalid flags, and
 * `entity_*` link rows saying which records use it and which one is primary.
 */
import { sql } from 'kysely';
import { dynamic, type Db } from '../db/dynamic.js';
import { generateId } from '../core/ids.js';

/** One address of a record as the save logic sees it (email or phone). */
export interface PointItem {
  value: string;
  primary: boolean;
  optOut: boolean;
  invalid: boolean;
  /** Phone type; ignored for email. */
  type?: string | null;
}

/** What the client asked to change; `undefined` members were not sent. */
export interface PointChange {
  /** Full replacement (`emailAddressData` / `phoneNumberData`). Takes precedence over `primary`. */
  data?: PointItem[];
  /** Primary shortcut (`emailAddress` / `phoneNumber`); null or '' removes the primary. */
  primary?: string | null;
  optOut?: boolean;
  invalid?: boolean;
}

interface KindSpec {
  readonly table: 'email_address' | 'phone_number';
  readonly linkTable: 'entity_email_address' | 'entity_phone_number';
  readonly foreignKey: 'emailAddressId' | 'phoneNumberId';
  /** Column that identifies a shared row. */
  readonly matchColumn: 'lower' | 'name';
  readonly matchKey: (value: string) => string;
}

const EMAIL: KindSpec = {
  table: 'email_address',
  linkTable: 'entity_email_address',
  foreignKey: 'emailAddressId',
  matchColumn: 'lower',
  matchKey: (value) => value.toLowerCase(),
};

const PHONE: KindSpec = {
  table: 'phone_number',
  linkTable: 'entity_phone_number',
  foreignKey: 'phoneNumberId',
  matchColumn: 'name',
  matchKey: (value) => value,
};

export type PointKind = 'email' | 'phone';
const SPECS: Record<PointKind, KindSpec> = { email: EMAIL, phone: PHONE };

interface LinkedRow {
  entityId: string;
  id: string;
  name: string;
  type: string | null;
  optOut: number;
  invalid: number;
  primary: number;
}

/** Every address linked to the given records, primary first. */
async function linkedRows(db: Db, kind: PointKind, entityType: string, ids: readonly string[], primaryOnly: boolean) {
  if (ids.length === 0) {
    return [];
  }
  const spec = SPECS[kind];
  const typeColumn = kind === 'phone' ? sql<string | null>`${sql.ref('p.type')}` : sql<string | null>`null`;
  let query = dynamic(db)
    .selectFrom(`${spec.linkTable} as l`)
    .innerJoin(`${spec.table} as p`, 'p.id', `l.${spec.foreignKey}`)
    .select(['l.entityId', 'p.id', 'p.name', typeColumn.as('type'), 'p.optOut', 'p.invalid', 'l.primary'])
    .where('l.entityType', '=', entityType)
    .where('l.entityId', 'in', ids)
    .where('l.deleted', '=', 0)
    .where('p.deleted', '=', 0);
  if (primaryOnly) {
    return (await query.where('l.primary', '=', 1).execute()) as unknown as LinkedRow[];
  }
  return (await query.orderBy('l.entityId').orderBy('l.primary', 'desc').orderBy('p.name').execute()) as unknown as LinkedRow[];
}

/** Applies a change to one record's addresses. */
export async function savePoints(db: Db, kind: PointKind, entityType: string, entityId: string, change: PointChange, defaultType: string | null) {
  if (change.data !== undefined) {
    await replaceAll(db, kind, entityType, entityId, change, defaultType);
  } else if (change.primary !== undefined) {
    await replacePrimary(db, kind, entityType, entityId, change, defaultType);
  } else if (change.optOut !== undefined || change.invalid !== undefined) {
    const [current] = await linkedRows(db, kind, entityType, [entityId], true);
    if (current) {
      await updateFlags(db, kind, current.id, change);
    }
  }
}

async function replaceAll(db: Db, kind: PointKind, entityType: string, entityId: string, change: PointChange, defaultType: string | null) {
  const spec = SPECS[kind];
  const items = dedupe(spec, change.data ?? []);
  const primary = items.find((item) => item.primary) ?? items[0];
  if (primary) {
    primary.optOut = change.optOut ?? primary.optOut;
    primary.invalid = change.invalid ?? primary.invalid;
  }
  await dynamic(db).deleteFrom(spec.linkTable).where('entityType', '=', entityType).where('entityId', '=', entityId).execute();
  for (const item of items) {
    const pointId = await upsertPoint(db, kind, item, defaultType);
    await link(db, kind, entityType, entityId, pointId, item === primary);
  }
}

/** Last occurrence of an address wins, as EspoCRM's hash keyed by the lower-case address. */
function dedupe(spec: KindSpec, items: PointItem[]): PointItem[] {
  const byKey = new Map<string, PointItem>();
  for (const item of items) {
    byKey.set(spec.matchKey(item.value), { ...item });
  }
  return [...byKey.values()];
}

async function replacePrimary(db: Db, kind: PointKind, entityType: string, entityId: string, change: PointChange, defaultType: string | null) {
  const spec = SPECS[kind];
  const [current] = await linkedRows(db, kind, entityType, [entityId], true);
  const value = change.primary ?? '';
  if (value === '') {
    if (current) {
      await unlink(db, kind, entityType, entityId, current.id);
      await promoteAny(db, kind, entityType, entityId);
    }
    return;
  }
  if (current && spec.matchKey(current.name) === spec.matchKey(value)) {
    await updateFlags(db, kind, current.id, { ...change, primary: value });
    return;
  }
  const pointId = await upsertPoint(db, kind, { value, primary: true, optOut: change.optOut ?? false, invalid: change.invalid ?? false }, defaultType, change);
  if (current) {
    await unlink(db, kind, entityType, entityId, current.id);
  }
  await link(db, kind, entityType, entityId, pointId, true);
}

/**
 * Finds the shared row of an address or creates it. Flags (and the spelling) of an existing row are
 * overwritten with the item's, as EspoCRM does when the user may edit the address; `onlySent` limits
 * that to the flags the client actually sent.
 */
async function upsertPoint(db: Db, kind: PointKind, item: PointItem, defaultType: string | null, onlySent?: PointChange): Promise<string> {
  const spec = SPECS[kind];
  const key = spec.matchKey(item.value);
  const values = {
    id: generateId(),
    name: item.value,
    ...(kind === 'email' ? { lower: key } : { type: item.type ?? defaultType, numeric: item.value.replace(/[^0-9]/g, '') }),
    optOut: item.optOut ? 1 : 0,
    invalid: item.invalid ? 1 : 0,
  };
  await dynamic(db)
    .insertInto(spec.table)
    .values(values)
    .onConflict((conflict) => conflict.column(spec.matchColumn).doNothing())
    .execute();
  const row = (await dynamic(db)
    .selectFrom(spec.table)
    .select(['id', 'name'])
    .where(spec.matchColumn, '=', key)
    .executeTakeFirstOrThrow()) as { id: string; name: string };
  if (row.id !== values.id) {
    const flags = onlySent ? { optOut: onlySent.optOut, invalid: onlySent.invalid } : { optOut: item.optOut, invalid: item.invalid };
    // Only a full replacement (`…Data`) rewrites the stored spelling, as EspoCRM's Saver.
    await updateFlags(db, kind, row.id, { ...flags, primary: onlySent ? undefined : item.value }, kind === 'phone' && !onlySent ? item.type : undefined);
  }
  return row.id;
}

async function updateFlags(db: Db, kind: PointKind, pointId: string, change: PointChange, type?: string | null) {
  const spec = SPECS[kind];
  const set: Record<string, unknown> = {};
  if (change.optOut !== undefined) set.optOut = change.optOut ? 1 : 0;
  if (change.invalid !== undefined) set.invalid = change.invalid ? 1 : 0;
  if (change.primary) set.name = change.primary;
  if (type !== undefined && type !== null) set.type = type;
  if (kind === 'email' && change.primary) set.lower = change.primary.toLowerCase();
  if (Object.keys(set).length > 0) {
    await dynamic(db).updateTable(spec.table).set(set).where('id', '=', pointId).execute();
  }
}

async function link(db: Db, kind: PointKind, entityType: string, entityId: string, pointId: string, primary: boolean) {
  const spec = SPECS[kind];
  const flag = primary ? 1 : 0;
  await dynamic(db)
    .insertInto(spec.linkTable)
    .values({ entityId, entityType, [spec.foreignKey]: pointId, primary: flag, deleted: 0 })
    .onConflict((conflict) => conflict.columns(['entityType', 'entityId', spec.foreignKey]).doUpdateSet({ primary: flag, deleted: 0 }))
    .execute();
  if (primary) {
    await dynamic(db)
      .updateTable(spec.linkTable)
      .set({ primary: 0 })
      .where('entityType', '=', entityType)
      .where('entityId', '=', entityId)
      .where(spec.foreignKey, '!=', pointId)
      .execute();
  }
}

async function unlink(db: Db, kind: PointKind, entityType: string, entityId: string, pointId: string) {
  const spec = SPECS[kind];
  await dynamic(db)
    .deleteFrom(spec.linkTable)
    .where('entityType', '=', entityType)
    .where('entityId', '=', entityId)
    .where(spec.foreignKey, '=', pointId)
    .execute();
}

async function promoteAny(db: Db, kind: PointKind, entityType: string, entityId: string) {
  const [next] = await linkedRows(db, kind, entityType, [entityId], false);
  if (next) {
    await link(db, kind, entityType, entityId, next.id, true);
  }
}
