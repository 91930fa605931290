/**
 * The link endpoints of any entity (EspoCRM Record\Service::findLinked, link, unlink):
 * list the records related through a link, relate and unrelate records by id.
 *
 * Access, as EspoCRM checks it: listing needs read access to the record and to the related entity type
 * (related records are access-filtered); relating and unrelating need edit access to the record
 * (403 `noAccessToRecord`) and to each related record (403 `noAccessToForeignRecord`). A missing record on
 * either side is 404 with an empty reason.
 *
 * Unlike EspoCRM, which relates the ids of one request one by one, a request is one transaction: when any
 * id is refused, nothing of the request is written.
 */
import type { Kysely } from 'kysely';
import { dynamic, type Db, type Row } from '../db/dynamic.js';
import type { Database } from '../db/schema.js';
import { inTransaction, lockRow } from '../db/locks.js';
import { formatDateTime } from '../core/time.js';
import { Forbidden, messageTranslation, NotFound } from '../core/errors.js';
import { requireEntity, type EntityMeta } from '../metadata/index.js';
import { type AclAction, mayAccessRecords, ownershipColumns } from '../acl/index.js';
import type { RequestContext } from '../read/context.js';
import type { HookContext } from '../records/hooks.js';
import { findRecords, type FindResult, type SearchEnvironment } from '../search/find.js';
import type { SearchParams } from '../search/search-params.js';
import type { LinkEvent, LinkHooks } from './hooks.js';
import { addRelationColumns, shownColumns } from './relation-columns.js';
import { editableLink, listLink, relatedCondition, type ResolvedLink } from './relations.js';
import { relateStored, unrelateStored } from './storage.js';

export interface LinkServiceOptions {
  readonly hooks?: LinkHooks;
  /** Current time (tests pin it). */
  readonly clock?: () => Date;
  readonly systemTimeZone?: string;
  readonly fiscalYearShift?: number;
}

type Change = 'relate' | 'unrelate';

export class LinkService {
  private readonly hooks: LinkHooks;
  private readonly clock: () => Date;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: LinkServiceOptions = {},
  ) {
    this.hooks = options.hooks ?? {};
    this.clock = options.clock ?? (() => new Date());
  }

  /**
   * GET /{entityType}/{id}/{link}: one page of related records with the list's search parameters.
   * `total` is always counted: EspoCRM ignores `X-No-Total` (and `q`'s no-count) here.
   */
  async findLinked(entityType: string, id: string, linkName: string, params: SearchParams, ctx: RequestContext): Promise<FindResult> {
    const meta = requireEntity(entityType);
    if (!ctx.acl.checkScope(entityType, 'read')) throw new Forbidden('No access.');
    const row = await fetchRow(this.db, meta, id);
    if (!row) throw new NotFound('');
    if (!(await mayAccess(this.db, meta, row, ctx, 'read'))) throw new Forbidden('No read access.');
    const link = listLink(meta, linkName);
    if (!ctx.acl.checkScope(link.foreign.entityType, 'read')) throw new Forbidden('');

    const counted: RequestContext = { ...ctx, noTotal: false };
    const result = await findRecords(this.db, link.foreign, { ...params, noTotal: false }, counted, this.environment(), {
      restriction: (alias) => relatedCondition(meta, link.defs, id, alias),
    });
    if (link.defs.type === 'manyMany') {
      await addRelationColumns(this.db, link.defs, id, result.list, shownColumns(link.defs, params.select));
    }
    return result;
  }

  /** POST /{entityType}/{id}/{link}: `false` when no id is given, else `true`. */
  relate(entityType: string, id: string, linkName: string, foreignIds: readonly string[], ctx: RequestContext): Promise<boolean> {
    return this.change('relate', entityType, id, linkName, foreignIds, ctx);
  }

  /** DELETE /{entityType}/{id}/{link}: `false` when no id is given, else `true`. */
  unrelate(entityType: string, id: string, linkName: string, foreignIds: readonly string[], ctx: RequestContext): Promise<boolean> {
    return this.change('unrelate', entityType, id, linkName, foreignIds, ctx);
  }

  private async change(change: Change, entityType: string, id: string, linkName: string, foreignIds: readonly string[], ctx: RequestContext): Promise<boolean> {
    const meta = requireEntity(entityType);
    if (!ctx.acl.checkScope(entityType, 'read')) throw new Forbidden('');
    // EspoCRM's controller answers `false` before looking at anything else.
    if (foreignIds.length === 0) return false;
    const link = editableLink(meta, linkName);
    const now = formatDateTime(this.clock());
    return inTransaction(this.db, async (trx) => {
      // Both ends are locked before they are read (PostgreSQL; SQLite writers are serial anyway), so
      // checks such as linkOnlyNotLinked hold until the write commits.
      await lockRow(trx, meta.table, id);
      const row = await fetchRow(trx, meta, id);
      if (!row) throw new NotFound('');
      if (!(await mayAccess(trx, meta, row, ctx, 'edit'))) {
        throw new Forbidden(
          `No record access for link operation (${entityType}:${linkName}).`,
          messageTranslation('noAccessToRecord', { action: 'edit' }),
        );
      }
      const context: HookContext = { db: trx, ctx, now };
      for (const foreignId of foreignIds) {
        await this.changeOne(change, meta, link, id, foreignId, context);
      }
      return true;
    });
  }

  private async changeOne(change: Change, meta: EntityMeta, link: ResolvedLink, id: string, foreignId: string, context: HookContext) {
    const { db, ctx } = context;
    await lockRow(db, link.foreign.table, foreignId);
    const foreignRow = await fetchRow(db, link.foreign, foreignId, link.defs.type === 'hasMany' ? [link.defs.foreignKey] : []);
    if (!foreignRow) throw new NotFound('');
    if (!(await mayAccess(db, link.foreign, foreignRow, ctx, 'edit'))) {
      throw new Forbidden(
        `No foreign record access for link operation (${meta.entityType}:${link.name}).`,
        messageTranslation('noAccessToForeignRecord', { action: 'edit' }),
      );
    }
    if (change === 'relate' && link.defs.type === 'hasMany' && link.defs.linkOnlyNotLinked) {
      await assertNotLinked(db, meta, link, foreignRow);
    }
    const event: LinkEvent = { entityType: meta.entityType, id, link: link.name, foreignEntityType: link.foreign.entityType, foreignId };
    if (change === 'relate') {
      if (await relateStored(db, meta, link, id, foreignId)) await this.hooks.afterRelate?.(event, context);
    } else {
      await unrelateStored(db, meta, link, id, foreignId);
      await this.hooks.afterUnrelate?.(event, context);
    }
  }

  private environment(): SearchEnvironment {
    return { now: this.clock(), systemTimeZone: this.options.systemTimeZone ?? 'UTC', fiscalYearShift: this.options.fiscalYearShift ?? 0 };
  }
}

/**
 * `linkOnlyNotLinked` (Opportunity `opportunities`): refused when the related record already belongs to any
 * existing record, this one included (checked live on 9.2.7, reference §16 item 8).
 */
async function assertNotLinked(db: Db, meta: EntityMeta, link: ResolvedLink, foreignRow: Row) {
  if (link.defs.type !== 'hasMany') return;
  const current = foreignRow[link.defs.foreignKey];
  if (typeof current !== 'string') return;
  const owner = await dynamic(db).selectFrom(meta.table).select('id').where('id', '=', current).where('deleted', '=', 0).executeTakeFirst();
  if (owner) {
    throw new Forbidden(`Cannot link as the record is already linked (${meta.entityType}:${link.name}).`, messageTranslation('cannotLinkAlreadyLinked'));
  }
}

async function fetchRow(db: Db, meta: EntityMeta, id: string, extra: readonly string[] = []): Promise<Row | undefined> {
  return dynamic(db)
    .selectFrom(meta.table)
    .select([...ownershipColumns(meta), ...extra])
    .where('id', '=', id)
    .where('deleted', '=', 0)
    .executeTakeFirst();
}

function mayAccess(db: Db, meta: EntityMeta, row: Row, ctx: RequestContext, action: AclAction): Promise<boolean> {
  return mayAccessRecords(db, meta, [row], ctx.acl, action);
}
