import { beforeAll, expect, it } from 'vitest';
import { createContext, type RequestContext } from '../../src/server/read/context.js';
import { RecordService } from '../../src/server/records/record-service.js';
import { LinkService } from '../../src/server/links/link-service.js';
import { defaultSearchParams } from '../../src/server/search/search-params.js';
import { describeEngines, useTestDatabase } from '../support/database.js';
import { createFixtures } from '../support/fixtures.js';

/**
 * Concurrent writers through the services, all started at once (issue 14 item 1). On PostgreSQL the test
 * database has a pool of 4 connections, so the writers really overlap; on SQLite they queue on the write
 * lock. Several server processes are covered by test/server/campaign.test.ts.
 */
const WRITERS = 20;

describeEngines('concurrent writers', (engine) => {
  const t = useTestDatabase(engine);
  let records: RecordService;
  let admin: RequestContext;

  beforeAll(async () => {
    records = new RecordService(t.db);
    admin = createContext((await createFixtures(t.db)).admin);
  });

  const settle = <T>(work: (index: number) => Promise<T>) => Promise.allSettled(Array.from({ length: WRITERS }, (_, index) => work(index)));
  const statusOf = (outcome: PromiseSettledResult<unknown>) => (outcome.status === 'fulfilled' ? 200 : ((outcome.reason as { status?: number }).status ?? 500));
  const statuses = (outcomes: PromiseSettledResult<unknown>[]) => outcomes.map(statusOf).sort();

  it('same X-Version-Number: one update wins, the others get 409 modified with its values', async () => {
    const account = await records.create('Account', { name: 'Versioned' }, admin);
    const outcomes = await settle((index) => records.update('Account', String(account.id), { name: `Writer ${index}` }, { ...admin, versionNumber: 1 }));
    expect(statuses(outcomes)).toEqual([200, ...Array<number>(WRITERS - 1).fill(409)]);
    const winner = outcomes.find((outcome) => outcome.status === 'fulfilled') as PromiseFulfilledResult<{ name: string }>;
    for (const outcome of outcomes.filter((o) => o.status === 'rejected')) {
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({ reason: 'modified', body: { values: { name: winner.value.name }, versionNumber: 2 } });
    }
    expect(await records.read('Account', String(account.id), admin)).toMatchObject({ name: winner.value.name, versionNumber: 2 });
  });

  it('without a version every update counts', async () => {
    const account = await records.create('Account', { name: 'Counted' }, admin);
    expect(statuses(await settle((index) => records.update('Account', String(account.id), { description: `writer ${index}` }, admin)))).toEqual(Array<number>(WRITERS).fill(200));
    expect((await records.read('Account', String(account.id), admin)).versionNumber).toBe(1 + WRITERS);
  });

  it('one name (any case) or one email address: one record', async () => {
    const byName = await settle((index) => records.create('Account', { name: index % 2 ? 'Race Corp' : 'RACE corp' }, admin));
    expect(statuses(byName)).toEqual([200, ...Array<number>(WRITERS - 1).fill(409)]);
    const byEmail = await settle((index) => records.create('Contact', { lastName: `Racer ${index}`, emailAddress: 'race@same.example' }, admin));
    expect(statuses(byEmail)).toEqual([200, ...Array<number>(WRITERS - 1).fill(409)]);
    const found = await records.find('Contact', { ...defaultSearchParams, where: [{ type: 'equals', attribute: 'emailAddress', value: 'race@same.example' }] }, admin);
    expect(found.total).toBe(1);
  });

  it('one opportunity related to many accounts at once: one owner', async () => {
    const links = new LinkService(t.db);
    const opportunity = await records.create('Opportunity', { name: 'Contested', amount: 1, closeDate: '2030-01-01' }, admin);
    const accounts = await Promise.all(Array.from({ length: WRITERS }, (_, index) => records.create('Account', { name: `Owner ${index}` }, admin)));
    const outcomes = await Promise.allSettled(accounts.map((account) => links.relate('Account', String(account.id), 'opportunities', [String(opportunity.id)], admin)));
    expect(statuses(outcomes)).toEqual([200, ...Array<number>(WRITERS - 1).fill(403)]);
    const owner = accounts[outcomes.findIndex((outcome) => outcome.status === 'fulfilled')]!;
    expect(await records.read('Opportunity', String(opportunity.id), admin)).toMatchObject({ accountId: owner.id });
  });
});
