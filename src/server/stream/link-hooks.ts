/**
 * `Relate` and `Unrelate` notes for audited links (EspoCRM HookProcessor::afterRelate/afterUnrelate):
 * on the stream of the record whose link is audited (Account `calls`, `meetings`, `documents`), with the
 * linked record as `related` and data null. (EspoCRM also notes links audited on the other side; no link
 * of this server's entities is.)
 */
import { getEntity } from '../metadata/index.js';
import type { LinkEvent, LinkHooks } from '../links/hooks.js';
import type { HookContext } from '../records/hooks.js';
import { writeNote, type NoteType } from './notes.js';

async function noteLink(type: NoteType, event: LinkEvent, { db, ctx, now }: HookContext) {
  const link = getEntity(event.entityType).links[event.link];
  if (!link || link.type === 'belongsToParent' || !link.audited) return;
  await writeNote(db, {
    type,
    parent: { entityType: event.entityType, id: event.id },
    related: { entityType: event.foreignEntityType, id: event.foreignId },
    data: null,
    createdById: ctx.user.id,
    now,
  });
}

export const streamLinkHooks: LinkHooks = {
  afterRelate: (event, context) => noteLink('Relate', event, context),
  afterUnrelate: (event, context) => noteLink('Unrelate', event, context),
};
