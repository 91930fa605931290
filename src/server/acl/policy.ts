/**
 * The access-control policy: what records, search, links and stream ask, at three points as EspoCRM does:
 * - scope: may the user do `action` on the entity type at all (403 `No read access.` …);
 * - record: may the user do `action` on this record (ownership: assigned user, teams; see ownership.ts);
 * - list: which records a list may contain (`all` | `team` | `own` | `no`), applied as a query filter
 *   (list-filter.ts).
 * `LevelAccessControl` answers all three from one level table, which is how EspoCRM roles work; the table
 * comes from the user's roles (access.ts). `allowAll` serves the system user and admins.
 */

export type UserType = 'admin' | 'regular' | 'api' | 'portal' | 'system';

/** The acting user of a request. */
export interface Actor {
  readonly id: string;
  readonly name: string;
  readonly type: UserType;
  readonly isAdmin: boolean;
  readonly teamIds: readonly string[];
}

export type AclAction = 'create' | 'read' | 'edit' | 'delete' | 'stream';
export type AccessLevel = 'all' | 'team' | 'own' | 'no';

/** What ownership checks look at (EspoCRM DefaultOwnershipChecker). */
export interface RecordOwnership {
  readonly assignedUserId: string | null;
  readonly createdById: string | null;
  readonly teamIds: readonly string[];
  /** Whether the entity has an assigned-user field; without one, `own` means created by the user. */
  readonly hasAssignedUser: boolean;
}

export interface AccessControl {
  /** The user whose access this is. */
  readonly actor: Actor;
  checkScope(entityType: string, action: AclAction): boolean;
  /** The level of `action` on records of `entityType`: `all` and `no` need no ownership facts. */
  recordLevel(entityType: string, action: AclAction): AccessLevel;
  checkRecord(entityType: string, action: AclAction, record: RecordOwnership): boolean;
  /** Level that restricts list queries of `entityType`. */
  listLevel(entityType: string): AccessLevel;
}

export type LevelResolver = (entityType: string, action: AclAction) => AccessLevel;

export class LevelAccessControl implements AccessControl {
  constructor(
    readonly actor: Actor,
    private readonly levelOf: LevelResolver,
  ) {}

  recordLevel(entityType: string, action: AclAction): AccessLevel {
    return this.actor.isAdmin ? 'all' : this.levelOf(entityType, action);
  }

  checkScope(entityType: string, action: AclAction): boolean {
    return this.recordLevel(entityType, action) !== 'no';
  }

  checkRecord(entityType: string, action: AclAction, record: RecordOwnership): boolean {
    switch (this.recordLevel(entityType, action)) {
      case 'all':
        return true;
      case 'team':
        return this.owns(record) || record.teamIds.some((teamId) => this.actor.teamIds.includes(teamId));
      case 'own':
        return this.owns(record);
      case 'no':
        return false;
    }
  }

  listLevel(entityType: string): AccessLevel {
    return this.recordLevel(entityType, 'read');
  }

  private owns(record: RecordOwnership): boolean {
    return record.hasAssignedUser ? record.assignedUserId === this.actor.id : record.createdById === this.actor.id;
  }
}

/** Grants everything (the system user; contexts built without an access control). */
export function allowAll(actor: Actor): AccessControl {
  return new LevelAccessControl(actor, () => 'all');
}
