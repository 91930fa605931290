/**
 * Domain-level latency of typical list queries (no HTTP): p50/p99 wall and CPU time per query shape, on the
 * benchmark's SQLite database. Part of `npm run bench`; prints figures, asserts nothing.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../server/db/schema.js';
import { createContext, systemActor } from '../server/read/context.js';
import { RecordService } from '../server/records/record-service.js';
import { parseSearchQuery } from '../server/search/search-params.js';

const QUERIES: Record<string, Record<string, unknown>> = {
  'type = Customer AND industry IN (3), orderBy name': { maxSize: '20', orderBy: 'name', order: 'asc', where: [{ type: 'equals', attribute: 'type', value: 'Customer' }, { type: 'in', attribute: 'industry', value: ['Finance', 'Legal', 'Banking'] }] },
  'type = Partner AND name startsWith, default order': { maxSize: '20', where: [{ type: 'equals', attribute: 'type', value: 'Partner' }, { type: 'startsWith', attribute: 'name', value: 'Acme' }] },
  'name startsWith AND createdAt lastXDays': { maxSize: '20', orderBy: 'createdAt', order: 'desc', where: [{ type: 'startsWith', attribute: 'name', value: 'Glob' }, { type: 'lastXDays', attribute: 'createdAt', value: '90', dateTime: 'true' }] },
  'emailAddress startsWith AND type, orderBy name desc': { maxSize: '20', orderBy: 'name', order: 'desc', where: [{ type: 'startsWith', attribute: 'emailAddress', value: 'info.' }, { type: 'equals', attribute: 'type', value: 'Investor' }] },
  'default list (maintained total)': { maxSize: '20' },
  'q (no total)': { maxSize: '20', q: 'hooli' },
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function measureListQueries(db: Kysely<Database>, runs: number): Promise<string[]> {
  const service = new RecordService(db);
  const ctx = createContext(systemActor);
  const lines: string[] = [];
  for (const [label, query] of Object.entries(QUERIES)) {
    const params = parseSearchQuery(query);
    for (let i = 0; i < 20; i++) await service.find('Account', params, ctx);
    const wall: number[] = [];
    const cpu: number[] = [];
    let total = 0;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const cpuStart = process.cpuUsage();
      total = (await service.find('Account', params, ctx)).total;
      const used = process.cpuUsage(cpuStart);
      wall.push(performance.now() - started);
      cpu.push((used.user + used.system) / 1000);
    }
    wall.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    lines.push(
      `  ${label.padEnd(52)} total ${String(total).padStart(7)}  wall p50 ${percentile(wall, 50).toFixed(2)} p99 ${percentile(wall, 99).toFixed(2)} ms` +
        `  cpu p50 ${percentile(cpu, 50).toFixed(2)} p99 ${percentile(cpu, 99).toFixed(2)} ms`,
    );
  }
  return lines;
}
