/**
 * The Account link endpoints over real HTTP, on both engines: every link lists, relates, re-relates and
 * unrelates; where each link stores the relation; moving children between accounts; `linkOnlyNotLinked`;
 * the contact's primary account; relation columns; request bodies; 404s; and that a refused request writes
 * nothing. A domain-level part checks the access-control seam (ctx.acl) of relate and unrelate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTeam, insertUser } from '../../src/server/acl/user-rows.js';
import { LinkService } from '../../src/server/links/link-service.js';
import { createContext } from '../../src/server/read/context.js';
import { RecordService } from '../../src/server/records/record-service.js';
import { ACCOUNT_LINKS, type AccountLink } from '../../src/server/routes/links.js';
import { describeEngines, useTestDatabase, type Engine } from '../support/database.js';
import { contextWithLevel, createFixtures, rejection, type Fixtures } from '../support/fixtures.js';
import { jsonApi, type JsonApi } from '../support/json-api.js';
import { startServer, type TestServer } from '../support/server.js';

const DATES = { dateStart: '2026-12-01 10:00:00', dateEnd: '2026-12-01 10:30:00' };

/** Entity type of each link's records. */
const FOREIGN: Record<AccountLink, string> = {
  calls: 'Call', callsPrimary: 'Call', cases: 'Case', contacts: 'Contact', contactsPrimary: 'Contact', documents: 'Document',
  emails: 'Email', emailsPrimary: 'Email', meetings: 'Meeting', meetingsPrimary: 'Meeting', opportunities: 'Opportunity',
  portalUsers: 'User', targetLists: 'TargetList', tasks: 'Task', tasksPrimary: 'Task', teams: 'Team',
};

/** Links kept in the related record: one account per record, so relating moves it. */
const ONE_TO_MANY: readonly AccountLink[] = ['calls', 'callsPrimary', 'cases', 'contactsPrimary', 'emails', 'emailsPrimary', 'meetings', 'meetingsPrimary', 'tasks', 'tasksPrimary'];

/**
 * What the related record shows after relating it to `accountId` (and, after unrelating, `null` instead).
 * Relating through a hasChildren link is a direct update of the parent: the activity's `accountId` (derived
 * from its parent on save) keeps its value, `null` for the records these tests create.
 */
function storedOn(link: AccountLink, accountId: string | null): Record<string, unknown> | null {
  const parent = { parentId: accountId, parentType: accountId && 'Account', accountId: null };
  switch (link) {
    case 'calls':
    case 'meetings':
    case 'tasks':
    case 'emails':
      return parent;
    case 'callsPrimary':
    case 'meetingsPrimary':
    case 'tasksPrimary':
    case 'emailsPrimary':
      return { parentId: null, accountId };
    case 'cases':
    case 'contactsPrimary':
    case 'opportunities':
      return { accountId };
    default:
      return null;
  }
}

describeEngines('account links', (engine: Engine) => {
  let server: TestServer;
  let admin: JsonApi;
  let api: JsonApi;
  let sequence = 0;

  beforeAll(async () => {
    server = await startServer({ engine });
    admin = jsonApi(server, 'admin');
    api = jsonApi(server, 'api');
  });
  afterAll(async () => {
    await server?.close();
  });

  const unique = (prefix: string) => `${prefix} ${++sequence}`;
  const account = async () => (await admin.ok(admin.post('/Account', { name: unique('Account') }))).id as string;
  const ids = async (accountId: string, link: string, query = '') =>
    (await admin.ok(admin.get(`/Account/${accountId}/${link}${query}`))).list.map((record: { id: string }) => record.id);
  const count = async (table: 'account_contact' | 'account_document' | 'account_target_list' | 'account_portal_user' | 'entity_team' | 'note') =>
    Number((await server.app.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  /** Creates one record the link can relate. */
  async function relatable(link: AccountLink, extra: Record<string, unknown> = {}): Promise<string> {
    const name = unique(link);
    const body = (() => {
      switch (FOREIGN[link]) {
        case 'Contact':
          return { lastName: name };
        case 'Opportunity':
          return { name, amount: 1000, closeDate: '2026-12-31' };
        case 'Call':
        case 'Meeting':
          return { name, ...DATES, assignedUserId: server.adminId };
        case 'Task':
          return { name, assignedUserId: server.adminId };
        case 'Email':
          return { name, from: 'from@acme.example', to: 'to@acme.example' };
        default:
          return { name };
      }
    })();
    if (link === 'portalUsers') {
      return insertUser(server.app.database.db, { userName: name.replace(/\W/g, '-'), lastName: name, type: 'portal' });
    }
    return (await admin.ok(admin.post(`/${FOREIGN[link]}`, { ...body, ...extra }))).id as string;
  }

  describe('every link', () => {
    it.for(ACCOUNT_LINKS)('%s: lists, relates, re-relates and unrelates', async (link) => {
      const accountId = await account();
      expect(await admin.ok(admin.get(`/Account/${accountId}/${link}`))).toEqual({ total: 0, list: [] });
      const relatedId = await relatable(link);

      expect(await admin.ok(admin.post(`/Account/${accountId}/${link}`, { id: relatedId }))).toBe(true);
      const page = await admin.ok(admin.get(`/Account/${accountId}/${link}`));
      expect(page.total).toBe(1);
      expect(page.list).toEqual([expect.objectContaining({ id: relatedId })]);

      const again = await admin.post(`/Account/${accountId}/${link}`, { id: relatedId });
      if (link === 'opportunities') {
        // linkOnlyNotLinked: even the same account is refused (reference §16 item 8).
        expect(again.status).toBe(403);
        // Error\Body::encode casts the empty data to an object: `{}`, never null.
        expect(again.body).toEqual({ messageTranslation: { label: 'cannotLinkAlreadyLinked', scope: null, data: {} } });
      } else {
        expect(again.body).toBe(true);
      }
      expect(await ids(accountId, link)).toEqual([relatedId]);

      expect(await admin.ok(admin.delete(`/Account/${accountId}/${link}`, { id: relatedId }))).toBe(true);
      expect(await ids(accountId, link)).toEqual([]);
      // Unrelating what is not related is no error.
      expect(await admin.ok(admin.delete(`/Account/${accountId}/${link}`, { ids: [relatedId] }))).toBe(true);
    });

    it.for(ACCOUNT_LINKS.filter((link) => storedOn(link, null) !== null))('%s: stores the relation in the related record', async (link) => {
      const accountId = await account();
      const relatedId = await relatable(link);
      await admin.ok(admin.post(`/Account/${accountId}/${link}`, { id: relatedId }));
      expect(await admin.ok(admin.get(`/${FOREIGN[link]}/${relatedId}`))).toMatchObject(storedOn(link, accountId)!);
      await admin.ok(admin.delete(`/Account/${accountId}/${link}`, { id: relatedId }));
      expect(await admin.ok(admin.get(`/${FOREIGN[link]}/${relatedId}`))).toMatchObject(storedOn(link, null)!);
    });

    it.for(ONE_TO_MANY)('%s: relating moves the record from its previous account', async (link) => {
      const [first, second] = [await account(), await account()];
      const relatedId = await relatable(link);
      await admin.ok(admin.post(`/Account/${first}/${link}`, { id: relatedId }));
      await admin.ok(admin.post(`/Account/${second}/${link}`, { id: relatedId }));
      expect(await ids(first, link)).toEqual([]);
      expect(await ids(second, link)).toEqual([relatedId]);
      // Unrelating from the previous account leaves the record where it is now.
      await admin.ok(admin.delete(`/Account/${first}/${link}`, { id: relatedId }));
      expect(await ids(second, link)).toEqual([relatedId]);
    });

    it('keeps many-to-many relations to several accounts', async () => {
      const [first, second] = [await account(), await account()];
      const contactId = await relatable('contacts');
      await admin.ok(admin.post(`/Account/${first}/contacts`, { id: contactId }));
      await admin.ok(admin.post(`/Account/${second}/contacts`, { id: contactId }));
      expect(await ids(first, 'contacts')).toEqual([contactId]);
      expect(await ids(second, 'contacts')).toEqual([contactId]);
    });
  });

  describe('opportunities (linkOnlyNotLinked)', () => {
    it('relates only opportunities without an account', async () => {
      const [first, second] = [await account(), await account()];
      const opportunityId = await relatable('opportunities', { accountId: first });
      for (const target of [first, second]) {
        const answer = await admin.post(`/Account/${target}/opportunities`, { id: opportunityId });
        expect(answer.status).toBe(403);
        expect(answer.reason).toBe('Cannot link as the record is already linked (Account:opportunities).');
      }
      expect(await ids(second, 'opportunities')).toEqual([]);
      await admin.ok(admin.delete(`/Account/${first}/opportunities`, { id: opportunityId }));
      expect(await admin.ok(admin.post(`/Account/${second}/opportunities`, { id: opportunityId }))).toBe(true);
      expect(await admin.ok(admin.get(`/Opportunity/${opportunityId}`))).toMatchObject({ accountId: second });
    });

    it('takes an opportunity whose account was deleted', async () => {
      const [gone, target] = [await account(), await account()];
      const opportunityId = await relatable('opportunities', { accountId: gone });
      await admin.ok(admin.delete(`/Account/${gone}`));
      expect(await admin.ok(admin.post(`/Account/${target}/opportunities`, { id: opportunityId }))).toBe(true);
    });
  });

  describe('contacts and the primary account', () => {
    it('sets an empty accountId when relating and clears it when unrelating', async () => {
      const accountId = await account();
      const contactId = await relatable('contacts');
      await admin.ok(admin.post(`/Account/${accountId}/contacts`, { id: contactId }));
      expect(await admin.ok(admin.get(`/Contact/${contactId}`))).toMatchObject({ accountId });
      expect(await ids(accountId, 'contactsPrimary')).toEqual([contactId]);
      await admin.ok(admin.delete(`/Account/${accountId}/contacts`, { id: contactId }));
      expect(await admin.ok(admin.get(`/Contact/${contactId}`))).toMatchObject({ accountId: null });
    });

    it('keeps another primary account', async () => {
      const [primary, other] = [await account(), await account()];
      const contactId = await relatable('contacts', { accountId: primary });
      await admin.ok(admin.post(`/Account/${other}/contacts`, { id: contactId }));
      expect(await admin.ok(admin.get(`/Contact/${contactId}`))).toMatchObject({ accountId: primary });
      await admin.ok(admin.delete(`/Account/${other}/contacts`, { id: contactId }));
      expect(await admin.ok(admin.get(`/Contact/${contactId}`))).toMatchObject({ accountId: primary });
      expect(await ids(primary, 'contacts')).toEqual([contactId]);
    });

    it('relating through contactsPrimary only sets accountId', async () => {
      const accountId = await account();
      const contactId = await relatable('contactsPrimary');
      await admin.ok(admin.post(`/Account/${accountId}/contactsPrimary`, { id: contactId }));
      expect(await ids(accountId, 'contacts')).toEqual([]);
    });
  });

  describe('relation columns', () => {
    it('lists contacts with accountRole and accountIsInactive', async () => {
      const accountId = await account();
      const [ceo, intern] = [await relatable('contacts', { firstName: 'Cleo' }), await relatable('contacts')];
      await admin.ok(admin.post(`/Account/${accountId}/contacts`, { ids: [ceo, intern] }));
      await server.app.database.db.updateTable('account_contact').set({ role: 'CEO', isInactive: 1 }).where('contactId', '=', ceo).execute();

      const full = await admin.ok(admin.get(`/Account/${accountId}/contacts?orderBy=lastName&order=desc`));
      expect(full.list).toEqual([
        expect.objectContaining({ id: intern, accountRole: null, accountIsInactive: false, lastName: expect.any(String) }),
        expect.objectContaining({ id: ceo, firstName: 'Cleo', accountRole: 'CEO', accountIsInactive: true }),
      ]);

      // With select: the mandatory accountIsInactive, accountRole only when selected (reference §16 item 7).
      const named = await admin.ok(admin.get(`/Account/${accountId}/contacts?select=name&where[0][type]=equals&where[0][attribute]=id&where[0][value]=${ceo}`));
      expect(named.list).toEqual([expect.objectContaining({ id: ceo, name: expect.stringContaining('Cleo'), accountIsInactive: true })]);
      expect(named.list[0]).not.toHaveProperty('accountRole');
      expect(named.list[0]).not.toHaveProperty('description');
      const withRole = await admin.ok(admin.get(`/Account/${accountId}/contacts?select=name,accountRole&where[0][type]=equals&where[0][attribute]=id&where[0][value]=${ceo}`));
      expect(withRole.list[0]).toMatchObject({ accountRole: 'CEO', accountIsInactive: true });

      // Re-relating keeps the columns.
      await admin.ok(admin.post(`/Account/${accountId}/contacts`, { id: ceo }));
      expect((await admin.ok(admin.get(`/Account/${accountId}/contacts?select=accountRole&where[0][type]=equals&where[0][attribute]=id&where[0][value]=${ceo}`))).list[0]).toMatchObject({ accountRole: 'CEO' });
    });

    it('lists target lists with isOptedOut', async () => {
      const accountId = await account();
      const [optedOut, subscribed] = [await relatable('targetLists'), await relatable('targetLists')];
      await admin.ok(admin.post(`/Account/${accountId}/targetLists`, { ids: [optedOut, subscribed] }));
      await server.app.database.db.updateTable('account_target_list').set({ optedOut: 1 }).where('targetListId', '=', optedOut).execute();
      const byId = Object.fromEntries((await admin.ok(admin.get(`/Account/${accountId}/targetLists?select=name`))).list.map((list: { id: string; isOptedOut: boolean }) => [list.id, list.isOptedOut]));
      expect(byId).toEqual({ [optedOut]: true, [subscribed]: false });
    });
  });

  describe('teams', () => {
    it('are the account teamsIds and teamsNames', async () => {
      const accountId = await account();
      const team = await admin.ok(admin.post('/Team', { name: unique('Team') }));
      await admin.ok(admin.post(`/Account/${accountId}/teams`, { id: team.id }));
      expect(await admin.ok(admin.get(`/Account/${accountId}`))).toMatchObject({ teamsIds: [team.id], teamsNames: { [team.id]: team.name } });
      await admin.ok(admin.delete(`/Account/${accountId}/teams`, { id: team.id }));
      expect(await admin.ok(admin.get(`/Account/${accountId}`))).toMatchObject({ teamsIds: [], teamsNames: {} });
      await admin.ok(admin.put(`/Account/${accountId}`, { teamsIds: [team.id] }));
      expect(await ids(accountId, 'teams')).toEqual([team.id]);
    });

    it('lists teams made outside the API (seeding, the CLI) as valid records', async () => {
      const accountId = await account();
      const teamId = await insertTeam(server.app.database.db, unique('Seeded team'));
      await admin.ok(admin.post(`/Account/${accountId}/teams`, { id: teamId }));
      expect((await admin.ok(admin.get(`/Account/${accountId}/teams`))).list).toEqual([expect.objectContaining({ id: teamId, positionList: [] })]);
    });
  });

  describe('request bodies', () => {
    it('merges id and ids', async () => {
      const accountId = await account();
      const [a, b, c] = [await relatable('cases'), await relatable('cases'), await relatable('cases')];
      expect(await admin.ok(admin.post(`/Account/${accountId}/cases`, { id: a, ids: [b, c] }))).toBe(true);
      expect((await ids(accountId, 'cases')).sort()).toEqual([a, b, c].sort());
      expect(await admin.ok(admin.delete(`/Account/${accountId}/cases`, { id: b, ids: [c] }))).toBe(true);
      expect(await ids(accountId, 'cases')).toEqual([a]);
    });

    it('answers false when no record is named, also for an unknown account', async () => {
      const accountId = await account();
      expect(await admin.ok(admin.post(`/Account/${accountId}/contacts`, {}))).toBe(false);
      expect(await admin.ok(admin.post(`/Account/${accountId}/contacts`, { ids: [] }))).toBe(false);
      expect(await admin.ok(admin.post(`/Account/${accountId}/contacts`))).toBe(false);
      expect(await admin.ok(admin.delete(`/Account/${accountId}/contacts`))).toBe(false);
      expect(await admin.ok(admin.post('/Account/missing00000000001/contacts', {}))).toBe(false);
    });

    it('refuses massRelate: no Account link allows mass linking', async () => {
      const accountId = await account();
      const answer = await admin.post(`/Account/${accountId}/contacts`, { massRelate: true, where: [{ type: 'isNotNull', attribute: 'id' }] });
      expect(answer.status).toBe(403);
      expect(answer.reason).toBe('Mass link is not allowed.');
      expect(await ids(accountId, 'contacts')).toEqual([]);
    });

    it('ignores ids in the query string of DELETE', async () => {
      const accountId = await account();
      const caseId = await relatable('cases');
      await admin.ok(admin.post(`/Account/${accountId}/cases`, { id: caseId }));
      expect(await admin.ok(admin.delete(`/Account/${accountId}/cases?id=${caseId}`))).toBe(false);
      expect(await ids(accountId, 'cases')).toEqual([caseId]);
    });
  });

  describe('not found', () => {
    it('answers 404 with an empty reason for an unknown related record, and writes nothing', async () => {
      const accountId = await account();
      const [first, second] = [await relatable('documents'), await relatable('documents')];
      const before = await count('account_document');
      const answer = await admin.post(`/Account/${accountId}/documents`, { ids: [first, 'missing00000000001', second] });
      expect(answer.status).toBe(404);
      expect(answer.reason).toBe('');
      expect(await count('account_document')).toBe(before);
      expect(await ids(accountId, 'documents')).toEqual([]);

      await admin.ok(admin.post(`/Account/${accountId}/documents`, { ids: [first, second] }));
      const notes = await count('note');
      expect((await admin.delete(`/Account/${accountId}/documents`, { ids: [first, 'missing00000000001'] })).status).toBe(404);
      expect((await ids(accountId, 'documents')).sort()).toEqual([first, second].sort());
      expect(await count('note')).toBe(notes);
    });

    it('answers 404 for an unknown or deleted account', async () => {
      const caseId = await relatable('cases');
      for (const method of ['post', 'delete'] as const) {
        const answer = await admin[method]('/Account/missing00000000001/cases', { id: caseId });
        expect(answer.status).toBe(404);
        expect(answer.reason).toBe('');
      }
      expect((await admin.get('/Account/missing00000000001/cases')).status).toBe(404);
      const deleted = await account();
      await admin.ok(admin.delete(`/Account/${deleted}`));
      expect((await admin.get(`/Account/${deleted}/cases`)).status).toBe(404);
      expect((await admin.post(`/Account/${deleted}/cases`, { id: caseId })).status).toBe(404);
      expect(await admin.ok(admin.get(`/Case/${caseId}`))).toMatchObject({ accountId: null });
    });

    it('answers 404 for an unknown link, with EspoCRM reasons', async () => {
      const accountId = await account();
      const list = await admin.get(`/Account/${accountId}/bogusLink`);
      expect(list.status).toBe(404);
      expect(list.reason).toBe('Link does not exist.');
      const relate = await admin.post(`/Account/${accountId}/bogusLink`, { id: accountId });
      expect(relate.status).toBe(404);
      expect(relate.reason).toBe('Entity Account does not have link bogusLink.');
    });
  });

  describe('listing', () => {
    it('takes the list search parameters and always counts', async () => {
      const accountId = await account();
      const names = ['Alpha', 'Bravo', 'Charlie', 'Delta'];
      const caseIds: string[] = [];
      for (const name of names) caseIds.push(await relatable('cases', { name: `${name} ${accountId}` }));
      await admin.ok(admin.post(`/Account/${accountId}/cases`, { ids: caseIds }));
      await relatable('cases', { name: `Echo ${accountId}` }); // not related

      const page = await admin.ok(admin.get(`/Account/${accountId}/cases?orderBy=name&order=asc&maxSize=2&offset=1&select=name`, { 'X-No-Total': 'true' }));
      expect(page.total).toBe(4);
      expect(page.list.map((item: { name: string }) => item.name)).toEqual([`Bravo ${accountId}`, `Charlie ${accountId}`]);
      expect(Object.keys(page.list[0]).sort()).toEqual(['assignedUserId', 'createdById', 'id', 'name'].sort());

      const filtered = await admin.ok(admin.get(`/Account/${accountId}/cases?where[0][type]=startsWith&where[0][attribute]=name&where[0][value]=D&q=x`));
      expect(filtered).toMatchObject({ total: 0 });
      const searched = await admin.ok(admin.get(`/Account/${accountId}/cases?where[0][type]=startsWith&where[0][attribute]=name&where[0][value]=D`));
      expect(searched.total).toBe(1);
      expect(searched.list[0].name).toBe(`Delta ${accountId}`);
      expect((await admin.get(`/Account/${accountId}/cases?maxSize=201`)).status).toBe(403);
      expect((await admin.get(`/Account/${accountId}/cases?orderBy=bogus`)).status).toBe(400);
    });

    it('lists only records that are not deleted', async () => {
      const accountId = await account();
      const contactId = await relatable('contacts');
      await admin.ok(admin.post(`/Account/${accountId}/contacts`, { id: contactId }));
      await admin.ok(admin.delete(`/Contact/${contactId}`));
      expect(await admin.ok(admin.get(`/Account/${accountId}/contacts`))).toEqual({ total: 0, list: [] });
    });

    it('works for the API user too', async () => {
      const accountId = (await api.ok(api.post('/Account', { name: unique('API account') }))).id;
      const contact = await api.ok(api.post('/Contact', { lastName: unique('API contact') }));
      expect(await api.ok(api.post(`/Account/${accountId}/contacts`, { id: contact.id }))).toBe(true);
      expect((await api.ok(api.get(`/Account/${accountId}/contacts`))).total).toBe(1);
    });
  });
});

describeEngines('link service access control', (engine: Engine) => {
  const t = useTestDatabase(engine);
  let fx: Fixtures;
  let records: RecordService;
  let links: LinkService;

  beforeAll(async () => {
    fx = await createFixtures(t.db);
    records = new RecordService(t.db);
    links = new LinkService(t.db);
  });

  const middleRows = async () => Number((await t.db.selectFrom('account_contact').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('refuses without edit access to the account (noAccessToRecord) and writes nothing', async () => {
    const admin = createContext(fx.admin);
    const account = await records.create('Account', { name: 'Guarded' }, admin);
    const contact = await records.create('Contact', { lastName: 'Outsider' }, admin);
    const readOnly = contextWithLevel(fx.alice, (entityType, action) => (entityType === 'Account' && action === 'edit' ? 'no' : 'all'));
    const before = await middleRows();
    const refused = await rejection(links.relate('Account', String(account.id), 'contacts', [String(contact.id)], readOnly));
    expect(refused).toEqual({
      status: 403,
      reason: 'No record access for link operation (Account:contacts).',
      body: { messageTranslation: { label: 'noAccessToRecord', scope: null, data: { action: 'edit' } } },
    });
    expect(await middleRows()).toBe(before);
  });

  it('refuses a related record without edit access (noAccessToForeignRecord): none of the request is written', async () => {
    const admin = createContext(fx.admin);
    const account = await records.create('Account', { name: 'Open' }, admin);
    const mine = await records.create('Contact', { lastName: 'Mine', assignedUserId: fx.alice.id }, admin);
    const theirs = await records.create('Contact', { lastName: 'Theirs', assignedUserId: fx.bob.id }, admin);
    const ownContacts = contextWithLevel(fx.alice, (entityType, action) => (entityType === 'Contact' && action === 'edit' ? 'own' : 'all'));
    const before = await middleRows();
    const refused = await rejection(links.relate('Account', String(account.id), 'contacts', [String(mine.id), String(theirs.id)], ownContacts));
    expect(refused).toMatchObject({ status: 403, body: { messageTranslation: { label: 'noAccessToForeignRecord', data: { action: 'edit' } } } });
    expect(await middleRows()).toBe(before);
    expect(await t.db.selectFrom('contact').select('accountId').where('id', '=', String(mine.id)).executeTakeFirst()).toEqual({ accountId: null });
    // The allowed one alone goes through.
    expect(await links.relate('Account', String(account.id), 'contacts', [String(mine.id)], ownContacts)).toBe(true);
    expect(await middleRows()).toBe(before + 1);
  });

  it('lists only with read access to the account and the related entity type', async () => {
    const admin = createContext(fx.admin);
    const account = await records.create('Account', { name: 'Listed' }, admin);
    const params = (await import('../../src/server/search/search-params.js')).defaultSearchParams;
    const noContacts = contextWithLevel(fx.alice, (entityType) => (entityType === 'Contact' ? 'no' : 'all'));
    expect(await rejection(links.findLinked('Account', String(account.id), 'contacts', params, noContacts))).toMatchObject({ status: 403 });
    const noAccounts = contextWithLevel(fx.alice, (entityType) => (entityType === 'Account' ? 'no' : 'all'));
    expect(await rejection(links.findLinked('Account', String(account.id), 'contacts', params, noAccounts))).toMatchObject({ status: 403 });
    // Related records the user may not read are left out.
    const hidden = await records.create('Contact', { lastName: 'Hidden', assignedUserId: fx.bob.id }, admin);
    const shown = await records.create('Contact', { lastName: 'Shown', assignedUserId: fx.alice.id }, admin);
    await links.relate('Account', String(account.id), 'contacts', [String(hidden.id), String(shown.id)], admin);
    const ownContacts = contextWithLevel(fx.alice, (entityType) => (entityType === 'Contact' ? 'own' : 'all'));
    const page = await links.findLinked('Account', String(account.id), 'contacts', params, ownContacts);
    expect(page.list.map((record) => record.id)).toEqual([shown.id]);
    expect(page.total).toBe(1);
  });
});
