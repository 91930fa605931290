import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Actor, UserType } from '../records/access-control.js';

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

/** Looks users up for authentication: API users by key, the others by user name. */
export class UserStore {
  constructor(private readonly db: Kysely<Database>) {}

  findByApiKey(apiKey: string): Promise<StoredUser | undefined> {
    return this.find('apiKey', apiKey, ['api']);
  }

  findByUserName(userName: string): Promise<StoredUser | undefined> {
    return this.find('userName', userName, ['admin', 'regular', 'portal', 'super-admin']);
  }

  private async find(column: 'apiKey' | 'userName', value: string, types: string[]): Promise<StoredUser | undefined> {
    const row = await this.db
      .selectFrom('user')
      .select(['id', 'userName', 'firstName', 'lastName', 'type', 'isActive', 'authMethod', 'apiKey', 'secretKey', 'passwordHash'])
      .where(column, '=', value)
      .where('type', 'in', types)
      .where('deleted', '=', 0)
      .executeTakeFirst();
    if (!row) return undefined;
    const teams = await this.db
      .selectFrom('team_user')
      .select('teamId')
      .where('userId', '=', row.id)
      .where('deleted', '=', 0)
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
