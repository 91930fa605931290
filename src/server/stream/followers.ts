/**
 * Who starts following a record without asking (EspoCRM Tools\Stream\HookProcessor and Service::followEntity):
 * the assigned user when a record is created or assigned, and a portal user who creates one. Creators are
 * not made followers otherwise: API and system users never, regular users only with a preference that is
 * off by default (reference §16 C). A user follows only while active and with stream access to the record.
 */
import { dynamic, type Db } from '../db/dynamic.js';
import type { EntityMeta } from '../metadata/index.js';
import { type AccessControl, type Actor, allowAll, mayAccessRecords, ownershipColumns, type UserType } from '../acl/index.js';
import { personNameOf } from '../read/names.js';
import { follow } from './subscriptions.js';

/** The access control of any user, read through `db` (inside a transaction: its connection). */
export type AccessResolver = (db: Db, actor: Actor) => Promise<AccessControl>;

export const allowAllResolver: AccessResolver = async (_db, actor) => allowAll(actor);

const SYSTEM_USER_ID = 'system';

/** Makes each user a follower of the record if EspoCRM would let them follow it. */
export async function autoFollow(db: Db, meta: EntityMeta, id: string, userIds: readonly string[], accessFor: AccessResolver): Promise<string[]> {
  const followed: string[] = [];
  for (const userId of new Set(userIds)) {
    if (userId === SYSTEM_USER_ID) continue;
    const actor = await loadActiveActor(db, userId);
    if (!actor) continue;
    const row = await dynamic(db).selectFrom(meta.table).select(ownershipColumns(meta)).where('id', '=', id).executeTakeFirst();
    if (!row) continue;
    const acl = await accessFor(db, actor);
    if (!acl.checkScope(meta.entityType, 'stream') || !(await mayAccessRecords(db, meta, [row], acl, 'stream'))) continue;
    await follow(db, meta.entityType, id, userId);
    followed.push(userId);
  }
  return followed;
}

async function loadActiveActor(db: Db, userId: string): Promise<Actor | null> {
  const user = await db
    .selectFrom('user')
    .select(['id', 'type', 'userName', 'firstName', 'lastName'])
    .where('id', '=', userId)
    .where('deleted', '=', 0)
    .where('isActive', '=', 1)
    .executeTakeFirst();
  if (!user) return null;
  const teams = await db.selectFrom('team_user').select('teamId').where('userId', '=', userId).where('deleted', '=', 0).execute();
  const type = (user.type === 'super-admin' ? 'admin' : user.type) as UserType;
  return {
    id: user.id,
    name: personNameOf(user.firstName, user.lastName) ?? user.userName,
    type,
    isAdmin: type === 'admin',
    teamIds: teams.map((team) => team.teamId),
  };
}
