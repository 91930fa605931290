/**
 * Debian's haproxy in front of several reference servers (the two-instance test and the benchmark): a
 * generated configuration on a free port, haproxy in the foreground as a child process, ready once a
 * request to `/health` passes through it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const HAPROXY = 'haproxy';

/** Whether haproxy can be run (`apt-get install -y haproxy`). */
export function haproxyAvailable(): boolean {
  return spawnSync(HAPROXY, ['-v'], { stdio: 'ignore' }).status === 0;
}

/** A port that was free a moment ago (haproxy needs a number in its configuration). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Round robin over the backends, each checked with GET /health. */
export function haproxyConfig(port: number, backends: readonly string[]): string {
  return [
    'global',
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  timeout connect 5s',
    '  timeout client 60s',
    '  timeout server 60s',
    'frontend api',
    `  bind 127.0.0.1:${port}`,
    '  default_backend espo_ref',
    'backend espo_ref',
    '  balance roundrobin',
    '  option httpchk GET /health',
    '  http-check expect status 200',
    ...backends.map((backend, i) => `  server ref${i} ${backend} check inter 2s fall 2 rise 1`),
    '',
  ].join('\n');
}

export interface Haproxy {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** `backends`: `host:port` of each instance. */
export async function startHaproxy(backends: readonly string[], deadlineMs = 60_000): Promise<Haproxy> {
  const dir = mkdtempSync(join(tmpdir(), 'espo-haproxy-'));
  const port = await freePort();
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, haproxyConfig(port, backends));
  const child = spawn(HAPROXY, ['-db', '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const origin = `http://127.0.0.1:${port}`;
  const until = Date.now() + deadlineMs;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`haproxy exited with ${child.exitCode}: ${stderr}`);
    }
    try {
      if ((await fetch(`${origin}/health`)).status === 200) return { origin, child, stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      await stop();
      throw new Error(`haproxy not ready within ${deadlineMs} ms: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
