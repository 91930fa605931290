import { beforeAll, describe, expect, it } from 'vitest';
import { createContext, type RequestContext } from '../../src/server/read/context.js';
import { RecordService } from '../../src/server/records/record-service.js';
import { describeEngines, useTestDatabase } from '../support/database.js';
import { contextWithLevel, createFixtures, rejection, type Fixtures } from '../support/fixtures.js';

describeEngines('duplicates and concurrency', (engine) => {
  const t = useTestDatabase(engine);
  let service: RecordService;
  let fx: Fixtures;
  let admin: RequestContext;

  beforeAll(async () => {
    service = new RecordService(t.db);
    fx = await createFixtures(t.db);
    admin = createContext(fx.admin);
  });

  const accounts = async () => Number((await t.db.selectFrom('account').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  describe('duplicate check on create', () => {
    it('409 duplicate when the name matches ignoring case, with the duplicates as body', async () => {
      const original = await service.create('Account', { name: 'Duplicate Corp', emailAddress: 'hello@dup.com' }, admin);
      const before = await accounts();
      const error = await rejection(service.create('Account', { name: 'DUPLICATE corp' }, admin));
      expect(error.status).toBe(409);
      expect(error.reason).toBe('duplicate');
      expect(error.body).toEqual([expect.objectContaining({ id: original.id, name: 'Duplicate Corp', emailAddress: 'hello@dup.com' })]);
      expect(await accounts()).toBe(before);
    });

    it('409 when any email address matches an existing one', async () => {
      const original = await service.create('Account', { name: 'Mail Owner', emailAddressData: [{ emailAddress: 'first@owner.com' }, { emailAddress: 'second@owner.com' }] }, admin);
      const byPrimary = await rejection(service.create('Account', { name: 'Other Name', emailAddress: 'SECOND@owner.com' }, admin));
      expect(byPrimary.body).toEqual([expect.objectContaining({ id: original.id })]);
      const byData = await rejection(service.create('Account', { name: 'Third Name', emailAddressData: [{ emailAddress: 'new@x.com' }, { emailAddress: 'first@owner.com' }] }, admin));
      expect(byData.status).toBe(409);
    });

    it('returns at most 5 duplicates', async () => {
      for (let index = 0; index < 6; index++) {
        await service.create('Account', { name: 'Many Same' }, { ...admin, skipDuplicateCheck: true });
      }
      const error = await rejection(service.create('Account', { name: 'many same' }, admin));
      expect(error.body).toHaveLength(5);
    });

    it('is skipped with the header flag; the body flag counts only without the header', async () => {
      await service.create('Account', { name: 'Skip Me' }, admin);
      expect(await service.create('Account', { name: 'Skip Me' }, { ...admin, skipDuplicateCheck: true })).toMatchObject({ name: 'Skip Me' });
      expect(await service.create('Account', { name: 'Skip Me', _skipDuplicateCheck: true }, admin)).toMatchObject({ name: 'Skip Me' });
      expect((await rejection(service.create('Account', { name: 'Skip Me', _skipDuplicateCheck: true }, { ...admin, skipDuplicateCheck: false }))).status).toBe(409);
    });

    it('ignores deleted records and records the user cannot read', async () => {
      const gone = await service.create('Account', { name: 'Gone Corp' }, admin);
      await service.delete('Account', String(gone.id), admin);
      expect(await service.create('Account', { name: 'Gone Corp' }, admin)).toMatchObject({ name: 'Gone Corp' });
      await service.create('Account', { name: 'Private Corp', assignedUserId: fx.bob.id }, admin);
      expect(await service.create('Account', { name: 'Private Corp', assignedUserId: fx.alice.id }, contextWithLevel(fx.alice, 'own'))).toMatchObject({ name: 'Private Corp' });
    });

    it('never runs on update (no updateDuplicateCheck for Account)', async () => {
      await service.create('Account', { name: 'Taken Name' }, admin);
      const other = await service.create('Account', { name: 'Free Name' }, admin);
      expect(await service.update('Account', String(other.id), { name: 'Taken Name' }, admin)).toMatchObject({ name: 'Taken Name' });
    });

    it('uses first and last name for person entities', async () => {
      await service.create('Contact', { firstName: 'Ann', lastName: 'Lee' }, admin);
      expect((await rejection(service.create('Contact', { firstName: 'ann', lastName: 'LEE' }, admin))).status).toBe(409);
      expect(await service.create('Contact', { firstName: 'Ann', lastName: 'Leeds' }, admin)).toMatchObject({ name: 'Ann Leeds' });
    });
  });

  describe('optimistic concurrency (X-Version-Number)', () => {
    it('409 modified only when the version is stale AND a sent value differs', async () => {
      const record = await service.create('Account', { name: 'Versioned', website: 'v.com', type: 'Customer' }, admin);
      const id = String(record.id);
      const v2 = await service.update('Account', id, { website: 'v2.com' }, { ...admin, versionNumber: 1 });
      expect(v2.versionNumber).toBe(2);

      const stale = { ...admin, versionNumber: 1 };
      const error = await rejection(service.update('Account', id, { name: 'Versioned', website: 'v3.com', type: 'Partner', createdAt: '2000-01-01 00:00:00' }, stale));
      expect(error).toEqual({ status: 409, reason: 'modified', body: { values: { website: 'v2.com', type: 'Customer' }, versionNumber: 2 } });
      expect(await service.read('Account', id, admin)).toEqual(v2);

      // Stale but nothing differs: 200, and the version still goes up (checked live on 9.2.7).
      const same = await service.update('Account', id, { name: 'Versioned', website: 'v2.com' }, stale);
      expect(same.versionNumber).toBe(3);
      // Current version, or no header: no conflict.
      expect((await service.update('Account', id, { website: 'v4.com' }, { ...admin, versionNumber: 3 })).versionNumber).toBe(4);
      expect((await service.update('Account', id, { website: 'v5.com' }, admin)).versionNumber).toBe(5);
    });

    it('compares email address lists as sets and link-multiple ids as sets', async () => {
      const record = await service.create('Account', { name: 'Set Compare', emailAddressData: [{ emailAddress: 'a@set.com', primary: true }, { emailAddress: 'b@set.com' }], teamsIds: [fx.teamA, fx.teamB] }, admin);
      const id = String(record.id);
      await service.update('Account', id, { description: 'bump' }, admin);
      const stale = { ...admin, versionNumber: 1 };
      const unchanged = await service.update('Account', id, { emailAddressData: [{ emailAddress: 'B@set.com' }, { emailAddress: 'a@set.com', primary: true }], teamsIds: [fx.teamB, fx.teamA] }, stale);
      expect(unchanged.versionNumber).toBe(3);
      const error = await rejection(service.update('Account', id, { teamsIds: [fx.teamA] }, stale));
      expect(error.body).toEqual({ values: { teamsIds: [fx.teamA, fx.teamB] }, versionNumber: 3 });
    });
  });
});
