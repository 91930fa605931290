/**
 * `espo-ref` as child processes, as an operator runs it: one-shot commands, and `serve` kept running
 * (ready once its banner is printed) with its output collected for the test to inspect.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { bannerOrigin, ESPO_REF } from '../../src/tools/espo-ref-process.js';
import { adminQuery } from '../../src/tools/postgres-admin.js';

export { bannerOrigin };
export const LAUNCHER = ESPO_REF;

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const baseEnv = () => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' });

/** Runs `espo-ref ARGS` to its end (with `input` on stdin) in a minimal environment plus `env`. */
export function espoRef(args: string[], env: Record<string, string> = {}, input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LAUNCHER, ...args], { env: { ...baseEnv(), ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

export interface ServeProcess {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  child: ChildProcess;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  /** Sends the signal and resolves to the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `espo-ref serve --port 0 …` and resolves once the banner (the last line included) is out. */
export function startServe(args: string[], env: Record<string, string>, readyLine = /Try: /): Promise<ServeProcess> {
  const child = spawn(process.execPath, [LAUNCHER, 'serve', '--port', '0', ...args], { env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return bannerOrigin(child, readyLine).then((origin) => ({
    origin,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  }));
}

/** One request on a new connection (a cluster hands out connections, not requests, to its workers). */
export function freshRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: { ...options.headers, Connection: 'close' }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Polls `check` until it returns true or the deadline passes (then fails with `what`). */
export async function eventually(what: string, check: () => Promise<boolean>, deadlineMs = 60_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`Not within ${deadlineMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface DatabaseForProcesses {
  /** DATABASE_URL for `espo-ref` processes. */
  url: string;
  drop(): Promise<void>;
}

/**
 * A database that child processes can open by URL: a SQLite file in a temporary folder, or a fresh
 * PostgreSQL schema chosen through the URL's `options=-c search_path=…`.
 */
export async function databaseForProcesses(engine: 'sqlite' | 'postgres'): Promise<DatabaseForProcesses> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'espo-procs-'));
    return { url: `sqlite:${join(dir, 'espo.sqlite')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('PostgreSQL: TEST_DATABASE_URL not set');
  const { randomBytes } = await import('node:crypto');
  const schema = `procs_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = (statement: string) => adminQuery(base, statement);
  await admin(`create schema "${schema}"`);
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => admin(`drop schema if exists "${schema}" cascade`) };
}
