/**
 * Several reference-server processes (`espo-ref serve`) on one fresh database: a SQLite file in a temporary
 * directory, or a new schema of a PostgreSQL database. They are started at the same moment, so every
 * start is also a concurrent start-up on an empty database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bannerOrigin, ESPO_REF } from '../tools/espo-ref-process.js';
import { adminQuery } from '../tools/postgres-admin.js';

export type CampaignEngine = 'sqlite' | 'postgres';

export interface Instances {
  readonly engine: CampaignEngine;
  /** API roots, one per process (`http://127.0.0.1:PORT/api/v1`). */
  readonly baseUrls: readonly string[];
  readonly apiKey: string;
  readonly admin: { readonly username: string; readonly password: string };
  close(): Promise<void>;
}

export interface StartOptions {
  readonly engine: CampaignEngine;
  readonly count: number;
  /** PostgreSQL server URL (a schema is created in its database and dropped by `close`). */
  readonly postgresUrl?: string;
  /** How long a process may take to print its banner (ms). */
  readonly startTimeoutMs?: number;
}


export async function startInstances(options: StartOptions): Promise<Instances> {
  const apiKey = `campaign-${randomBytes(6).toString('hex')}`;
  const admin = { username: 'admin', password: randomBytes(9).toString('hex') };
  const database = await freshDatabase(options);
  const children: ChildProcess[] = [];
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    ESPO_API_KEY: apiKey,
    ESPO_API_SECRET: randomBytes(9).toString('hex'),
    ESPO_ADMIN_USERNAME: admin.username,
    ESPO_ADMIN_PASSWORD: admin.password,
    ESPO_SEED: '0',
    LOG_LEVEL: 'silent',
    NO_COLOR: '1',
  };
  const close = async () => {
    await Promise.all(children.map(stop));
    await database.drop();
  };
  try {
    const baseUrls = await Promise.all(
      Array.from({ length: options.count }, () => {
        const child = spawn(process.execPath, [ESPO_REF, 'serve', '--port', '0', '--host', '127.0.0.1', '--workers', '1'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        children.push(child);
        return bannerOrigin(child, /Try: /, options.startTimeoutMs ?? 180_000).then((origin) => `${origin}/api/v1`);
      }),
    );
    return { engine: options.engine, baseUrls, apiKey, admin, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

async function freshDatabase(options: StartOptions): Promise<FreshDatabase> {
  if (options.engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'espo-campaign-'));
    return { url: `sqlite:${join(dir, 'espo.sqlite')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (!options.postgresUrl) throw new Error('PostgreSQL: no database URL given (TEST_DATABASE_URL)');
  const schema = `campaign_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(options.postgresUrl, `create schema "${schema}"`);
  const separator = options.postgresUrl.includes('?') ? '&' : '?';
  return {
    url: `${options.postgresUrl}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    drop: () => adminQuery(options.postgresUrl!, `drop schema if exists "${schema}" cascade`),
  };
}

