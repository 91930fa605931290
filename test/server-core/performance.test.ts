/**
 * Opt-in load check: PERF_ACCOUNTS=100000 npx vitest run test/server-core/performance.test.ts
 * Seeds a SQLite file database and measures list queries (p50/p99 over PERF_RUNS runs each).
 * PERF_P99_MS sets the budget asserted for the filtered+ordered list (default 20). The assertion uses
 * CPU time per query, which other processes on a shared machine do not inflate; wall-clock
 * percentiles are printed next to it (on an idle machine the two agree: SQLite runs in-process).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/server/db/migrate.js';
import { openDatabase, type DatabaseHandle } from '../../src/server/db/open.js';
import { seedAccounts } from '../../src/server/db/seed.js';
import { createContext, systemActor } from '../../src/server/records/context.js';
import { RecordService } from '../../src/server/records/record-service.js';
import { parseSearchQuery } from '../../src/server/search/search-params.js';

const accounts = Number(process.env.PERF_ACCOUNTS ?? 0);
const runs = Number(process.env.PERF_RUNS ?? 300);
const budget = Number(process.env.PERF_P99_MS ?? 20);

const QUERIES: Record<string, Record<string, unknown>> = {
  'type = Customer AND industry IN (3), orderBy name': { maxSize: '20', orderBy: 'name', order: 'asc', where: [{ type: 'equals', attribute: 'type', value: 'Customer' }, { type: 'in', attribute: 'industry', value: ['Finance', 'Legal', 'Banking'] }] },
  'type = Partner AND name startsWith, default order': { maxSize: '20', where: [{ type: 'equals', attribute: 'type', value: 'Partner' }, { type: 'startsWith', attribute: 'name', value: 'Acme' }] },
  'name startsWith AND createdAt lastXDays, orderBy createdAt': { maxSize: '20', orderBy: 'createdAt', order: 'desc', where: [{ type: 'startsWith', attribute: 'name', value: 'Glob' }, { type: 'lastXDays', attribute: 'createdAt', value: '90', dateTime: 'true' }] },
  'emailAddress startsWith AND type, orderBy name desc': { maxSize: '20', orderBy: 'name', order: 'desc', where: [{ type: 'startsWith', attribute: 'emailAddress', value: 'info.' }, { type: 'equals', attribute: 'type', value: 'Investor' }] },
  'default list (total of all)': { maxSize: '20' },
  'q (no total)': { maxSize: '20', q: 'hooli' },
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

describe.skipIf(accounts === 0)(`performance with ${accounts} accounts (SQLite file)`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'espo-perf-'));
  let handle: DatabaseHandle;
  afterAll(async () => {
    await handle?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds and lists fast', { timeout: 600_000 }, async () => {
    handle = openDatabase(`sqlite:${join(dir, 'perf.sqlite')}`);
    await migrateToLatest(handle.db);
    const started = performance.now();
    await seedAccounts(handle.db, accounts, { seed: 1 });
    const seedSeconds = (performance.now() - started) / 1000;
    console.log(`seeded ${accounts} accounts in ${seedSeconds.toFixed(1)} s`);

    const service = new RecordService(handle.db);
    const ctx = createContext(systemActor);
    const p99s: Record<string, number> = {};
    for (const [label, query] of Object.entries(QUERIES)) {
      const params = parseSearchQuery(query);
      for (let i = 0; i < 20; i++) await service.find('Account', params, ctx);
      const times: number[] = [];
      const cpu: number[] = [];
      let total = 0;
      for (let i = 0; i < runs; i++) {
        const start = performance.now();
        const cpuStart = process.cpuUsage();
        total = (await service.find('Account', params, ctx)).total;
        const used = process.cpuUsage(cpuStart);
        times.push(performance.now() - start);
        cpu.push((used.user + used.system) / 1000);
      }
      times.sort((a, b) => a - b);
      cpu.sort((a, b) => a - b);
      p99s[label] = percentile(cpu, 99);
      console.log(
        `${label.padEnd(62)} total ${String(total).padStart(7)}  wall p50 ${percentile(times, 50).toFixed(2)} p99 ${percentile(times, 99).toFixed(2)} ms` +
          `  cpu p50 ${percentile(cpu, 50).toFixed(2)} p99 ${p99s[label]!.toFixed(2)} ms`,
      );
    }
    expect(seedSeconds).toBeLessThan(60);
    expect(p99s['type = Customer AND industry IN (3), orderBy name']).toBeLessThan(budget);
  });
});
