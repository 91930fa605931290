import type { Kysely } from 'kysely';
import type { Database } from './db/schema.js';
import { allowAll, type AccessControl, type Actor } from './records/access-control.js';
import { RecordService } from './records/record-service.js';

/** The domain services one app instance uses, built once over its database. */
export interface Services {
  db: Kysely<Database>;
  records: RecordService;
  /** The access control of a user (roles and teams). */
  accessFor(actor: Actor): Promise<AccessControl>;
}

export function createServices(db: Kysely<Database>): Services {
  return {
    db,
    records: new RecordService(db),
    accessFor: async (actor) => allowAll(actor),
  };
}
