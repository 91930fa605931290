/**
 * `espo-ref serve --workers N` as an operator runs it: one banner, both workers serving, a crashed worker
 * replaced, cache invalidation between workers, every worker stopped on SIGTERM, and the refusals.
 * (The conformance kit against --workers 2 is in test/conformance/reference-workers.test.ts.)
 */
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseForProcesses, espoRef, eventually, freshRequest, startServe, type DatabaseForProcesses, type ServeProcess } from '../support/espo-process.js';

const SLOW = 120_000;
const ADMIN = `Basic ${Buffer.from('admin:admin-password').toString('base64')}`;

/** The pids of a process's children (Linux `ps`). */
function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['--ppid', String(pid), '-o', 'pid='], { encoding: 'utf8' }).split('\n').map((line) => Number(line.trim())).filter((n) => n > 0);
  } catch (error) {
    if ((error as { status?: unknown }).status === 1) return []; // ps exits 1 when there are none
    throw error;
  }
}

/** `eventually`, with the worker pids and the end of the server's log in the failure. */
async function eventuallyWithLog(serve: ServeProcess, what: string, check: () => Promise<boolean>): Promise<void> {
  try {
    await eventually(what, check);
  } catch (error) {
    const log = `${serve.stderr()}\n${serve.stdout()}`.slice(-3000);
    throw new Error(`${(error as Error).message}\nworkers now: ${childPids(serve.child.pid!).join(', ')}\nserver output (end):\n${log}`);
  }
}

interface LogLine {
  pid: number;
  path?: string;
  status?: number;
  userId?: string;
}

function accessLines(serve: ServeProcess): LogLine[] {
  return serve.stdout().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as LogLine).filter((line) => line.path !== undefined);
}

describe('espo-ref serve --workers 2 [sqlite file]', () => {
  let database: DatabaseForProcesses;
  let serve: ServeProcess;
  const env = () => ({ DATABASE_URL: database.url, ESPO_SEED_ACCOUNTS: '3', LOG_LEVEL: 'info', ESPO_IDENTITY_CACHE_MS: '600000' });

  beforeAll(async () => {
    database = await databaseForProcesses('sqlite');
    serve = await startServe(['--workers', '2'], env(), /Workers: +2 processes/);
  }, SLOW);
  afterAll(async () => {
    await serve?.stop();
    await database?.drop();
  }, SLOW);

  it('prints one banner, from the primary, and serves from two worker processes', { timeout: SLOW }, async () => {
    expect(serve.stderr().match(/EspoCRM Account API reference server/g)).toHaveLength(1);
    // The banner follows the second worker's `listening`; ps may see the process table a moment later.
    await eventuallyWithLog(serve, 'two worker processes', async () => childPids(serve.child.pid!).length === 2);
    for (let i = 0; i < 6; i++) {
      const answer = await freshRequest(`${serve.origin}/api/v1/Account?maxSize=1`, { headers: { 'X-Api-Key': 'demo-api-key' } });
      expect(answer.status).toBe(200);
      expect((JSON.parse(answer.body) as { total: number }).total).toBe(3);
    }
    // Seeded once, by the primary, although two workers started.
    const accountPids = () => new Set(accessLines(serve).filter((line) => line.path === '/api/v1/Account').map((line) => line.pid));
    await eventually('both workers logged a request', async () => accountPids().size === 2);
    const pids = accountPids();
    for (const pid of pids) expect(childPids(serve.child.pid!)).toContain(pid);
  });

  it('a team deleted through one worker stops granting its role in the other at once (cache 10 min)', { timeout: SLOW }, async () => {
    const db = { DATABASE_URL: database.url };
    expect((await espoRef(['role:create', '--name', 'Readers', '--acl', '{"Account":{"read":"all"}}'], db)).code).toBe(0);
    const team = await espoRef(['team:create', '--name', 'Reading team', '--role', 'Readers'], db);
    expect(team.code, team.stderr).toBe(0);
    const user = await espoRef(['user:create', '--user-name', 'reader', '--api-key', 'reader-key', '--team', 'Reading team'], db);
    expect(user.code, user.stderr).toBe(0);
    const userId = user.stdout.trim();
    const asReader = () => freshRequest(`${serve.origin}/api/v1/Account?maxSize=1`, { headers: { 'X-Api-Key': 'reader-key' } });

    // Both workers cache the reader with the team's role.
    for (let i = 0; i < 6; i++) expect((await asReader()).status).toBe(200);
    // The access log is written asynchronously (through the primary's stdout): poll for the lines.
    const pidsWith = (status: number) => new Set(accessLines(serve).filter((line) => line.userId === userId && line.status === status).map((line) => line.pid));
    await eventually('both workers logged the reader as granted', async () => pidsWith(200).size === 2);

    const deleted = await freshRequest(`${serve.origin}/api/v1/Team/${team.stdout.trim()}`, { method: 'DELETE', headers: { Authorization: ADMIN } });
    expect(deleted.status).toBe(200);
    await eventually('both workers refuse the reader', async () => {
      for (let i = 0; i < 6; i++) if ((await asReader()).status !== 403) return false;
      return true;
    });
    await eventually('both workers logged the reader as refused', async () => pidsWith(403).size === 2);
  });

  it('replaces a worker that dies, and keeps serving', { timeout: SLOW }, async () => {
    const [victim] = childPids(serve.child.pid!);
    process.kill(victim!, 'SIGKILL');
    await eventuallyWithLog(serve, 'a new worker replaces the killed one', async () => {
      const pids = childPids(serve.child.pid!);
      return pids.length === 2 && !pids.includes(victim!);
    });
    await eventuallyWithLog(serve, 'the new worker listens', async () => serve.stdout().includes('"msg":"a new worker listens"'));
    for (let i = 0; i < 4; i++) expect((await freshRequest(`${serve.origin}/health`)).status).toBe(200);
  });

  it('stops every worker on SIGTERM and exits 0', { timeout: SLOW }, async () => {
    const workers = childPids(serve.child.pid!);
    expect(workers).toHaveLength(2);
    expect(await serve.stop('SIGTERM')).toBe(0);
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
  });
});

describe('espo-ref serve --workers: refusals', () => {
  it('refuses more than one worker on an in-memory SQLite database, and bad counts', { timeout: SLOW }, async () => {
    const memory = await espoRef(['serve', '--port', '0', '--workers', '2', '--database-url', 'sqlite::memory:']);
    expect(memory.code, memory.stderr).toBe(2);
    expect(memory.stderr).toMatch(/--workers 2 needs a shared database: sqlite::memory: would give each worker its own empty one/);
    for (const bad of ['0', 'two', '257']) {
      const run = await espoRef(['serve', '--port', '0', '--workers', bad, '--database-url', 'sqlite::memory:']);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/--workers must be a whole number from 1 to 256/);
    }
  });

  it('exits 1, with every worker gone, when the workers cannot listen', { timeout: SLOW }, async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const database = await databaseForProcesses('sqlite');
    try {
      const run = await espoRef(['serve', '--port', String(port), '--workers', '2'], { DATABASE_URL: database.url, LOG_LEVEL: 'warn' });
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toMatch(/EADDRINUSE/);
      expect(run.stderr).not.toMatch(/EspoCRM Account API reference server/);
    } finally {
      taken.close();
      await database.drop();
    }
  });
});
