/**
 * What the `espo-ref` commands do, once their arguments are checked. Each action opens the database,
 * brings its schema up to date (migrations are idempotent), does one thing and closes the database, so it
 * can run next to a server using the same SQLite file (WAL) or PostgreSQL database. Loaded only when a
 * command runs, so `--help` stays fast.
 */
import type { Kysely } from 'kysely';
import { createRole, createTeam, createUser, type NewUserCredentials, parseRoleData, roleIdsByName, teamIdsByName } from '../acl/index.js';
import { ensureDatabaseDirectory } from '../config.js';
import { migrateToLatest } from '../db/migrate.js';
import { openDatabase } from '../db/open.js';
import type { Database } from '../db/schema.js';
import { seedAssignedAccounts } from '../demo/seed.js';
import { progress, type ProgressStream } from './progress.js';

export { defaultWorkers, serveWorkers } from '../cluster.js';

async function withDatabase<T>(url: string, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  ensureDatabaseDirectory(url);
  const handle = openDatabase(url);
  try {
    await migrateToLatest(handle.db);
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

/** Applies pending migrations; returns the names of those applied. */
export async function migrate(url: string): Promise<string[]> {
  ensureDatabaseDirectory(url);
  const handle = openDatabase(url);
  try {
    const { results = [] } = await migrateToLatest(handle.db);
    return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
  } finally {
    await handle.close();
  }
}

export function seed(url: string, accounts: number, stderr: ProgressStream, env: NodeJS.ProcessEnv): Promise<void> {
  return withDatabase(url, async (db) => {
    const bar = progress(stderr, accounts, 'accounts', env);
    await seedAssignedAccounts(db, { accounts, onProgress: (done) => bar.update(done) });
    bar.finish(`Seeded ${accounts} accounts`);
  });
}

export function createTeamNamed(url: string, name: string, roleNames: readonly string[]): Promise<string> {
  return withDatabase(url, async (db) => createTeam(db, { name, roleIds: await roleIdsByName(db, roleNames) }));
}

/** `acl` is checked before the database is opened. */
export function createRoleFromJson(url: string, name: string, acl: string): Promise<string> {
  const data = parseRoleData(acl);
  return withDatabase(url, (db) => createRole(db, name, data));
}

export interface UserSpec {
  userName: string;
  firstName: string | undefined;
  lastName: string | undefined;
  credentials: NewUserCredentials;
  teamNames: readonly string[];
  roleNames: readonly string[];
}

export function createUserNamed(url: string, spec: UserSpec): Promise<string> {
  return withDatabase(url, async (db) =>
    createUser(db, {
      userName: spec.userName,
      firstName: spec.firstName,
      lastName: spec.lastName,
      credentials: spec.credentials,
      teamIds: await teamIdsByName(db, spec.teamNames),
      roleIds: await roleIdsByName(db, spec.roleNames),
    }),
  );
}
