import type { Server } from 'node:http';
import type { Kysely } from 'kysely';
import { pino, type Logger } from 'pino';
import { createApp, API_BASE, type App } from './app.js';
import { ensureBootstrapUsers } from './bootstrap.js';
import { DEMO_CREDENTIALS, ensureDatabaseDirectory, readConfig, redactDatabaseUrl, type ServerConfig } from './config.js';
import type { Database } from './db/schema.js';
import { seedDemoData } from './demo/seed.js';

/** A credential for the banner: the demo default is shown, a value from the environment is not. */
function shown(value: string, demo: string, variable: string): string {
  return value === demo ? value : `(${variable})`;
}

/** What a newcomer needs to start: where the API and its docs are, and how to authenticate. */
export function banner(config: ServerConfig, origin: string): string {
  const apiKey = shown(config.apiKey, DEMO_CREDENTIALS.apiKey, 'ESPO_API_KEY');
  const secret = shown(config.apiSecret, DEMO_CREDENTIALS.apiSecret, 'ESPO_API_SECRET');
  const user = shown(config.adminUserName, DEMO_CREDENTIALS.adminUserName, 'ESPO_ADMIN_USERNAME');
  const password = shown(config.adminPassword, DEMO_CREDENTIALS.adminPassword, 'ESPO_ADMIN_PASSWORD');
  const curlKey = config.apiKey === DEMO_CREDENTIALS.apiKey ? config.apiKey : '$ESPO_API_KEY';
  return [
    `EspoCRM Account API reference server`,
    `  API:      ${origin}${API_BASE}`,
    `  Docs:     ${origin}/docs`,
    `  Database: ${redactDatabaseUrl(config.databaseUrl)}`,
    `  Credentials:`,
    `    X-Api-Key: ${apiKey}`,
    `    HMAC:      API key ${apiKey}, secret ${secret}`,
    `    Basic:     ${user} / ${password}`,
    `  Try: curl -H "X-Api-Key: ${curlKey}" '${origin}${API_BASE}/Account?maxSize=2'`,
    '',
  ].join('\n');
}

/** Creates the bootstrap users and seeds demo data into an empty database (once per start, before serving). */
export async function prepareData(db: Kysely<Database>, config: ServerConfig, log: Logger): Promise<void> {
  await ensureBootstrapUsers(db, config);
  if (config.seed) {
    const seeded = await seedDemoData(db, { accounts: config.seedAccounts });
    if (seeded) log.info({ accounts: config.seedAccounts }, 'seeded demo data into the empty database');
  }
}

/**
 * `espo-ref serve`: migrate, create the bootstrap users, seed demo data into an empty database, listen, and
 * shut down gracefully on SIGTERM/SIGINT (stop accepting, finish in-flight requests, close the database).
 * As a cluster worker (`role: 'worker'`, see cluster.ts) the primary has prepared the data and prints the
 * banner; the worker also stops when the primary goes away.
 */
export async function serve(config: ServerConfig = readConfig(), role: 'single' | 'worker' = 'single'): Promise<Server> {
  const log = pino({ level: config.logLevel });
  ensureDatabaseDirectory(config.databaseUrl);
  const app = await createApp({
    databaseUrl: config.databaseUrl,
    validateResponses: config.validateResponses,
    identityCacheMs: config.identityCacheMs,
    cors: config.cors,
    poolSize: config.poolSize,
    ...(config.authMaxFailedAttemptNumber > 0
      ? { failedLoginLimit: { maxAttempts: config.authMaxFailedAttemptNumber, periodMs: config.authFailedAttemptsPeriod * 1000 } }
      : {}),
    logger: log,
  });
  let server: Server;
  try {
    if (role === 'single') await prepareData(app.database.db, config, log);
    server = await listen(app.app, config.port, config.host);
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  // The banner is for people, on stderr; stdout carries only the JSON log lines, for log collectors.
  if (role === 'single') process.stderr.write(banner(config, `http://${config.host}:${port}`));

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    server.close(() => {
      app.close().then(
        () => process.exit(0),
        (err: unknown) => {
          log.error({ err }, 'closing the database failed');
          process.exit(1);
        },
      );
    });
    server.closeIdleConnections();
    // In-flight requests get a grace period; then the remaining connections are cut.
    setTimeout(() => server.closeAllConnections(), 10_000).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  if (role === 'worker') process.once('disconnect', () => shutdown('primary gone'));
  return server;
}

function listen(app: App['app'], port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}
