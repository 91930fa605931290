/**
 * `espo-ref serve --workers N`: one process per core with node:cluster, sharing one SQLite file (WAL,
 * busy timeout, `BEGIN IMMEDIATE` writes: see db/open.ts) or one PostgreSQL database.
 *
 * - The primary migrates, creates the bootstrap users and seeds once, then forks; the workers re-run the
 *   same command line (so whatever launcher started the primary starts them) and only serve.
 * - The primary prints the banner once every worker listens, and relays cache invalidations between
 *   workers (cache-invalidation.ts).
 * - SIGTERM/SIGINT: every worker drains (stops accepting, finishes in-flight requests, closes its database);
 *   the primary exits 0 when all have exited cleanly, 1 otherwise.
 * - A worker that dies while serving is restarted; if workers die more than MAX_CRASHES times within
 *   CRASH_WINDOW_MS, or one dies before all have started (port taken, database unreachable), the primary
 *   stops the others and exits 1 rather than loop.
 */
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { pino } from 'pino';
import { isInvalidationMessage } from './db/cache-invalidation.js';
import { ConfigError, ensureDatabaseDirectory, type ServerConfig } from './config.js';
import { migrateToLatest } from './db/migrate.js';
import { openDatabase } from './db/open.js';
import { banner, prepareData, serve } from './main.js';

const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 60_000;
/** Workers cut remaining connections after 10 s of draining; after this the primary kills them. */
const STOP_GRACE_MS = 20_000;

/** The default worker count: one per CPU the process may use. */
export function defaultWorkers(): number {
  return availableParallelism();
}

function isMemoryDatabase(url: string): boolean {
  return url === 'sqlite::memory:' || url === 'sqlite:' || url.startsWith('sqlite::memory:');
}

/**
 * Serves with `workers` processes (`explicit`: the count was asked for, not defaulted). One worker, or an
 * in-memory SQLite database when the count was defaulted, keeps today's single process.
 */
export async function serveWorkers(config: ServerConfig, workers: number, explicit: boolean): Promise<void> {
  if (cluster.isWorker) {
    try {
      await serve(config, 'worker');
    } catch (error) {
      // The IPC channel keeps a worker alive: exit once the command line has reported the error (it sets
      // the exit code within the current turn).
      setImmediate(() => process.exit(process.exitCode || 1));
      throw error;
    }
    return;
  }
  if (isMemoryDatabase(config.databaseUrl)) {
    if (explicit && workers > 1) {
      throw new ConfigError(`--workers ${workers} needs a shared database: sqlite::memory: would give each worker its own empty one. Use a file (sqlite:./data/espo.sqlite), PostgreSQL, or --workers 1.`);
    }
    workers = 1;
  }
  if (workers <= 1) {
    await serve(config);
    return;
  }
  const log = pino({ level: config.logLevel });
  ensureDatabaseDirectory(config.databaseUrl);
  const handle = openDatabase(config.databaseUrl);
  try {
    await migrateToLatest(handle.db);
    await prepareData(handle.db, config, log);
  } finally {
    await handle.close();
  }
  runPrimary(config, workers, log);
}

function runPrimary(config: ServerConfig, count: number, log: pino.Logger): void {
  const listening = new Set<number>();
  const crashes: number[] = [];
  let started = false;
  let stopping = false;
  let exitCode = 0;

  const alive = (): Worker[] => Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
  const stop = (code: number, reason: string) => {
    exitCode = Math.max(exitCode, code);
    if (stopping) return;
    stopping = true;
    log.info({ reason, workers: alive().length }, 'stopping the workers');
    if (alive().length === 0) process.exit(exitCode);
    for (const worker of alive()) worker.process.kill('SIGTERM');
    setTimeout(() => {
      for (const worker of alive()) worker.process.kill('SIGKILL');
    }, STOP_GRACE_MS).unref();
  };

  cluster.on('listening', (worker, address) => {
    listening.add(worker.id);
    if (started) log.info({ pid: worker.process.pid }, 'a new worker listens');
    if (!started && listening.size >= count) {
      started = true;
      process.stderr.write(banner(config, `http://${config.host}:${address.port}`));
      process.stderr.write(`  Workers:  ${count} processes (primary pid ${process.pid})\n`);
    }
  });
  cluster.on('message', (from, message: unknown) => {
    if (!isInvalidationMessage(message)) return;
    for (const worker of alive()) if (worker !== from && worker.isConnected()) worker.send(message as object);
  });
  cluster.on('exit', (worker, code, signal) => {
    const served = listening.delete(worker.id);
    // A worker stopped before it listened had nothing to drain: the signal's default action is fine.
    const clean = (code === 0 && signal === null) || (!served && signal === 'SIGTERM');
    if (stopping) {
      if (!clean) exitCode = 1;
      if (alive().length === 0) process.exit(exitCode);
      return;
    }
    if (!started) {
      log.error({ pid: worker.process.pid, code, signal }, 'a worker exited while starting');
      stop(1, 'start-up failed');
      return;
    }
    const now = Date.now();
    crashes.push(now);
    while (crashes.length > 0 && crashes[0]! < now - CRASH_WINDOW_MS) crashes.shift();
    if (crashes.length > MAX_CRASHES) {
      log.error({ crashes: crashes.length, windowMs: CRASH_WINDOW_MS }, 'workers keep exiting; giving up');
      stop(1, 'crash loop');
      return;
    }
    log.warn({ pid: worker.process.pid, code, signal }, 'a worker exited; starting a new one');
    cluster.fork();
  });

  process.once('SIGTERM', () => stop(0, 'SIGTERM'));
  process.once('SIGINT', () => stop(0, 'SIGINT'));
  for (let i = 0; i < count; i++) cluster.fork();
}
