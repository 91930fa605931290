/**
 * A record's stream (EspoCRM Tools\Stream\RecordService, Record\Service::follow/unfollow and the Note record
 * hooks): list its notes, follow and unfollow it, post to it.
 */
import { sql, type Kysely, type SqlBool } from 'kysely';
import { dynamic, type Db, type Row } from '../db/dynamic.js';
import type { Database } from '../db/schema.js';
import { inTransaction, lockRow } from '../db/locks.js';
import { formatDateTime } from '../core/time.js';
import { Forbidden, NotFound } from '../core/errors.js';
import { entityTypes, getEntity, hasEntity, requireEntity, type EntityMeta } from '../metadata/index.js';
import { type AclAction, mayAccessRecords, ownershipColumns } from '../acl/index.js';
import type { RequestContext } from '../read/context.js';
import type { RecordData } from '../read/values.js';
import { writeNote, type RecordRef } from './notes.js';
import { NOTE_COLUMNS, presentNotes, type NoteRow } from './note-output.js';
import type { StreamQuery } from './stream-query.js';
import { follow, unfollow } from './subscriptions.js';

/** RecordService::PINNED_MAX_SIZE. */
const PINNED_MAX_SIZE = 100;

/** Entity types whose posts may be internal (EspoCRM streamDefs `allowInternalNotes`). */
const INTERNAL_NOTES = new Set(['Case']);

export interface StreamPage {
  total: number;
  list: RecordData[];
  pinnedList: RecordData[];
}

export interface NewPost {
  readonly parentType: string;
  readonly parentId: string;
  /** Optional: EspoCRM accepts a post without text. An empty string is stored as null (EmptyStringToNull). */
  readonly post?: string;
  readonly isInternal?: boolean;
}

/**
 * Attributes a new note does not have (absent, not null) in EspoCRM's create response, which is the new
 * entity's value map: `number` is an autoincrement the insert does not read back (ORM BaseMapper::insert);
 * isPinned/isGlobal are cleared (Classes/RecordHooks/Note/BeforeCreate::process); the others are never set.
 */
const UNSET_ON_CREATE = ['number', 'targetType', 'isGlobal', 'isPinned', 'createdByGender', 'modifiedById'];
/** Set only when they have a value (a note about a related record, or one under a super parent). */
const SET_WHEN_PRESENT = ['relatedId', 'relatedType', 'relatedName', 'superParentId', 'superParentType'];

function createdNote(note: RecordData, postSent: boolean): RecordData {
  return Object.fromEntries(
    Object.entries(note).filter(
      ([name, value]) => !UNSET_ON_CREATE.includes(name) && !(SET_WHEN_PRESENT.includes(name) && value === null) && (postSent || name !== 'post'),
    ),
  );
}

export class StreamService {
  private readonly clock: () => Date;

  constructor(
    private readonly db: Kysely<Database>,
    options: { readonly clock?: () => Date } = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  /**
   * GET /{entityType}/{id}/stream: notes about the record and about the records under it (superParent),
   * newest first, with the exact total, and the record's pinned notes.
   */
  async list(entityType: string, id: string, query: StreamQuery, ctx: RequestContext): Promise<StreamPage> {
    const meta = requireEntity(entityType);
    const row = await fetchRow(this.db, meta, id);
    if (!row) throw new NotFound('Record not found.');
    if (!(await mayAccess(this.db, meta, row, ctx, 'stream'))) throw new Forbidden('No stream access.');

    const stream: RecordRef = { entityType, id };
    const ignored = ignoredEntityTypes(ctx);
    const about = sql<SqlBool>`((${sql.ref('parentType')} = ${entityType} and ${sql.ref('parentId')} = ${id})
      or (${sql.ref('superParentType')} = ${entityType} and ${sql.ref('superParentId')} = ${id}))`;
    let notes = this.db.selectFrom('note').where('deleted', '=', 0).where(about);
    if (ignored.length > 0) {
      notes = notes
        .where((eb) => eb.or([eb('relatedType', 'is', null), eb('relatedType', 'not in', ignored)]))
        .where((eb) => eb.or([eb('parentType', 'is', null), eb('parentType', 'not in', ignored)]));
    }
    if (query.after) notes = notes.where('createdAt', '>', query.after);
    if (query.filter === 'posts') notes = notes.where('type', '=', 'Post');
    if (query.filter === 'updates') notes = notes.where('type', '=', 'Update');
    if (query.skipOwn) notes = notes.where('createdById', '!=', ctx.user.id);

    const rows = await notes.select([...NOTE_COLUMNS]).orderBy('number', 'desc').limit(query.maxSize).offset(query.offset).execute();
    const { total } = await notes.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const pinned = await this.db
      .selectFrom('note')
      .select([...NOTE_COLUMNS])
      .where('deleted', '=', 0)
      .where('parentType', '=', entityType)
      .where('parentId', '=', id)
      .where('isPinned', '=', 1)
      .orderBy('number', 'desc')
      .limit(PINNED_MAX_SIZE)
      .execute();
    return {
      total: Number(total),
      list: await presentNotes(this.db, rows as NoteRow[], stream),
      pinnedList: await presentNotes(this.db, pinned as NoteRow[], stream),
    };
  }

  /** PUT /{entityType}/{id}/subscription: needs stream access to the entity type and the record. */
  async follow(entityType: string, id: string, ctx: RequestContext): Promise<true> {
    const meta = requireEntity(entityType);
    if (!meta.stream || !ctx.acl.checkScope(entityType, 'stream')) throw new Forbidden('');
    return inTransaction(this.db, async (trx) => {
      await lockRow(trx, meta.table, id); // a record being deleted loses its followers; do not add one
      const row = await fetchRow(trx, meta, id);
      if (!row) throw new NotFound('');
      if (!(await mayAccess(trx, meta, row, ctx, 'stream'))) throw new Forbidden('');
      await follow(trx, entityType, id, ctx.user.id);
      return true as const;
    });
  }

  /** DELETE /{entityType}/{id}/subscription: no record-level check, anyone can stop following. */
  async unfollow(entityType: string, id: string, ctx: RequestContext): Promise<true> {
    const meta = requireEntity(entityType);
    if (!ctx.acl.checkScope(entityType, 'read')) throw new Forbidden('');
    if (!(await fetchRow(this.db, meta, id))) throw new NotFound('');
    await unfollow(this.db, entityType, id, ctx.user.id);
    return true;
  }

  /**
   * DELETE /Note/{id}: a soft delete. Admins delete any note; others only their own posts of the last month
   * (Classes/Acl/Note/AccessChecker::checkEntityDelete, OwnershipChecker::checkOwn; Record\Service::delete).
   */
  async deleteNote(id: string, ctx: RequestContext): Promise<true> {
    const now = this.clock();
    return this.db.transaction().execute(async (trx) => {
      const note = await trx.selectFrom('note').select(['id', 'type', 'createdById', 'createdAt']).where('id', '=', id).where('deleted', '=', 0).executeTakeFirst();
      if (!note) throw new NotFound(`Record ${id} not found.`);
      const own = note.type === 'Post' && note.createdById === ctx.user.id && (note.createdAt === null || note.createdAt >= deleteThreshold(now));
      if (!ctx.user.isAdmin && !own) throw new Forbidden('No delete access.');
      await trx.updateTable('note').set({ deleted: 1, modifiedAt: formatDateTime(now), modifiedById: ctx.user.id }).where('id', '=', id).execute();
      return true as const;
    });
  }

  /**
   * POST /Note with type Post. The parent must exist and be readable (403 `No access to parent.`); internal
   * posts only where the parent's entity type allows them. A regular user who posts follows the record
   * (EspoCRM preference `followEntityOnStreamPost`, on by default; never API or system users).
   */
  async post(input: NewPost, ctx: RequestContext): Promise<RecordData> {
    const meta = hasEntity(input.parentType) ? getEntity(input.parentType) : null;
    const isInternal = ctx.user.type !== 'portal' && input.isInternal === true;
    const now = formatDateTime(this.clock());
    return inTransaction(this.db, async (trx) => {
      if (meta) await lockRow(trx, meta.table, input.parentId); // not posted to a record being deleted
      const row = meta ? await fetchRow(trx, meta, input.parentId) : undefined;
      if (!meta || !row || !(await mayAccess(trx, meta, row, ctx, 'read'))) throw new Forbidden('No access to parent.');
      if (isInternal && !INTERNAL_NOTES.has(meta.entityType)) throw new Forbidden('Internal note is not allowed.');
      const parent: RecordRef = { entityType: meta.entityType, id: input.parentId };
      const post = input.post === undefined || input.post === '' ? null : input.post;
      const id = await writeNote(trx, { type: 'Post', parent, post, data: {}, isInternal, createdById: ctx.user.id, now });
      if (meta.stream && ctx.user.type !== 'api' && ctx.user.type !== 'system' && (await mayAccess(trx, meta, row, ctx, 'stream'))) {
        await follow(trx, meta.entityType, input.parentId, ctx.user.id);
      }
      const note = await trx.selectFrom('note').select([...NOTE_COLUMNS]).where('id', '=', id).executeTakeFirstOrThrow();
      const [output] = await presentNotes(trx, [note as NoteRow], null);
      return createdNote(output!, input.post !== undefined);
    });
  }
}

/** EspoCRM config `noteDeleteThresholdPeriod` default (Classes/Acl/Note/AccessChecker::DELETE_PERIOD): one month. */
function deleteThreshold(now: Date): string {
  const limit = new Date(now.getTime());
  limit.setUTCMonth(limit.getUTCMonth() - 1);
  return formatDateTime(limit);
}

/**
 * Entity types the user may not read: notes about such records are left out (EspoCRM
 * Stream\Helper::getIgnoreScopeList). EspoCRM further limits notes about records of types the user reads
 * only at team or own level by the note's teams and users, which this server does not store.
 */
function ignoredEntityTypes(ctx: RequestContext): string[] {
  return entityTypes.filter((entityType) => !ctx.acl.checkScope(entityType, 'read'));
}

async function fetchRow(db: Db, meta: EntityMeta, id: string): Promise<Row | undefined> {
  return dynamic(db).selectFrom(meta.table).select(ownershipColumns(meta)).where('id', '=', id).where('deleted', '=', 0).executeTakeFirst();
}

async function mayAccess(db: Db, meta: EntityMeta, row: Row, ctx: RequestContext, action: AclAction): Promise<boolean> {
  return ctx.acl.checkScope(meta.entityType, action) && (await mayAccessRecords(db, meta, [row], ctx.acl, action));
}
