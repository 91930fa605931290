/**
 * Turns stored rows into API records: converts column values and batch-loads everything that lives
 * elsewhere (names of linked records, email addresses, phone numbers, teams, followers, stars) with
 * one query per kind for the whole page, never one per record.
 */
import { sql } from 'kysely';
import { dynamic, type Db, type Row } from '../db/dynamic.js';
import { groupLinkedIds, manyManyIdsQuery } from '../db/many-many.js';
import { getEntity, hasEntity, type AttributeDefs, type EntityMeta } from '../metadata/index.js';
import type { ManyManyLink } from '../metadata/types.js';
import { loadEmailData, loadPhoneData, loadPrimaryPoints } from './contact-points.js';
import type { RequestContext } from './context.js';
import { nameExpression, personNameOf } from './names.js';
import { fromColumn, type RecordData } from './values.js';

/** Followers returned on read (EspoCRM config `recordFollowersLoadLimit`). */
const FOLLOWERS_LIMIT = 6;

/** Columns a row must contain to produce the given attributes. */
export function requiredColumns(meta: EntityMeta, attributes: Iterable<string>): string[] {
  const columns = new Set<string>(['id']);
  for (const name of attributes) {
    const attribute = meta.attributes.get(name);
    if (!attribute) continue;
    if (attribute.kind === 'column') columns.add(name);
    if (attribute.kind === 'foreignName') columns.add(foreignKeyOf(meta, attribute));
    if (attribute.kind === 'parentName') {
      columns.add(`${attribute.field}Id`);
      columns.add(`${attribute.field}Type`);
    }
    if (attribute.kind === 'personName') {
      columns.add('firstName');
      columns.add('lastName');
    }
  }
  return [...columns];
}

/** Builds records with exactly `attributes` (in metadata order) from rows holding `requiredColumns`. */
export async function hydrate(
  db: Db,
  meta: EntityMeta,
  rows: readonly Row[],
  attributes: readonly string[],
  ctx: RequestContext,
): Promise<RecordData[]> {
  const wanted = new Set(attributes);
  const ordered = [...meta.attributes.values()].filter((attribute) => wanted.has(attribute.name));
  const records = rows.map((row) => columnValues(ordered, row));
  const ids = rows.map((row) => String(row.id));
  for (const loader of LOADERS) {
    const relevant = ordered.filter((attribute) => loader.kinds.includes(attribute.kind));
    if (relevant.length > 0 && rows.length > 0) {
      await loader.load({ db, meta, rows, records, ids, attributes: relevant, ctx });
    }
  }
  return records.map((record) => pick(record, ordered));
}

function columnValues(attributes: readonly AttributeDefs[], row: Row): RecordData {
  const record: RecordData = {};
  for (const attribute of attributes) {
    if (attribute.kind === 'column') {
      record[attribute.name] = fromColumn(attribute, row[attribute.name]);
    }
  }
  return record;
}

/** Key order of the output follows metadata, whatever order loaders filled it in. */
function pick(record: RecordData, attributes: readonly AttributeDefs[]): RecordData {
  const result: RecordData = {};
  for (const attribute of attributes) {
    result[attribute.name] = record[attribute.name] ?? null;
  }
  return result;
}

interface LoadInput {
  db: Db;
  meta: EntityMeta;
  rows: readonly Row[];
  records: RecordData[];
  ids: string[];
  attributes: AttributeDefs[];
  ctx: RequestContext;
}

interface Loader {
  kinds: readonly AttributeDefs['kind'][];
  load(input: LoadInput): Promise<void>;
}

const LOADERS: Loader[] = [
  { kinds: ['foreignName'], load: loadForeignNames },
  { kinds: ['parentName'], load: loadParentNames },
  { kinds: ['personName'], load: async ({ rows, records, attributes }) => setEach(records, attributes, (i) => personNameOf(rows[i]!.firstName, rows[i]!.lastName)) },
  { kinds: ['primaryEmail', 'emailFlag', 'emailData'], load: (input) => loadPoints(input, 'email') },
  { kinds: ['primaryPhone', 'phoneFlag', 'phoneData'], load: (input) => loadPoints(input, 'phone') },
  { kinds: ['linkMultipleIds', 'linkMultipleNames'], load: loadLinkMultiple },
  { kinds: ['linkOneId', 'linkOneName'], load: async ({ records, attributes }) => setEach(records, attributes, () => null) },
  { kinds: ['isFollowed', 'followersIds', 'followersNames'], load: loadFollowers },
  { kinds: ['isStarred'], load: loadStars },
];

function setEach(records: RecordData[], attributes: AttributeDefs[], value: (index: number, attribute: AttributeDefs) => unknown) {
  records.forEach((record, index) => {
    for (const attribute of attributes) {
      record[attribute.name] = value(index, attribute);
    }
  });
}

function foreignKeyOf(meta: EntityMeta, attribute: AttributeDefs): string {
  const link = meta.links[attribute.link ?? ''];
  return link?.type === 'belongsTo' ? link.key : `${attribute.field}Id`;
}

function foreignEntityOf(meta: EntityMeta, attribute: AttributeDefs): string | undefined {
  const link = meta.links[attribute.link ?? ''];
  const entity = link && link.type !== 'belongsToParent' ? link.entity : meta.fields.get(attribute.field)?.entity;
  return entity && hasEntity(entity) ? entity : undefined;
}

/** id → name of non-deleted records of one entity type. */
export async function loadNames(db: Db, entityType: string, ids: Iterable<string>): Promise<Map<string, string | null>> {
  const unique = [...new Set(ids)];
  const names = new Map<string, string | null>();
  if (unique.length === 0 || !hasEntity(entityType)) {
    return names;
  }
  const foreign = getEntity(entityType);
  const rows = await dynamic(db)
    .selectFrom(`${foreign.table} as f`)
    .select([sql.ref<string>('f.id').as('id'), nameExpression(foreign, 'f').as('name')])
    .where('f.id', 'in', unique)
    .where('f.deleted', '=', 0)
    .execute();
  for (const row of rows) {
    names.set(String(row.id), (row.name as string | null) ?? null);
  }
  return names;
}

async function loadForeignNames({ db, meta, rows, records, attributes }: LoadInput) {
  for (const attribute of attributes) {
    const key = foreignKeyOf(meta, attribute);
    const entityType = foreignEntityOf(meta, attribute);
    const keys = rows.map((row) => row[key]).filter((value): value is string => typeof value === 'string');
    const names = entityType ? await loadNames(db, entityType, keys) : new Map<string, string | null>();
    records.forEach((record, index) => {
      const id = rows[index]![key];
      record[attribute.name] = typeof id === 'string' ? (names.get(id) ?? null) : null;
    });
  }
}

async function loadParentNames({ db, rows, records, attributes }: LoadInput) {
  for (const attribute of attributes) {
    const idKey = `${attribute.field}Id`;
    const typeKey = `${attribute.field}Type`;
    const byType = new Map<string, string[]>();
    for (const row of rows) {
      if (typeof row[typeKey] === 'string' && typeof row[idKey] === 'string') {
        byType.set(row[typeKey], [...(byType.get(row[typeKey]) ?? []), row[idKey]]);
      }
    }
    const names = new Map<string, string | null>();
    for (const [entityType, ids] of byType) {
      for (const [id, name] of await loadNames(db, entityType, ids)) names.set(`${entityType}:${id}`, name);
    }
    records.forEach((record, index) => {
      const row = rows[index]!;
      record[attribute.name] = names.get(`${String(row[typeKey])}:${String(row[idKey])}`) ?? null;
    });
  }
}

type DataItem = { emailAddress?: string; phoneNumber?: string; primary: boolean; optOut: boolean; invalid: boolean };

/**
 * Email addresses or phone numbers with one query: the whole data list when `…Data` is wanted (read), the
 * primary entry otherwise (lists). `…IsOptedOut` / `…IsInvalid` are null without a primary address
 * (checked live on 9.2.7).
 */
async function loadPoints(input: LoadInput, kind: 'email' | 'phone') {
  const { db, meta, records, ids, attributes } = input;
  const dataAttributes = attributes.filter((attribute) => attribute.kind === 'emailData' || attribute.kind === 'phoneData');
  const primaryAttributes = attributes.filter((attribute) => !dataAttributes.includes(attribute));
  let primaries: Map<string, { value: string; optOut: boolean; invalid: boolean }>;
  if (dataAttributes.length > 0) {
    const data = (kind === 'email' ? await loadEmailData(db, meta.entityType, ids) : await loadPhoneData(db, meta.entityType, ids)) as Map<string, DataItem[]>;
    setEach(records, dataAttributes, (index) => data.get(ids[index]!) ?? []);
    primaries = new Map();
    for (const [id, items] of data) {
      const primary = items.find((item) => item.primary);
      if (primary) primaries.set(id, { value: primary.emailAddress ?? primary.phoneNumber ?? '', optOut: primary.optOut, invalid: primary.invalid });
    }
  } else {
    primaries = await loadPrimaryPoints(db, kind, meta.entityType, ids);
  }
  setEach(records, primaryAttributes, (index, attribute) => {
    const point = primaries.get(ids[index]!);
    if (!point) return null;
    if (attribute.kind === 'primaryEmail' || attribute.kind === 'primaryPhone') return point.value;
    return attribute.flag === 'optOut' ? point.optOut : point.invalid;
  });
}

async function loadLinkMultiple({ db, meta, records, ids, attributes }: LoadInput) {
  const fields = new Set(attributes.map((attribute) => attribute.field));
  for (const field of fields) {
    const link = meta.links[field] as ManyManyLink;
    const related = await loadManyManyIds(db, link, ids);
    const names = await loadNames(db, link.entity, [...related.values()].flat());
    records.forEach((record, index) => {
      const linkedIds = (related.get(ids[index]!) ?? []).filter((id) => names.has(id));
      if (attributes.some((attribute) => attribute.name === `${field}Ids`)) record[`${field}Ids`] = linkedIds;
      if (attributes.some((attribute) => attribute.name === `${field}Names`)) {
        record[`${field}Names`] = Object.fromEntries(linkedIds.map((id) => [id, names.get(id) ?? null]));
      }
    });
  }
}

/** Record id → ids of records linked through a many-to-many link, each list ordered by the linked record's name. */
export async function loadManyManyIds(db: Db, link: ManyManyLink, ids: readonly string[]): Promise<Map<string, string[]>> {
  const foreign = getEntity(link.entity);
  return groupLinkedIds(await manyManyIdsQuery(db, link, ids).orderBy(nameExpression(foreign, 'f')).orderBy('f.id').execute());
}

async function loadFollowers({ db, meta, records, ids, attributes, ctx }: LoadInput) {
  const user = getEntity('User');
  const rows = await dynamic(db)
    .selectFrom('stream_subscription as s')
    .innerJoin('user as u', 'u.id', 's.userId')
    .select(['s.entityId', 'u.id', nameExpression(user, 'u').as('name')])
    .where('s.entityType', '=', meta.entityType)
    .where('s.entityId', 'in', ids)
    .where('u.deleted', '=', 0)
    .orderBy('s.entityId')
    .orderBy(nameExpression(user, 'u'))
    .orderBy('u.id')
    .execute();
  const followers = new Map<string, { id: string; name: unknown }[]>();
  for (const row of rows) {
    const entityId = String(row.entityId);
    followers.set(entityId, [...(followers.get(entityId) ?? []), { id: String(row.id), name: row.name }]);
  }
  const mayReadFollowers = ctx.acl.checkScope(meta.entityType, 'stream');
  setEach(records, attributes, (index, attribute) => {
    const list = followers.get(ids[index]!) ?? [];
    if (attribute.kind === 'isFollowed') return list.some((follower) => follower.id === ctx.user.id);
    const shown = mayReadFollowers ? list.slice(0, FOLLOWERS_LIMIT) : [];
    return attribute.kind === 'followersIds'
      ? shown.map((follower) => follower.id)
      : Object.fromEntries(shown.map((follower) => [follower.id, follower.name]));
  });
}

async function loadStars({ db, meta, records, ids, attributes, ctx }: LoadInput) {
  const rows = await db
    .selectFrom('star_subscription')
    .select('entityId')
    .where('userId', '=', ctx.user.id)
    .where('entityType', '=', meta.entityType)
    .where('entityId', 'in', ids)
    .execute();
  const starred = new Set(rows.map((row) => row.entityId));
  setEach(records, attributes, (index) => starred.has(ids[index]!));
}
