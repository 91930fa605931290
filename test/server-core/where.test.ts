/**
 * Every where item type against accounts this suite creates; each case asserts the exact set of
 * records returned (by their unique names).
 */
import qs from 'qs';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateId } from '../../src/server/core/ids.js';
import { createContext, type RequestContext } from '../../src/server/read/context.js';
import { RecordService } from '../../src/server/records/record-service.js';
import { defaultSearchParams, parseSearchQuery, type SearchParams } from '../../src/server/search/search-params.js';
import { describeEngines, useTestDatabase } from '../support/database.js';
import { createFixtures, rejection, type Fixtures } from '../support/fixtures.js';

/** Wednesday 2026-05-20 12:00:00 UTC. */
const NOW = new Date('2026-05-20T12:00:00Z');
const ALL = ['Alpha Corp', 'Beta LLC', 'Gamma 50% Off_Deals', 'delta inc', 'Epsilon', 'Eta', 'Theta'];
const except = (...names: string[]) => ALL.filter((name) => !names.includes(name));

type Item = Record<string, unknown>;

describeEngines('where', (engine) => {
  const t = useTestDatabase(engine);
  let service: RecordService;
  let admin: RequestContext;
  let fx: Fixtures;
  const ids: Record<string, string> = {};
  const related: Record<string, string> = {};

  beforeAll(async () => {
    service = new RecordService(t.db, { clock: () => NOW });
    fx = await createFixtures(t.db);
    admin = createContext(fx.admin, { skipDuplicateCheck: true });
    const campaign = await service.create('Campaign', { name: 'Spring Campaign' }, admin);
    related.campaign = String(campaign.id);
    const accounts: [string, Item, string][] = [
      ['Alpha Corp', { type: 'Customer', industry: 'Finance', website: 'alpha.com', sicCode: '100', emailAddressData: [{ emailAddress: 'info@alpha.com', primary: true, optOut: true }], phoneNumber: '+1 555 0001', assignedUserId: fx.alice.id, teamsIds: [fx.teamA], campaignId: related.campaign }, '2026-05-20 11:00:00'],
      ['Beta LLC', { type: 'Partner', industry: 'Legal', website: 'beta.com', emailAddressData: [{ emailAddress: 'sales@beta.com', primary: true }, { emailAddress: 'beta@other.org', invalid: true }], phoneNumberData: [{ phoneNumber: '555-0002', primary: true, optOut: true }, { phoneNumber: '555 0003' }], assignedUserId: fx.bob.id, teamsIds: [fx.teamB] }, '2026-05-17 12:00:00'],
      ['Gamma 50% Off_Deals', { type: 'Reseller' }, '2026-04-10 08:00:00'],
      ['delta inc', { type: '', industry: 'Banking', website: 'delta.io', description: 'Long text about delta', emailAddressData: [{ emailAddress: 'DELTA@Delta.io', invalid: true }] }, '2025-12-31 23:30:00'],
      ['Epsilon', { type: 'Investor', industry: 'Energy', website: 'epsilon.com' }, '2026-05-22 09:00:00'],
      ['Eta', { type: 'Customer', industry: 'Music', website: 'eta.com' }, '2026-02-15 10:00:00'],
      ['Theta', { type: 'Partner', industry: 'Retail', website: 'theta.com', teamsIds: [fx.teamA, fx.teamB] }, '2026-05-19 23:00:00'],
      ['Zeta Deleted', { type: 'Customer', industry: 'Finance', website: 'zeta.com', emailAddress: 'info@zeta.com', teamsIds: [fx.teamA] }, '2026-05-20 10:00:00'],
    ];
    for (const [name, input, createdAt] of accounts) {
      const record = await service.create('Account', { name, ...input }, admin);
      ids[name] = String(record.id);
      await t.db.updateTable('account').set({ createdAt }).where('id', '=', ids[name]!).execute();
    }
    await t.db.updateTable('account').set({ isLocked: 1 }).where('id', '=', ids.Epsilon!).execute();
    await service.delete('Account', ids['Zeta Deleted']!, admin);
    await createRelated();
  });

  async function createRelated() {
    const contact1 = await service.create('Contact', { lastName: 'One', accountId: ids['Alpha Corp'] }, admin);
    const contact2 = await service.create('Contact', { lastName: 'Two' }, admin);
    related.contact1 = String(contact1.id);
    related.contact2 = String(contact2.id);
    await t.db.insertInto('account_contact').values([
      { accountId: ids['Alpha Corp']!, contactId: related.contact1, role: 'CEO', isInactive: 0, deleted: 0 },
      { accountId: ids['Beta LLC']!, contactId: related.contact1, role: null, isInactive: 0, deleted: 0 },
      { accountId: ids['Beta LLC']!, contactId: related.contact2, role: null, isInactive: 0, deleted: 0 },
      { accountId: ids['Epsilon']!, contactId: related.contact2, role: null, isInactive: 0, deleted: 1 },
    ]).execute();
    related.opportunity = String((await service.create('Opportunity', { name: 'Deal', amount: 5, closeDate: '2026-05-20', accountId: ids['Alpha Corp'] }, admin)).id);
    related.case = String((await service.create('Case', { name: 'Issue', accountId: ids['Beta LLC'] }, admin)).id);
    related.meeting = String((await service.create('Meeting', { name: 'Kickoff', dateStart: '2026-05-21 10:00:00', dateEnd: '2026-05-21 11:00:00', assignedUserId: fx.alice.id, parentType: 'Account', parentId: ids['Alpha Corp'] }, admin)).id);
    related.call = String((await service.create('Call', { name: 'Ring', dateStart: '2026-05-21 10:00:00', dateEnd: '2026-05-21 10:10:00', assignedUserId: fx.alice.id, parentType: 'Account', parentId: ids['Beta LLC'] }, admin)).id);
    related.task = String((await service.create('Task', { name: 'Todo', assignedUserId: fx.alice.id, parentType: 'Account', parentId: ids['Gamma 50% Off_Deals'] }, admin)).id);
    await t.db.updateTable('task').set({ accountId: ids['Gamma 50% Off_Deals']! }).where('id', '=', related.task).execute();
    related.email = String((await service.create('Email', { name: 'Hello', from: 'a@b.c', to: 'd@e.f', parentType: 'Account', parentId: ids['delta inc'] }, admin)).id);
    const at = '2026-01-01 00:00:00';
    related.attachment = generateId();
    await t.db.insertInto('attachment').values({ id: related.attachment, name: 'f.pdf', type: 'application/pdf', size: 1, role: 'Attachment', parentId: null, parentType: null, relatedId: null, relatedType: null, createdAt: at, modifiedAt: at, createdById: 'system' }).execute();
    related.document = String((await service.create('Document', { name: 'Contract', fileId: related.attachment, publishDate: '2026-01-01' }, admin)).id);
    await t.db.insertInto('account_document').values({ accountId: ids['Alpha Corp']!, documentId: related.document }).execute();
    related.targetList = String((await service.create('TargetList', { name: 'Newsletter' }, admin)).id);
    await t.db.insertInto('account_target_list').values({ accountId: ids['Beta LLC']!, targetListId: related.targetList, optedOut: 0 }).execute();
    await t.db.insertInto('account_portal_user').values({ accountId: ids['delta inc']!, userId: fx.bob.id }).execute();
  }

  async function names(where: readonly unknown[], entityType = 'Account', extra: Partial<SearchParams> = {}): Promise<string[]> {
    const result = await service.find(entityType, { ...defaultSearchParams, where, ...extra }, admin);
    expect(result.total).toBe(result.list.length);
    return result.list.map((record) => String(record.name)).sort();
  }

  const expectNames = async (where: readonly unknown[], expected: string[]) => expect(await names(where)).toEqual([...expected].sort());

  describe('scalar comparisons', () => {
    const cases: [string, Item, string[]][] = [
      ['equals ignores case', { type: 'equals', attribute: 'name', value: 'ALPHA corp' }, ['Alpha Corp']],
      ['equals with an array is IN', { type: 'equals', attribute: 'type', value: ['Customer', 'Partner'] }, ['Alpha Corp', 'Beta LLC', 'Eta', 'Theta']],
      ['equals null is IS NULL', { type: 'equals', attribute: 'industry', value: null }, ['Gamma 50% Off_Deals']],
      ['notEquals null is IS NOT NULL', { type: 'notEquals', attribute: 'industry', value: null }, except('Gamma 50% Off_Deals')],
      ['equals empty string', { type: 'equals', attribute: 'type', value: '' }, ['delta inc']],
      ['notEquals', { type: 'notEquals', attribute: 'type', value: 'Customer' }, except('Alpha Corp', 'Eta')],
      ['notEquals with an array is NOT IN', { type: 'notEquals', attribute: 'type', value: ['Customer', 'Partner', ''] }, ['Gamma 50% Off_Deals', 'Epsilon']],
      ['in', { type: 'in', attribute: 'industry', value: ['Finance', 'legal'] }, ['Alpha Corp', 'Beta LLC']],
      ['notIn excludes NULL as SQL does', { type: 'notIn', attribute: 'industry', value: ['Finance', 'Legal'] }, ['delta inc', 'Epsilon', 'Eta', 'Theta']],
      ['in an empty list matches nothing', { type: 'in', attribute: 'industry', value: [] }, []],
      ['like', { type: 'like', attribute: 'name', value: '%ET%' }, ['Beta LLC', 'Eta', 'Theta']],
      ['notLike', { type: 'notLike', attribute: 'name', value: '%a%' }, ['Epsilon']],
      ['startsWith escapes %', { type: 'startsWith', attribute: 'name', value: 'gamma 50%' }, ['Gamma 50% Off_Deals']],
      ['startsWith escapes _', { type: 'startsWith', attribute: 'name', value: 'Gamma 50_' }, []],
      ['endsWith', { type: 'endsWith', attribute: 'name', value: 'CORP' }, ['Alpha Corp']],
      ['contains a literal %', { type: 'contains', attribute: 'name', value: '%' }, ['Gamma 50% Off_Deals']],
      ['contains a literal _', { type: 'contains', attribute: 'name', value: '_' }, ['Gamma 50% Off_Deals']],
      ['notContains', { type: 'notContains', attribute: 'name', value: 'a' }, ['Epsilon']],
      ['greaterThan', { type: 'greaterThan', attribute: 'createdAt', value: '2026-05-20 00:00:00' }, ['Alpha Corp', 'Epsilon']],
      ['lessThan', { type: 'lessThan', attribute: 'createdAt', value: '2026-02-15 10:00:00' }, ['delta inc']],
      ['greaterThanOrEquals', { type: 'greaterThanOrEquals', attribute: 'createdAt', value: '2026-05-20 11:00:00' }, ['Alpha Corp', 'Epsilon']],
      ['lessThanOrEquals', { type: 'lessThanOrEquals', attribute: 'createdAt', value: '2026-02-15 10:00:00' }, ['delta inc', 'Eta']],
      ['after', { type: 'after', attribute: 'createdAt', value: '2026-05-19 23:00:00' }, ['Alpha Corp', 'Epsilon']],
      ['before', { type: 'before', attribute: 'createdAt', value: '2026-04-10 08:00:00' }, ['delta inc', 'Eta']],
      ['between is inclusive', { type: 'between', attribute: 'createdAt', value: ['2026-04-10 08:00:00', '2026-05-17 12:00:00'] }, ['Beta LLC', 'Gamma 50% Off_Deals']],
      ['on is equals', { type: 'on', attribute: 'sicCode', value: '100' }, ['Alpha Corp']],
      ['notOn is notEquals', { type: 'notOn', attribute: 'sicCode', value: '100' }, []],
      // A notOn that matches nothing (the case above) cannot tell a working notOn from one that drops every record.
      ['notOn a scalar keeps the other records', { type: 'notOn', attribute: 'type', value: 'Customer' }, except('Alpha Corp', 'Eta')],
      ['notOn with an array is NOT IN', { type: 'notOn', attribute: 'type', value: ['Customer', 'Partner', ''] }, ['Gamma 50% Off_Deals', 'Epsilon']],
      ['isNull', { type: 'isNull', attribute: 'website' }, ['Gamma 50% Off_Deals']],
      ['isNotNull', { type: 'isNotNull', attribute: 'website' }, except('Gamma 50% Off_Deals')],
      ['ever is isNotNull', { type: 'ever', attribute: 'sicCode' }, ['Alpha Corp']],
      ['isTrue', { type: 'isTrue', attribute: 'isLocked' }, ['Epsilon']],
      ['isFalse', { type: 'isFalse', attribute: 'isLocked' }, except('Epsilon')],
      ['any', { type: 'any', attribute: 'name' }, ALL],
      ['none', { type: 'none', attribute: 'name' }, []],
      ['text attribute', { type: 'contains', attribute: 'description', value: 'ABOUT' }, ['delta inc']],
      ['id', { type: 'equals', attribute: 'id', value: 'nope' }, []],
    ];
    for (const [label, item, expected] of cases) {
      it(label, () => expectNames([item], expected));
    }
  });

  describe('booleans in every spelling', () => {
    for (const value of [true, 1, '1', 'true', 'True']) {
      it(`${JSON.stringify(value)} is true`, () => expectNames([{ type: 'equals', attribute: 'isLocked', value }], ['Epsilon']));
    }
    for (const value of [false, 0, '0', 'false', 'False', '']) {
      it(`${JSON.stringify(value)} is false`, () => expectNames([{ type: 'equals', attribute: 'isLocked', value }], except('Epsilon')));
    }
    it('"None" is null', () => expectNames([{ type: 'equals', attribute: 'isLocked', value: 'None' }], []));
    it('other strings are 400', async () => {
      expect(await rejection(names([{ type: 'equals', attribute: 'isLocked', value: 'yes' }]))).toMatchObject({ status: 400, reason: "Bad where item value for attribute 'isLocked'." });
    });
  });

  describe('links and their names', () => {
    const cases: [string, () => Item, string[]][] = [
      ['assignedUserId equals', () => ({ type: 'equals', attribute: 'assignedUserId', value: fx.alice.id }), ['Alpha Corp']],
      ['assignedUserId in', () => ({ type: 'in', attribute: 'assignedUserId', value: [fx.alice.id, fx.bob.id] }), ['Alpha Corp', 'Beta LLC']],
      ['assignedUserId isNull', () => ({ type: 'isNull', attribute: 'assignedUserId' }), except('Alpha Corp', 'Beta LLC')],
      ['assignedUserName equals', () => ({ type: 'equals', attribute: 'assignedUserName', value: 'bob jones' }), ['Beta LLC']],
      ['assignedUserName startsWith', () => ({ type: 'startsWith', attribute: 'assignedUserName', value: 'Ali' }), ['Alpha Corp']],
      ['campaignName', () => ({ type: 'equals', attribute: 'campaignName', value: 'Spring Campaign' }), ['Alpha Corp']],
      ['createdByName', () => ({ type: 'equals', attribute: 'createdByName', value: 'Ada Admin' }), ALL],
      ['campaignId', () => ({ type: 'equals', attribute: 'campaignId', value: related.campaign }), ['Alpha Corp']],
    ];
    for (const [label, item, expected] of cases) {
      it(label, () => expectNames([item()], expected));
    }
  });

  describe('email addresses and phone numbers', () => {
    const cases: [string, Item, string[]][] = [
      ['emailAddress equals any address, ignoring case', { type: 'equals', attribute: 'emailAddress', value: 'SALES@beta.com' }, ['Beta LLC']],
      ['emailAddress equals a non-primary address', { type: 'equals', attribute: 'emailAddress', value: 'beta@other.org' }, ['Beta LLC']],
      ['emailAddress notEquals', { type: 'notEquals', attribute: 'emailAddress', value: 'info@alpha.com' }, except('Alpha Corp')],
      ['emailAddress in', { type: 'in', attribute: 'emailAddress', value: ['delta@delta.io', 'info@alpha.com'] }, ['Alpha Corp', 'delta inc']],
      ['emailAddress notIn', { type: 'notIn', attribute: 'emailAddress', value: ['delta@delta.io', 'info@alpha.com'] }, except('Alpha Corp', 'delta inc')],
      ['emailAddress like', { type: 'like', attribute: 'emailAddress', value: '%@BETA.com' }, ['Beta LLC']],
      ['emailAddress notLike', { type: 'notLike', attribute: 'emailAddress', value: '%beta%' }, except('Beta LLC')],
      ['emailAddress contains', { type: 'contains', attribute: 'emailAddress', value: 'other' }, ['Beta LLC']],
      ['emailAddress startsWith', { type: 'startsWith', attribute: 'emailAddress', value: 'info' }, ['Alpha Corp']],
      ['emailAddress endsWith', { type: 'endsWith', attribute: 'emailAddress', value: '.io' }, ['delta inc']],
      ['emailAddress notContains', { type: 'notContains', attribute: 'emailAddress', value: 'alpha' }, except('Alpha Corp')],
      ['emailAddress isNull', { type: 'isNull', attribute: 'emailAddress' }, ['Gamma 50% Off_Deals', 'Epsilon', 'Eta', 'Theta']],
      ['emailAddress isNotNull', { type: 'isNotNull', attribute: 'emailAddress' }, ['Alpha Corp', 'Beta LLC', 'delta inc']],
      ['emailAddressIsOptedOut isTrue', { type: 'isTrue', attribute: 'emailAddressIsOptedOut' }, ['Alpha Corp']],
      ['emailAddressIsOptedOut isFalse (no address counts as false)', { type: 'isFalse', attribute: 'emailAddressIsOptedOut' }, except('Alpha Corp')],
      ['emailAddressIsOptedOut equals "0" (PHP client)', { type: 'equals', attribute: 'emailAddressIsOptedOut', value: '0' }, except('Alpha Corp')],
      ['emailAddressIsOptedOut equals "True" (Python client)', { type: 'equals', attribute: 'emailAddressIsOptedOut', value: 'True' }, ['Alpha Corp']],
      ['emailAddressIsOptedOut isNull: no primary address', { type: 'isNull', attribute: 'emailAddressIsOptedOut' }, ['Gamma 50% Off_Deals', 'Epsilon', 'Eta', 'Theta']],
      ['emailAddressIsInvalid looks at the primary address only', { type: 'isTrue', attribute: 'emailAddressIsInvalid' }, ['delta inc']],
      ['phoneNumber equals', { type: 'equals', attribute: 'phoneNumber', value: '555 0003' }, ['Beta LLC']],
      ['phoneNumber contains', { type: 'contains', attribute: 'phoneNumber', value: '0001' }, ['Alpha Corp']],
      ['phoneNumber in', { type: 'in', attribute: 'phoneNumber', value: ['555-0002', '+1 555 0001'] }, ['Alpha Corp', 'Beta LLC']],
      ['phoneNumber isNull', { type: 'isNull', attribute: 'phoneNumber' }, except('Alpha Corp', 'Beta LLC')],
      ['phoneNumberNumeric equals digits', { type: 'equals', attribute: 'phoneNumberNumeric', value: '+1 (555) 0001' }, ['Alpha Corp']],
      ['phoneNumberNumeric startsWith', { type: 'startsWith', attribute: 'phoneNumberNumeric', value: '5550' }, ['Beta LLC']],
      ['phoneNumberIsOptedOut isTrue', { type: 'isTrue', attribute: 'phoneNumberIsOptedOut' }, ['Beta LLC']],
      ['phoneNumberIsInvalid isFalse', { type: 'isFalse', attribute: 'phoneNumberIsInvalid' }, ALL],
    ];
    for (const [label, item, expected] of cases) {
      it(label, () => expectNames([item], expected));
    }
  });

  describe('link items', () => {
    const cases: [string, () => Item, string[]][] = [
      ['linkedWith teams', () => ({ type: 'linkedWith', attribute: 'teams', value: [fx.teamA] }), ['Alpha Corp', 'Theta']],
      ['linkedWith a single id', () => ({ type: 'linkedWith', attribute: 'teams', value: fx.teamB }), ['Beta LLC', 'Theta']],
      ['notLinkedWith teams', () => ({ type: 'notLinkedWith', attribute: 'teams', value: [fx.teamA] }), except('Alpha Corp', 'Theta')],
      ['linkedWithAll teams', () => ({ type: 'linkedWithAll', attribute: 'teams', value: [fx.teamA, fx.teamB] }), ['Theta']],
      ['isLinked teams', () => ({ type: 'isLinked', attribute: 'teams' }), ['Alpha Corp', 'Beta LLC', 'Theta']],
      ['isNotLinked teams', () => ({ type: 'isNotLinked', attribute: 'teams' }), except('Alpha Corp', 'Beta LLC', 'Theta')],
      ['linkedWith contacts (many-to-many)', () => ({ type: 'linkedWith', attribute: 'contacts', value: [related.contact1] }), ['Alpha Corp', 'Beta LLC']],
      ['linkedWithAll contacts', () => ({ type: 'linkedWithAll', attribute: 'contacts', value: [related.contact1, related.contact2] }), ['Beta LLC']],
      ['notLinkedWith contacts ignores unlinked (deleted) rows', () => ({ type: 'notLinkedWith', attribute: 'contacts', value: [related.contact2] }), except('Beta LLC')],
      ['isLinked contacts', () => ({ type: 'isLinked', attribute: 'contacts' }), ['Alpha Corp', 'Beta LLC']],
      ['linkedWith contactsPrimary (foreign key)', () => ({ type: 'linkedWith', attribute: 'contactsPrimary', value: [related.contact1] }), ['Alpha Corp']],
      ['linkedWith opportunities', () => ({ type: 'linkedWith', attribute: 'opportunities', value: [related.opportunity] }), ['Alpha Corp']],
      ['isNotLinked opportunities', () => ({ type: 'isNotLinked', attribute: 'opportunities' }), except('Alpha Corp')],
      ['linkedWith cases', () => ({ type: 'linkedWith', attribute: 'cases', value: related.case }), ['Beta LLC']],
      ['linkedWith meetings (children)', () => ({ type: 'linkedWith', attribute: 'meetings', value: [related.meeting] }), ['Alpha Corp']],
      ['linkedWith calls', () => ({ type: 'linkedWith', attribute: 'calls', value: [related.call] }), ['Beta LLC']],
      ['isLinked tasks', () => ({ type: 'isLinked', attribute: 'tasks' }), ['Gamma 50% Off_Deals']],
      ['isLinked tasksPrimary', () => ({ type: 'isLinked', attribute: 'tasksPrimary' }), ['Gamma 50% Off_Deals']],
      ['linkedWith emails', () => ({ type: 'linkedWith', attribute: 'emails', value: [related.email] }), ['delta inc']],
      ['linkedWith documents', () => ({ type: 'linkedWith', attribute: 'documents', value: [related.document] }), ['Alpha Corp']],
      ['linkedWith targetLists', () => ({ type: 'linkedWith', attribute: 'targetLists', value: [related.targetList] }), ['Beta LLC']],
      ['linkedWith portalUsers', () => ({ type: 'linkedWith', attribute: 'portalUsers', value: [fx.bob.id] }), ['delta inc']],
      ['linkedWith assignedUser (belongs-to)', () => ({ type: 'linkedWith', attribute: 'assignedUser', value: [fx.alice.id] }), ['Alpha Corp']],
      ['isLinked campaign', () => ({ type: 'isLinked', attribute: 'campaign' }), ['Alpha Corp']],
      ['isNotLinked campaign', () => ({ type: 'isNotLinked', attribute: 'campaign' }), except('Alpha Corp')],
      ['linkedWith an empty list', () => ({ type: 'linkedWith', attribute: 'teams', value: [] }), []],
    ];
    for (const [label, item, expected] of cases) {
      it(label, () => expectNames([item()], expected));
    }

    it('400 for an id that does not exist', async () => {
      expect(await rejection(names([{ type: 'linkedWith', attribute: 'teams', value: [fx.teamA, 'nope'] }]))).toMatchObject({ status: 400, reason: "Record 'Team' `nope` not found." });
    });
    it('400 for an unknown link and bad values', async () => {
      expect(await rejection(names([{ type: 'isLinked', attribute: 'bogus' }]))).toMatchObject({ status: 400, reason: "Not existing relation 'bogus' in where." });
      expect(await rejection(names([{ type: 'linkedWithAll', attribute: 'teams', value: [] }]))).toMatchObject({ status: 400, reason: 'Bad where item. Empty value.' });
      expect(await rejection(names([{ type: 'linkedWith', attribute: 'teams', value: [1] }]))).toMatchObject({ status: 400, reason: 'Bad where item. Non-string ID.' });
      expect(await rejection(names([{ type: 'linkedWith', attribute: 'teams', value: null }]))).toMatchObject({ status: 400, reason: 'Bad where item. Non-string ID.' });
    });
  });

  describe('date presets on a date-time attribute (dateTime: true)', () => {
    const cases: [string, Item, string[]][] = [
      ['today', { type: 'today' }, ['Alpha Corp']],
      ['today in Asia/Tokyo', { type: 'today', timeZone: 'Asia/Tokyo' }, ['Alpha Corp', 'Theta']],
      ['past', { type: 'past' }, except('Epsilon')],
      ['future', { type: 'future' }, ['Epsilon']],
      ['lastSevenDays', { type: 'lastSevenDays' }, ['Alpha Corp', 'Beta LLC', 'Theta']],
      ['lastXDays', { type: 'lastXDays', value: '45' }, ['Alpha Corp', 'Beta LLC', 'Gamma 50% Off_Deals', 'Theta']],
      ['nextXDays', { type: 'nextXDays', value: 3 }, ['Epsilon']],
      ['olderThanXDays', { type: 'olderThanXDays', value: '30' }, ['Gamma 50% Off_Deals', 'delta inc', 'Eta']],
      ['afterXDays', { type: 'afterXDays', value: '1' }, ['Epsilon']],
      ['currentMonth', { type: 'currentMonth' }, ['Alpha Corp', 'Beta LLC', 'Epsilon', 'Theta']],
      ['lastMonth', { type: 'lastMonth' }, ['Gamma 50% Off_Deals']],
      ['nextMonth', { type: 'nextMonth' }, []],
      ['currentQuarter', { type: 'currentQuarter' }, ['Alpha Corp', 'Beta LLC', 'Gamma 50% Off_Deals', 'Epsilon', 'Theta']],
      ['lastQuarter', { type: 'lastQuarter' }, ['Eta']],
      ['currentYear', { type: 'currentYear' }, except('delta inc')],
      ['lastYear', { type: 'lastYear' }, ['delta inc']],
      ['currentYear in Europe/Berlin takes 23:30 UTC on 31 Dec as 1 Jan', { type: 'currentYear', timeZone: 'Europe/Berlin' }, ALL],
      ['lastYear in Europe/Berlin', { type: 'lastYear', timeZone: 'Europe/Berlin' }, []],
      ['currentFiscalYear', { type: 'currentFiscalYear' }, except('delta inc')],
      ['lastFiscalYear', { type: 'lastFiscalYear' }, ['delta inc']],
      ['currentFiscalQuarter', { type: 'currentFiscalQuarter' }, ['Alpha Corp', 'Beta LLC', 'Gamma 50% Off_Deals', 'Epsilon', 'Theta']],
      ['lastFiscalQuarter', { type: 'lastFiscalQuarter' }, ['Eta']],
      ['on a date: the whole day', { type: 'on', value: '2026-05-17' }, ['Beta LLC']],
      ['on a date in America/New_York', { type: 'on', value: '2026-05-19', timeZone: 'America/New_York' }, ['Theta']],
      ['notOn a date', { type: 'notOn', value: '2026-05-17' }, except('Beta LLC')],
      ['before a date', { type: 'before', value: '2026-04-11' }, ['Gamma 50% Off_Deals', 'delta inc', 'Eta']],
      ['after a date: after its last second', { type: 'after', value: '2026-05-20' }, ['Epsilon']],
      ['between dates includes the whole last day', { type: 'between', value: ['2026-05-01', '2026-05-20'] }, ['Alpha Corp', 'Beta LLC', 'Theta']],
      ['a non-date type passes through', { type: 'isNotNull' }, ALL],
    ];
    for (const [label, item, expected] of cases) {
      it(label, () => expectNames([{ attribute: 'createdAt', dateTime: true, ...item }], expected));
    }
    it('dateTime given as the strings "1"/"True" (PHP/Python clients)', async () => {
      await expectNames([{ type: 'today', attribute: 'createdAt', dateTime: '1' }], ['Alpha Corp']);
      await expectNames([{ type: 'today', attribute: 'createdAt', dateTime: 'True', timeZone: 'Asia/Tokyo' }], ['Alpha Corp', 'Theta']);
    });
    it('without dateTime, a date-time attribute compares with date strings (EspoCRM semantics)', () =>
      expectNames([{ type: 'past', attribute: 'createdAt' }], ['Beta LLC', 'Gamma 50% Off_Deals', 'delta inc', 'Eta', 'Theta']));
    it('400 for a bad time zone or date value', async () => {
      expect(await rejection(names([{ type: 'today', attribute: 'createdAt', dateTime: true, timeZone: 'Mars/Olympus' }]))).toMatchObject({ status: 400, reason: 'Bad timezone' });
      expect(await rejection(names([{ type: 'on', attribute: 'createdAt', dateTime: true, value: 'soon' }]))).toMatchObject({ status: 400, reason: 'Bad date value or timezone.' });
      expect(await rejection(names([{ type: 'between', attribute: 'createdAt', dateTime: true, value: ['2026-01-01'] }]))).toMatchObject({ status: 400, reason: 'Bad where item. Bad value.' });
    });
  });

  describe('date presets on a date attribute', () => {
    beforeAll(async () => {
      for (const [name, closeDate] of [['Close Today', '2026-05-20'], ['Close Past', '2026-05-01'], ['Close Future', '2026-07-01'], ['Close Last Year', '2025-11-11']]) {
        await service.create('Opportunity', { name, amount: 1, closeDate }, admin);
      }
    });
    const cases: [Item, string[]][] = [
      [{ type: 'today' }, ['Close Today', 'Deal']],
      [{ type: 'past' }, ['Close Last Year', 'Close Past']],
      [{ type: 'future' }, ['Close Future']],
      [{ type: 'lastXDays', value: 20 }, ['Close Past', 'Close Today', 'Deal']],
      [{ type: 'nextXDays', value: 60 }, ['Close Future', 'Close Today', 'Deal']],
      [{ type: 'currentMonth' }, ['Close Past', 'Close Today', 'Deal']],
      [{ type: 'nextQuarter_is_unknown' }, []],
      [{ type: 'lastYear' }, ['Close Last Year']],
      [{ type: 'on', value: '2026-05-01' }, ['Close Past']],
      [{ type: 'between', value: ['2026-05-01', '2026-07-01'] }, ['Close Future', 'Close Past', 'Close Today', 'Deal']],
    ];
    for (const [item, expected] of cases) {
      it(String(item.type), async () => {
        const run = names([{ attribute: 'closeDate', ...item }], 'Opportunity');
        if (item.type === 'nextQuarter_is_unknown') {
          expect(await rejection(run)).toMatchObject({ status: 400, reason: "Unknown where item type 'nextQuarter_is_unknown'." });
        } else {
          expect(await run).toEqual(expected);
        }
      });
    }
    it('today in a time zone with date: true', async () => {
      expect(await names([{ type: 'today', attribute: 'closeDate', date: true, timeZone: 'Pacific/Kiritimati' }], 'Opportunity')).toEqual([]);
    });
  });

  describe('groups and limits', () => {
    it('and / or, also as PHP-style numbered maps', async () => {
      await expectNames(
        [{ type: 'or', value: [{ type: 'equals', attribute: 'type', value: 'Reseller' }, { type: 'and', value: { 0: { type: 'equals', attribute: 'type', value: 'Customer' }, 1: { type: 'isNotNull', attribute: 'emailAddress' } } }] }],
        ['Alpha Corp', 'Gamma 50% Off_Deals'],
      );
      await expectNames([{ type: 'or', value: [] }], []);
      await expectNames([{ type: 'and', value: [] }], ALL);
    });

    it('nesting 12 levels deep', async () => {
      let item: Item = { type: 'equals', attribute: 'name', value: 'Eta' };
      for (let depth = 0; depth < 12; depth++) item = { type: depth % 2 ? 'and' : 'or', value: [item] };
      await expectNames([item], ['Eta']);
    });

    it('lists of 150 items', async () => {
      const values = [...Array.from({ length: 149 }, (_, index) => `No Such ${index}`), 'Theta'];
      await expectNames([{ type: 'in', attribute: 'name', value: values }], ['Theta']);
    });

    it('the top-level list is AND-ed', () =>
      expectNames([{ type: 'equals', attribute: 'type', value: 'Customer' }, { type: 'isNotNull', attribute: 'emailAddress' }], ['Alpha Corp']));
  });

  describe('both wire forms', () => {
    it('PHP bracket query with 1/0 and Python True/None', async () => {
      const query = qs.parse(
        'where[0][type]=equals&where[0][attribute]=isLocked&where[0][value]=0&where[1][type]=or&where[1][value][0][type]=equals&where[1][value][0][attribute]=emailAddressIsOptedOut&where[1][value][0][value]=True' +
          '&where[1][value][1][type]=in&where[1][value][1][attribute]=industry&where[1][value][1][value][0]=Legal&where[1][value][1][value][1]=Banking',
        { depth: 20, arrayLimit: 200 },
      );
      const result = await service.find('Account', parseSearchQuery(query as Record<string, unknown>), admin);
      expect(result.list.map((record) => record.name).sort()).toEqual(['Alpha Corp', 'Beta LLC', 'delta inc']);
    });

    it('JSON searchParams with typed values', async () => {
      const searchParams = JSON.stringify({ where: [{ type: 'equals', attribute: 'isLocked', value: false }, { type: 'linkedWith', attribute: 'teams', value: [fx.teamB] }] });
      const result = await service.find('Account', parseSearchQuery({ searchParams }), admin);
      expect(result.list.map((record) => record.name).sort()).toEqual(['Beta LLC', 'Theta']);
    });
  });

  describe('malformed and forbidden items are 400, never a crash', () => {
    const cases: [string, unknown, string][] = [
      ['missing type', { attribute: 'name' }, "No 'type' in where item."],
      ['non-string type', { type: ['equals'], attribute: 'name' }, "No 'type' in where item."],
      ['missing attribute', { type: 'equals', value: 'x' }, "No 'attribute' in where item."],
      ['unknown key', { type: 'equals', attribute: 'name', value: 'x', foo: 1 }, "Unknown parameter 'foo' in where item."],
      ['item not an object', 'equals', 'Bad where item: should be an object.'],
      ['or value not a list', { type: 'or', value: 'x' }, "Bad where item 'or': value should be an array of where items."],
      ['or value a map with names', { type: 'or', value: { a: { type: 'isNull', attribute: 'name' } } }, "Bad where item 'or': value should be an array of where items."],
      ['unknown attribute', { type: 'equals', attribute: 'nope', value: 'x' }, "Not existing attribute 'nope' in where."],
      ['unknown type', { type: 'bogusType', attribute: 'name' }, "Unknown where item type 'bogusType'."],
      ['in without a list', { type: 'in', attribute: 'name', value: 'x' }, "Bad where item 'in'."],
      ['notIn without a list', { type: 'notIn', attribute: 'name', value: 'x' }, "Bad where item 'notIn'."],
      ['between with one value', { type: 'between', attribute: 'createdAt', value: ['2026-01-01'] }, "Bad where item 'between'."],
      ['not', { type: 'not', value: [] }, 'Sub-queries are forbidden in where.'],
      ['subQueryIn', { type: 'subQueryIn', value: [] }, 'Sub-queries are forbidden in where.'],
      ['subQueryNotIn', { type: 'subQueryNotIn', value: [] }, 'Sub-queries are forbidden in where.'],
      ['expression', { type: 'expression', attribute: 'name' }, 'Complex expressions are forbidden in where.'],
      ['foreign path', { type: 'equals', attribute: 'campaign.name', value: 'x' }, 'Complex expressions are forbidden in where.'],
      ['function', { type: 'equals', attribute: 'LENGTH:(name)', value: 1 }, 'Complex expressions are forbidden in where.'],
      ['# in attribute', { type: 'equals', attribute: 'name#', value: 1 }, 'Not allowed character in attribute.'],
      ['arrayAnyOf on a non-array field', { type: 'arrayAnyOf', attribute: 'name', value: ['x'] }, "Where item 'arrayAnyOf' needs an array field; 'name' is not one."],
      ['arrayNoneOf', { type: 'arrayNoneOf', attribute: 'type', value: ['x'] }, "Where item 'arrayNoneOf' needs an array field; 'type' is not one."],
      ['arrayAllOf', { type: 'arrayAllOf', attribute: 'type', value: ['x'] }, "Where item 'arrayAllOf' needs an array field; 'type' is not one."],
      ['arrayIsEmpty', { type: 'arrayIsEmpty', attribute: 'type' }, "Where item 'arrayIsEmpty' needs an array field; 'type' is not one."],
      ['arrayIsNotEmpty', { type: 'arrayIsNotEmpty', attribute: 'type' }, "Where item 'arrayIsNotEmpty' needs an array field; 'type' is not one."],
      ['object value', { type: 'equals', attribute: 'name', value: { a: 1 } }, "Bad where item value for attribute 'name'."],
      ['dateTime not a boolean', { type: 'today', attribute: 'createdAt', dateTime: 'maybe' }, "Bad where item: 'dateTime' should be a boolean."],
      ['date preset on a text attribute', { type: 'today', attribute: 'name' }, "Where item 'today' needs a date or date-time attribute; 'name' is not one."],
      ['isTrue on a text attribute', { type: 'isTrue', attribute: 'name' }, "Where item 'isTrue' needs a boolean attribute; 'name' is not one."],
      ['not filterable attribute', { type: 'equals', attribute: 'teamsIds', value: 'x' }, "Where items on attribute 'teamsIds' are not supported."],
      ['relation column', { type: 'equals', attribute: 'contactRole', value: 'x' }, "Where items on attribute 'contactRole' are not supported."],
      ['operator unsupported on email', { type: 'greaterThan', attribute: 'emailAddress', value: 'a' }, "Where item 'greaterThan' is not supported for attribute 'emailAddress'."],
    ];
    for (const [label, item, reason] of cases) {
      it(label, async () => {
        expect(await rejection(names([item]))).toEqual({ status: 400, reason, body: undefined });
      });
    }
    it('non-numeric value for a number attribute', async () => {
      expect(await rejection(names([{ type: 'greaterThan', attribute: 'probability', value: 'abc' }], 'Opportunity'))).toMatchObject({ status: 400, reason: "Bad where item value for attribute 'probability'." });
    });
    it('nesting beyond 64 levels', async () => {
      let item: Item = { type: 'isNull', attribute: 'name' };
      for (let depth = 0; depth < 70; depth++) item = { type: 'and', value: [item] };
      expect(await rejection(names([item]))).toMatchObject({ status: 400, reason: 'Bad where item: nested too deeply.' });
    });
  });
});
