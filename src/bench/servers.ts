/** The processes the benchmark measures: `espo-ref serve` as a user runs it, and the bare ceiling. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bannerOrigin, ESPO_REF } from '../tools/espo-ref-process.js';

const BARE = fileURLToPath(new URL('./target-server.ts', import.meta.url));

export interface Process {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => running.forEach((child) => child.kill('SIGKILL')));

function track(child: ChildProcess): () => Promise<void> {
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    running.delete(child);
  };
}

/** Waits for a line of stdout matching `ready`; resolves to its first group. */
function readyOn(child: ChildProcess, ready: RegExp, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => (err = (err + chunk.toString('utf8')).slice(-4000)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = ready.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}:\n${out.slice(-2000)}\n${err}`)));
  });
}

/** `espo-ref serve --port 0 --workers N` with the given environment (the access log off: LOG_LEVEL=warn). */
export async function startServe(env: Record<string, string>, workers: number): Promise<Process> {
  const child = spawn(process.execPath, [ESPO_REF, 'serve', '--port', '0', '--workers', String(workers)], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ESPO_SEED: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = track(child);
  const origin = await bannerOrigin(child, workers > 1 ? /Workers: / : /Try: /);
  child.stdout!.resume();
  return { origin, child, stop };
}

/** A ceiling answering `bodies` (`METHOD /path?query` → body): bare node:http, or Express 5 (target-server.ts). */
export async function startCeiling(bodiesFile: string, framework: 'node' | 'express' = 'node'): Promise<Process> {
  JSON.parse(readFileSync(bodiesFile, 'utf8'));
  const child = spawn(process.execPath, ['--import', 'tsx', BARE], { env: { ...process.env, BENCH_BODIES: bodiesFile, BENCH_FRAMEWORK: framework }, stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = track(child);
  const port = await readyOn(child, /listening (\d+)/, `${framework} ceiling server`);
  return { origin: `http://127.0.0.1:${port}`, child, stop };
}

/** Resident set size of a process now, and its peak so far (Linux /proc), in MB. */
export function memoryOf(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}
