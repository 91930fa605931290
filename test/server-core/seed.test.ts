import { expect, it } from 'vitest';
import { insertTeam, insertUser } from '../../src/server/acl/user-rows.js';
import { seedAccounts } from '../../src/server/demo/accounts.js';
import { createContext, systemActor } from '../../src/server/read/context.js';
import { RecordService } from '../../src/server/records/record-service.js';
import { defaultSearchParams } from '../../src/server/search/search-params.js';
import { describeEngines, useTestDatabase } from '../support/database.js';

describeEngines('seed', (engine) => {
  const t = useTestDatabase(engine);

  it('inserts realistic accounts in batches and reports progress', async () => {
    const progress: number[] = [];
    const userId = await insertUser(t.db, { userName: 'seeder', lastName: 'Seeder' });
    const ids = await seedAccounts(t.db, 250, { batchSize: 100, seed: 42, onProgress: (done, total) => progress.push(done / total), assignedUserIds: [userId], tag: 'a' });
    expect(progress).toEqual([0.4, 0.8, 1]);
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
    const first = await seedAccounts(t.db, 20, { seed: 7, tag: 'b', now: new Date('2026-01-01T00:00:00Z') });
    const second = await seedAccounts(t.db, 20, { seed: 7, tag: 'c', now: new Date('2026-01-01T00:00:00Z') });
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
