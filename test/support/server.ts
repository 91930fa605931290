import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createApp, type App, type AppOptions } from '../../src/server/app.js';
import { ensureBootstrapUsers } from '../../src/server/bootstrap.js';
import { createTestDatabase, type Engine } from './database.js';

export interface TestServer {
  /** The API root, e.g. `http://127.0.0.1:40123/api/v1`. */
  baseUrl: string;
  /** API user: key alone, and key + secret for HMAC. */
  apiKey: string;
  hmac: { apiKey: string; secretKey: string };
  /** The bootstrap admin, for `Espo-Authorization` / Basic. */
  user: { username: string; password: string };
  apiUserId: string;
  adminId: string;
  app: App;
  close(): Promise<void>;
}

export const TEST_API_KEY = 'test-key';
export const TEST_API_SECRET = 'test-secret';
export const TEST_ADMIN = { username: 'admin', password: 'p@ss:word' };

/** The reference server on port 0 of 127.0.0.1 over a fresh database (SQLite in memory by default). */
export async function startServer(
  options: { engine?: Engine; logger?: Logger; app?: Omit<AppOptions, 'database' | 'logger'> } = {},
): Promise<TestServer> {
  const database = await createTestDatabase(options.engine ?? 'sqlite');
  const app = await createApp({ database, validateResponses: true, ...options.app, ...(options.logger ? { logger: options.logger } : {}) });
  const { apiUserId, adminId } = await ensureBootstrapUsers(database.db, {
    apiKey: TEST_API_KEY,
    apiSecret: TEST_API_SECRET,
    adminUserName: TEST_ADMIN.username,
    adminPassword: TEST_ADMIN.password,
  });
  const listening = await listenApp(app);
  return {
    baseUrl: listening.baseUrl,
    apiKey: TEST_API_KEY,
    hmac: { apiKey: TEST_API_KEY, secretKey: TEST_API_SECRET },
    user: TEST_ADMIN,
    apiUserId,
    adminId,
    app,
    async close() {
      await listening.close();
      await database.close();
    },
  };
}

/** Serves an app on port 0 of 127.0.0.1; `close` drops open connections, then closes the server and the app. */
export async function listenApp(app: App): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const server = app.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/v1`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
    },
  };
}
