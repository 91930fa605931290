/**
 * What the total of the default account list costs: `DATABASE_URL=<url> tsx src/bench/list-total.ts [runs]`
 * on a seeded database (`espo-ref seed --accounts N`). Prints p50/p99 wall time of the count(*) an
 * unfiltered list used to run, of reading the maintained count (migration 0003) when the database has it,
 * and of the default list (maxSize 20) with and without its total, in-process through RecordService.find.
 * Does not migrate, so the same script measures a database and code from before the maintained counts.
 */
import { sql, type Kysely } from 'kysely';
import { openDatabase } from '../server/db/open.js';
import type { Database } from '../server/db/schema.js';
import { createContext, systemActor } from '../server/read/context.js';
import { RecordService } from '../server/records/record-service.js';
import { parseSearchQuery } from '../server/search/search-params.js';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is not set');
const runs = Number(process.argv[2] ?? 200);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function timed(label: string, work: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < Math.min(20, runs); i++) await work();
  const wall: number[] = [];
  let result: unknown;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    result = await work();
    wall.push(performance.now() - started);
  }
  wall.sort((a, b) => a - b);
  console.log(`  ${label.padEnd(46)} p50 ${percentile(wall, 50).toFixed(3)} ms  p99 ${percentile(wall, 99).toFixed(3)} ms  (${String(result)})`);
}

async function hasCountTable(db: Kysely<Database>): Promise<boolean> {
  return (await db.introspection.getTables()).some((table) => table.name === 'entity_count');
}

const handle = openDatabase(url);
try {
  const db = handle.db;
  const service = new RecordService(db);
  const ctx = createContext(systemActor);
  const one = async (query: ReturnType<typeof sql<{ n: unknown }>>) => Number((await query.execute(db)).rows[0]?.n);
  console.log(`${handle.engine}, ${runs} runs each:`);
  await timed('count(*) of non-deleted accounts', () => one(sql`select count(*) as n from "account" as "main" where "main"."deleted" = 0`));
  if (await hasCountTable(db)) {
    await timed('maintained count of accounts', () => one(sql`select sum("total") as n from "entity_count" where "tableName" = ${'account'}`));
  }
  const list = parseSearchQuery({ maxSize: '20' });
  await timed('default list, maxSize 20, with its total', async () => (await service.find('Account', list, ctx)).total);
  await timed('default list, maxSize 20, X-No-Total', async () => (await service.find('Account', { ...list, noTotal: true }, ctx)).total);
} finally {
  await handle.close();
}
