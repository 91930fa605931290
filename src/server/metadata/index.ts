/** Registry of entity metadata: the single place other code reads entity definitions from. */
import { NotFound } from '../core/errors.js';
import { account } from './account.js';
import { attachment } from './attachment.js';
import { call } from './call.js';
import { campaign } from './campaign.js';
import { caseEntity } from './case.js';
import { contact } from './contact.js';
import { document } from './document.js';
import { email } from './email.js';
import type { EntityMeta } from './entity.js';
import { meeting } from './meeting.js';
import { note } from './note.js';
import { opportunity } from './opportunity.js';
import { role } from './role.js';
import { targetList } from './target-list.js';
import { task } from './task.js';
import { team } from './team.js';
import { user } from './user.js';

export type { AttributeDefs, AttributeKind, OutputScope, ValueType } from './attributes.js';
export type { EntityMeta } from './entity.js';
export type * from './types.js';

const registry: ReadonlyMap<string, EntityMeta> = new Map(
  [account, contact, opportunity, caseEntity, call, meeting, task, document, email, targetList, team, user, role, note, campaign, attachment].map(
    (meta) => [meta.entityType, meta],
  ),
);

export const entityTypes: readonly string[] = [...registry.keys()];

export function hasEntity(entityType: string): boolean {
  return registry.has(entityType);
}

/** Metadata of a known entity type; unknown types are a programming error here, not a client error. */
export function getEntity(entityType: string): EntityMeta {
  const meta = registry.get(entityType);
  if (!meta) {
    throw new Error(`Unknown entity type '${entityType}'`);
  }
  return meta;
}

/** For entity types that come from a request (URL segment): 404 as EspoCRM's `Controller 'X' does not exist.`. */
export function requireEntity(entityType: string): EntityMeta {
  const meta = registry.get(entityType);
  if (!meta) {
    throw new NotFound(`Controller '${entityType}' does not exist.`);
  }
  return meta;
}
