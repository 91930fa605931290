import type { Db, Row } from '../db/dynamic.js';
import type { EntityMeta } from '../metadata/index.js';
import type { ManyManyLink } from '../metadata/types.js';
import type { AccessControl, AclAction, RecordOwnership } from './policy.js';
import { groupLinkedIds, manyManyIdsQuery } from '../db/many-many.js';

/**
 * Ownership facts of stored rows (which must include assignedUserId/createdById when the entity has them).
 * Teams and users follow EspoCRM's own checkers (Classes\Acl\Team|User\OwnershipChecker): a team belongs
 * to its members (it is "in" itself), a user owns itself and is in its teams.
 */
export async function loadOwnership(db: Db, meta: EntityMeta, rows: readonly Row[]): Promise<RecordOwnership[]> {
  const teamsLink = meta.links.teams?.type === 'manyMany' ? (meta.links.teams as ManyManyLink) : undefined;
  const ids = rows.map((row) => String(row.id));
  if (meta.entityType === 'Team') {
    return ids.map((id) => ({ assignedUserId: null, createdById: null, teamIds: [id], hasAssignedUser: false }));
  }
  const teams = teamsLink ? groupLinkedIds(await manyManyIdsQuery(db, teamsLink, ids).execute()) : new Map<string, string[]>();
  if (meta.entityType === 'User') {
    return ids.map((id) => ({ assignedUserId: id, createdById: null, teamIds: teams.get(id) ?? [], hasAssignedUser: true }));
  }
  return rows.map((row, index) => ({
    assignedUserId: typeof row.assignedUserId === 'string' ? row.assignedUserId : null,
    createdById: typeof row.createdById === 'string' ? row.createdById : null,
    teamIds: teams.get(ids[index]!) ?? [],
    hasAssignedUser: meta.attributes.has('assignedUserId'),
  }));
}

/** Columns ownership checks read. */
export function ownershipColumns(meta: EntityMeta): string[] {
  return ['id', 'assignedUserId', 'createdById'].filter((column) => meta.columns.includes(column));
}

/**
 * Whether `acl` allows `action` on every one of `rows`. Ownership (assigned user, teams) is loaded only when
 * the level depends on it (`team`, `own`): for `all` and `no` the answer needs no query.
 */
export async function mayAccessRecords(db: Db, meta: EntityMeta, rows: readonly Row[], acl: AccessControl, action: AclAction): Promise<boolean> {
  const level = acl.recordLevel(meta.entityType, action);
  if (level === 'all' || level === 'no') return level === 'all';
  const ownership = await loadOwnership(db, meta, rows);
  return ownership.every((owner) => acl.checkRecord(meta.entityType, action, owner));
}
