/** User and team rows written directly (bootstrap users, `espo-ref user create`, demo data and tests). */
import type { Kysely } from 'kysely';
import { generateId } from '../core/ids.js';
import { formatDateTime } from '../core/time.js';
import type { Database } from '../db/schema.js';

export interface SeedUser {
  id?: string;
  userName: string;
  firstName?: string | null;
  lastName: string;
  type?: 'admin' | 'regular' | 'api' | 'portal';
  isActive?: boolean;
  apiKey?: string | null;
  secretKey?: string | null;
  passwordHash?: string | null;
  /** API users: `ApiKey` (the default when an API key is given) or `Hmac`. */
  authMethod?: 'ApiKey' | 'Hmac' | null;
  teamIds?: readonly string[];
}

/** A user (and its team memberships) written directly: for seeding and tests. */
export async function insertUser(db: Kysely<Database>, user: SeedUser, now = new Date()): Promise<string> {
  const id = user.id ?? generateId();
  const at = formatDateTime(now);
  await db
    .insertInto('user')
    .values({
      id,
      userName: user.userName,
      firstName: user.firstName ?? null,
      lastName: user.lastName,
      type: user.type ?? 'regular',
      isActive: user.isActive === false ? 0 : 1,
      apiKey: user.apiKey ?? null,
      secretKey: user.secretKey ?? null,
      passwordHash: user.passwordHash ?? null,
      createdAt: at,
      modifiedAt: at,
      title: null,
      salutationName: null,
      gender: null,
      authMethod: user.authMethod ?? (user.apiKey ? 'ApiKey' : null),
      defaultTeamId: user.teamIds?.[0] ?? null,
      contactId: null,
      createdById: 'system',
    })
    .execute();
  for (const teamId of new Set(user.teamIds ?? [])) {
    await db.insertInto('team_user').values({ teamId, userId: id, role: null }).execute();
  }
  return id;
}

export async function insertTeam(db: Kysely<Database>, name: string, now = new Date()): Promise<string> {
  const id = generateId();
  const at = formatDateTime(now);
  // positionList: EspoCRM's array-field default is [] (fields/array.json), which the contract relies on.
  await db.insertInto('team').values({ id, name, description: null, positionList: '[]', createdAt: at, modifiedAt: at }).execute();
  return id;
}
