import { beforeAll, describe, expect, it } from 'vitest';
import { formatDateTime } from '../../src/server/core/time.js';
import { createContext, type RequestContext } from '../../src/server/read/context.js';
import { RecordService } from '../../src/server/records/record-service.js';
import { defaultSearchParams, parseSearchQuery, type SearchParams } from '../../src/server/search/search-params.js';
import { listAttributes } from '../../src/server/search/select.js';
import { getEntity } from '../../src/server/metadata/index.js';
import { describeEngines, useTestDatabase } from '../support/database.js';
import { contextWithLevel, createFixtures, rejection, type Fixtures } from '../support/fixtures.js';

const NOW = new Date('2026-05-20T12:00:00Z');
const DAY = 86_400_000;

describeEngines('find', (engine) => {
  const t = useTestDatabase(engine);
  let service: RecordService;
  let admin: RequestContext;
  let fx: Fixtures;
  const ids: Record<string, string> = {};

  /** name, input, createdAt offset in days from NOW (same offset = tie on createdAt). */
  const rows: [string, Record<string, unknown>, number][] = [
    ['Acme', { type: 'Customer', industry: 'Legal', emailAddress: 'hello@acme.com', phoneNumber: '+1 555 100', billingAddressCountry: 'Germany', billingAddressCity: 'Berlin', assignedUserId: 'alice' }, -1],
    ['acme labs', { type: 'Partner', industry: 'Banking', emailAddress: 'labs@acme.com', billingAddressCountry: 'Germany', billingAddressCity: 'Aachen', assignedUserId: 'bob', teamsIds: 'A' }, -2],
    ['Bravo', { type: 'Reseller', industry: 'Advertising', emailAddress: 'info@bravo.org', billingAddressCountry: 'France' }, -2],
    ['Charlie', { type: '', emailAddress: 'acme@charlie.net', description: 'x'.repeat(10_050) }, -2],
    ['Delta', { industry: 'Water', billingAddressCountry: 'Austria', teamsIds: 'B' }, -3],
    ['Echo One', { type: 'Investor', industry: 'Music', assignedUserId: 'alice' }, -10],
  ];

  beforeAll(async () => {
    service = new RecordService(t.db, { clock: () => NOW });
    fx = await createFixtures(t.db);
    admin = createContext(fx.admin, { skipDuplicateCheck: true });
    const resolve: Record<string, string> = { alice: fx.alice.id, bob: fx.bob.id, A: fx.teamA, B: fx.teamB };
    for (const [name, input, days] of rows) {
      const values = Object.fromEntries(Object.entries(input).map(([key, value]) => [key, key === 'teamsIds' ? [resolve[String(value)]] : key === 'assignedUserId' ? resolve[String(value)] : value]));
      const record = await service.create('Account', { name, ...values }, admin);
      ids[name] = String(record.id);
      await t.db.updateTable('account').set({ createdAt: formatDateTime(new Date(NOW.getTime() + days * DAY)) }).where('id', '=', ids[name]!).execute();
    }
    await t.db.insertInto('stream_subscription').values({ entityId: ids.Bravo!, entityType: 'Account', userId: fx.alice.id }).execute();
    await t.db.insertInto('star_subscription').values({ entityId: ids.Delta!, entityType: 'Account', userId: fx.alice.id, createdAt: null }).execute();
  });

  const find = (params: Partial<SearchParams>, ctx: RequestContext = admin) => service.find('Account', { ...defaultSearchParams, ...params }, ctx);
  const names = async (params: Partial<SearchParams>, ctx?: RequestContext) => (await find(params, ctx)).list.map((record) => record.name);
  /** ids of same-createdAt records in tie-breaker order. */
  const byId = (order: 'asc' | 'desc', ...list: string[]) => [...list].sort((a, b) => (ids[a]! < ids[b]! ? -1 : 1) * (order === 'asc' ? 1 : -1));

  describe('order', () => {
    it('defaults to createdAt desc with id desc breaking ties', async () => {
      expect(await names({})).toEqual(['Acme', ...byId('desc', 'acme labs', 'Bravo', 'Charlie'), 'Delta', 'Echo One']);
    });

    it('orderBy without order is ascending; order without orderBy uses the default field', async () => {
      expect(await names({ orderBy: 'createdAt' })).toEqual(['Echo One', 'Delta', ...byId('asc', 'acme labs', 'Bravo', 'Charlie'), 'Acme']);
      expect(await names({ order: 'asc' })).toEqual(['Echo One', 'Delta', ...byId('asc', 'acme labs', 'Bravo', 'Charlie'), 'Acme']);
    });

    it('orders text ignoring case', async () => {
      expect(await names({ orderBy: 'name', order: 'asc' })).toEqual(['Acme', 'acme labs', 'Bravo', 'Charlie', 'Delta', 'Echo One']);
      expect(await names({ orderBy: 'name', order: 'desc' })).toEqual(['Echo One', 'Delta', 'Charlie', 'Bravo', 'acme labs', 'Acme']);
    });

    it('orders enums by option position with NULL last both ways', async () => {
      // type options: '', Customer, Investor, Partner, Reseller
      expect(await names({ orderBy: 'type', order: 'asc' })).toEqual(['Charlie', 'Acme', 'Echo One', 'acme labs', 'Bravo', 'Delta']);
      expect(await names({ orderBy: 'type', order: 'desc' })).toEqual(['Bravo', 'acme labs', 'Echo One', 'Acme', 'Charlie', 'Delta']);
      // industry is isSorted: alphabetical
      expect(await names({ orderBy: 'industry' })).toEqual(['Bravo', 'acme labs', 'Acme', 'Echo One', 'Delta', 'Charlie']);
    });

    it('orders a link field by the linked name and an address by country, city, street', async () => {
      // NULL first ascending (MySQL and SQLite do; PostgreSQL is told to), then Alice Smith, Bob Jones.
      expect(await names({ orderBy: 'assignedUser', order: 'asc' })).toEqual([...byId('asc', 'Bravo', 'Charlie', 'Delta'), ...byId('asc', 'Acme', 'Echo One'), 'acme labs']);
      expect(await names({ orderBy: 'assignedUser', order: 'desc' })).toEqual(['acme labs', ...byId('desc', 'Acme', 'Echo One'), ...byId('desc', 'Bravo', 'Charlie', 'Delta')]);
      expect(await names({ orderBy: 'billingAddress', order: 'asc' })).toEqual([...byId('asc', 'Charlie', 'Echo One'), 'Delta', 'Bravo', 'acme labs', 'Acme']);
    });

    it('orders by the primary email address', async () => {
      expect(await names({ orderBy: 'emailAddress', order: 'asc' })).toEqual([...byId('asc', 'Delta', 'Echo One'), 'Charlie', 'Acme', 'Bravo', 'acme labs']);
    });

    it('400 for complex, disabled and unknown orderBy', async () => {
      expect(await rejection(find({ orderBy: 'campaign.name' }))).toMatchObject({ status: 400, reason: "Complex expressions are forbidden in 'orderBy'." });
      expect(await rejection(find({ orderBy: 'LENGTH:(name)' }))).toMatchObject({ status: 400, reason: "Complex expressions are forbidden in 'orderBy'." });
      expect(await rejection(find({ orderBy: 'contactRole' }))).toMatchObject({ status: 400, reason: "Order by the field 'contactRole' is disabled." });
      expect(await rejection(find({ orderBy: 'targetListIsOptedOut' }))).toMatchObject({ status: 400, reason: "Order by the field 'targetListIsOptedOut' is disabled." });
      expect(await rejection(find({ orderBy: 'nope' }))).toMatchObject({ status: 400, reason: "Order by non-existing field 'nope'." });
      expect(await rejection(find({ orderBy: 'teamsIds' }))).toMatchObject({ status: 400, reason: "Order by non-existing field 'teamsIds'." });
    });
  });

  describe('paging and totals', () => {
    it('pages with offset and maxSize without gaps or repeats', async () => {
      const all = await names({});
      const pages = [];
      for (let offset = 0; offset < 6; offset += 2) {
        const page = await find({ offset, maxSize: 2 });
        expect(page.total).toBe(6);
        pages.push(...page.list.map((record) => record.name));
      }
      expect(pages).toEqual(all);
      expect(await find({ offset: 10, maxSize: 2 })).toEqual({ total: 6, list: [] });
      expect(await find({ maxSize: 0 })).toEqual({ total: 6, list: [] });
    });

    it('counts exactly, also when the page is full', async () => {
      expect((await find({ maxSize: 3, where: [{ type: 'isNotNull', attribute: 'emailAddress' }] })).total).toBe(4);
      expect((await find({ maxSize: 4, where: [{ type: 'isNotNull', attribute: 'emailAddress' }] })).total).toBe(4);
    });

    it('returns -1 / -2 instead of a total with noTotal', async () => {
      const noTotal = { ...admin, noTotal: true };
      expect(await find({ maxSize: 5 }, noTotal)).toMatchObject({ total: -1 });
      expect((await find({ maxSize: 5 }, noTotal)).list).toHaveLength(5);
      expect(await find({ maxSize: 6 }, noTotal)).toMatchObject({ total: -2 });
      expect(await find({ maxSize: 2, offset: 4 }, noTotal)).toMatchObject({ total: -2 });
      expect(await find({ maxSize: 2, offset: 3 }, noTotal)).toMatchObject({ total: -1 });
    });

    it('q in the query string forces no total, q in searchParams does not', async () => {
      const viaQuery = await service.find('Account', parseSearchQuery({ q: 'acme', maxSize: '1' }), admin);
      expect(viaQuery.total).toBe(-1);
      const viaJson = await service.find('Account', parseSearchQuery({ searchParams: JSON.stringify({ q: 'acme', maxSize: 1 }) }), admin);
      expect(viaJson.total).toBe(3);
    });
  });

  describe('select', () => {
    it('returns the list shape by default: no email/phone data, teams or followers', async () => {
      const [record] = (await find({ maxSize: 1 })).list;
      expect(Object.keys(record!)).toEqual(listAttributes(getEntity('Account')));
      expect(record).toMatchObject({ name: 'Acme', emailAddress: 'hello@acme.com', emailAddressIsOptedOut: false, phoneNumber: '+1 555 100', assignedUserName: 'Alice Smith', isStarred: false, versionNumber: 1, deleted: false });
      for (const absent of ['emailAddressData', 'phoneNumberData', 'teamsIds', 'teamsNames', 'isFollowed', 'followersIds']) {
        expect(record).not.toHaveProperty(absent);
      }
      // Joined attributes of the ORM's `*` select: part of list items.
      expect(record).toMatchObject({ originalLeadId: null, originalLeadName: null });
    });

    it('adds id, ACL attributes, the order-by attributes and isStarred; ignores unknown names', async () => {
      const [record] = (await find({ maxSize: 1, select: ['name', 'bogus', 'passwordHash'] })).list;
      expect(Object.keys(record!)).toEqual(['id', 'name', 'createdAt', 'createdById', 'assignedUserId', 'isStarred']);
      const [byAddress] = (await find({ maxSize: 1, select: ['type'], orderBy: 'billingAddress' })).list;
      expect(Object.keys(byAddress!)).toEqual(['id', 'type', 'billingAddressStreet', 'billingAddressCity', 'billingAddressState', 'billingAddressCountry', 'billingAddressPostalCode', 'createdById', 'assignedUserId', 'isStarred']);
    });

    it('loads read-only attributes such as emailAddressData and teamsIds when selected', async () => {
      const result = await find({ select: ['name', 'emailAddressData', 'teamsIds', 'teamsNames'], where: [{ type: 'equals', attribute: 'name', value: 'acme labs' }] });
      expect(result.list[0]).toMatchObject({ emailAddressData: [{ emailAddress: 'labs@acme.com', primary: true }], teamsIds: [fx.teamA], teamsNames: { [fx.teamA]: 'Team A' } });
    });

    it('cuts selected text attributes to 10000 characters, not the default list shape', async () => {
      const where = [{ type: 'equals', attribute: 'name', value: 'Charlie' }];
      expect(String((await find({ select: ['description'], where })).list[0]!.description)).toHaveLength(10_000);
      expect(String((await find({ where })).list[0]!.description)).toHaveLength(10_050);
    });

    it('select=* is the default shape', async () => {
      expect(Object.keys((await find({ maxSize: 1, select: ['*'] })).list[0]!)).toEqual(listAttributes(getEntity('Account')));
    });
  });

  describe('text filter', () => {
    const cases: [string, string[]][] = [
      ['acme', ['Acme', 'acme labs', 'Charlie']], // name starts with, or an email starts with
      ['ACME L', ['acme labs']], // a space: names only
      ['*labs', ['acme labs']], // * is a wildcard and stops the automatic starts-with
      ['hello@', ['Acme']],
      ['ech', ['Echo One']],
      ['zzz', []],
      ['ft:acme', []],
    ];
    for (const [filter, expected] of cases) {
      it(JSON.stringify(filter), async () => {
        expect((await names({ textFilter: filter })).sort()).toEqual([...expected].sort());
      });
    }
  });

  describe('primary and bool filters', () => {
    it('Account primary filters', async () => {
      expect(await names({ primaryFilter: 'customers' })).toEqual(['Acme']);
      expect(await names({ primaryFilter: 'partners' })).toEqual(['acme labs']);
      expect(await names({ primaryFilter: 'resellers' })).toEqual(['Bravo']);
      expect((await names({ primaryFilter: 'recentlyCreated' })).sort()).toEqual(['Acme', 'Bravo', 'Charlie', 'Delta', 'acme labs'].sort());
      expect(await names({ primaryFilter: 'all' })).toHaveLength(6);
      expect(await names({ primaryFilter: 'followed' }, createContext(fx.alice))).toEqual(['Bravo']);
      expect(await names({ primaryFilter: 'starred' }, createContext(fx.alice))).toEqual(['Delta']);
      expect(await rejection(find({ primaryFilter: 'investors' }))).toMatchObject({ status: 400, reason: "No primary filter 'investors' for 'Account'." });
    });

    it('bool filters are OR-ed', async () => {
      const alice = createContext(fx.alice);
      expect(await names({ boolFilterList: ['onlyMy'] }, alice)).toEqual(['Acme', 'Echo One']);
      expect(await names({ boolFilterList: ['followed'] }, alice)).toEqual(['Bravo']);
      expect(await names({ boolFilterList: ['onlyMy', 'followed'] }, alice)).toEqual(['Acme', 'Bravo', 'Echo One']);
      expect(await names({ boolFilterList: ['shared'] }, alice)).toHaveLength(6);
      expect(await rejection(find({ boolFilterList: ['onlyMine'] }))).toMatchObject({ status: 400, reason: "No bool filter 'onlyMine' for 'Account'." });
    });

    it('filters combine with where and the text filter', async () => {
      expect(await names({ primaryFilter: 'customers', textFilter: 'acme', where: [{ type: 'isNotNull', attribute: 'emailAddress' }] })).toEqual(['Acme']);
    });
  });

  describe('access control in lists', () => {
    it('own: assigned to me; team: also my teams; no: 403', async () => {
      expect(await names({}, contextWithLevel(fx.alice, 'own'))).toEqual(['Acme', 'Echo One']);
      expect(await names({}, contextWithLevel(fx.alice, 'team'))).toEqual(['Acme', 'acme labs', 'Echo One']);
      expect(await names({}, contextWithLevel(fx.bob, 'team'))).toEqual(['acme labs', 'Delta']);
      expect((await find({ maxSize: 1 }, contextWithLevel(fx.bob, 'team'))).total).toBe(2);
      expect(await rejection(find({}, contextWithLevel(fx.bob, 'no')))).toMatchObject({ status: 403, reason: 'No read access.' });
    });
  });

  it('never lists deleted records', async () => {
    const doomed = await service.create('Account', { name: 'Acme Deleted' }, admin);
    await service.delete('Account', String(doomed.id), admin);
    expect(await names({ textFilter: 'acme' })).not.toContain('Acme Deleted');
    expect((await find({})).total).toBe(6);
  });
});
