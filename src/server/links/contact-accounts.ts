/**
 * A contact's primary account (`accountId`, Account `contactsPrimary`) and its accounts (`account_contact`,
 * Account `contacts`) stay consistent, as EspoCRM's hooks keep them:
 * - linking a contact through Account `contacts` sets its empty `accountId`; unlinking clears `accountId`
 *   when it was that account (Crm\Hooks\Account\Contacts);
 * - saving a contact with a new `accountId` links it to that account; clearing `accountId` unlinks the
 *   previous one (Crm\Hooks\Contact\Accounts).
 * Relating through `contactsPrimary` only writes `accountId`, as EspoCRM's direct update does.
 */
import { dynamic, type Db } from '../db/dynamic.js';
import { getEntity, type ManyManyLink } from '../metadata/index.js';
import type { RecordHooks } from '../records/hooks.js';
import type { LinkHooks } from './hooks.js';
import { relateStored, unrelateStored } from './storage.js';

const ACCOUNTS_LINK = 'accounts';

function accountsLink() {
  const contact = getEntity('Contact');
  const defs = contact.links[ACCOUNTS_LINK] as ManyManyLink;
  return { name: ACCOUNTS_LINK, defs, foreign: getEntity('Account') };
}

async function setPrimaryAccount(db: Db, contactId: string, accountId: string | null, userId: string, now: string) {
  await dynamic(db).updateTable('contact').set({ accountId, modifiedAt: now, modifiedById: userId }).where('id', '=', contactId).execute();
}

export const contactAccountLinkHooks: LinkHooks = {
  async afterRelate(event, { db, ctx, now }) {
    if (event.entityType !== 'Account' || event.link !== 'contacts') return;
    const contact = await db.selectFrom('contact').select('accountId').where('id', '=', event.foreignId).executeTakeFirst();
    if (contact && !contact.accountId) await setPrimaryAccount(db, event.foreignId, event.id, ctx.user.id, now);
  },
  async afterUnrelate(event, { db, ctx, now }) {
    if (event.entityType !== 'Account' || event.link !== 'contacts') return;
    const contact = await db.selectFrom('contact').select('accountId').where('id', '=', event.foreignId).executeTakeFirst();
    if (contact?.accountId === event.id) await setPrimaryAccount(db, event.foreignId, null, ctx.user.id, now);
  },
};

export const contactAccountRecordHooks: RecordHooks = {
  async afterCreate(event, { db }) {
    if (event.entityType !== 'Contact' || typeof event.row.accountId !== 'string') return;
    await relateStored(db, getEntity('Contact'), accountsLink(), event.id, event.row.accountId);
  },
  async afterUpdate(event, { db }) {
    const change = event.changes.attributes.accountId;
    if (event.entityType !== 'Contact' || !change) return;
    const contact = getEntity('Contact');
    if (typeof change.became === 'string') {
      await relateStored(db, contact, accountsLink(), event.id, change.became);
    } else if (typeof change.was === 'string') {
      await unrelateStored(db, contact, accountsLink(), event.id, change.was);
    }
  },
};
