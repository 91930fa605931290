/**
 * `npm run bench`: throughput and latency of the reference server, measured side by side in one run.
 *
 * - req/s of getAccount and of listAccounts (a two-item where + orderBy), with request validation on and
 *   off, and of a bare node:http server answering the same record (the ceiling);
 * - listAccounts latency p50/p99 at BENCH_ACCOUNTS accounts (default 100 000) on SQLite, over HTTP, and
 *   the latency of typical list query shapes in-process.
 *
 * Each server runs in its own process; autocannon runs here. Figures are medians of BENCH_REPEATS runs
 * (default 3), interleaved so that machine noise spreads over every variant. Prints figures; asserts nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { ensureBootstrapUsers } from '../server/bootstrap.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { openDatabase } from '../server/db/open.js';
import { seedAccounts } from '../server/db/seed.js';
import { measureListQueries } from './list-queries.js';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 100_000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const API_KEY = 'bench-key';
const LIST_QUERY =
  'where[0][type]=equals&where[0][attribute]=type&where[0][value]=Customer' +
  '&where[1][type]=startsWith&where[1][attribute]=name&where[1][value]=Acme' +
  '&orderBy=name&order=asc&maxSize=20';

const headers = { 'X-Api-Key': API_KEY };
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((child) => child.kill('SIGTERM')));

async function startServer(env: Record<string, string>): Promise<{ url: string; stop(): void }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./target-server.ts', import.meta.url))], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`benchmark server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/api/v1`, stop: () => child.kill('SIGTERM') };
}

/** Average req/s; `status` 401 sends no credentials (the framework's floor: Express and authentication only). */
async function throughput(url: string, status: 200 | 401 = 200): Promise<number> {
  const options = { url, headers: status === 401 ? {} : headers, connections: 10 };
  await autocannon({ ...options, duration: 1 }); // warm-up
  const result = await autocannon({ ...options, duration: DURATION });
  const failed = status === 200 ? result.non2xx : result.requests.total - result.non2xx;
  if (failed > 0 || result.errors > 0) throw new Error(`${url}: ${failed} unexpected statuses, ${result.errors} errors`);
  return result.requests.average;
}

async function latency(url: string): Promise<{ p50: number; p99: number }> {
  await autocannon({ url, headers, connections: 1, duration: 1 });
  const result = await autocannon({ url, headers, connections: 1, duration: DURATION });
  if (result.non2xx > 0) throw new Error(`${url}: ${result.non2xx} non-2xx`);
  return { p50: result.latency.p50, p99: result.latency.p99 };
}

async function prepareDatabase(file: string): Promise<{ id: string; seedSeconds: number; queryLines: string[] }> {
  const handle = openDatabase(`sqlite:${file}`);
  await migrateToLatest(handle.db);
  await ensureBootstrapUsers(handle.db, { apiKey: API_KEY, adminUserName: 'admin', adminPassword: 'bench-password' });
  const started = performance.now();
  const ids = await seedAccounts(handle.db, ACCOUNTS);
  const seedSeconds = (performance.now() - started) / 1000;
  process.stderr.write('Timing list queries in-process …\n');
  const queryLines = await measureListQueries(handle.db, 200);
  await handle.close();
  return { id: ids[ids.length - 1]!, seedSeconds, queryLines };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'espo-bench-'));
  const file = join(dir, 'bench.sqlite');
  try {
    process.stderr.write(`Seeding ${ACCOUNTS} accounts into ${file} …\n`);
    const { id, seedSeconds, queryLines } = await prepareDatabase(file);
    const database = { DATABASE_URL: `sqlite:${file}` };
    const validated = await startServer({ ...database, BENCH_MODE: 'reference', BENCH_VALIDATE: '1' });
    const unvalidated = await startServer({ ...database, BENCH_MODE: 'reference', BENCH_VALIDATE: '0' });
    const probe = await fetch(`${validated.url}/Account/${id}`, { headers });
    if (probe.status !== 200) throw new Error(`getAccount answered ${probe.status} ${probe.headers.get('x-status-reason')}`);
    const record = await probe.text();
    const bare = await startServer({ BENCH_MODE: 'bare', BENCH_BODY: record });

    type Variant = 'getOn' | 'getOff' | 'listOn' | 'listOff' | 'bare' | 'floor';
    const runs: Record<Variant, number[]> = { getOn: [], getOff: [], listOn: [], listOff: [], bare: [], floor: [] };
    for (let i = 0; i < REPEATS; i++) {
      process.stderr.write(`Run ${i + 1}/${REPEATS} …\n`);
      runs.getOn.push(await throughput(`${validated.url}/Account/${id}`));
      runs.getOff.push(await throughput(`${unvalidated.url}/Account/${id}`));
      runs.bare.push(await throughput(`${bare.url}/Account/${id}`));
      runs.floor.push(await throughput(`${validated.url}/Account/${id}`, 401));
      runs.listOn.push(await throughput(`${validated.url}/Account?${LIST_QUERY}`));
      runs.listOff.push(await throughput(`${unvalidated.url}/Account?${LIST_QUERY}`));
    }
    const listLatency = await latency(`${validated.url}/Account?${LIST_QUERY}`);
    const defaultListLatency = await latency(`${validated.url}/Account?maxSize=20`);
    for (const server of [validated, unvalidated, bare]) server.stop();

    const m = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)])) as Record<Variant, number>;
    const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
    const rows = [
      ['getAccount, request validation on', m.getOn],
      ['getAccount, request validation off', m.getOff],
      ['bare node:http, same record (ceiling)', m.bare],
      ['reference server answering 401 (Express + auth only: floor)', m.floor],
      ['listAccounts (2-item where + orderBy), validation on', m.listOn],
      ['listAccounts (2-item where + orderBy), validation off', m.listOff],
    ] as const;
    const out = [
      `Benchmark: ${ACCOUNTS} accounts on SQLite (seeded in ${seedSeconds.toFixed(1)} s), autocannon 10 connections, ${DURATION} s, median of ${REPEATS}`,
      '',
      ...rows.map(([name, value]) => `  ${name.padEnd(58)} ${value.toFixed(0).padStart(7)} req/s`),
      '',
      `  validation cost, getAccount:   ${pct(1 - m.getOn / m.getOff)}   (target ≤ 15 %)`,
      `  validation cost, listAccounts: ${pct(1 - m.listOn / m.listOff)}   (target ≤ 15 %)`,
      `  getAccount with validation / bare ceiling: ${pct(m.getOn / m.bare)}   (target ≥ 20 %)`,
      `  401 answer of the same Express app / bare ceiling: ${pct(m.floor / m.bare)}   (what the framework alone reaches)`,
      `  listAccounts latency, 1 connection: p50 ${listLatency.p50} ms, p99 ${listLatency.p99} ms   (target p99 < 20 ms)`,
      `  default list (maxSize=20, createdAt desc) latency: p50 ${defaultListLatency.p50} ms, p99 ${defaultListLatency.p99} ms`,
      '',
      'List queries in-process (RecordService.find, maxSize 20, 200 runs each):',
      ...queryLines,
      '',
    ];
    process.stdout.write(out.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
