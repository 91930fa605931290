import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { createRole, createUser, grantRole } from '../../src/server/acl/index.js';
import { createApp, type App } from '../../src/server/app.js';
import { listenApp } from '../support/server.js';
import { ensureBootstrapUsers } from '../../src/server/bootstrap.js';
import { describeEngines, useTestDatabase } from '../support/database.js';

/**
 * The access-change rule the README states (issue 14 item 4): a server caches users and role tables for
 * ESPO_IDENTITY_CACHE_MS (`espo-ref serve`: 2000 ms). A change made through this project's functions in
 * the server's own process applies at the next request; a change written by another process (simulated
 * here by writing the rows directly) applies once the cached entry is older than the cache time.
 */
const CACHE_MS = 2000;

describeEngines('access changes', (engine) => {
  const t = useTestDatabase(engine);
  let app: App;
  let baseUrl: string;
  let close: () => Promise<void>;
  let aliceId: string;
  const alice = { 'Espo-Authorization': Buffer.from('alice:alice-pw').toString('base64') };
  const status = async (path = '/Account?maxSize=1') => (await fetch(`${baseUrl}${path}`, { headers: alice })).status;

  beforeAll(async () => {
    app = await createApp({ database: t.handle, identityCacheMs: CACHE_MS });
    await ensureBootstrapUsers(t.db, { apiKey: 'k', adminUserName: 'admin', adminPassword: 'admin-pw' });
    aliceId = await createUser(t.db, { userName: 'alice', credentials: { kind: 'password', password: 'alice-pw' } });
    ({ baseUrl, close } = await listenApp(app));
  });
  afterAll(() => close());
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a role granted in the same process applies at the next request', async () => {
    expect(await status()).toBe(403); // no role: no Account access (and now cached)
    const roleId = await createRole(t.db, 'Readers', { Account: { create: 'no', read: 'all', edit: 'no', delete: 'no', stream: 'no' } });
    await grantRole(t.db, roleId, aliceId);
    expect(await status()).toBe(200);
  });

  it('a change written by another process applies within the cache time, not before', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    app.forgetIdentities();
    expect(await status()).toBe(200); // cached from now on
    // Another process (espo-ref, another server) takes the role away: nothing tells this process.
    await t.db.updateTable('role_user').set({ deleted: 1 }).where('userId', '=', aliceId).execute();
    vi.setSystemTime(Date.now() + CACHE_MS - 100);
    expect(await status()).toBe(200); // still the cached table
    vi.setSystemTime(Date.now() + 200);
    expect(await status()).toBe(403);
  });

  it('a deactivated user is refused once the cached identity expires', async () => {
    await t.db.updateTable('role_user').set({ deleted: 0 }).where('userId', '=', aliceId).execute();
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    app.forgetIdentities();
    expect(await status()).toBe(200);
    await t.db.updateTable('user').set({ isActive: 0 }).where('id', '=', aliceId).execute();
    vi.setSystemTime(Date.now() + CACHE_MS + 1);
    expect(await status()).toBe(401);
  });
});
