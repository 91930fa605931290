/**
 * Email/phone conditions that match more than 1000 addresses are compiled as correlated EXISTS
 * instead of IN lists; both forms must select the same records.
 */
import { beforeAll, expect, it } from 'vitest';
import { seedAccounts } from '../../src/server/demo/accounts.js';
import { createContext, systemActor } from '../../src/server/read/context.js';
import { RecordService } from '../../src/server/records/record-service.js';
import { defaultSearchParams } from '../../src/server/search/search-params.js';
import { describeEngines, useTestDatabase } from '../support/database.js';

const SEEDED = 1200;

describeEngines('address conditions over many records', (engine) => {
  const t = useTestDatabase(engine);
  let service: RecordService;
  const ctx = createContext(systemActor);
  let withSales = 0;
  let primaryOptedOut = 0;

  beforeAll(async () => {
    service = new RecordService(t.db);
    await seedAccounts(t.db, SEEDED, { seed: 3, tag: 'm', batchSize: 600 });
    await service.create('Account', { name: 'No Address One' }, ctx);
    await service.create('Account', { name: 'No Address Two', type: 'Customer' }, ctx);
    const sales = await t.db.selectFrom('email_address').select((eb) => eb.fn.countAll().as('n')).where('lower', 'like', 'sales.%').executeTakeFirstOrThrow();
    withSales = Number(sales.n);
    const optedOut = await t.db
      .selectFrom('entity_email_address as l')
      .innerJoin('email_address as p', 'p.id', 'l.emailAddressId')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('l.primary', '=', 1)
      .where('p.optOut', '=', 1)
      .executeTakeFirstOrThrow();
    primaryOptedOut = Number(optedOut.n);
  });

  const total = async (where: unknown[], textFilter: string | null = null) =>
    (await service.find('Account', { ...defaultSearchParams, where, textFilter, maxSize: 5 }, ctx)).total;

  it('matches every seeded account by a common prefix', async () => {
    expect(withSales).toBeGreaterThan(0);
    expect(await total([{ type: 'startsWith', attribute: 'emailAddress', value: 'INFO.' }])).toBe(SEEDED);
    expect(await total([{ type: 'isNotNull', attribute: 'emailAddress' }])).toBe(SEEDED);
    expect(await total([{ type: 'isNull', attribute: 'emailAddress' }])).toBe(2);
    expect(await total([{ type: 'isNotNull', attribute: 'phoneNumber' }])).toBe(SEEDED);
  });

  it('agrees with direct counts for partial matches and negations', async () => {
    expect(await total([{ type: 'contains', attribute: 'emailAddress', value: 'sales.' }])).toBe(withSales);
    expect(await total([{ type: 'notContains', attribute: 'emailAddress', value: 'sales.' }])).toBe(SEEDED + 2 - withSales);
    expect(await total([{ type: 'notLike', attribute: 'emailAddress', value: 'info.%' }])).toBe(2);
  });

  it('handles flag conditions on many primary addresses', async () => {
    expect(await total([{ type: 'isNotNull', attribute: 'emailAddressIsOptedOut' }])).toBe(SEEDED);
    expect(await total([{ type: 'isNull', attribute: 'emailAddressIsOptedOut' }])).toBe(2);
    expect(await total([{ type: 'isTrue', attribute: 'emailAddressIsOptedOut' }])).toBe(primaryOptedOut);
    expect(await total([{ type: 'notEquals', attribute: 'emailAddressIsOptedOut', value: true }])).toBe(SEEDED - primaryOptedOut);
  });

  it('combines with other conditions and the text filter', async () => {
    expect(await total([{ type: 'startsWith', attribute: 'emailAddress', value: 'info.' }, { type: 'equals', attribute: 'name', value: 'No Address Two' }])).toBe(0);
    expect(await total([], 'info.')).toBe(SEEDED);
  });
});
