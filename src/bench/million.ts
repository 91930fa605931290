/**
 * The 1 000 000-account figures of `npm run bench -- --million` (SQLite): `espo-ref seed` wall time, CPU
 * time and peak RSS, list latency p50/p99 over one connection (the default list with its total, and the
 * 2-item where + orderBy), and the serving process's RSS under load, also with V8's old generation capped
 * as docs/deploy.md suggests where memory is tight.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESPO_REF } from '../tools/espo-ref-process.js';
import { memoryOf, startServe } from './servers.js';
import { runWrk } from './wrk.js';

export const MILLION = Number(process.env.BENCH_MILLION_ACCOUNTS ?? 1_000_000);

/** The V8 setting docs/deploy.md suggests where memory is tight. */
const HEAP_CAP = '--max-old-space-size=160';

/** CPU seconds (user + system) a process has used so far (Linux /proc; clock ticks of 1/100 s). */
function cpuSecondsOf(pid: number): number | undefined {
  try {
    // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Samples a process every 100 ms until stopped; resolves to the highest RSS and peak seen, and its CPU time. */
function sampleMemory(pid: number): () => { rss: number; peak: number; cpu: number } {
  let rss = 0;
  let peak = 0;
  let cpu = 0;
  const timer = setInterval(() => {
    const memory = memoryOf(pid);
    // An exiting process's status has no memory lines (NaN): keep the last real sample.
    if (memory && Number.isFinite(memory.rss)) rss = Math.max(rss, memory.rss);
    if (memory && Number.isFinite(memory.peak)) peak = Math.max(peak, memory.peak);
    cpu = Math.max(cpu, cpuSecondsOf(pid) ?? 0);
  }, 100);
  return () => {
    clearInterval(timer);
    return { rss, peak, cpu };
  };
}

export async function measureMillion(options: { dir: string; apiKey: string; listQuery: string; seconds: number; log: (line: string) => void }): Promise<string[]> {
  const url = `sqlite:${join(options.dir, 'million.sqlite')}`;
  options.log(`Seeding ${MILLION} accounts with espo-ref seed …`);
  const started = performance.now();
  const child = spawn(process.execPath, [ESPO_REF, 'seed', '--accounts', String(MILLION)], { env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'ignore', 'inherit'] });
  const stopSampling = sampleMemory(child.pid!);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const seedMemory = stopSampling();
  const seedSeconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`espo-ref seed exited with ${code}`);

  const lines = [
    `At ${MILLION} accounts on SQLite:`,
    `  espo-ref seed: ${seedSeconds.toFixed(1)} s (target < 60 s; CPU ${seedMemory.cpu.toFixed(1)} s), peak RSS ${seedMemory.peak.toFixed(0)} MB (target < 300 MB)`,
  ];
  const env = { DATABASE_URL: url, ESPO_API_KEY: options.apiKey };
  const memory = await underLoad(env, options, lines);
  lines.push(`  serving process RSS under load (lists at -c1 and -c10): max ${memory.rss.toFixed(0)} MB, peak ${memory.peak.toFixed(0)} MB (target < 250 MB)`);
  const capped = await underLoad({ ...env, NODE_OPTIONS: HEAP_CAP }, options, []);
  lines.push(`  the same with NODE_OPTIONS=${HEAP_CAP}: max ${capped.rss.toFixed(0)} MB, peak ${capped.peak.toFixed(0)} MB`);
  return lines;
}

/** Serves the database in one process and loads it with the lists (latencies go to `lines`); resolves to its memory. */
async function underLoad(env: Record<string, string>, options: { apiKey: string; listQuery: string; seconds: number }, lines: string[]) {
  const server = await startServe(env, 1);
  try {
    const headers = { 'X-Api-Key': options.apiKey };
    const api = `${server.origin}/api/v1`;
    const serverMemory = sampleMemory(server.child.pid!);
    const lists = [
      ['default list (createdAt desc, with its total)', `${api}/Account?maxSize=20`],
      ['default list, X-No-Total', `${api}/Account?maxSize=20`],
      ['listAccounts 2-where + orderBy', `${api}/Account?${options.listQuery}`],
    ] as const;
    for (const [label, target] of lists) {
      const extra: Record<string, string> = label.includes('X-No-Total') ? { 'X-No-Total': 'true' } : {};
      await runWrk({ url: target, headers: { ...headers, ...extra } }, { connections: 1, seconds: 1 });
      const result = await runWrk({ url: target, headers: { ...headers, ...extra } }, { connections: 1, seconds: options.seconds });
      lines.push(`  ${label.padEnd(48)} wrk -c1: p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, ${result.rps.toFixed(0)} req/s (target p99 < 25 ms)${result.failures ? `, ${result.failures} failed` : ''}`);
    }
    await runWrk({ url: `${api}/Account?${options.listQuery}`, headers }, { connections: 10, seconds: options.seconds });
    return serverMemory();
  } finally {
    await server.stop();
  }
}
