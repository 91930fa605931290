/**
 * The demo data of `npm start` on both engines: every link of a demo account shows records, the records
 * pass the contract's response validation, and seeding is bounded (only the newest accounts are enriched,
 * and an existing database is never seeded again).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RELATED_DEMO_ACCOUNTS } from '../../src/server/demo/related.js';
import { seedDemoData } from '../../src/server/demo/seed.js';
import { ACCOUNT_LINKS } from '../../src/server/routes/links.js';
import { describeEngines, type Engine } from '../support/database.js';
import { jsonApi, type JsonApi } from '../support/json-api.js';
import { startServer, type TestServer } from '../support/server.js';

const ACCOUNTS = 320;

describeEngines('demo data', (engine: Engine) => {
  let server: TestServer;
  let admin: JsonApi;

  beforeAll(async () => {
    server = await startServer({ engine });
    admin = jsonApi(server, 'admin');
    expect(await seedDemoData(server.app.database.db, { accounts: ACCOUNTS })).toBe(true);
  });
  afterAll(async () => {
    await server?.close();
  });

  // How fast seeding is belongs to `npm run bench`; here only what it does.
  it('seeds only into an empty database', async () => {
    expect(await seedDemoData(server.app.database.db, { accounts: 5 })).toBe(false);
    expect((await admin.ok(admin.get('/Account?maxSize=1'))).total).toBe(ACCOUNTS);
  });

  it('fills every link of the newest account (valid against the contract)', async () => {
    const [newest] = (await admin.ok(admin.get('/Account?maxSize=1'))).list;
    for (const link of ACCOUNT_LINKS) {
      const page = await admin.ok(admin.get(`/Account/${newest.id}/${link}`));
      expect(page.total, link).toBeGreaterThan(0);
    }
    const contacts = (await admin.ok(admin.get(`/Account/${newest.id}/contacts?select=name,accountRole`))).list;
    expect(contacts.some((contact: { accountRole: string | null }) => contact.accountRole !== null)).toBe(true);
    const stream = await admin.ok(admin.get(`/Account/${newest.id}/stream`));
    expect(stream.list.map((note: { type: string }) => note.type)).toEqual(expect.arrayContaining(['Create', 'CreateRelated', 'Relate']));
    expect((await admin.ok(admin.get(`/Account/${newest.id}`))).teamsIds).toHaveLength(1);
  });

  it('enriches a bounded number of accounts: the newest ones', async () => {
    const enriched = await server.app.database.db.selectFrom('account_document').select((eb) => eb.fn.count('accountId').distinct().as('n')).executeTakeFirstOrThrow();
    expect(Number(enriched.n)).toBe(RELATED_DEMO_ACCOUNTS);
    const newest = (await admin.ok(admin.get(`/Account?maxSize=1&offset=0`))).list[0];
    expect((await admin.ok(admin.get(`/Account/${newest.id}/stream?filter=posts`))).total).toBe(1);
    const older = (await admin.ok(admin.get(`/Account?maxSize=1&offset=${RELATED_DEMO_ACCOUNTS}`))).list[0];
    expect((await admin.ok(admin.get(`/Account/${older.id}/contacts`))).total).toBe(0);
    expect((await admin.ok(admin.get(`/Account/${older.id}/stream`))).total).toBe(0);
  });
});
