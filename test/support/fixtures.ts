/** Users, teams and request contexts for domain tests. */
import type { Kysely } from 'kysely';
import type { Database } from '../../src/server/db/schema.js';
import { insertTeam, insertUser } from '../../src/server/acl/user-rows.js';
import { LevelAccessControl, type AccessLevel, type AclAction, type Actor } from '../../src/server/acl/policy.js';
import { createContext, type RequestContext } from '../../src/server/read/context.js';

export interface Fixtures {
  readonly teamA: string;
  readonly teamB: string;
  readonly admin: Actor;
  readonly alice: Actor;
  readonly bob: Actor;
}

/** An admin and two regular users: alice in team A, bob in team B. */
export async function createFixtures(db: Kysely<Database>): Promise<Fixtures> {
  const teamA = await insertTeam(db, 'Team A');
  const teamB = await insertTeam(db, 'Team B');
  const adminId = await insertUser(db, { userName: 'admin', firstName: 'Ada', lastName: 'Admin', type: 'admin' });
  const aliceId = await insertUser(db, { userName: 'alice', firstName: 'Alice', lastName: 'Smith', teamIds: [teamA] });
  const bobId = await insertUser(db, { userName: 'bob', firstName: 'Bob', lastName: 'Jones', teamIds: [teamB] });
  return {
    teamA,
    teamB,
    admin: { id: adminId, name: 'Ada Admin', type: 'admin', isAdmin: true, teamIds: [] },
    alice: { id: aliceId, name: 'Alice Smith', type: 'regular', isAdmin: false, teamIds: [teamA] },
    bob: { id: bobId, name: 'Bob Jones', type: 'regular', isAdmin: false, teamIds: [teamB] },
  };
}

/** A context whose access control gives `level` for every action on every entity type. */
export function contextWithLevel(actor: Actor, level: AccessLevel | ((entityType: string, action: AclAction) => AccessLevel), options: Omit<RequestContext, 'user' | 'acl'> = {}): RequestContext {
  const resolve = typeof level === 'function' ? level : () => level;
  return createContext(actor, { ...options, acl: new LevelAccessControl(actor, resolve) });
}

/** Captures the HttpError a promise rejects with. */
export async function rejection(promise: Promise<unknown>): Promise<{ status: number; reason: string; body?: unknown }> {
  try {
    await promise;
  } catch (error) {
    const { status, reason, body } = error as { status: number; reason: string; body?: unknown };
    if (typeof status !== 'number') throw error;
    return { status, reason, body };
  }
  throw new Error('Expected the operation to fail');
}
