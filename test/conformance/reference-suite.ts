/**
 * The conformance kit against the reference server, with --strict (EspoCRM's known deviations count as
 * failures): every group as the bootstrap API user (API key) plus a small seeded fuzz; the checks that need
 * an admin (teams) and the password checks as the admin; the HMAC checks with key + secret. SQLite always,
 * PostgreSQL when TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance } from '../../src/conformance/runner.js';
import type { Report } from '../../src/conformance/report.js';
import type { Engine } from '../support/database.js';
import { startServer, type TestServer } from '../support/server.js';
import { failuresOf } from './failures.js';

function expectConformant(report: Report): void {
  expect(report.fatal).toBeUndefined();
  expect(report.aborted).toBe(false);
  expect(failuresOf(report)).toEqual([]);
  expect(report.cleanup.leftovers).toEqual([]);
}

/** What the suite needs of a server: the in-process test server, or `espo-ref serve --workers 2`. */
export type SuiteServer = Pick<TestServer, 'baseUrl' | 'apiKey' | 'hmac' | 'user' | 'close'>;

/**
 * The suite for one database engine (reference-sqlite.test.ts, reference-postgres.test.ts: separate files run
 * in parallel); `start` replaces the in-process server (reference-workers.test.ts).
 */
export function referenceSuite(engine: Engine, start: () => Promise<SuiteServer> = () => startServer({ engine }), label: string = engine): void {
  describe(`conformance kit against the reference server (--strict) [${label}]`, () => {
    let server: SuiteServer;
    // Generous hook timeouts: a PostgreSQL schema is created and migrated per suite, on a busy CI machine.
    beforeAll(async () => {
      server = await start();
    }, 300_000);
    afterAll(async () => {
      await server?.close();
    }, 300_000);

    it('passes every group as the API user, with a seeded fuzz', async () => {
      const report = await runConformance({
        baseUrl: server.baseUrl,
        auth: { apiKey: server.apiKey },
        strict: true,
        fuzz: 8,
        fuzzSeed: 20261127,
        fuzzTimeLimitMs: 20_000,
      });
      expectConformant(report);
      const counts = Object.fromEntries(report.groups.map((g) => [g.name, g.counts]));
      // Every group ran and most of its checks applied (skips are only what an API user cannot do: teams, HMAC, passwords).
      for (const name of ['auth', 'crud', 'search', 'errors', 'links', 'stream', 'fuzz']) expect(counts[name]?.checks ?? 0).toBeGreaterThan(5);
      expect(report.summary.passed).toBeGreaterThan(200);
      expect(report.summary.skipped).toBeLessThanOrEqual(16);
      expect(report.cleanup.created).toBeGreaterThan(100);
    }, 300_000);

    it('passes the team, delete and password checks as the admin', async () => {
      const report = await runConformance({
        baseUrl: server.baseUrl,
        auth: server.user,
        strict: true,
        checks: ['auth.', 'crud.delete', 'links.teams', 'search.where.linkedWith', 'search.where.notLinkedWith', 'search.where.isLinked', 'search.where.isNotLinked'],
      });
      expectConformant(report);
      const ran = report.groups.flatMap((g) => g.checks);
      expect(ran.filter((c) => c.id.startsWith('links.teams') && c.outcome === 'passed')).toHaveLength(5);
      expect(ran.filter((c) => c.id.startsWith('search.where.') && c.outcome === 'passed')).toHaveLength(6);
      expect(ran.find((c) => c.id === 'auth.basic-header')?.outcome).toBe('passed');
    }, 300_000);

    it('passes the HMAC checks with key and secret (and the site URL form of --base-url)', async () => {
      const report = await runConformance({ baseUrl: server.baseUrl.replace(/\/api\/v1$/, ''), auth: server.hmac, strict: true, only: ['auth'] });
      expectConformant(report);
      expect(report.groups[0]?.checks.filter((c) => c.id.startsWith('auth.hmac') && c.outcome === 'passed')).toHaveLength(4);
    }, 300_000);
  });
}
