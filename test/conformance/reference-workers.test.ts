/**
 * The conformance kit (--strict) against `espo-ref serve --workers 2`: the same suite as against the
 * in-process server, so behaviour is identical with requests spread over two processes (consecutive
 * connections go to different workers). SQLite file always; PostgreSQL when TEST_DATABASE_URL is set.
 */
import { describe, it } from 'vitest';
import { databaseForProcesses, startServe } from '../support/espo-process.js';
import { TEST_ADMIN, TEST_API_KEY, TEST_API_SECRET } from '../support/server.js';
import { referenceSuite, type SuiteServer } from './reference-suite.js';

async function startWorkers(engine: 'sqlite' | 'postgres'): Promise<SuiteServer> {
  const database = await databaseForProcesses(engine);
  try {
    const serve = await startServe(['--workers', '2'], {
      DATABASE_URL: database.url,
      ESPO_API_KEY: TEST_API_KEY,
      ESPO_API_SECRET: TEST_API_SECRET,
      ESPO_ADMIN_USERNAME: TEST_ADMIN.username,
      ESPO_ADMIN_PASSWORD: TEST_ADMIN.password,
      ESPO_SEED: '0',
      LOG_LEVEL: 'warn',
    }, /Workers: +2 processes/);
    return {
      baseUrl: `${serve.origin}/api/v1`,
      apiKey: TEST_API_KEY,
      hmac: { apiKey: TEST_API_KEY, secretKey: TEST_API_SECRET },
      user: TEST_ADMIN,
      async close() {
        await serve.stop();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

referenceSuite('sqlite', () => startWorkers('sqlite'), 'sqlite, serve --workers 2');
if (process.env.TEST_DATABASE_URL) {
  referenceSuite('postgres', () => startWorkers('postgres'), 'postgres, serve --workers 2');
} else {
  describe.skip('conformance kit against serve --workers 2 [postgres] (PostgreSQL: TEST_DATABASE_URL not set)', () => {
    it('PostgreSQL: TEST_DATABASE_URL not set', () => {});
  });
}
