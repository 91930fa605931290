import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { insertTeam, insertUser } from '../../src/server/acl/user-rows.js';
import { seedAccounts } from '../../src/server/demo/accounts.js';
import { createContext, systemActor } from '../../src/server/read/context.js';
import { RecordService } from '../../src/server/records/record-service.js';
import { defaultSearchParams } from '../../src/server/search/search-params.js';
import type { Database } from '../../src/server/db/schema.js';
import { describeEngines, useTestDatabase } from '../support/database.js';

describeEngines('seed', (engine) => {
  const t = useTestDatabase(engine);

  it('inserts realistic accounts in batches and reports progress', async () => {
    const progress: number[] = [];
    const userId = await insertUser(t.db, { userName: 'seeder', lastName: 'Seeder' });
    const { count, newestIds: ids } = await seedAccounts(t.db, 250, { batchSize: 100, seed: 42, onProgress: (done, total) => progress.push(done / total), assignedUserIds: [userId], tag: 'a', keepIds: 250 });
    expect(progress).toEqual([0.4, 0.8, 1]);
    expect(count).toBe(250);
    expect(new Set(ids).size).toBe(250);

    const service = new RecordService(t.db);
    const ctx = createContext(systemActor);
    const result = await service.find('Account', { ...defaultSearchParams, maxSize: 200 }, ctx);
    expect(result.total).toBe(250);
    for (const record of result.list) {
      expect(record.name).toEqual(expect.any(String));
      expect(record.emailAddress).toMatch(/@/);
      expect(record.phoneNumber).toMatch(/^\+1 /);
      expect(record.assignedUserName).toBe('Seeder');
      expect(['Customer', 'Investor', 'Partner', 'Reseller']).toContain(record.type);
    }
    const created = result.list.map((record) => String(record.createdAt));
    expect(created).toEqual([...created].sort().reverse());
    const one = await service.read('Account', ids[0]!, ctx);
    expect((one.emailAddressData as unknown[]).length).toBeGreaterThanOrEqual(1);
    expect((one.phoneNumberData as unknown[]).length).toBeGreaterThanOrEqual(1);
  });

  it('is deterministic for a seed and can run again with another tag', async () => {
    const first = (await seedAccounts(t.db, 20, { seed: 7, tag: 'b', now: new Date('2026-01-01T00:00:00Z'), keepIds: 20 })).newestIds;
    const second = (await seedAccounts(t.db, 20, { seed: 7, tag: 'c', now: new Date('2026-01-01T00:00:00Z'), keepIds: 20 })).newestIds;
    expect(first).toHaveLength(20);
    const names = async (ids: string[]) => (await t.db.selectFrom('account').select(['id', 'name', 'createdAt']).where('id', 'in', ids).execute()).map((row) => `${row.name}|${row.createdAt}`).sort();
    expect(await names(first)).toEqual(await names(second));
  });

  it('creates teams and users with memberships', async () => {
    const teamId = await insertTeam(t.db, 'Sales');
    const userId = await insertUser(t.db, { userName: 'api-client', lastName: 'Client', type: 'api', apiKey: 'k-1', teamIds: [teamId] });
    const user = await t.db.selectFrom('user').select(['type', 'apiKey', 'authMethod', 'defaultTeamId']).where('id', '=', userId).executeTakeFirstOrThrow();
    expect(user).toEqual({ type: 'api', apiKey: 'k-1', authMethod: 'ApiKey', defaultTeamId: teamId });
    expect(await t.db.selectFrom('team_user').select(['teamId', 'userId']).where('userId', '=', userId).execute()).toEqual([{ teamId, userId }]);
    await expect(insertUser(t.db, { userName: 'api-client', lastName: 'Again' })).rejects.toThrow();
  });
});

/** Rows per table, and how far the accounts are from having exactly one primary email address and phone number each. */
async function shapeOf(db: Kysely<Database>) {
  const counts: Record<string, number> = {};
  for (const table of ['account', 'email_address', 'entity_email_address', 'phone_number', 'entity_phone_number'] as const) {
    counts[table] = Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  }
  // Every account has exactly one primary of each: as many primary links as accounts, each to another account.
  const badPrimaries = async (table: 'entity_email_address' | 'entity_phone_number') => {
    const row = await db
      .selectFrom(table)
      .select((eb) => [eb.fn.countAll().as('links'), eb.fn.count('entityId').distinct().as('accounts')])
      .where('primary', '=', 1)
      .executeTakeFirstOrThrow();
    return Math.abs(counts.account! - Number(row.accounts)) + (Number(row.links) - Number(row.accounts));
  };
  return { counts, emailsWithoutOnePrimary: await badPrimaries('entity_email_address'), phonesWithoutOnePrimary: await badPrimaries('entity_phone_number') };
}

describeEngines('streamed seed, one batch', (engine) => {
  const t = useTestDatabase(engine);

  it('writes the accounts, their 1–2 email addresses and phone numbers, with the same data for a seed', async () => {
    const seeded = await seedAccounts(t.db, 30, { seed: 5, tag: 's', now: new Date('2026-01-01T00:00:00Z'), keepIds: 30 });
    expect(seeded.count).toBe(30);
    expect(await shapeOf(t.db)).toEqual({
      counts: { account: 30, email_address: 42, entity_email_address: 42, phone_number: 46, entity_phone_number: 46 },
      emailsWithoutOnePrimary: 0,
      phonesWithoutOnePrimary: 0,
    });
    // The oldest account of this seed, column by column (the ids are time-based, so not compared).
    const first = await t.db.selectFrom('account').selectAll().where('id', '=', seeded.newestIds[0]!).executeTakeFirstOrThrow();
    expect({ ...first, id: undefined }).toEqual({
      id: undefined, deleted: 0, createdAt: '2023-01-05 02:34:48', modifiedAt: '2023-01-05 02:34:48', versionNumber: 1, createdById: 'system',
      modifiedById: null, assignedUserId: null, streamUpdatedAt: null, name: 'Oscorp Atlas LLC', website: 'www.oscorp-atlas-llc.example.com',
      type: 'Partner', industry: 'Retail', sicCode: null, billingAddressStreet: '92 Church Lane', billingAddressCity: 'Sydney',
      billingAddressState: 'NSW', billingAddressCountry: 'Australia', billingAddressPostalCode: '30648', shippingAddressStreet: null,
      shippingAddressCity: null, shippingAddressState: null, shippingAddressCountry: null, shippingAddressPostalCode: null,
      description: null, campaignId: null, isLocked: 0,
    });
    const emails = await t.db
      .selectFrom('entity_email_address as l')
      .innerJoin('email_address as e', 'e.id', 'l.emailAddressId')
      .select(['e.name', 'e.lower', 'e.optOut', 'e.invalid', 'l.primary', 'l.entityType'])
      .where('l.entityId', '=', first.id)
      .orderBy('l.primary', 'desc')
      .execute();
    expect(emails).toEqual([
      { name: 'info.s0000000@oscorp-atlas-llc.example.com', lower: 'info.s0000000@oscorp-atlas-llc.example.com', optOut: 0, invalid: 0, primary: 1, entityType: 'Account' },
      { name: 'sales.s0000000@oscorp-atlas-llc.example.com', lower: 'sales.s0000000@oscorp-atlas-llc.example.com', optOut: 0, invalid: 0, primary: 0, entityType: 'Account' },
    ]);
    const phones = await t.db
      .selectFrom('entity_phone_number as l')
      .innerJoin('phone_number as p', 'p.id', 'l.phoneNumberId')
      .select(['p.name', 'p.type', 'p.numeric', 'l.primary', 'l.entityType'])
      .where('l.entityId', '=', first.id)
      .execute();
    expect(phones).toEqual([{ name: '+1 999362 10000000', type: 'Office', numeric: '199936210000000', primary: 1, entityType: 'Account' }]);
  });
});

describeEngines('streamed seed, several batches', (engine) => {
  const t = useTestDatabase(engine);

  it('writes every batch (statements of up to 512 rows and their remainders) and returns only the newest ids asked for', async () => {
    const progress: number[] = [];
    // 1300 = 2 × 600 + 100: each batch of 600 accounts (a transaction) writes a 512-row statement, then
    // the rest of its rows in smaller ones (64 + 16 + 8 accounts).
    const seeded = await seedAccounts(t.db, 1300, { batchSize: 600, seed: 11, tag: 'm', keepIds: 3, onProgress: (done) => progress.push(done) });
    expect(progress).toEqual([600, 1200, 1300]);
    expect(seeded.count).toBe(1300);
    const shape = await shapeOf(t.db);
    expect(shape.counts.account).toBe(1300);
    expect(shape.emailsWithoutOnePrimary).toBe(0);
    expect(shape.phonesWithoutOnePrimary).toBe(0);
    expect(shape.counts.entity_email_address).toBe(shape.counts.email_address);
    expect(shape.counts.entity_phone_number).toBe(shape.counts.phone_number);
    for (const table of ['email_address', 'phone_number'] as const) {
      expect(shape.counts[table]).toBeGreaterThan(1300);
      expect(shape.counts[table]).toBeLessThan(2600);
    }
    // Each account's addresses carry its own number: the 1300th account's are there.
    const last = await t.db.selectFrom('email_address').select('name').where('name', 'like', 'info.m0001299@%').execute();
    expect(last).toHaveLength(1);
    const newest = await t.db.selectFrom('account').select('id').orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(3).execute();
    expect(seeded.newestIds).toEqual(newest.map((row) => row.id).reverse());
  });
});
