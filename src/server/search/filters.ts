/**
 * Primary filters (one per request) and bool filters (OR-ed), as EspoCRM's Select\Primary and
 * Select\Bool appliers: entity-specific primary filters come from metadata (compiled as where items);
 * `all`, `followed` and `starred` exist for every entity, as do the bool filters `onlyMy`,
 * `followed` and `shared`.
 */
import { sql } from 'kysely';
import { BadRequest } from '../core/errors.js';
import { compare, or, TRUE, type Cond, type Expr, column } from '../db/sql-conditions.js';
import { compileWhere } from './where.js';
import type { CompileContext } from './where-item.js';

const BOOL_FILTERS = new Set(['onlyMy', 'followed', 'shared']);

export async function primaryFilterCondition(name: string, c: CompileContext): Promise<Cond> {
  const defs = c.meta.primaryFilters?.[name];
  if (defs) {
    return compileWhere([defs.where({ now: c.now })], c);
  }
  switch (name) {
    case 'all':
      return TRUE;
    case 'followed':
      return followedByMe(c);
    case 'starred':
      return subscribedByMe(c, 'star_subscription');
    default:
      throw new BadRequest(`No primary filter '${name}' for '${c.meta.entityType}'.`);
  }
}

export function boolFilterCondition(names: readonly string[], c: CompileContext): Cond | null {
  const unknown = names.find((name) => !BOOL_FILTERS.has(name));
  if (unknown !== undefined) {
    throw new BadRequest(`No bool filter '${unknown}' for '${c.meta.entityType}'.`);
  }
  const conditions = [...new Set(names)].flatMap((name): Cond[] => {
    switch (name) {
      case 'onlyMy':
        return [onlyMy(c)];
      case 'followed':
        return [followedByMe(c)];
      default:
        return []; // shared: collaborators, which these entities do not have.
    }
  });
  return conditions.length === 0 ? null : or(conditions);
}

/** Assigned to me; portal users: created by me; entities without an assignee: created by me. */
function onlyMy(c: CompileContext): Cond {
  const useAssignee = c.ctx.user.type !== 'portal' && c.meta.attributes.has('assignedUserId');
  return compare(c.engine, column(c.alias, useAssignee ? 'assignedUserId' : 'createdById'), '=', c.ctx.user.id, false);
}

function followedByMe(c: CompileContext): Cond {
  return subscribedByMe(c, 'stream_subscription');
}

function subscribedByMe(c: CompileContext, table: 'stream_subscription' | 'star_subscription'): Cond {
  const ids: Expr = sql`select ${sql.ref('s.entityId')} from ${sql.table(table)} as s where ${sql.ref('s.userId')} = ${c.ctx.user.id} and ${sql.ref('s.entityType')} = ${sql.lit(c.meta.entityType)}`;
  return sql`${column(c.alias, 'id')} in (${ids})`;
}
