import { type AccessControl, type Actor, allowAll } from '../acl/index.js';

/** Everything a domain operation needs to know about the request. */
export interface RequestContext {
  readonly user: Actor;
  readonly acl: AccessControl;
  /** `X-Skip-Duplicate-Check: true`. */
  readonly skipDuplicateCheck?: boolean;
  /** `X-Version-Number` (optimistic concurrency on update). */
  readonly versionNumber?: number | null;
  /** `X-No-Total: true` (or `q` in the query string): do not count. */
  readonly noTotal?: boolean;
}

/** EspoCRM's built-in system user (created by the initial migration). */
export const systemActor: Actor = { id: 'system', name: 'System', type: 'system', isAdmin: true, teamIds: [] };

export function createContext(user: Actor, options: Omit<RequestContext, 'user' | 'acl'> & { acl?: AccessControl } = {}): RequestContext {
  return { ...options, user, acl: options.acl ?? allowAll(user) };
}
