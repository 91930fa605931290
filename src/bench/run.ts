/**
 * `npm run bench [-- --quick] [-- --million]`: the reference server measured side by side, in one run, with
 * wrk as the load generator in its own process (`apt-get install -y wrk`).
 *
 * Operations: getAccount, listAccounts (a 2-item where + orderBy), the default list (with its total), a
 * link list (an account's contacts) and createAccount. Targets: the reference server (`espo-ref serve`)
 * on SQLite with 1 worker, with response validation off, with N workers (the default settings); on PostgreSQL (when
 * BENCH_DATABASE_URL or TEST_DATABASE_URL is set) one instance, and one and two instances behind haproxy;
 * a bare node:http server answering the same bytes (the ceiling), Express 5 alone answering them (the
 * framework's ceiling); Prism mocking the bundle (installed on
 * demand into a temporary folder). Rounds are interleaved so machine noise spreads over every target;
 * figures are medians. Prints a table and the ratios against the targets of issue 11; asserts nothing.
 *
 * --million adds the 1 000 000-account figures on SQLite: seed time and peak RSS of `espo-ref seed`, list
 * latency p50/p99 over one connection, RSS of the serving process under load. Slow (minutes).
 * --quick: one round of 1 s at 300 accounts, no Prism (BENCH_PRISM=1 adds it): shows the script works.
 *
 * Settings (environment): BENCH_ROUNDS (3), BENCH_SECONDS (5), BENCH_ACCOUNTS (20 000), BENCH_CONNECTIONS
 * (10), BENCH_WORKERS (one per CPU), BENCH_PRISM (0 skips Prism), BENCH_DATABASE_URL.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminQuery as adminQueryOn } from '../tools/postgres-admin.js';
import { ensureBootstrapUsers } from '../server/bootstrap.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { openDatabase } from '../server/db/open.js';
import { seedAccounts } from '../server/demo/accounts.js';
import { haproxyAvailable, startHaproxy } from './haproxy.js';
import { measureListQueries } from './list-queries.js';
import { measureMillion } from './million.js';
import { ensurePrism, startPrism } from './prism.js';
import { startCeiling, startServe, type Process } from './servers.js';
import { runWrk, wrkAvailable, type LoadRequest } from './wrk.js';

const args = new Set(process.argv.slice(2));
const QUICK = args.has('--quick');
const MILLION = args.has('--million');
const setting = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const ROUNDS = setting('BENCH_ROUNDS', QUICK ? 1 : 3);
const SECONDS = setting('BENCH_SECONDS', QUICK ? 1 : 5);
const ACCOUNTS = setting('BENCH_ACCOUNTS', QUICK ? 300 : 20_000);
const CONNECTIONS = setting('BENCH_CONNECTIONS', 10);
const WORKERS = setting('BENCH_WORKERS', availableParallelism());
const PG_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
const PRISM = QUICK ? process.env.BENCH_PRISM === '1' : process.env.BENCH_PRISM !== '0';
const API_KEY = 'bench-key';
const BUNDLE = fileURLToPath(new URL('../../generated/openapi.yaml', import.meta.url));
const log = (line: string) => process.stderr.write(`${line}\n`);

const LIST_QUERY =
  'where[0][type]=equals&where[0][attribute]=type&where[0][value]=Customer' +
  '&where[1][type]=startsWith&where[1][attribute]=name&where[1][value]=Acme' +
  '&orderBy=name&order=asc&maxSize=20';

type Op = 'get' | 'list' | 'defaultList' | 'link' | 'create';
const OPS: readonly Op[] = ['get', 'list', 'defaultList', 'link', 'create'];
const OP_NAMES: Record<Op, string> = { get: 'getAccount', list: 'listAccounts 2-where', defaultList: 'default list', link: 'link list', create: 'createAccount' };

/** An operation as a request below an API root (`…/api/v1` for the server, the bare root for Prism). */
function requestFor(op: Op, apiRoot: string, id: string): LoadRequest {
  const headers = { 'X-Api-Key': API_KEY };
  switch (op) {
    case 'get':
      return { url: `${apiRoot}/Account/${id}`, headers };
    case 'list':
      return { url: `${apiRoot}/Account?${LIST_QUERY}`, headers };
    case 'defaultList':
      return { url: `${apiRoot}/Account?maxSize=20`, headers };
    case 'link':
      return { url: `${apiRoot}/Account/${id}/contacts?maxSize=20`, headers };
    case 'create':
      return {
        url: `${apiRoot}/Account`,
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json', 'X-Skip-Duplicate-Check': 'true' },
        body: JSON.stringify({ name: 'Bench account', type: 'Customer' }),
      };
  }
}

async function send(request: LoadRequest): Promise<{ status: number; body: string }> {
  const response = await fetch(request.url, { method: request.method ?? 'GET', headers: request.headers, body: request.body });
  return { status: response.status, body: await response.text() };
}

interface Target {
  name: string;
  apiRoot: string;
  ops: readonly Op[];
}

interface Database {
  /** DATABASE_URL for the server processes. */
  url: string;
  id: string;
  drop(): Promise<void>;
}

/** Migrates, creates the API user, seeds the accounts; PostgreSQL gets its own schema. */
async function prepareDatabase(engine: 'sqlite' | 'postgres', dir: string): Promise<Database> {
  let url: string;
  let schema: string | undefined;
  let drop = async () => {};
  if (engine === 'sqlite') {
    url = `sqlite:${join(dir, 'bench.sqlite')}`;
  } else {
    schema = `bench_${process.pid}_${randomBytes(3).toString('hex')}`;
    await adminQuery(`create schema "${schema}"`);
    const withSchema = new URL(PG_URL!);
    withSchema.searchParams.set('options', `-c search_path=${schema}`);
    url = withSchema.toString();
    drop = () => adminQuery(`drop schema if exists "${schema}" cascade`);
  }
  const handle = openDatabase(engine === 'sqlite' ? url : PG_URL!, schema ? { schema } : {});
  try {
    await migrateToLatest(handle.db);
    await ensureBootstrapUsers(handle.db, { apiKey: API_KEY, adminUserName: 'admin', adminPassword: 'bench-password' });
    const started = performance.now();
    const { newestIds } = await seedAccounts(handle.db, ACCOUNTS, { keepIds: 1 });
    log(`Seeded ${ACCOUNTS} accounts on ${engine} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return { url, id: newestIds[0]!, drop };
  } finally {
    await handle.close();
  }
}

const adminQuery = (statement: string) => adminQueryOn(PG_URL!, statement);

/** Gives the benchmarked account a few contacts, so that the link list has items. */
async function addContacts(apiRoot: string, accountId: string): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const answer = await send({ url: `${apiRoot}/Contact`, method: 'POST', headers: { 'X-Api-Key': API_KEY, 'Content-Type': 'application/json', 'X-Skip-Duplicate-Check': 'true' }, body: JSON.stringify({ lastName: `Bench ${i}`, accountId }) });
    if (answer.status !== 200) throw new Error(`creating a contact answered ${answer.status}`);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  if (!wrkAvailable()) {
    log('wrk not found: the benchmark needs Debian\'s wrk as its load generator (apt-get install -y wrk).');
    process.exitCode = 1;
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'espo-bench-'));
  const stops: (() => Promise<void>)[] = [];
  const drops: (() => Promise<void>)[] = [];
  const notes: string[] = [];
  try {
    const targets: Target[] = [];
    const start = async (env: Record<string, string>, workers: number): Promise<Process> => {
      const server = await startServe({ ESPO_API_KEY: API_KEY, ...env }, workers);
      stops.push(server.stop);
      return server;
    };

    const sqlite = await prepareDatabase('sqlite', dir);
    const id = sqlite.id;
    const sqliteDefault = await start({ DATABASE_URL: sqlite.url }, 1);
    await addContacts(`${sqliteDefault.origin}/api/v1`, id);
    targets.push({ name: 'reference, SQLite, 1 worker', apiRoot: `${sqliteDefault.origin}/api/v1`, ops: OPS });
    const sqliteOff = await start({ DATABASE_URL: sqlite.url, ESPO_VALIDATE_RESPONSES: '0' }, 1);
    targets.push({ name: 'reference, SQLite, 1 worker, response validation off', apiRoot: `${sqliteOff.origin}/api/v1`, ops: OPS });
    // `espo-ref serve` without options runs one worker per CPU: the default settings.
    const sqliteN = await start({ DATABASE_URL: sqlite.url }, WORKERS);
    targets.push({ name: `reference, SQLite, ${WORKERS} workers${WORKERS === availableParallelism() ? ' (default settings)' : ''}`, apiRoot: `${sqliteN.origin}/api/v1`, ops: OPS });

    let pgId: string | undefined;
    if (PG_URL) {
      const postgres = await prepareDatabase('postgres', dir);
      drops.push(postgres.drop);
      pgId = postgres.id;
      const pgOne = await start({ DATABASE_URL: postgres.url }, 1);
      await addContacts(`${pgOne.origin}/api/v1`, postgres.id);
      targets.push({ name: 'reference, PostgreSQL, 1 worker', apiRoot: `${pgOne.origin}/api/v1`, ops: OPS });
      if (haproxyAvailable()) {
        const pgTwo = await start({ DATABASE_URL: postgres.url }, 1);
        const one = await startHaproxy([pgOne.origin.replace('http://', '')]);
        stops.push(one.stop);
        const two = await startHaproxy([pgOne.origin, pgTwo.origin].map((origin) => origin.replace('http://', '')));
        stops.push(two.stop);
        targets.push({ name: 'reference, PostgreSQL, 1 instance behind haproxy', apiRoot: `${one.origin}/api/v1`, ops: ['get', 'list'] });
        targets.push({ name: 'reference, PostgreSQL, 2 instances behind haproxy', apiRoot: `${two.origin}/api/v1`, ops: ['get', 'list'] });
      } else {
        notes.push('haproxy not installed (apt-get install -y haproxy): no two-instance figures.');
      }
    } else {
      notes.push('BENCH_DATABASE_URL / TEST_DATABASE_URL not set: no PostgreSQL figures.');
    }

    // The bare ceiling answers exactly the bytes the reference server answered.
    const bodies: Record<string, string> = {};
    for (const op of OPS) {
      const request = requestFor(op, `${sqliteDefault.origin}/api/v1`, id);
      const answer = await send(request);
      if (answer.status !== 200) throw new Error(`${OP_NAMES[op]} answered ${answer.status}: ${answer.body}`);
      bodies[`${request.method ?? 'GET'} ${new URL(request.url).pathname}${new URL(request.url).search}`] = answer.body;
    }
    const bodiesFile = join(dir, 'bodies.json');
    writeFileSync(bodiesFile, JSON.stringify(bodies));
    const bare = await startCeiling(bodiesFile);
    stops.push(bare.stop);
    targets.push({ name: 'bare node:http, same bytes (ceiling)', apiRoot: `${bare.origin}/api/v1`, ops: OPS });
    const expressFloor = await startCeiling(bodiesFile, 'express');
    stops.push(expressFloor.stop);
    targets.push({ name: 'Express 5 alone, same bytes (framework ceiling)', apiRoot: `${expressFloor.origin}/api/v1`, ops: OPS });

    if (PRISM) {
      const bin = ensurePrism(log);
      const prism = await startPrism(bin, BUNDLE, { path: `/Account/${id}`, headers: { 'X-Api-Key': API_KEY } });
      stops.push(prism.stop);
      targets.push({ name: 'Prism 5.14.2 mocking the bundle', apiRoot: prism.origin, ops: OPS });
    } else {
      notes.push('Prism skipped (BENCH_PRISM=0, or --quick without BENCH_PRISM=1).');
    }

    // Every target answers every operation with 200 before anything is timed.
    for (const target of targets) {
      for (const op of target.ops) {
        const answer = await send(requestFor(op, target.apiRoot, target.name.includes('PostgreSQL') ? pgId! : id));
        if (answer.status !== 200) throw new Error(`${target.name}: ${OP_NAMES[op]} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
      }
    }

    const results = new Map<string, { rps: number[]; p99: number[] }>();
    const key = (target: Target, op: Op) => `${target.name}\0${op}`;
    for (let round = 1; round <= ROUNDS; round++) {
      log(`Round ${round}/${ROUNDS} …`);
      for (const target of targets) {
        for (const op of target.ops) {
          const request = requestFor(op, target.apiRoot, target.name.includes('PostgreSQL') ? pgId! : id);
          if (round === 1 && !QUICK) await runWrk(request, { connections: CONNECTIONS, seconds: 1 }); // warm-up
          const result = await runWrk(request, { connections: CONNECTIONS, seconds: SECONDS });
          if (result.failures > 0) notes.push(`${target.name}, ${OP_NAMES[op]}, round ${round}: ${result.failures} of ${result.requests} requests failed (non-2xx or socket errors).`);
          const entry = results.get(key(target, op)) ?? { rps: [], p99: [] };
          entry.rps.push(result.rps);
          entry.p99.push(result.p99);
          results.set(key(target, op), entry);
        }
      }
    }
    const rps = (name: string, op: Op): number | undefined => {
      const entry = results.get(`${name}\0${op}`);
      return entry ? median(entry.rps) : undefined;
    };

    const out: string[] = [];
    out.push(
      `Benchmark: ${ACCOUNTS} accounts; wrk -t1 -c${CONNECTIONS}, ${SECONDS} s per measure, median of ${ROUNDS} interleaved round(s); ` +
        `${availableParallelism()} CPUs, Node ${process.version}. Servers log at warn (no access log). The load generator and every server share this machine.`,
      '',
    );
    const width = Math.max(...targets.map((t) => t.name.length));
    out.push(`  ${'req/s (median)'.padEnd(width)} ${OPS.map((op) => OP_NAMES[op].padStart(21)).join('')}`);
    for (const target of targets) {
      out.push(`  ${target.name.padEnd(width)} ${OPS.map((op) => (rps(target.name, op)?.toFixed(0) ?? '–').padStart(21)).join('')}`);
    }
    out.push('');

    const name = (prefix: string) => targets.find((t) => t.name.startsWith(prefix))?.name ?? '';
    const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? a / b : undefined);
    const one = name('reference, SQLite, 1 worker');
    const off = name('reference, SQLite, 1 worker, response validation off');
    const many = name(`reference, SQLite, ${WORKERS} workers`);
    const expressName = name('Express 5 alone');
    const pgOne = name('reference, PostgreSQL, 1 worker');
    const hp1 = name('reference, PostgreSQL, 1 instance');
    const hp2 = name('reference, PostgreSQL, 2 instances');
    const bareName = name('bare node:http');
    const prismName = name('Prism');
    const validationCost = (op: Op) => ((r) => (r === undefined ? undefined : 1 - r))(ratio(rps(one, op), rps(off, op)));
    const rows: [string, number | undefined, string, (x: number) => boolean][] = [
      [`getAccount, default settings (${WORKERS} workers) ÷ Prism mock`, ratio(rps(many, 'get'), rps(prismName, 'get')), '≥ 10', (x) => x >= 10],
      ['getAccount, 1 worker ÷ Prism mock', ratio(rps(one, 'get'), rps(prismName, 'get')), '', () => true],
      ['getAccount, 1 worker ÷ bare node:http', ratio(rps(one, 'get'), rps(bareName, 'get')), '≥ 0.10', (x) => x >= 0.1],
      ['getAccount, 1 worker ÷ Express 5 alone (framework ceiling)', ratio(rps(one, 'get'), rps(expressName, 'get')), '', () => true],
      ['Express 5 alone ÷ Prism mock (what the framework allows)', ratio(rps(expressName, 'get'), rps(prismName, 'get')), '', () => true],
      ['response validation cost, getAccount (1 − on ÷ off)', validationCost('get'), '≤ 0.10', (x) => x <= 0.1],
      ['response validation cost, listAccounts 2-where', validationCost('list'), '≤ 0.10', (x) => x <= 0.1],
      [`${WORKERS} workers ÷ 1 worker, getAccount (load generator included)`, ratio(rps(many, 'get'), rps(one, 'get')), '≥ 1.5', (x) => x >= 1.5],
      [`${WORKERS} workers ÷ 1 worker, listAccounts 2-where`, ratio(rps(many, 'list'), rps(one, 'list')), '≥ 1.5', (x) => x >= 1.5],
      ['two instances ÷ one behind haproxy, PostgreSQL, getAccount', ratio(rps(hp2, 'get'), rps(hp1, 'get')), '≥ 1.5', (x) => x >= 1.5],
      ['two instances ÷ one behind haproxy, PostgreSQL, listAccounts', ratio(rps(hp2, 'list'), rps(hp1, 'list')), '≥ 1.5', (x) => x >= 1.5],
      ['PostgreSQL ÷ SQLite, one instance, getAccount', ratio(rps(pgOne, 'get'), rps(one, 'get')), '≥ 0.8', (x) => x >= 0.8],
      ['PostgreSQL ÷ SQLite, one instance, default list', ratio(rps(pgOne, 'defaultList'), rps(one, 'defaultList')), '≥ 0.8', (x) => x >= 0.8],
      ['PostgreSQL ÷ SQLite, one instance, listAccounts 2-where', ratio(rps(pgOne, 'list'), rps(one, 'list')), '(≥ 0.8)', (x) => x >= 0.8],
      ['PostgreSQL ÷ SQLite, one instance, createAccount', ratio(rps(pgOne, 'create'), rps(one, 'create')), '(≥ 0.8)', (x) => x >= 0.8],
    ];
    out.push(`  ${'ratio'.padEnd(62)} ${'measured'.padStart(9)}  target`);
    for (const [label, value, target, met] of rows) {
      const verdict = value === undefined || target === '' ? '' : met(value) ? 'met' : 'MISSED';
      out.push(`  ${label.padEnd(62)} ${(value === undefined ? 'n/a' : value.toFixed(3)).padStart(9)}  ${target.padEnd(7)} ${verdict}`);
    }
    out.push('');

    for (const stop of stops.splice(0)) await stop();

    if (!QUICK) {
      log('Timing list queries in-process …');
      const handle = openDatabase(sqlite.url);
      out.push(`List queries in-process on SQLite at ${ACCOUNTS} accounts (RecordService.find, maxSize 20, 200 runs each):`, ...(await measureListQueries(handle.db, 200)), '');
      await handle.close();
    }
    if (MILLION) out.push(...(await measureMillion({ dir, apiKey: API_KEY, listQuery: LIST_QUERY, seconds: SECONDS, log })), '');
    out.push(...notes.map((note) => `Note: ${note}`));
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    for (const stop of stops) await stop().catch(() => {});
    for (const drop of drops) await drop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
