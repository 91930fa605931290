/**
 * How the executables behave as processes, as a supervisor, a container runtime or a shell script sees
 * them: `npm start` stops gracefully on SIGTERM (the signal reaches the server), one banner on stderr and
 * only JSON log lines on stdout, `--version` on both bins, exit codes as the README states, errors that
 * name what to fix, and no escape codes with NO_COLOR or without a terminal.
 *
 * Readiness is read from the server's own output (the banner), never waited for by time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as conformanceMain } from '../../src/conformance/cli.js';
import { progress } from '../../src/server/cli/progress.js';
import { startServer, type TestServer } from '../support/server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ESPO_REF = join(ROOT, 'src/server/cli/espo-ref.mjs');
const ESPO_CONFORMANCE = join(ROOT, 'src/conformance/espo-conformance.mjs');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const SLOW = 180_000;
const ESC = '\u001b';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'espo-process-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Output {
  stdout: string;
  stderr: string;
}

function collect(child: ChildProcess): Output {
  const output = { stdout: '', stderr: '' };
  child.stdout?.on('data', (chunk: Buffer) => (output.stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output.stderr += chunk.toString('utf8')));
  return output;
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Runs a command to its end. */
async function run(command: string, args: string[], env: Record<string, string> = {}): Promise<Output & { code: number | null }> {
  const child = spawn(command, args, { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = collect(child);
  const { code } = await exited(child);
  return { ...output, code };
}

/** Resolves with the server's origin once the banner is complete; rejects if the process ends first. */
function bannerOrigin(child: ChildProcess, output: Output): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = /API: +(http:\/\/127\.0\.0\.1:\d+)\/api\/v1/.exec(output.stderr);
      if (match && output.stderr.includes('Try: ')) resolve(match[1]!);
    };
    child.stderr?.on('data', check);
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before it was ready:\n${output.stderr}`)));
  });
}

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('npm start', () => {
  it('passes SIGTERM to the server, which stops gracefully: exit code 0 and the port closed', { timeout: SLOW }, async () => {
    // What a supervisor does: start `npm start` and send SIGTERM to npm itself.
    const child = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `sqlite:${join(dir, 'start.sqlite')}`, ESPO_SEED_ACCOUNTS: '3', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = collect(child);
    try {
      const origin = await bannerOrigin(child, output);
      const port = Number(new URL(origin).port);
      const response = await fetch(`${origin}/api/v1/Account?maxSize=1`, { headers: { 'X-Api-Key': 'demo-api-key' } });
      expect(response.status).toBe(200);
      await response.arrayBuffer();

      const exit = exited(child);
      child.kill('SIGTERM');
      expect(await exit).toEqual({ code: 0, signal: null });
      expect(await portAccepts(port)).toBe(false);

      // One banner, on stderr; stdout holds only JSON log lines (seeding, the request, the shutdown).
      expect(output.stderr.match(/EspoCRM Account API reference server/g)).toHaveLength(1);
      const lines = output.stdout.trim().split('\n');
      const logs = lines.map((line) => JSON.parse(line) as { msg: string });
      expect(logs.map((entry) => entry.msg)).toContain('shutting down');
      expect(output.stdout).not.toContain('EspoCRM Account API reference server');
      expect(output.stderr).not.toMatch(/^\{"level"/m);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});

describe('--version', () => {
  it.each([
    ['espo-ref', ESPO_REF],
    ['espo-conformance', ESPO_CONFORMANCE],
  ])('%s --version prints the package version and exits 0', { timeout: SLOW }, async (_name, bin) => {
    expect(await run(process.execPath, [bin, '--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });
});

describe('exit codes and errors that name what to fix', () => {
  it('an unsupported DATABASE_URL is a usage error: exit 2, naming the setting', { timeout: SLOW }, async () => {
    const result = await run(process.execPath, [ESPO_REF, 'serve', '--port', '0'], { DATABASE_URL: 'mysql://localhost/crm' });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/Unsupported database URL 'mysql:\/\/localhost\/crm'.*DATABASE_URL/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a bad PORT is a usage error: exit 2, naming the setting', { timeout: SLOW }, async () => {
    const result = await run(process.execPath, [ESPO_REF, 'serve'], { PORT: 'eighty', DATABASE_URL: `sqlite:${join(dir, 'port.sqlite')}` });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain("PORT must be an integer from 0 to 65535, got 'eighty'");
  });

  it('a SQLite file that cannot be opened: exit 1, naming the file and DATABASE_URL', { timeout: SLOW }, async () => {
    const directory = join(dir, 'a-directory.sqlite');
    mkdirSync(directory);
    const result = await run(process.execPath, [ESPO_REF, 'serve', '--port', '0'], { DATABASE_URL: `sqlite:${directory}` });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain(`Cannot open the SQLite database file ${directory}: unable to open database file`);
    expect(result.stderr).toContain('DATABASE_URL');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a PostgreSQL server that cannot be reached: exit 1, pointing at DATABASE_URL', { timeout: SLOW }, async () => {
    const result = await run(process.execPath, [ESPO_REF, 'migrate'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/ECONNREFUSED[\s\S]*Check the database server and DATABASE_URL/);
  });
});

describe('NO_COLOR and output without a terminal', () => {
  function progressOutput(isTTY: boolean, env: NodeJS.ProcessEnv): string {
    let text = '';
    const bar = progress({ isTTY, write: (chunk: string) => (text += chunk) }, 10, 'accounts', env);
    for (let done = 1; done <= 10; done++) bar.update(done);
    bar.finish('Seeded 10 accounts');
    return text;
  }

  it('espo-ref progress: redrawn in place on a terminal; plain lines without one or with NO_COLOR', () => {
    expect(progressOutput(true, {})).toContain(ESC);
    expect(progressOutput(false, {})).not.toContain(ESC);
    expect(progressOutput(true, { NO_COLOR: '1' })).not.toContain(ESC);
    expect(progressOutput(true, { NO_COLOR: '1' })).toContain('100% 10/10 accounts');
  });

  describe('espo-conformance report', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer();
    }, SLOW);
    afterAll(async () => server?.close());

    async function report(isTty: boolean, env: NodeJS.ProcessEnv): Promise<string> {
      let text = '';
      const io = { stdout: (chunk: string) => (text += chunk), stderr: (chunk: string) => (text += chunk), env, isTty };
      const code = await conformanceMain(['--base-url', server.baseUrl, '--api-key', server.apiKey, '--only', 'auth'], io);
      expect(code, text).toBe(0);
      return text;
    }

    it('is coloured on a terminal only, and never with NO_COLOR', { timeout: SLOW }, async () => {
      expect(await report(true, {})).toContain(`${ESC}[`);
      expect(await report(false, {})).not.toContain(ESC);
      expect(await report(true, { NO_COLOR: '1' })).not.toContain(ESC);
    });
  });
});
