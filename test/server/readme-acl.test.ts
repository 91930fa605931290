/**
 * The README's access-control example, run as printed: its shell block (bash, `npx espo-ref`, curl) against
 * `espo-ref serve` on a temporary SQLite file, with only the server address replaced. The last command's
 * output must be the JSON the README shows, ids aside.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bannerOrigin } from '../support/espo-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HEADING = '#### Example: a user who sees only its own accounts';
const SLOW = 300_000;

function commandMissing(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return false;
  } catch {
    return true;
  }
}

const missing = ['bash', 'curl'].filter(commandMissing);
if (missing.length > 0) console.warn(`readme-acl.test.ts: SKIPPING the README access-control example: ${missing.join(' and ')} not found on PATH.`);

/** The shell block and the JSON block of the README section. */
function example(): { script: string; output: string } {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(HEADING);
  if (start < 0) throw new Error(`README.md has no "${HEADING}" section`);
  const section = readme.slice(start, readme.indexOf('\n#', start + HEADING.length));
  const script = /```sh\n([\s\S]*?)\n```/.exec(section)?.[1];
  const output = /```json\n([\s\S]*?)\n```/.exec(section)?.[1];
  if (!script || !output) throw new Error('the README example needs a sh block and a json block');
  return { script, output };
}

/** Record ids (17 hex digits) as the README prints them. */
const shortenIds = (json: string) => json.replace(/"[0-9a-f]{17}"/g, '"…"');

if (missing.length > 0) {
  describe('README access-control example', () => {
    it.skip(`SKIPPED: ${missing.join(' and ')} not found on PATH`, () => {});
  });
}

describe.skipIf(missing.length > 0)('README access-control example', () => {
  let dir: string;
  let server: ChildProcess;
  let origin: string;
  const env = () => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: `sqlite:${join(dir, 'espo.sqlite')}` });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'espo-readme-acl-'));
    server = spawn(process.execPath, [join(ROOT, 'bin/espo-ref.js'), 'serve', '--port', '0'], {
      cwd: ROOT,
      env: { ...env(), ESPO_SEED_ACCOUNTS: '20', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    origin = await bannerOrigin(server);
  }, SLOW);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }, SLOW);

  it('prints what the README says: the restricted user lists exactly its own account', { timeout: SLOW }, () => {
    const { script, output } = example();
    expect(script).toContain('http://127.0.0.1:8080');
    const stdout = execFileSync('bash', ['-euo', 'pipefail', '-c', script.replaceAll('http://127.0.0.1:8080', origin)], {
      cwd: ROOT,
      env: env(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const last = stdout.trimEnd().split('\n').pop() ?? '';
    expect(shortenIds(last)).toBe(output);
    // The admin sees the unassigned account alice created: it exists, alice just may not read it.
    const all = execFileSync('curl', ['-s', '-u', 'admin:admin-password', `${origin}/api/v1/Account?select=name&maxSize=200`], { encoding: 'utf8' });
    const names = (JSON.parse(all) as { list: { name: string }[] }).list.map((account) => account.name);
    expect(names).toEqual(expect.arrayContaining(['Alice Ltd', 'Nobody Ltd']));
    expect(names.length).toBe(22);
  });
});
