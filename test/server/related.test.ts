/**
 * The supporting operations on related records over real HTTP, on both engines: create (with the defaults
 * the contract promises), get and delete for every entity type, getUser without credentials, and the
 * links EspoCRM derives from an activity's parent and from a contact's primary account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDate } from '../../src/server/core/time.js';
import { insertUser } from '../../src/server/acl/user-rows.js';
import { createContext, systemActor } from '../../src/server/read/context.js';
import { describeEngines, type Engine } from '../support/database.js';
import { jsonApi, type JsonApi } from '../support/json-api.js';
import { startServer, type TestServer } from '../support/server.js';

const DATES = { dateStart: '2026-12-01 10:00:00', dateEnd: '2026-12-01 10:30:00' };

describeEngines('related records', (engine: Engine) => {
  let server: TestServer;
  let api: JsonApi;
  let admin: JsonApi;

  beforeAll(async () => {
    server = await startServer({ engine });
    api = jsonApi(server, 'api');
    admin = jsonApi(server, 'admin');
  });
  afterAll(async () => {
    await server?.close();
  });

  const account = async (name: string) => api.ok(api.post('/Account', { name }));

  describe('create, get and delete', () => {
    const minimal = (): Record<string, Record<string, unknown>> => ({
      Contact: { lastName: 'Minimal' },
      Opportunity: { name: 'Minimal', amount: 10, closeDate: '2027-01-31' },
      Case: { name: 'Minimal' },
      Call: { name: 'Minimal', ...DATES, assignedUserId: server.apiUserId },
      Meeting: { name: 'Minimal', ...DATES, assignedUserId: server.apiUserId },
      Task: { name: 'Minimal', assignedUserId: server.apiUserId },
      Document: { name: 'Minimal' },
      Email: { name: 'Minimal', from: 'a@acme.example', to: 'b@acme.example' },
      TargetList: { name: 'Minimal' },
      Team: { name: 'Minimal' },
    });

    it.for(['Contact', 'Opportunity', 'Case', 'Call', 'Meeting', 'Task', 'Document', 'Email', 'TargetList', 'Team'])(
      '%s: create returns the record, get reads it, delete removes it',
      async (entityType) => {
        // Teams are managed by admins only (EspoCRM: no create action for Team in roles).
        const client = entityType === 'Team' ? admin : api;
        const created = await client.ok(client.post(`/${entityType}`, minimal()[entityType]));
        expect(created.id).toMatch(/^[0-9a-f]{17}$/);
        expect(created.deleted).toBe(false);
        const read = await client.ok(client.get(`/${entityType}/${created.id}`));
        // The create response lists only what was set (EspoCRM's value map of the new entity): every value it
        // shares with a read is the same, except the boolean defaults (`false` where a read has `null` for the
        // email/phone flags); what a read lacks are relation columns, `false` by default.
        for (const [name, value] of Object.entries(created)) {
          if (name in read) expect(read[name] === null && value === false ? false : read[name], name).toEqual(value);
          else expect(value, name).toBe(false);
        }
        const unset = Object.keys(read).filter((name) => !(name in created));
        for (const name of unset) expect(read[name], name).not.toBe(undefined);
        expect(await client.ok(client.delete(`/${entityType}/${created.id}`))).toBe(true);
        const gone = await client.get(`/${entityType}/${created.id}`);
        if (client === admin) {
          // Admins still read soft-deleted records (EspoCRM getEntityEvenDeleted).
          expect(gone.body).toMatchObject({ id: created.id, deleted: true });
        } else {
          expect(gone.status).toBe(404);
          expect(gone.reason).toBe(`Record ${created.id} does not exist.`);
        }
        expect((await client.delete(`/${entityType}/${created.id}`)).status).toBe(404);
      },
    );

    it('fills in the defaults of the contract', async () => {
      const today = formatDate(new Date());
      expect(await api.ok(api.post('/Call', minimal().Call))).toMatchObject({ status: 'Planned', direction: 'Outbound' });
      expect(await api.ok(api.post('/Meeting', minimal().Meeting))).toMatchObject({ status: 'Planned' });
      expect(await api.ok(api.post('/Task', minimal().Task))).toMatchObject({ status: 'Not Started', priority: 'Normal' });
      expect(await api.ok(api.post('/Case', minimal().Case))).toMatchObject({ status: 'New', priority: 'Normal' });
      // The case number is an autoincrement the insert does not read back: absent on create, set on read.
      const kase = await api.ok(api.post('/Case', { name: 'Numbered' }));
      expect(kase).not.toHaveProperty('number');
      expect(await api.ok(api.get(`/Case/${kase.id}`))).toMatchObject({ number: expect.any(Number) });
      expect(await api.ok(api.post('/Opportunity', minimal().Opportunity))).toMatchObject({ stage: 'Prospecting', amountCurrency: 'USD' });
      expect(await api.ok(api.post('/Document', minimal().Document))).toMatchObject({ status: 'Active', publishDate: today });
      expect(await api.ok(api.post('/Email', minimal().Email))).toMatchObject({ status: 'Archived', isHtml: true });
      expect(await admin.ok(admin.post('/Team', minimal().Team))).toMatchObject({ positionList: [] });
      // Given values win over the defaults.
      expect(await api.ok(api.post('/Document', { name: 'Dated', publishDate: '2026-01-02' }))).toMatchObject({ publishDate: '2026-01-02' });
      expect(await api.ok(api.post('/Opportunity', { ...minimal().Opportunity, amountCurrency: 'EUR' }))).toMatchObject({ amountCurrency: 'EUR' });
    });

    it('takes an all-day meeting by its dates alone', async () => {
      const meeting = await api.ok(
        api.post('/Meeting', { name: 'Offsite', isAllDay: true, dateStartDate: '2026-12-01', dateEndDate: '2026-12-02', assignedUserId: server.apiUserId }),
      );
      expect(meeting).toMatchObject({ isAllDay: true, dateStartDate: '2026-12-01', dateEndDate: '2026-12-02' });
    });

    it('refuses activities without an assigned user and records without their required fields', async () => {
      const call = await api.post('/Call', { name: 'No one', ...DATES });
      expect(call.status).toBe(400);
      expect(call.body).toEqual({ messageTranslation: { label: 'validationFailure', scope: null, data: { field: 'assignedUserId', type: 'required' } } });
      expect((await api.post('/Opportunity', { name: 'No amount', closeDate: '2027-01-31' })).status).toBe(400);
      expect((await api.post('/Email', { name: 'No recipient', from: 'a@acme.example' })).status).toBe(400);
    });

    // Opportunity.leadSource is an enum with optionsReference Lead.source (Crm entityDefs Opportunity.json,
    // Lead.json), and EspoCRM's enum validator (Classes/FieldValidators/EnumType.php) takes '' and null as "not set".
    it('accepts the Lead source options for an opportunity, empty included, and refuses others', async () => {
      for (const leadSource of ['Web Site', '', null]) {
        expect(await api.ok(api.post('/Opportunity', { ...minimal().Opportunity, leadSource }))).toHaveProperty('id');
      }
      const radio = await api.post('/Opportunity', { ...minimal().Opportunity, leadSource: 'Radio' });
      expect(radio.status).toBe(400);
      expect(radio.body).toEqual({ messageTranslation: { label: 'validationFailure', scope: null, data: { field: 'leadSource', type: 'valid' } } });
    });

    // EspoCRM's Team.json does not make `name` required (only maxLength 100 and $noBadCharacters).
    it('creates a team without a name, but not one with a bad character in it', async () => {
      const nameless = await admin.ok(admin.post('/Team', {}));
      expect(await admin.ok(admin.get(`/Team/${nameless.id}`))).toMatchObject({ id: nameless.id, name: null });
      const bad = await admin.post('/Team', { name: 'a <b>' });
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ messageTranslation: { label: 'validationFailure', scope: null, data: { field: 'name', type: 'pattern' } } });
    });

    it('answers 403 cannotRelateNonExisting for a reference to a missing record', async () => {
      const answer = await api.post('/Contact', { lastName: 'Orphan', accountId: 'missing00000000001' });
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ messageTranslation: { label: 'cannotRelateNonExisting' } });
    });
  });

  describe('getUser', () => {
    it('returns users without passwords, API keys or secrets', async () => {
      for (const id of [server.apiUserId, server.adminId]) {
        const user = await api.ok(api.get(`/User/${id}`));
        expect(user.id).toBe(id);
        expect(Object.keys(user)).not.toEqual(expect.arrayContaining(['apiKey']));
        for (const secret of ['apiKey', 'secretKey', 'passwordHash']) expect(user).not.toHaveProperty(secret);
        expect(JSON.stringify(user)).not.toContain(server.apiKey);
      }
      expect(await api.ok(api.get(`/User/${server.apiUserId}`))).toMatchObject({ userName: 'api', type: 'api', isActive: true });
    });

    it('answers 404 for an unknown user', async () => {
      expect((await api.get('/User/missing00000000001')).status).toBe(404);
    });

    it('leaves credentials out of related user lists too', async () => {
      const acc = await account('Portal customer');
      const portalId = await insertUser(server.app.database.db, { userName: `portal-${acc.id}`, lastName: 'Portal', type: 'portal', apiKey: 'portal-secret-key' });
      await admin.ok(admin.post(`/Account/${acc.id}/portalUsers`, { id: portalId }));
      const { list } = await admin.ok(admin.get(`/Account/${acc.id}/portalUsers`));
      expect(list.map((user: { id: string }) => user.id)).toEqual([portalId]);
      expect(JSON.stringify(list)).not.toContain('portal-secret-key');
    });
  });

  describe('links derived from the parent of an activity', () => {
    it('gives calls, meetings, tasks and emails the account of their Account parent', async () => {
      const acc = await account('Parent account');
      const parent = { parentType: 'Account', parentId: acc.id };
      const bodies: Record<string, Record<string, unknown>> = {
        Call: { name: 'Call', ...DATES, assignedUserId: server.apiUserId, ...parent },
        Meeting: { name: 'Meeting', ...DATES, assignedUserId: server.apiUserId, ...parent },
        Task: { name: 'Task', assignedUserId: server.apiUserId, ...parent },
        Email: { name: 'Email', from: 'a@acme.example', to: 'b@acme.example', ...parent },
      };
      for (const [entityType, body] of Object.entries(bodies)) {
        const created = await api.ok(api.post(`/${entityType}`, body));
        expect(created, entityType).toMatchObject({ parentId: acc.id, parentType: 'Account', parentName: 'Parent account', accountId: acc.id, accountName: 'Parent account' });
        expect(await api.ok(api.get(`/${entityType}/${created.id}`))).toMatchObject({ accountId: acc.id });
      }
    });

    it('passes on the account (and, for tasks, the contact) of a Contact, Opportunity or Case parent', async () => {
      const acc = await account('Grandparent account');
      const contact = await api.ok(api.post('/Contact', { lastName: 'Parent', accountId: acc.id }));
      const opportunity = await api.ok(api.post('/Opportunity', { name: 'Deal', amount: 5, closeDate: '2027-01-31', accountId: acc.id, contactId: contact.id }));
      const task = await api.ok(api.post('/Task', { name: 'Follow up', assignedUserId: server.apiUserId, parentType: 'Contact', parentId: contact.id }));
      expect(task).toMatchObject({ accountId: acc.id, contactId: contact.id, contactName: 'Parent' });
      const call = await api.ok(api.post('/Call', { name: 'Pitch', ...DATES, assignedUserId: server.apiUserId, parentType: 'Opportunity', parentId: opportunity.id }));
      expect(call).toMatchObject({ accountId: acc.id });
      const oppTask = await api.ok(api.post('/Task', { name: 'Quote', assignedUserId: server.apiUserId, parentType: 'Opportunity', parentId: opportunity.id }));
      expect(oppTask).toMatchObject({ accountId: acc.id, contactId: contact.id });
    });

    it('follows a change of parent and clears the account when the parent goes', async () => {
      const first = await account('First parent');
      const second = await account('Second parent');
      const call = await api.ok(api.post('/Call', { name: 'Moving', ...DATES, assignedUserId: server.apiUserId, parentType: 'Account', parentId: first.id }));
      // The contract has no update for calls: update through the record service, as the UI would.
      const records = server.app.services.records;
      const ctx = createContext(systemActor);
      expect(await records.update('Call', call.id, { parentId: second.id }, ctx)).toMatchObject({ parentId: second.id, accountId: second.id, accountName: 'Second parent' });
      const primary = await api.ok(api.get(`/Account/${second.id}/callsPrimary`));
      expect(primary.list.map((item: { id: string }) => item.id)).toEqual([call.id]);
      expect((await api.ok(api.get(`/Account/${first.id}/callsPrimary`))).total).toBe(0);
      expect(await records.update('Call', call.id, { parentId: null, parentType: null }, ctx)).toMatchObject({ parentId: null, accountId: null });
    });

    it('ignores accountId sent for an activity (read-only, derived)', async () => {
      const acc = await account('Not mine');
      const call = await api.ok(api.post('/Call', { name: 'Sneaky', ...DATES, assignedUserId: server.apiUserId, accountId: acc.id }));
      expect(call).not.toHaveProperty('accountId'); // dropped from the input, so never set
      expect((await api.ok(api.get(`/Call/${call.id}`))).accountId).toBeNull();
    });
  });

  describe('a contact and its primary account', () => {
    it('lists a contact created with an account among the account contacts', async () => {
      const acc = await account('Employer');
      const contact = await api.ok(api.post('/Contact', { lastName: 'Employee', accountId: acc.id }));
      expect(contact).toMatchObject({ accountId: acc.id, accountName: 'Employer' });
      const { list } = await api.ok(api.get(`/Account/${acc.id}/contacts?select=name,accountRole`));
      expect(list).toEqual([expect.objectContaining({ id: contact.id, name: 'Employee', accountRole: null, accountIsInactive: false })]);
    });
  });
});
