/**
 * The 1 000 000-account figures of `npm run bench -- --million` (SQLite): `espo-ref seed` wall time and
 * peak RSS, list latency p50/p99 over one connection (the default list with its total, and the 2-item
 * where + orderBy), and the serving process's RSS under load.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ESPO_REF } from '../tools/espo-ref-process.js';
import { memoryOf, startServe } from './servers.js';
import { runWrk } from './wrk.js';

export const MILLION = Number(process.env.BENCH_MILLION_ACCOUNTS ?? 1_000_000);

/** Samples a process's memory every 100 ms until stopped; resolves to the highest RSS and peak seen. */
function sampleMemory(pid: number): () => { rss: number; peak: number } {
  let rss = 0;
  let peak = 0;
  const timer = setInterval(() => {
    const memory = memoryOf(pid);
    // An exiting process's status has no memory lines (NaN): keep the last real sample.
    if (memory && Number.isFinite(memory.rss)) rss = Math.max(rss, memory.rss);
    if (memory && Number.isFinite(memory.peak)) peak = Math.max(peak, memory.peak);
  }, 100);
  return () => {
    clearInterval(timer);
    return { rss, peak };
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

  const server = await startServe({ DATABASE_URL: url, ESPO_API_KEY: options.apiKey }, 1);
  try {
    const headers = { 'X-Api-Key': options.apiKey };
    const api = `${server.origin}/api/v1`;
    const serverMemory = sampleMemory(server.child.pid!);
    const lists = [
      ['default list (createdAt desc, with its total)', `${api}/Account?maxSize=20`],
      ['default list, X-No-Total', `${api}/Account?maxSize=20`],
      ['listAccounts 2-where + orderBy', `${api}/Account?${options.listQuery}`],
    ] as const;
    const lines = [`At ${MILLION} accounts on SQLite:`, `  espo-ref seed: ${seedSeconds.toFixed(1)} s (target < 60 s), peak RSS ${seedMemory.peak.toFixed(0)} MB (target < 300 MB)`];
    for (const [label, target] of lists) {
      const extra: Record<string, string> = label.includes('X-No-Total') ? { 'X-No-Total': 'true' } : {};
      await runWrk({ url: target, headers: { ...headers, ...extra } }, { connections: 1, seconds: 1 });
      const result = await runWrk({ url: target, headers: { ...headers, ...extra } }, { connections: 1, seconds: options.seconds });
      lines.push(`  ${label.padEnd(48)} wrk -c1: p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, ${result.rps.toFixed(0)} req/s (target p99 < 25 ms)${result.failures ? `, ${result.failures} failed` : ''}`);
    }
    await runWrk({ url: `${api}/Account?${options.listQuery}`, headers }, { connections: 10, seconds: options.seconds });
    const memory = serverMemory();
    lines.push(`  serving process RSS under load (lists at -c1 and -c10): max ${memory.rss.toFixed(0)} MB, peak ${memory.peak.toFixed(0)} MB (target < 250 MB)`);
    return lines;
  } finally {
    await server.stop();
  }
}
