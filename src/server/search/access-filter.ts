/**
 * Restricts a list to the records the user may read (EspoCRM Select\AccessControl\Filters):
 * `own` = assigned to me (created by me where there is no assignee), `team` = own or sharing one of
 * my teams through entity_team, `no` = nothing. Teams and users have their own rules (EspoCRM
 * Classes\Select\Team|User\AccessControlFilters): a team is "own" to its members, a user to itself, and
 * users are in my team when they share a team with me.
 */
import { sql } from 'kysely';
import type { EntityMeta } from '../metadata/index.js';
import type { RequestContext } from '../records/context.js';
import { column } from './expressions.js';
import { FALSE, or, type Cond } from './sql-conditions.js';

export function accessCondition(meta: EntityMeta, ctx: RequestContext, alias: string): Cond | null {
  switch (ctx.acl.listLevel(meta.entityType)) {
    case 'all':
      return null;
    case 'no':
      return FALSE;
    case 'own':
      return own(meta, ctx, alias);
    case 'team':
      return or([own(meta, ctx, alias), sharesTeam(meta, ctx, alias)]);
  }
}

function own(meta: EntityMeta, ctx: RequestContext, alias: string): Cond {
  if (meta.entityType === 'Team') {
    return ctx.user.teamIds.length === 0 ? FALSE : sql`${column(alias, 'id')} in (${sql.join(ctx.user.teamIds)})`;
  }
  if (meta.entityType === 'User') return sql`${column(alias, 'id')} = ${ctx.user.id}`;
  const key = meta.attributes.has('assignedUserId') ? 'assignedUserId' : 'createdById';
  return sql`${column(alias, key)} = ${ctx.user.id}`;
}

function sharesTeam(meta: EntityMeta, ctx: RequestContext, alias: string): Cond {
  if (meta.entityType === 'User' && ctx.user.teamIds.length > 0) {
    const members = sql`select ${sql.ref('tu.userId')} from ${sql.table('team_user')} as tu
      where ${sql.ref('tu.deleted')} = 0 and ${sql.ref('tu.teamId')} in (${sql.join(ctx.user.teamIds)})`;
    return sql`${column(alias, 'id')} in (${members})`;
  }
  if (ctx.user.teamIds.length === 0 || !meta.links.teams || meta.entityType === 'User') return FALSE;
  const ids = sql`select ${sql.ref('et.entityId')} from ${sql.table('entity_team')} as et
    where ${sql.ref('et.entityType')} = ${meta.entityType} and ${sql.ref('et.deleted')} = 0 and ${sql.ref('et.teamId')} in (${sql.join(ctx.user.teamIds)})`;
  return sql`${column(alias, 'id')} in (${ids})`;
}

