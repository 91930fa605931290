/**
 * Restricts a list to the records the user may read (EspoCRM Select\AccessControl\Filters):
 * `own` = assigned to me (created by me where there is no assignee), `team` = own or sharing one of
 * my teams through entity_team, `no` = nothing. Teams and users have their own rules (EspoCRM
 * Classes\Select\Team|User\AccessControlFilters): a team is "own" to its members, a user to itself, and
 * users are in my team when they share a team with me.
 */
import { sql } from 'kysely';
import type { EntityMeta } from '../metadata/index.js';
import type { AccessControl, Actor } from './policy.js';
import { column, FALSE, or, type Cond } from '../db/sql-conditions.js';

export function accessCondition(meta: EntityMeta, acl: AccessControl, alias: string): Cond | null {
  switch (acl.listLevel(meta.entityType)) {
    case 'all':
      return null;
    case 'no':
      return FALSE;
    case 'own':
      return own(meta, acl.actor, alias);
    case 'team':
      return or([own(meta, acl.actor, alias), sharesTeam(meta, acl.actor, alias)]);
  }
}

function own(meta: EntityMeta, user: Actor, alias: string): Cond {
  if (meta.entityType === 'Team') {
    return user.teamIds.length === 0 ? FALSE : sql`${column(alias, 'id')} in (${sql.join(user.teamIds)})`;
  }
  if (meta.entityType === 'User') return sql`${column(alias, 'id')} = ${user.id}`;
  const key = meta.attributes.has('assignedUserId') ? 'assignedUserId' : 'createdById';
  return sql`${column(alias, key)} = ${user.id}`;
}

function sharesTeam(meta: EntityMeta, user: Actor, alias: string): Cond {
  if (meta.entityType === 'User' && user.teamIds.length > 0) {
    const members = sql`select ${sql.ref('tu.userId')} from ${sql.table('team_user')} as tu
      where ${sql.ref('tu.deleted')} = 0 and ${sql.ref('tu.teamId')} in (${sql.join(user.teamIds)})`;
    return sql`${column(alias, 'id')} in (${members})`;
  }
  if (user.teamIds.length === 0 || !meta.links.teams || meta.entityType === 'User') return FALSE;
  const ids = sql`select ${sql.ref('et.entityId')} from ${sql.table('entity_team')} as et
    where ${sql.ref('et.entityType')} = ${sql.lit(meta.entityType)} and ${sql.ref('et.deleted')} = 0 and ${sql.ref('et.teamId')} in (${sql.join(user.teamIds)})`;
  return sql`${column(alias, 'id')} in (${ids})`;
}

