/**
 * Prism 5 mocking the bundled contract: the "mock" the reference server is compared with. Not a dependency
 * of the project: installed on demand, once, into a folder under the system's temporary directory
 * (`npm install --prefix <tmp> @stoplight/prism-cli@5.14.2`) and reused by later runs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './haproxy.js';

export const PRISM_VERSION = '5.14.2';

/** Installs Prism unless a previous run did; returns its executable. */
export function ensurePrism(log: (line: string) => void): string {
  const prefix = join(tmpdir(), `espo-bench-prism-${PRISM_VERSION}`);
  const bin = join(prefix, 'node_modules', '.bin', 'prism');
  if (existsSync(bin)) return bin;
  mkdirSync(prefix, { recursive: true });
  log(`Installing @stoplight/prism-cli@${PRISM_VERSION} into ${prefix} (once) …`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', `@stoplight/prism-cli@${PRISM_VERSION}`], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0 || !existsSync(bin)) throw new Error(`Installing Prism failed (npm exited with ${result.status})`);
  return bin;
}

export interface PrismMock {
  /** The mock's root (the contract's paths start here, without /api/v1). */
  origin: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** `prism mock` of the bundle on a free port; ready once it answers. */
export async function startPrism(bin: string, specFile: string, probe: { path: string; headers: Record<string, string> }, deadlineMs = 120_000): Promise<PrismMock> {
  const port = await freePort();
  const child = spawn(bin, ['mock', '--host', '127.0.0.1', '--port', String(port), '--errors', 'false', specFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const origin = `http://127.0.0.1:${port}`;
  const until = Date.now() + deadlineMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Prism exited with ${child.exitCode}: ${stderr}`);
    try {
      const answer = await fetch(`${origin}${probe.path}`, { headers: probe.headers });
      if (answer.status === 200) return { origin, child, stop };
      if (answer.status !== 404) {
        await stop();
        throw new Error(`Prism answered ${answer.status} to ${probe.path}: ${await answer.text()}`);
      }
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('Prism answered')) throw error;
    }
    if (Date.now() > until) {
      await stop();
      throw new Error(`Prism not ready within ${deadlineMs} ms: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
