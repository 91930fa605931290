/**
 * Several `espo-ref serve` processes over one PostgreSQL database behave as one server: two instances
 * behind Debian's haproxy; what one writes the other reads at once; a role change made through one is
 * enforced by the other although both cache identities for 10 minutes (LISTEN/NOTIFY invalidation).
 * Needs TEST_DATABASE_URL and haproxy (`apt-get install -y haproxy`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyAvailable, startHaproxy, type Haproxy } from '../../src/bench/haproxy.js';
import { databaseForProcesses, espoRef, eventually, freshRequest, startServe, type DatabaseForProcesses, type ServeProcess } from '../support/espo-process.js';

const SLOW = 180_000;
const KEY = { 'X-Api-Key': 'demo-api-key', 'Content-Type': 'application/json' };
const ADMIN = { Authorization: `Basic ${Buffer.from('admin:admin-password').toString('base64')}` };
const missing = [!process.env.TEST_DATABASE_URL && 'PostgreSQL: TEST_DATABASE_URL not set', !haproxyAvailable() && 'haproxy not installed (apt-get install -y haproxy)'].filter(Boolean);

interface LogLine {
  pid: number;
  path?: string;
  status?: number;
}

function requestsLogged(serve: ServeProcess): number {
  return serve.stdout().split('\n').filter((line) => line.startsWith('{') && (JSON.parse(line) as LogLine).path !== undefined).length;
}

async function json(url: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

(missing.length > 0 ? describe.skip : describe)(`two instances behind haproxy on PostgreSQL${missing.length > 0 ? ` (${missing.join('; ')})` : ''}`, () => {
  let database: DatabaseForProcesses;
  const instances: ServeProcess[] = [];
  let proxy: Haproxy;
  const api = (origin: string) => `${origin}/api/v1`;

  beforeAll(async () => {
    database = await databaseForProcesses('postgres');
    const env = { DATABASE_URL: database.url, ESPO_SEED: '0', LOG_LEVEL: 'info', ESPO_IDENTITY_CACHE_MS: '600000' };
    // One after the other: starting together (the migration lock) is tested where migrations are.
    instances.push(await startServe(['--workers', '1'], env));
    instances.push(await startServe(['--workers', '1'], env));
    proxy = await startHaproxy(instances.map((instance) => instance.origin.replace('http://', '')));
  }, SLOW);
  afterAll(async () => {
    await proxy?.stop();
    for (const instance of instances) await instance.stop();
    await database?.drop();
  }, SLOW);

  it('reads through one instance what was just written through the other', { timeout: SLOW }, async () => {
    const [a, b] = instances as [ServeProcess, ServeProcess];
    const pairs = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const created = await json(`${api(a.origin)}/Account`, { method: 'POST', headers: KEY, body: JSON.stringify({ name: `Pair ${i}` }) });
        expect(created.status).toBe(200);
        const read = await json(`${api(b.origin)}/Account/${String(created.body.id)}`, { headers: KEY });
        const updated = await json(`${api(b.origin)}/Account/${String(created.body.id)}`, { method: 'PUT', headers: KEY, body: JSON.stringify({ website: `https://pair${i}.example` }) });
        const reread = await json(`${api(a.origin)}/Account/${String(created.body.id)}`, { headers: KEY });
        return { created, read, updated, reread };
      }),
    );
    for (const { created, read, updated, reread } of pairs) {
      expect(read.status).toBe(200);
      expect(read.body.name).toBe(created.body.name);
      expect(updated.status).toBe(200);
      expect(reread.body.website).toBe(updated.body.website);
      expect(reread.body.versionNumber).toBe(updated.body.versionNumber);
    }
    // Through haproxy: both instances answer, and the total is the same whoever counts it.
    const before = instances.map(requestsLogged);
    const totals = new Set<unknown>();
    for (let i = 0; i < 8; i++) {
      const list = await freshRequest(`${api(proxy.origin)}/Account?maxSize=1`, { headers: KEY });
      expect(list.status).toBe(200);
      totals.add((JSON.parse(list.body) as { total: number }).total);
    }
    expect([...totals]).toEqual([12]);
    instances.forEach((instance, i) => expect(requestsLogged(instance)).toBeGreaterThan(before[i]!));
  });

  it('a team deleted through one instance stops granting its role in the other (identity cache 10 min)', { timeout: SLOW }, async () => {
    const [a, b] = instances as [ServeProcess, ServeProcess];
    const db = { DATABASE_URL: database.url };
    expect((await espoRef(['role:create', '--name', 'Readers', '--acl', '{"Account":{"read":"all"}}'], db)).code).toBe(0);
    const team = await espoRef(['team:create', '--name', 'Reading team', '--role', 'Readers'], db);
    expect(team.code, team.stderr).toBe(0);
    expect((await espoRef(['user:create', '--user-name', 'reader', '--api-key', 'reader-key', '--team', 'Reading team'], db)).code).toBe(0);
    const asReader = (origin: string) => freshRequest(`${api(origin)}/Account?maxSize=1`, { headers: { 'X-Api-Key': 'reader-key' } });
    // Both instances (and so the cache of each) know the reader with the team's role.
    expect((await asReader(a.origin)).status).toBe(200);
    expect((await asReader(b.origin)).status).toBe(200);

    const deleted = await freshRequest(`${api(a.origin)}/Team/${team.stdout.trim()}`, { method: 'DELETE', headers: ADMIN });
    expect(deleted.status).toBe(200);
    await eventually('the other instance refuses the reader', async () => (await asReader(b.origin)).status === 403);
    expect((await asReader(a.origin)).status).toBe(403);
    for (let i = 0; i < 4; i++) expect((await asReader(proxy.origin)).status).toBe(403);
  });

  it('the cache is cleared when the listening connection is lost, and invalidation works again after it reconnects', { timeout: SLOW }, async () => {
    const [a, b] = instances as [ServeProcess, ServeProcess];
    const db = { DATABASE_URL: database.url };
    const team = await espoRef(['team:create', '--name', 'Second team', '--role', 'Readers'], db);
    expect((await espoRef(['user:create', '--user-name', 'second', '--api-key', 'second-key', '--team', 'Second team'], db)).code).toBe(0);
    const asSecond = (origin: string) => freshRequest(`${api(origin)}/Account?maxSize=1`, { headers: { 'X-Api-Key': 'second-key' } });
    expect((await asSecond(b.origin)).status).toBe(200);
    // Cut both instances' listening connections (the server side of a network failure).
    const pg = (await import('pg')).default;
    const names = instances.map((instance) => `espo-ref identity listener ${instance.child.pid}`);
    const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
    try {
      const cut = await client.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = any($1)`, [names]);
      expect(cut.rowCount).toBe(2);
    } finally {
      await client.end();
    }
    await eventually('both instances listen again', async () => b.stdout().includes('lost the cache invalidation connection') && a.stdout().includes('lost the cache invalidation connection'));
    // Wait until the instances' listeners are back, then change access through A and see B enforce it.
    const listeners = async () => {
      const check = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await check.connect();
      try {
        const rows = await check.query(`select count(*)::int as n from pg_stat_activity where application_name = any($1) and query ilike 'LISTEN%'`, [names]);
        return (rows.rows[0] as { n: number }).n;
      } finally {
        await check.end();
      }
    };
    await eventually('listeners reconnected', async () => (await listeners()) === 2);
    expect((await asSecond(b.origin)).status).toBe(200);
    expect((await freshRequest(`${api(a.origin)}/Team/${team.stdout.trim()}`, { method: 'DELETE', headers: ADMIN })).status).toBe(200);
    await eventually('the other instance refuses the second reader', async () => (await asSecond(b.origin)).status === 403);
  });
});
