/**
 * The generic record service (EspoCRM Core\Record\Service) for every entity in the metadata registry:
 * create, read, update, delete and find. HTTP handlers call it with the request context and map the
 * HttpErrors it throws. Every write runs in one transaction, so a failed request writes nothing.
 */
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import { dynamic, type Db, type Row } from '../db/dynamic.js';
import { inTransaction, lockKeys, lockRow } from '../db/locks.js';
import { prepareOnPostgres } from '../db/prepared.js';
import type { Database } from '../db/schema.js';
import { formatDateTime } from '../core/time.js';
import { Conflict, Forbidden, NotFound } from '../core/errors.js';
import { requireEntity, type EntityMeta } from '../metadata/index.js';
import type { ManyManyLink } from '../metadata/types.js';
import { findRecords, type FindResult } from '../search/find.js';
import type { SearchParams } from '../search/search-params.js';
import { type AclAction, mayAccessRecords } from '../acl/index.js';
import { diffRecords, sameValue } from './changes.js';
import { savePoints, type PointChange, type PointItem } from '../read/contact-points.js';
import type { RequestContext } from '../read/context.js';
import { createOutput } from './create-output.js';
import { duplicateLockKeys, findDuplicates } from './duplicates.js';
import type { HookContext, RecordHooks } from './hooks.js';
import { generateId } from '../core/ids.js';
import { parseInput, type ParsedInput } from './input.js';
import { setLinkedIds } from '../read/link-multiple.js';
import { checkReferences } from './link-check.js';
import { hydrate, readShape, requiredColumns } from '../read/loaders.js';
import { bindSlots, ID_SLOT, USER_SLOT, type RecordShape } from '../read/record-query.js';
import { validateRecord } from './validation.js';
import { toColumn, type RecordData } from '../read/values.js';

export interface RecordServiceOptions {
  readonly hooks?: RecordHooks;
  /** Current time (tests pin it). */
  readonly clock?: () => Date;
  /** EspoCRM config `timeZone`: date presets without their own time zone use it. */
  readonly systemTimeZone?: string;
  /** EspoCRM config `fiscalYearShift` (months). */
  readonly fiscalYearShift?: number;
}

export class RecordService {
  private readonly hooks: RecordHooks;
  private readonly clock: () => Date;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: RecordServiceOptions = {},
  ) {
    this.hooks = options.hooks ?? {};
    this.clock = options.clock ?? (() => new Date());
  }

  /** POST /{entityType}: the created record, keyed as EspoCRM's create response (./create-output.ts). */
  async create(entityType: string, body: unknown, ctx: RequestContext): Promise<RecordData> {
    const meta = requireEntity(entityType);
    assertScope(meta, ctx, 'create', 'No create access.');
    const input = parseInput(meta, body);
    const now = this.clock();
    const values = { ...defaultValues(meta), ...input.values };
    validateRecord(meta, values, { malformed: input.malformed });
    return inTransaction(this.db, async (trx) => {
      await checkReferences(trx, meta, values, input.sentFields, ctx);
      if (!(ctx.skipDuplicateCheck ?? input.skipDuplicateCheck)) {
        // Concurrent creates of the same name or address wait here, so the second one sees the first.
        await lockKeys(trx, duplicateLockKeys(meta, values));
        const duplicates = await findDuplicates(trx, meta, values, ctx, now);
        if (duplicates.length > 0) throw new Conflict('duplicate', duplicates);
      }
      const id = generateId(now.getTime());
      const row = await insertRow(trx, meta, id, values, ctx, formatDateTime(now));
      await saveRelated(trx, meta, id, values);
      await this.hooks.afterCreate?.({ entityType, id, row }, hookContext(trx, ctx, now));
      // The new record as GET shows it, read once after the hooks (they may add followers, set streamUpdatedAt,
      // derive values from links), with the read path's prepared statement.
      const shape = readShape(trx, meta, readAttributes(meta), ctx, READ_ALIAS);
      return createOutput(meta, shape.toRecord(requireRow(await readRow(trx, meta, shape, id, false, ctx))), values);
    });
  }

  /** GET /{entityType}/{id}: admins also get soft-deleted records (with `deleted: true`). */
  async read(entityType: string, id: string, ctx: RequestContext): Promise<RecordData> {
    const meta = requireEntity(entityType);
    assertScope(meta, ctx, 'read', 'No read access.');
    // The row and everything the record shows come in one statement, compiled once per shape.
    const shape = readShape(this.db, meta, readAttributes(meta), ctx, READ_ALIAS);
    const row = await readRow(this.db, meta, shape, id, ctx.user.isAdmin, ctx);
    if (!row) throw new NotFound(`Record ${id} does not exist.`);
    await assertRecordAccess(this.db, meta, row, ctx, 'read', "No 'read' access.");
    return shape.toRecord(row);
  }

  /** PUT/PATCH /{entityType}/{id}: a partial update; `ctx.versionNumber` enables conflict detection. */
  async update(entityType: string, id: string, body: unknown, ctx: RequestContext): Promise<RecordData> {
    const meta = requireEntity(entityType);
    assertScope(meta, ctx, 'edit', 'No edit access.');
    const input = parseInput(meta, body);
    const now = this.clock();
    return inTransaction(this.db, async (trx) => {
      // Writers of one record run one after another: the version check below sees the latest commit.
      await lockRow(trx, meta.table, id);
      const row = await fetchRow(trx, meta, id, false);
      if (!row) throw new NotFound(`Record ${id} not found.`);
      await assertRecordAccess(trx, meta, row, ctx, 'edit', 'No edit access.');
      const extra = extraAttributes(meta, input);
      const previous = await loadRecord(trx, meta, row, ctx, extra);
      if (Object.keys(input.values).length === 0 && input.malformed.size === 0) {
        return previous; // nothing accepted to change: nothing is written
      }
      assertNotModified(meta, previous, input, ctx);
      validateRecord(meta, { ...previous, ...input.values }, { fields: input.sentFields, malformed: input.malformed });
      await checkReferences(trx, meta, input.values, input.sentFields, ctx);
      await updateRow(trx, meta, id, input.values, ctx, formatDateTime(now));
      await saveRelated(trx, meta, id, input.values);
      const next = await loadRecord(trx, meta, await fetchRow(trx, meta, id, false), ctx, extra);
      const changes = diffRecords(meta, previous, next);
      // The answer is EspoCRM's value map of the saved entity: the read shape plus what was sent, so sent
      // link-multiple ids that a read does not load (targetListsIds) are in it too.
      if (!this.hooks.afterUpdate) return next;
      const record = Object.fromEntries(Object.entries(next).filter(([name]) => !extra.includes(name)));
      await this.hooks.afterUpdate({ entityType, id, previous, record, changes }, hookContext(trx, ctx, now));
      return loadRecord(trx, meta, await fetchRow(trx, meta, id, false), ctx, extra);
    });
  }

  /** DELETE /{entityType}/{id}: soft delete; a second delete is 404. */
  async delete(entityType: string, id: string, ctx: RequestContext): Promise<true> {
    const meta = requireEntity(entityType);
    assertScope(meta, ctx, 'delete', 'No delete access.');
    const now = this.clock();
    return inTransaction(this.db, async (trx) => {
      await lockRow(trx, meta.table, id);
      const row = await fetchRow(trx, meta, id, false);
      if (!row) throw new NotFound(`Record ${id} not found.`);
      await assertRecordAccess(trx, meta, row, ctx, 'delete', 'No delete access.');
      const record = await loadRecord(trx, meta, row, ctx);
      // Repositories\Database::beforeRemove stamps modifiedAt/modifiedById; versionNumber stays (no save).
      const stamp: RecordData = { deleted: 1 };
      if (meta.columns.includes('modifiedAt')) stamp.modifiedAt = formatDateTime(now);
      if (meta.columns.includes('modifiedById')) stamp.modifiedById = ctx.user.id;
      await dynamic(trx).updateTable(meta.table).set(stamp).where('id', '=', id).execute();
      await this.hooks.afterDelete?.({ entityType, id, record: { ...record, deleted: true } }, hookContext(trx, ctx, now));
      return true as const;
    });
  }

  /** GET /{entityType}: `{total, list}`. */
  async find(entityType: string, params: SearchParams, ctx: RequestContext): Promise<FindResult> {
    const meta = requireEntity(entityType);
    return findRecords(this.db, meta, params, ctx, {
      now: this.clock(),
      systemTimeZone: this.options.systemTimeZone ?? 'UTC',
      fiscalYearShift: this.options.fiscalYearShift ?? 0,
    });
  }
}

function assertScope(meta: EntityMeta, ctx: RequestContext, action: AclAction, reason: string) {
  if (!ctx.acl.checkScope(meta.entityType, action)) throw new Forbidden(reason);
}

async function assertRecordAccess(db: Db, meta: EntityMeta, row: Row, ctx: RequestContext, action: AclAction, reason: string) {
  if (!(await mayAccessRecords(db, meta, [row], ctx.acl, action))) throw new Forbidden(reason);
}

function hookContext(db: HookContext['db'], ctx: RequestContext, now: Date): HookContext {
  return { db, ctx, now: formatDateTime(now) };
}

const readAttributeLists = new WeakMap<EntityMeta, readonly string[]>();

/** Attributes of the read shape (GET /{entityType}/{id}); one list per entity, never to be changed. */
export function readAttributes(meta: EntityMeta): readonly string[] {
  let list = readAttributeLists.get(meta);
  if (!list) {
    list = Object.freeze([...meta.attributes.values()].filter((attribute) => attribute.output !== 'none').map((attribute) => attribute.name));
    readAttributeLists.set(meta, list);
  }
  return list;
}

const READ_ALIAS = 'main';
/**
 * Compiled read statements per shape (`[without deleted, with deleted]`). A shape belongs to one engine and
 * the text depends on nothing else, so a transaction reuses the statement its database compiled.
 */
const readStatements = new WeakMap<RecordShape, CompiledQuery[]>();

/** Every stored column of one record plus the shape's computed values; the record's id and the user bound per call. */
async function readRow(db: Db, meta: EntityMeta, shape: RecordShape, id: string, includeDeleted: boolean, ctx: RequestContext): Promise<Row | undefined> {
  let statements = readStatements.get(shape);
  if (!statements) readStatements.set(shape, (statements = []));
  const index = includeDeleted ? 1 : 0;
  let statement = statements[index];
  if (!statement) {
    let query = dynamic(db)
      .selectFrom(`${meta.table} as ${READ_ALIAS}`)
      .select([...meta.columns.map((name) => sql.ref(`${READ_ALIAS}.${name}`).as(name)), ...shape.computed.map(({ alias, expr }) => sql`${expr}`.as(alias))])
      .where(`${READ_ALIAS}.id`, '=', ID_SLOT);
    if (!includeDeleted) query = query.where(`${READ_ALIAS}.deleted`, '=', 0);
    statement = statements[index] = query.compile();
    prepareOnPostgres(statement.sql);
  }
  const result = await db.executeQuery<Row>(bindSlots(statement, { [ID_SLOT]: id, [USER_SLOT]: ctx.user.id }));
  return result.rows[0];
}

/** Sent link-multiple attributes that the read shape does not load (noLoad), for comparisons. */
function extraAttributes(meta: EntityMeta, input: ParsedInput): string[] {
  return Object.keys(input.values).filter((name) => meta.attributes.get(name)?.output === 'none');
}

async function fetchRow(db: Db, meta: EntityMeta, id: string, includeDeleted: boolean): Promise<Row | undefined> {
  let query = dynamic(db).selectFrom(meta.table).select(meta.columns).where('id', '=', id);
  if (!includeDeleted) query = query.where('deleted', '=', 0);
  return query.executeTakeFirst();
}

function requireRow(row: Row | undefined): Row {
  if (!row) throw new Error('Record disappeared inside its transaction');
  return row;
}

async function loadRecord(db: Db, meta: EntityMeta, stored: Row | undefined, ctx: RequestContext, extra: string[] = []): Promise<RecordData> {
  const row = requireRow(stored);
  const attributes = [...readAttributes(meta), ...extra];
  const missing = requiredColumns(meta, attributes).filter((column) => !(column in row));
  const fullRow = missing.length === 0 ? row : { ...row, ...(await fetchRow(db, meta, String(row.id), true)) };
  const [record] = await hydrate(db, meta, [fullRow], attributes, ctx);
  return record!;
}

/** Field defaults (Opportunity stage Prospecting, Case status New, …) for attributes not sent. */
function defaultValues(meta: EntityMeta): RecordData {
  const values: RecordData = {};
  for (const [name, field] of meta.fields) {
    if (field.default !== undefined && meta.columns.includes(name)) values[name] = field.default;
  }
  return values;
}

function columnValues(meta: EntityMeta, values: RecordData): RecordData {
  const result: RecordData = {};
  for (const name of meta.columns) {
    if (name in values) result[name] = toColumn(meta.attributes.get(name)!, values[name]);
  }
  return result;
}

async function insertRow(db: Db, meta: EntityMeta, id: string, values: RecordData, ctx: RequestContext, now: string): Promise<Row> {
  const row: RecordData = { ...columnValues(meta, values), id, deleted: 0, createdAt: now, modifiedAt: now };
  if (meta.columns.includes('createdById')) row.createdById = ctx.user.id;
  if (meta.optimisticConcurrency) row.versionNumber = 1;
  // The stored row comes back with the insert (no second statement to read it).
  return requireRow(await dynamic(db).insertInto(meta.table).values(row).returning(meta.columns).executeTakeFirst());
}

/**
 * EspoCRM increments versionNumber on every save, even when no value changed. The increment is done by the
 * database, so it counts every save even if two ever ran at once.
 */
async function updateRow(db: Db, meta: EntityMeta, id: string, values: RecordData, ctx: RequestContext, now: string) {
  const row: RecordData = { ...columnValues(meta, values) };
  if (meta.columns.includes('modifiedAt')) row.modifiedAt = now;
  if (meta.columns.includes('modifiedById')) row.modifiedById = ctx.user.id;
  if (meta.optimisticConcurrency) row.versionNumber = sql`coalesce(${sql.ref('versionNumber')}, 0) + 1`;
  await dynamic(db).updateTable(meta.table).set(row).where('id', '=', id).execute();
}

/**
 * X-Version-Number (OptimisticProcessor): a conflict only when the client's version is stale AND a
 * sent attribute differs from the stored value; the body has the stored values of those attributes.
 */
function assertNotModified(meta: EntityMeta, previous: RecordData, input: ParsedInput, ctx: RequestContext) {
  if (!meta.optimisticConcurrency || ctx.versionNumber === undefined || ctx.versionNumber === null) return;
  if (ctx.versionNumber === previous.versionNumber) return;
  const changed = Object.keys(input.values).filter((name) => !sameValue(meta, name, previous[name], input.values[name]));
  if (changed.length === 0) return;
  throw new Conflict('modified', {
    values: Object.fromEntries(changed.map((name) => [name, previous[name] ?? null])),
    versionNumber: previous.versionNumber,
  });
}

/** Email addresses, phone numbers and link-multiple ids: stored outside the entity row. */
async function saveRelated(db: Db, meta: EntityMeta, id: string, values: RecordData) {
  for (const [name, field] of meta.fields) {
    if (field.type === 'email' || field.type === 'phone') {
      const change = pointChange(name, field.type, values);
      if (change) await savePoints(db, field.type, meta.entityType, id, change, field.defaultType ?? null);
    } else if (field.type === 'linkMultiple' && Array.isArray(values[`${name}Ids`])) {
      await setLinkedIds(db, meta.links[name] as ManyManyLink, id, values[`${name}Ids`] as string[]);
    }
  }
}

function pointChange(name: string, kind: 'email' | 'phone', values: RecordData): PointChange | null {
  const keys = [name, `${name}Data`, `${name}IsOptedOut`, `${name}IsInvalid`];
  if (!keys.some((key) => key in values)) return null;
  const valueKey = kind === 'email' ? 'emailAddress' : 'phoneNumber';
  const data = values[`${name}Data`];
  return {
    ...(Array.isArray(data)
      ? {
          data: (data as RecordData[])
            .filter((item) => typeof item[valueKey] === 'string' && item[valueKey] !== '')
            .map((item): PointItem => ({ value: String(item[valueKey]), primary: Boolean(item.primary), optOut: Boolean(item.optOut), invalid: Boolean(item.invalid), type: (item.type as string | null | undefined) ?? null })),
        }
      : {}),
    ...(name in values ? { primary: (values[name] as string | null) ?? null } : {}),
    ...(`${name}IsOptedOut` in values ? { optOut: Boolean(values[`${name}IsOptedOut`]) } : {}),
    ...(`${name}IsInvalid` in values ? { invalid: Boolean(values[`${name}IsInvalid`]) } : {}),
  };
}
