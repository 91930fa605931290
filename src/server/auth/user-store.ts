import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { asciiLower, engineOf, equalsIgnoringAsciiCase } from '../db/dialect.js';
import type { Database } from '../db/schema.js';
import type { Actor, UserType } from '../acl/index.js';
import type { CacheInvalidation } from '../db/cache-invalidation.js';
import { TtlCache } from '../core/ttl-cache.js';

/** A user row with what authentication needs; secrets never leave this module's callers. */
export interface StoredUser {
  actor: Actor;
  isActive: boolean;
  authMethod: string | null;
  apiKey: string | null;
  secretKey: string | null;
  passwordHash: string | null;
}

function fullName(row: { firstName: string | null; lastName: string | null; userName: string }): string {
  const name = [row.firstName, row.lastName].filter(Boolean).join(' ');
  return name || row.userName;
}

/**
 * Looks users up for authentication: API users by key (compared exactly), the others by user name (compared
 * ignoring the case of A-Z on both engines; EspoCRM's user names are ASCII). Portal users are not found:
 * EspoCRM refuses them outside a portal.
 */
export class UserStore {
  private readonly cache: TtlCache<StoredUser>;

  /** `cacheMs` > 0 keeps found users that long (only found ones: unknown keys never fill the cache). */
  constructor(
    private readonly db: Kysely<Database>,
    cacheMs = 0,
    invalidation?: CacheInvalidation,
  ) {
    this.cache = new TtlCache(cacheMs);
    invalidation?.register(this.cache);
  }

  /** Forgets every cached user (after a change of users or teams). */
  clear(): void {
    this.cache.clear();
  }

  findByApiKey(apiKey: string): Promise<StoredUser | undefined> {
    // No stored key or name holds a NUL, and PostgreSQL cannot compare one: unknown, so 401.
    if (apiKey.includes('\0')) return Promise.resolve(undefined);
    return this.cache.getOrLoad(`key\0${apiKey}`, () => this.find(sql<SqlBool>`${sql.ref('apiKey')} = ${apiKey}`, ['api']));
  }

  findByUserName(userName: string): Promise<StoredUser | undefined> {
    if (userName.includes('\0')) return Promise.resolve(undefined);
    // Only A-Z fold (decisions.md): `ADMIN` is `admin`, `admİn` or `ädmin` is nobody, on both engines.
    return this.cache.getOrLoad(`name\0${asciiLower(userName)}`, () =>
      this.find(equalsIgnoringAsciiCase(engineOf(this.db), sql.ref('userName'), userName), ['admin', 'regular', 'super-admin']),
    );
  }

  private async find(match: RawBuilder<SqlBool>, types: string[]): Promise<StoredUser | undefined> {
    const row = await this.db
      .selectFrom('user')
      .select(['id', 'userName', 'firstName', 'lastName', 'type', 'isActive', 'authMethod', 'apiKey', 'secretKey', 'passwordHash'])
      .where(match)
      .where('type', 'in', types)
      .where('deleted', '=', 0)
      .executeTakeFirst();
    if (!row) return undefined;
    // Memberships of deleted teams do not count (EspoCRM reads the user's `teams` relation).
    const teams = await this.db
      .selectFrom('team_user')
      .innerJoin('team', 'team.id', 'team_user.teamId')
      .select('team_user.teamId')
      .where('team_user.userId', '=', row.id)
      .where('team_user.deleted', '=', 0)
      .where('team.deleted', '=', 0)
      .execute();
    // EspoCRM's super-admin is an admin as far as this API is concerned.
    const type = (row.type === 'super-admin' ? 'admin' : row.type) as UserType;
    return {
      actor: {
        id: row.id,
        name: fullName(row),
        type,
        isAdmin: type === 'admin',
        teamIds: teams.map((t) => t.teamId),
      },
      isActive: Boolean(row.isActive),
      authMethod: row.authMethod,
      apiKey: row.apiKey,
      secretKey: row.secretKey,
      passwordHash: row.passwordHash,
    };
  }
}
