/**
 * `npm run bench -- --quick` runs end to end (one round of 1 s per measure over a few hundred accounts):
 * every target answers every operation and the table and ratios are printed. Asserts no speeds: speed
 * targets belong to the full benchmark. Needs wrk.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { wrkAvailable } from '../../src/bench/wrk.js';

const available = wrkAvailable();

(available ? describe : describe.skip)(`npm run bench -- --quick${available ? '' : ' (wrk not installed: apt-get install -y wrk)'}`, () => {
  it('measures every target and prints the table and the ratios', { timeout: 300_000 }, async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/bench/run.ts', '--quick'], { env: { ...process.env, BENCH_PRISM: '0', BENCH_DATABASE_URL: '', TEST_DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (exit) => resolve({ code: exit, stdout: out, stderr: err }));
    });
    expect(code, stderr).toBe(0);
    const row = (name: string) => stdout.split('\n').find((line) => line.trimStart().startsWith(name));
    const figures = (line: string | undefined) => (line ?? '').trim().split(/\s{2,}/).slice(1);
    for (const name of ['reference, SQLite, 1 worker ', 'reference, SQLite, 1 worker, response validation off', 'bare node:http, same bytes (ceiling)', 'Express 5 alone, same bytes (framework ceiling)']) {
      const cells = figures(row(name));
      expect(cells, name).toHaveLength(5);
      for (const cell of cells) expect(Number(cell), `${name}: ${cell}`).toBeGreaterThan(0);
    }
    expect(row('reference, SQLite, ')?.length).toBeGreaterThan(0);
    expect(stdout).toMatch(/reference, SQLite, \d+ workers/);
    expect(stdout).toMatch(/getAccount, 1 worker ÷ Express 5 alone \(framework ceiling\) +\d+\.\d{3}/);
    expect(stdout).toMatch(/getAccount, 1 worker ÷ bare node:http +\d+\.\d{3} +≥ 0\.10/);
    expect(stdout).toMatch(/response validation cost, getAccount \(1 − on ÷ off\) +-?\d+\.\d{3}/);
    expect(stdout).toMatch(/Note: Prism skipped/);
    // SQLite only, to keep the test short (the PostgreSQL and haproxy targets start the same processes).
    expect(stdout).toMatch(/Note: BENCH_DATABASE_URL \/ TEST_DATABASE_URL not set/);
  });
});
