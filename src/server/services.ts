import type { Kysely } from 'kysely';
import type { Database } from './db/schema.js';
import { type AccessResolver, createAccessResolver } from './acl/index.js';
import type { CacheInvalidation } from './db/cache-invalidation.js';
import { combineLinkHooks, contactAccountLinkHooks, contactAccountRecordHooks, LinkService, parentAccountHooks } from './links/index.js';
import { combineRecordHooks, type RecordHooks } from './records/hooks.js';
import { RecordService } from './records/record-service.js';
import { streamLinkHooks, streamRecordHooks, StreamService } from './stream/index.js';

/** The domain services one app instance uses, built once over its database. */
export interface Services {
  db: Kysely<Database>;
  records: RecordService;
  /** The link endpoints (`/{entityType}/{id}/{link}`). */
  links: LinkService;
  /** Streams: notes, follows, posts. */
  stream: StreamService;
  /** The access control of a user (roles and teams); `accessFor.clear()` forgets cached role tables. */
  accessFor: AccessResolver;
}

/** Entities whose changes alter who a user is or what it may do (memberships, team roles). */
const IDENTITY_ENTITIES = new Set(['User', 'Team', 'Role']);

/** Identity caches are cleared, in this process and the others, with the change's transaction. */
function identityChangeHooks(invalidation: CacheInvalidation): RecordHooks {
  const changed = async (event: { entityType: string }, context: { db: Kysely<Database> }) => {
    if (IDENTITY_ENTITIES.has(event.entityType)) await invalidation.invalidate(context.db);
  };
  return { afterCreate: changed, afterUpdate: changed, afterDelete: changed };
}

export function createServices(db: Kysely<Database>, options: { identityCacheMs?: number; invalidation?: CacheInvalidation } = {}): Services {
  // Hook order matters: links derived from parents are written before the stream notes that read them.
  const recordHooks = combineRecordHooks(
    parentAccountHooks,
    contactAccountRecordHooks,
    // Inside a write's transaction other users' roles must be read with its connection.
    streamRecordHooks({ accessFor: (trx, actor) => createAccessResolver(trx)(actor) }),
    ...(options.invalidation ? [identityChangeHooks(options.invalidation)] : []),
  );
  return {
    db,
    records: new RecordService(db, { hooks: recordHooks }),
    links: new LinkService(db, { hooks: combineLinkHooks(contactAccountLinkHooks, streamLinkHooks) }),
    stream: new StreamService(db),
    accessFor: createAccessResolver(db, options.identityCacheMs, options.invalidation),
  };
}
