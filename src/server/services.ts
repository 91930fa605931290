import type { Kysely } from 'kysely';
import type { Database } from './db/schema.js';
import { createAccessResolver, type AccessResolver } from './acl/access.js';
import { combineLinkHooks, contactAccountLinkHooks, contactAccountRecordHooks, LinkService, parentAccountHooks } from './links/index.js';
import { combineRecordHooks } from './records/hooks.js';
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

export function createServices(db: Kysely<Database>, options: { identityCacheMs?: number } = {}): Services {
  // Hook order matters: links derived from parents are written before the stream notes that read them.
  const recordHooks = combineRecordHooks(
    parentAccountHooks,
    contactAccountRecordHooks,
    // Inside a write's transaction other users' roles must be read with its connection.
    streamRecordHooks({ accessFor: (trx, actor) => createAccessResolver(trx)(actor) }),
  );
  return {
    db,
    records: new RecordService(db, { hooks: recordHooks }),
    links: new LinkService(db, { hooks: combineLinkHooks(contactAccountLinkHooks, streamLinkHooks) }),
    stream: new StreamService(db),
    accessFor: createAccessResolver(db, options.identityCacheMs),
  };
}
