import type { Kysely } from 'kysely';
import { withExclusiveLock } from '../db/locks.js';
import { seedAccounts, type SeededAccounts } from './accounts.js';
import { RELATED_DEMO_ACCOUNTS, seedRelatedDemoData } from './related.js';
import type { Database } from '../db/schema.js';

export interface DemoDataOptions {
  accounts: number;
  onProgress?: (done: number, total: number) => void;
  /** How many ids of the newest accounts to return (default none). */
  keepIds?: number;
}

/** Generated accounts assigned to the existing admins and regular users (`espo-ref seed`), streamed in batches. */
export async function seedAssignedAccounts(db: Kysely<Database>, options: DemoDataOptions): Promise<SeededAccounts> {
  const users = await db.selectFrom('user').select('id').where('type', 'in', ['admin', 'regular']).where('deleted', '=', 0).execute();
  return seedAccounts(db, options.accounts, {
    assignedUserIds: users.map((u) => u.id),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.keepIds ? { keepIds: options.keepIds } : {}),
  });
}

/**
 * Demo data for a newcomer: only into a database without accounts, so a restart never duplicates it and
 * real data is never touched. Returns whether anything was written.
 */
export async function seedDemoData(db: Kysely<Database>, options: DemoDataOptions): Promise<boolean> {
  if (await hasAccounts(db)) return false; // no lock needed to see that
  // Servers starting together on one empty database: only the first one seeds.
  return withExclusiveLock(db, 'demo-data', (connection: Kysely<Database>) => seedEmpty(connection, options));
}

async function seedEmpty(db: Kysely<Database>, options: DemoDataOptions): Promise<boolean> {
  if (await hasAccounts(db)) return false;
  // Every link of the newest accounts gets records (a bounded number of them, so big seeds stay fast).
  const { newestIds } = await seedAssignedAccounts(db, { ...options, keepIds: RELATED_DEMO_ACCOUNTS });
  await seedRelatedDemoData(db, { accountIds: newestIds });
  return true;
}

async function hasAccounts(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom('account').select('id').limit(1).executeTakeFirst()) !== undefined;
}
