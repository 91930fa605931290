/**
 * The reference server in this process, on a free port of 127.0.0.1, over a fresh database (in-memory
 * SQLite unless a URL is given), with a random API key and an admin user: what the conformance scripts
 * (`conformance:arazzo`, `conformance:fuzz`) check when no `--base-url` is given.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface LocalServer {
  apiRoot: string;
  apiKey: string;
  secretKey: string;
  admin: { username: string; password: string };
  stop(): Promise<void>;
}

export async function startReferenceServer(options: { databaseUrl?: string; demoAccounts?: number } = {}): Promise<LocalServer> {
  const { createApp } = await import('../server/app.js');
  const { ensureBootstrapUsers } = await import('../server/bootstrap.js');
  const apiKey = `conformance-${randomBytes(8).toString('hex')}`;
  const secretKey = randomBytes(16).toString('hex');
  const admin = { username: 'admin', password: randomBytes(12).toString('hex') };
  const app = await createApp({ databaseUrl: options.databaseUrl ?? 'sqlite::memory:' });
  await ensureBootstrapUsers(app.database.db, { apiKey, apiSecret: secretKey, adminUserName: admin.username, adminPassword: admin.password });
  if (options.demoAccounts) {
    const { seedDemoData } = await import('../server/demo/seed.js');
    await seedDemoData(app.database.db, { accounts: options.demoAccounts });
  }
  const server = app.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    apiRoot: `http://127.0.0.1:${port}/api/v1`,
    apiKey,
    secretKey,
    admin,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
    },
  };
}
