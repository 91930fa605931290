import { beforeAll, describe, expect, it } from 'vitest';
import { formatDateTime } from '../../src/server/core/time.js';
import { getEntity } from '../../src/server/metadata/index.js';
import { createContext, systemActor, type RequestContext } from '../../src/server/read/context.js';
import type { ChangeSet, RecordHooks } from '../../src/server/records/hooks.js';
import { readAttributes, RecordService } from '../../src/server/records/record-service.js';
import { describeEngines, useTestDatabase } from '../support/database.js';
import { contextWithLevel, createFixtures, rejection, type Fixtures } from '../support/fixtures.js';

const NOW = new Date('2026-03-15T10:30:00Z');

describeEngines('records', (engine) => {
  const t = useTestDatabase(engine);
  let service: RecordService;
  let fx: Fixtures;
  let admin: RequestContext;
  const events: { type: string; entityType: string; id: string; changes?: ChangeSet }[] = [];

  beforeAll(async () => {
    const hooks: RecordHooks = {
      afterCreate: async (event) => void events.push({ type: 'create', entityType: event.entityType, id: event.id }),
      afterUpdate: async (event) => void events.push({ type: 'update', entityType: event.entityType, id: event.id, changes: event.changes }),
      afterDelete: async (event) => void events.push({ type: 'delete', entityType: event.entityType, id: event.id }),
    };
    service = new RecordService(t.db, { hooks, clock: () => NOW });
    fx = await createFixtures(t.db);
    admin = createContext(fx.admin);
  });

  const countRows = async (table: 'account' | 'email_address' | 'entity_email_address' | 'phone_number' | 'entity_team') =>
    Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  describe('create', () => {
    it('stores the record with system values, dropping id, read-only and unknown input; reads it whole', async () => {
      const created = await service.create(
        'Account',
        { id: 'chosen-id', name: '  Create Shape  ', createdAt: '2000-01-01 00:00:00', isLocked: true, versionNumber: 9, bogus: 1, deleted: true, website: ' ', description: '' },
        admin,
      );
      // The create answer is EspoCRM's value map of the new entity: sent (website, description), defaulted
      // and loaded attributes only; a read has every attribute.
      expect(created).toMatchObject({ website: null, description: null, emailAddressIsOptedOut: false, contactIsInactive: false, targetListIsOptedOut: false });
      for (const absent of ['emailAddress', 'type', 'modifiedById', 'originalLeadId', 'bogus', 'contactRole']) expect(created, absent).not.toHaveProperty(absent);
      const record = await service.read('Account', String(created.id), admin);
      expect(Object.keys(record)).toEqual(readAttributes(getEntity('Account')));
      expect(record.id).toMatch(/^[0-9a-f]{17}$/);
      expect(record).toMatchObject({
        name: 'Create Shape',
        website: null,
        description: null,
        isLocked: false,
        deleted: false,
        versionNumber: 1,
        createdAt: formatDateTime(NOW),
        modifiedAt: formatDateTime(NOW),
        createdById: fx.admin.id,
        createdByName: 'Ada Admin',
        modifiedById: null,
        emailAddress: null,
        emailAddressIsOptedOut: null,
        emailAddressIsInvalid: null,
        emailAddressData: [],
        phoneNumberIsOptedOut: null,
        phoneNumberData: [],
        teamsIds: [],
        teamsNames: {},
        isFollowed: false,
        followersIds: [],
        followersNames: {},
        isStarred: false,
        originalLeadId: null,
      });
      expect(record).not.toHaveProperty('bogus');
      expect(record).not.toHaveProperty('contactRole');
      expect(record).not.toHaveProperty('targetListsIds');
      for (const [name, value] of Object.entries(created)) {
        if (name in record) expect(record[name] === null && value === false ? false : record[name], name).toEqual(value);
      }
    });

    it('stores several email addresses and phone numbers, primary first, shared by lower-case address', async () => {
      const first = await service.create(
        'Account',
        {
          name: 'Mail One',
          emailAddressData: [
            { emailAddress: 'sales@mail-one.com', primary: false },
            { emailAddress: 'Info@Mail-One.com', primary: true, optOut: true },
          ],
          phoneNumberData: [
            { phoneNumber: '+1 555 0101', type: 'Mobile' },
            { phoneNumber: '+1 555 0102', type: 'Fax', primary: true, invalid: true },
          ],
        },
        admin,
      );
      expect(first).toMatchObject({
        emailAddress: 'Info@Mail-One.com',
        emailAddressIsOptedOut: true,
        emailAddressIsInvalid: false,
        emailAddressData: [
          { emailAddress: 'Info@Mail-One.com', lower: 'info@mail-one.com', primary: true, optOut: true, invalid: false },
          { emailAddress: 'sales@mail-one.com', lower: 'sales@mail-one.com', primary: false, optOut: false, invalid: false },
        ],
        phoneNumber: '+1 555 0102',
        phoneNumberIsInvalid: true,
        phoneNumberData: [
          { phoneNumber: '+1 555 0102', type: 'Fax', primary: true, optOut: false, invalid: true },
          { phoneNumber: '+1 555 0101', type: 'Mobile', primary: false, optOut: false, invalid: false },
        ],
      });
      const addresses = await countRows('email_address');
      const second = await service.create('Account', { name: 'Mail Two', emailAddress: 'INFO@mail-one.com' }, { ...admin, skipDuplicateCheck: true });
      expect(await countRows('email_address')).toBe(addresses); // the address row is shared
      // Flags live on the shared address row. (EspoCRM would reset them here, as the create sends none: docs/deviations.md.)
      expect(second).toMatchObject({ emailAddress: 'Info@Mail-One.com', emailAddressIsOptedOut: true });
    });

    it('uses the phone field default type for the primary shortcut', async () => {
      const record = await service.create('Account', { name: 'Phone Default', phoneNumber: '+49 30 1234' }, admin);
      expect(record.phoneNumberData).toEqual([{ phoneNumber: '+49 30 1234', type: 'Office', primary: true, optOut: false, invalid: false }]);
    });

    it('links teams and names the linked users', async () => {
      const record = await service.create('Account', { name: 'Teamed', teamsIds: [fx.teamA, fx.teamB], assignedUserId: fx.alice.id }, admin);
      expect(record).toMatchObject({ teamsIds: [fx.teamA, fx.teamB], teamsNames: { [fx.teamA]: 'Team A', [fx.teamB]: 'Team B' }, assignedUserName: 'Alice Smith' });
    });

    it('refuses non-existent referenced records with 403 cannotRelateNonExisting and writes nothing', async () => {
      const before = await countRows('account');
      for (const [input, link, foreignEntityType] of [
        [{ assignedUserId: 'nouser' }, 'assignedUser', 'User'],
        [{ campaignId: 'nocampaign' }, 'campaign', 'Campaign'],
        [{ teamsIds: [fx.teamA, 'noteam'] }, 'teams', 'Team'],
      ] as const) {
        const error = await rejection(service.create('Account', { name: `Ref ${link}`, ...input }, admin));
        expect(error).toEqual({
          status: 403,
          reason: `Can't relate with non-existing record. entity type: Account, link: ${link}.`,
          body: { messageTranslation: { label: 'cannotRelateNonExisting', scope: null, data: { foreignEntityType } } },
        });
      }
      expect(await countRows('account')).toBe(before);
    });

    it('applies entity defaults through the same generic path', async () => {
      const opportunity = await service.create('Opportunity', { name: 'Deal', amount: 100, closeDate: '2026-06-30' }, admin);
      expect(opportunity).toMatchObject({ stage: 'Prospecting', amount: 100, closeDate: '2026-06-30', versionNumber: 1 });
      const caseRecord = await service.create('Case', { name: 'Broken' }, admin);
      expect(caseRecord).toMatchObject({ status: 'New', priority: 'Normal', isInternal: false });
      // An autoincrement the insert does not read back: absent from the create answer, set on read.
      expect(caseRecord).not.toHaveProperty('number');
      expect(typeof (await service.read('Case', String(caseRecord.id), admin)).number).toBe('number');
      const call = await service.create('Call', { name: 'Ring', dateStart: '2026-03-16 09:00', dateEnd: '2026-03-16 09:15:00', assignedUserId: fx.bob.id }, admin);
      expect(call).toMatchObject({ status: 'Planned', direction: 'Outbound', dateStart: '2026-03-16 09:00:00', assignedUserName: 'Bob Jones' });
      expect(await rejection(service.create('Task', { name: 'Do' }, admin))).toMatchObject({ reason: 'Field validation failure; entityType: Task, field: assignedUser, type: required.' });
      const contact = await service.create('Contact', { firstName: 'Jane', lastName: 'Doe', emailAddress: 'jane@doe.com' }, admin);
      expect(contact).toMatchObject({ name: 'Jane Doe', firstName: 'Jane', lastName: 'Doe', emailAddress: 'jane@doe.com', doNotCall: false });
    });

    it('resolves linkParent names and accepts only listed parent types', async () => {
      const account = await service.create('Account', { name: 'Parent Co' }, admin);
      const task = await service.create('Task', { name: 'Follow up', assignedUserId: fx.bob.id, parentType: 'Account', parentId: account.id }, admin);
      expect(task).toMatchObject({ status: 'Not Started', priority: 'Normal', parentType: 'Account', parentId: account.id, parentName: 'Parent Co' });
      const error = await rejection(service.create('Task', { name: 'Bad parent', assignedUserId: fx.bob.id, parentType: 'Team', parentId: fx.teamA }, admin));
      expect(error.body).toEqual({ messageTranslation: { label: 'validationFailure', scope: null, data: { field: 'parent', type: 'valid' } } });
    });

    it('requires fields the API requires (Document publishDate: its default is client-side only)', async () => {
      const error = await rejection(service.create('Document', { name: 'Contract' }, admin));
      expect(error.reason).toBe('Field validation failure; entityType: Document, field: publishDate, type: required.');
    });

    it('refuses a JSON scalar body and treats an array body as empty', async () => {
      expect(await rejection(service.create('Account', 5, admin))).toMatchObject({ status: 400, reason: 'Body is not a JSON object.' });
      expect(await rejection(service.create('Account', [{ name: 'x' }], admin))).toMatchObject({ status: 400, reason: 'Field validation failure; entityType: Account, field: name, type: required.' });
    });

    it('404s for unknown entity types', async () => {
      expect(await rejection(service.create('Bogus', {}, admin))).toEqual({ status: 404, reason: "Controller 'Bogus' does not exist.", body: undefined });
    });

    it('reports creation to hooks', async () => {
      const record = await service.create('Account', { name: 'Hooked' }, admin);
      expect(events).toContainEqual({ type: 'create', entityType: 'Account', id: record.id });
    });
  });

  describe('read', () => {
    it('404s with EspoCRM reason', async () => {
      expect(await rejection(service.read('Account', 'nothere', admin))).toEqual({ status: 404, reason: 'Record nothere does not exist.', body: undefined });
    });

    it('shows followers and stars from the subscription tables', async () => {
      const record = await service.create('Account', { name: 'Followed' }, admin);
      const id = String(record.id);
      await t.db.insertInto('stream_subscription').values([{ entityId: id, entityType: 'Account', userId: fx.alice.id }, { entityId: id, entityType: 'Account', userId: fx.admin.id }]).execute();
      await t.db.insertInto('star_subscription').values({ entityId: id, entityType: 'Account', userId: fx.admin.id, createdAt: null }).execute();
      expect(await service.read('Account', id, admin)).toMatchObject({
        isFollowed: true,
        isStarred: true,
        followersIds: [fx.admin.id, fx.alice.id],
        followersNames: { [fx.admin.id]: 'Ada Admin', [fx.alice.id]: 'Alice Smith' },
      });
      expect(await service.read('Account', id, createContext(fx.bob))).toMatchObject({ isFollowed: false, isStarred: false });
    });
  });

  describe('update', () => {
    it('changes only sent attributes, bumps versionNumber and modifiedAt, and reports audited changes', async () => {
      const created = await service.create('Account', { name: 'Before', type: 'Customer', website: 'before.com', assignedUserId: fx.alice.id }, admin);
      const id = String(created.id);
      const later = new Date(NOW.getTime() + 60_000);
      const updater = new RecordService(t.db, { clock: () => later, hooks: { afterUpdate: async (event) => void events.push({ type: 'update', entityType: event.entityType, id: event.id, changes: event.changes }) } });
      const updated = await updater.update('Account', id, { name: 'After', type: 'Partner', assignedUserId: fx.bob.id }, createContext(fx.alice));
      expect(updated).toMatchObject({ name: 'After', type: 'Partner', website: 'before.com', versionNumber: 2, modifiedAt: formatDateTime(later), modifiedById: fx.alice.id, modifiedByName: 'Alice Smith', createdAt: created.createdAt });
      const event = events.findLast((item) => item.type === 'update' && item.id === id)!;
      expect(event.changes!.audited).toEqual({ fields: ['name', 'type'], was: { name: 'Before', type: 'Customer' }, became: { name: 'After', type: 'Partner' } });
      expect(event.changes!.assignedUser).toEqual({ was: fx.alice.id, became: fx.bob.id });
      expect(Object.keys(event.changes!.attributes).sort()).toEqual(['assignedUserId', 'assignedUserName', 'modifiedById', 'modifiedByName', 'name', 'type']);
    });

    it('is a no-op for empty input but still 404s for a missing record', async () => {
      const { id } = await service.create('Account', { name: 'Untouched' }, admin);
      const before = await service.read('Account', String(id), admin);
      const same = await service.update('Account', String(id), {}, admin);
      expect(same).toEqual(before);
      expect(await service.update('Account', String(id), { bogus: 1, createdAt: 'x' }, admin)).toEqual(before);
      expect(await rejection(service.update('Account', 'missing', {}, admin))).toEqual({ status: 404, reason: 'Record missing not found.', body: undefined });
    });

    it('replaces the primary email with the shortcut and removes it with null', async () => {
      const created = await service.create('Account', { name: 'Primary Swap', emailAddressData: [{ emailAddress: 'a@swap.com' }, { emailAddress: 'b@swap.com' }] }, admin);
      const id = String(created.id);
      const swapped = await service.update('Account', id, { emailAddress: 'c@swap.com' }, admin);
      expect(swapped.emailAddressData).toEqual([
        { emailAddress: 'c@swap.com', lower: 'c@swap.com', primary: true, optOut: false, invalid: false },
        { emailAddress: 'b@swap.com', lower: 'b@swap.com', primary: false, optOut: false, invalid: false },
      ]);
      const flagged = await service.update('Account', id, { emailAddressIsOptedOut: '1' }, admin);
      expect(flagged).toMatchObject({ emailAddress: 'c@swap.com', emailAddressIsOptedOut: true });
      const removed = await service.update('Account', id, { emailAddress: null }, admin);
      expect(removed).toMatchObject({ emailAddress: 'b@swap.com', emailAddressData: [{ emailAddress: 'b@swap.com', primary: true }] });
      const cleared = await service.update('Account', id, { emailAddressData: [] }, admin);
      expect(cleared).toMatchObject({ emailAddress: null, emailAddressIsOptedOut: null, emailAddressData: [] });
    });

    // EspoCRM's email and phone savers (application/Espo/Core/FieldProcessing/EmailAddress/Saver.php,
    // PhoneNumber/Saver.php, 9.0 to 10.0) write `…IsOptedOut`/`…IsInvalid` to the primary address's shared row.
    it('writes the flags of the primary email address and phone number, on create and update', async () => {
      const other = await service.create('Account', { name: 'Flag Sharer', emailAddress: 'main@flags.com' }, admin);
      const created = await service.create(
        'Account',
        { name: 'Flags', emailAddress: 'main@flags.com', emailAddressIsOptedOut: true, phoneNumber: '+1 555 0140', phoneNumberIsInvalid: true },
        { ...admin, skipDuplicateCheck: true },
      );
      const id = String(created.id);
      expect(await service.read('Account', id, admin)).toMatchObject({
        emailAddressIsOptedOut: true,
        emailAddressIsInvalid: false,
        phoneNumberIsOptedOut: false,
        phoneNumberIsInvalid: true,
      });
      await service.update('Account', id, { emailAddressData: [{ emailAddress: 'main@flags.com', primary: true, optOut: true }, { emailAddress: 'second@flags.com' }] }, admin);

      // Only the primary address changes; `null` counts as false.
      const flagged = await service.update('Account', id, { emailAddressIsInvalid: true, emailAddressIsOptedOut: null, phoneNumberIsOptedOut: true, phoneNumberIsInvalid: false }, admin);
      expect(flagged).toMatchObject({ emailAddressIsOptedOut: false, emailAddressIsInvalid: true, phoneNumberIsOptedOut: true, phoneNumberIsInvalid: false });
      expect(flagged.emailAddressData).toEqual([
        { emailAddress: 'main@flags.com', lower: 'main@flags.com', primary: true, optOut: false, invalid: true },
        { emailAddress: 'second@flags.com', lower: 'second@flags.com', primary: false, optOut: false, invalid: false },
      ]);
      // The flags belong to the address, so the other record with it shows them too.
      expect(await service.read('Account', String(other.id), admin)).toMatchObject({ emailAddress: 'main@flags.com', emailAddressIsOptedOut: false, emailAddressIsInvalid: true });

      // Without an address there is nothing to flag: the flags stay null and no address row is written.
      const bare = await service.create('Account', { name: 'No Address' }, admin);
      const rows = await countRows('email_address');
      const unflagged = await service.update('Account', String(bare.id), { emailAddressIsOptedOut: true, phoneNumberIsInvalid: true }, admin);
      expect(unflagged).toMatchObject({ emailAddress: null, emailAddressIsOptedOut: null, phoneNumber: null, phoneNumberIsInvalid: null });
      expect(await countRows('email_address')).toBe(rows);

      const contact = await service.create('Contact', { lastName: 'Flagged', emailAddress: 'contact@flags.com', emailAddressIsOptedOut: true }, admin);
      expect(contact).toMatchObject({ emailAddressIsOptedOut: true, emailAddressIsInvalid: false });
      const unblocked = await service.update('Contact', String(contact.id), { emailAddressIsOptedOut: false, emailAddressIsInvalid: true }, admin);
      expect(unblocked).toMatchObject({ emailAddressIsOptedOut: false, emailAddressIsInvalid: true });
    });

    it('sets and clears teams', async () => {
      const created = await service.create('Account', { name: 'Team Switch', teamsIds: [fx.teamA] }, admin);
      const id = String(created.id);
      expect(await service.update('Account', id, { teamsIds: [fx.teamB] }, admin)).toMatchObject({ teamsIds: [fx.teamB] });
      expect(await service.update('Account', id, { teamsIds: [] }, admin)).toMatchObject({ teamsIds: [], teamsNames: {} });
      expect(await service.update('Account', id, { teamsIds: [fx.teamA] }, admin)).toMatchObject({ teamsIds: [fx.teamA] });
    });

    it('writes nothing when validation fails', async () => {
      const id = String((await service.create('Account', { name: 'Atomic', emailAddress: 'keep@atomic.com' }, admin)).id);
      const created = await service.read('Account', id, admin);
      const error = await rejection(service.update('Account', id, { website: 'nodot', emailAddress: 'new@atomic.com', teamsIds: [fx.teamA] }, admin));
      expect(error.status).toBe(400);
      expect(await service.read('Account', id, admin)).toEqual(created);
    });

    it('rolls back everything a failing hook would leave behind', async () => {
      const failing = new RecordService(t.db, { clock: () => NOW, hooks: { afterCreate: async () => Promise.reject(new Error('hook failed')), afterUpdate: async () => Promise.reject(new Error('hook failed')) } });
      const accounts = await countRows('account');
      const links = await countRows('entity_email_address');
      await expect(failing.create('Account', { name: 'Rolled Back', emailAddress: 'rolled@back.com', teamsIds: [fx.teamA] }, admin)).rejects.toThrow('hook failed');
      expect(await countRows('account')).toBe(accounts);
      expect(await countRows('entity_email_address')).toBe(links);
      const created = await service.read('Account', String((await service.create('Account', { name: 'Update Rollback' }, admin)).id), admin);
      await expect(failing.update('Account', String(created.id), { name: 'Changed' }, admin)).rejects.toThrow('hook failed');
      expect(await service.read('Account', String(created.id), admin)).toEqual(created);
    });
  });

  describe('delete', () => {
    it('soft-deletes; a second delete 404s; admins can still read it', async () => {
      const created = await service.create('Account', { name: 'Doomed' }, admin);
      const id = String(created.id);
      expect(await service.delete('Account', id, admin)).toBe(true);
      expect(await rejection(service.delete('Account', id, admin))).toEqual({ status: 404, reason: `Record ${id} not found.`, body: undefined });
      expect(await service.read('Account', id, admin)).toMatchObject({ id, deleted: true });
      expect(await rejection(service.read('Account', id, createContext(fx.alice)))).toMatchObject({ status: 404 });
      expect(await rejection(service.update('Account', id, { name: 'Zombie' }, admin))).toMatchObject({ status: 404 });
      const row = await t.db.selectFrom('account').select('deleted').where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.deleted).toBe(1);
      expect(events).toContainEqual({ type: 'delete', entityType: 'Account', id });
    });
  });

  describe('access control seam', () => {
    it('checks scope access first', async () => {
      const none = contextWithLevel(fx.alice, 'no');
      expect(await rejection(service.create('Account', { name: 'x' }, none))).toMatchObject({ status: 403, reason: 'No create access.' });
      expect(await rejection(service.read('Account', 'x', none))).toMatchObject({ status: 403, reason: 'No read access.' });
      expect(await rejection(service.update('Account', 'x', {}, none))).toMatchObject({ status: 403, reason: 'No edit access.' });
      expect(await rejection(service.delete('Account', 'x', none))).toMatchObject({ status: 403, reason: 'No delete access.' });
      expect(await rejection(service.find('Account', { ...(await import('../../src/server/search/search-params.js')).defaultSearchParams }, none))).toMatchObject({ status: 403, reason: 'No read access.' });
    });

    it('applies own and team levels to single records', async () => {
      const mine = await service.create('Account', { name: 'Alice Own', assignedUserId: fx.alice.id }, admin);
      const teams = await service.create('Account', { name: 'Team B Shared', assignedUserId: fx.admin.id, teamsIds: [fx.teamB] }, admin);
      const own = contextWithLevel(fx.alice, 'own');
      const team = contextWithLevel(fx.bob, 'team');
      expect(await service.read('Account', String(mine.id), own)).toMatchObject({ id: mine.id });
      expect(await rejection(service.read('Account', String(teams.id), own))).toEqual({ status: 403, reason: "No 'read' access.", body: undefined });
      expect(await service.read('Account', String(teams.id), team)).toMatchObject({ id: teams.id });
      expect(await rejection(service.update('Account', String(mine.id), { name: 'Hijack' }, team))).toMatchObject({ status: 403, reason: 'No edit access.' });
      expect(await rejection(service.delete('Account', String(mine.id), team))).toMatchObject({ status: 403, reason: 'No delete access.' });
    });

    it('refuses relating records the user cannot read', async () => {
      const teamOnly = contextWithLevel(fx.alice, (entityType) => (entityType === 'Campaign' ? 'own' : 'all'));
      const campaign = await service.create('Campaign', { name: 'Spring', assignedUserId: fx.bob.id }, admin);
      const error = await rejection(service.create('Account', { name: 'Needs Campaign', campaignId: campaign.id }, teamOnly));
      expect(error).toMatchObject({ status: 403, body: { messageTranslation: { label: 'cannotRelateForbidden', scope: null, data: { foreignEntityType: 'Campaign' } } } });
    });
  });

  it('works with the system actor context', async () => {
    const record = await service.create('Account', { name: 'System Made' }, createContext(systemActor));
    expect(record).toMatchObject({ createdById: 'system', createdByName: 'System' });
  });
});
