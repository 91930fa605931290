/** `espo-conformance`: arguments, exit status, report formats, and cleanup after Ctrl-C. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../src/conformance/catalog.js';
import { parseCliArgs } from '../../src/conformance/cli-args.js';
import { main } from '../../src/conformance/cli.js';
import { GROUP_NAMES, type Report } from '../../src/conformance/report.js';
import { runConformance } from '../../src/conformance/runner.js';
import { startServer, type TestServer } from '../support/server.js';

const BIN = fileURLToPath(new URL('../../src/conformance/espo-conformance.mjs', import.meta.url));

function runBin(args: string[], options: { onStderr?: (text: string, child: ReturnType<typeof spawn>) => void } = {}): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      options.onStderr?.(stderr, child);
    });
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('parseCliArgs', () => {
  const base = ['--base-url', 'http://127.0.0.1:8080/api/v1'];

  it('takes an API key, key + secret, or user + password', () => {
    expect(parseCliArgs([...base, '--api-key', 'k'], {})).toMatchObject({ kind: 'run', options: { auth: { apiKey: 'k' } } });
    expect(parseCliArgs([...base, '--api-key', 'k', '--secret-key', 's'], {})).toMatchObject({ kind: 'run', options: { auth: { apiKey: 'k', secretKey: 's' } } });
    expect(parseCliArgs([...base, '--username', 'u', '--password', 'p'], {})).toMatchObject({ kind: 'run', options: { auth: { username: 'u', password: 'p' } } });
    expect(parseCliArgs(base, { ESPO_API_KEY: 'env-key' })).toMatchObject({ kind: 'run', options: { auth: { apiKey: 'env-key' } } });
  });

  it('reads groups, checks, report, fuzz and strict', () => {
    const parsed = parseCliArgs([...base, '--api-key', 'k', '--only', 'crud,search', '--only', 'links', '--check', 'search.where.in', '--report', 'junit', '--out', 'r.xml', '--fuzz', '25', '--fuzz-seed', '7', '--strict'], {});
    expect(parsed).toMatchObject({
      kind: 'run',
      options: { only: ['crud', 'search', 'links'], checks: ['search.where.in'], report: 'junit', out: 'r.xml', fuzz: 25, fuzzSeed: 7, strict: true, timeoutMs: 30_000 },
    });
  });

  it('rejects what it cannot use', () => {
    expect(parseCliArgs(['--api-key', 'k'], {})).toMatchObject({ kind: 'error', message: '--base-url is required' });
    expect(parseCliArgs(base, {})).toMatchObject({ kind: 'error', message: expect.stringMatching(/credentials are required/) });
    expect(parseCliArgs([...base, '--username', 'u'], {})).toMatchObject({ kind: 'error', message: '--username needs --password' });
    expect(parseCliArgs([...base, '--api-key', 'k', '--only', 'bogus'], {})).toMatchObject({ kind: 'error', message: expect.stringMatching(/unknown group 'bogus'/) });
    expect(parseCliArgs([...base, '--api-key', 'k', '--report', 'html'], {})).toMatchObject({ kind: 'error' });
    expect(parseCliArgs([...base, '--api-key', 'k', '--fuzz', '-1'], {})).toMatchObject({ kind: 'error' });
    expect(parseCliArgs(['--base-url', 'ftp://x', '--api-key', 'k'], {})).toMatchObject({ kind: 'error' });
    expect(parseCliArgs([...base, '--api-key', 'k', '--frobnicate'], {})).toMatchObject({ kind: 'error' });
  });

  it('--only takes check IDs and ID prefixes ending at a dot, and rejects IDs that name no check', () => {
    expect(parseCliArgs([...base, '--api-key', 'k', '--only', 'crud.create-full,search.where', '--only', 'links.contacts.relate-ids'], {})).toMatchObject({
      kind: 'run',
      options: { only: ['crud.create-full', 'search.where', 'links.contacts.relate-ids'] },
    });
    expect(parseCliArgs([...base, '--api-key', 'k', '--only', 'crud.create-fu'], {})).toMatchObject({ kind: 'error', message: "unknown check 'crud.create-fu' (--list prints every check ID)" });
    expect(parseCliArgs([...base, '--api-key', 'k', '--only', 'crud/create-full'], {})).toMatchObject({ kind: 'error', message: expect.stringMatching(/unknown group 'crud\/create-full'/) });
  });

  it('--list prints every group and check ID with its title, without a server', async () => {
    const out: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t), env: {}, isTty: false };
    expect(await main(['--list'], io)).toBe(0);
    const text = out.join('');
    const lines = text.split('\n');
    const groups = catalog();
    expect(groups.map((g) => g.name)).toEqual([...GROUP_NAMES]);
    for (const group of groups) {
      expect(text).toContain(`${group.name}: ${group.title} (${group.checks.length} checks)`);
      for (const check of group.checks) {
        expect(lines.some((line) => line.startsWith(`  ${check.id} `) && (line.endsWith(`  ${check.title}`) || line.includes(`  ${check.title} [setup`)))).toBe(true);
      }
    }
    expect(text).toMatch(/^ {2}crud\.create-full +createAccount stores every writable attribute as sent$/m);
    expect(text).toMatch(/^ {2}search\.dataset +create the search data set .*\[setup/m);
    // Every check the kit runs, and no ID twice.
    const ids = groups.flatMap((g) => g.checks.map((c) => c.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(200);
  });

  it('usage errors exit with 2, --help with 0', async () => {
    const out: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t), env: {}, isTty: false };
    expect(await main(['--api-key', 'k'], io)).toBe(2);
    expect(out.join('')).toMatch(/Usage: espo-conformance --base-url URL/);
    expect(await main(['--help'], io)).toBe(0);
  });
});

describe('the espo-conformance executable', () => {
  let server: TestServer;
  let dir: string;
  beforeAll(async () => {
    server = await startServer();
    dir = mkdtempSync(join(tmpdir(), 'espo-conformance-'));
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a clean text report and exits 0; writes JUnit XML with --out', async () => {
    const out = join(dir, 'report.xml');
    const result = await runBin(['--base-url', server.baseUrl, '--api-key', server.apiKey, '--only', 'auth', '--strict', '--report', 'junit', '--out', out]);
    expect(result.stderr).toMatch(/espo-conformance .*run marker conformance-[0-9a-f]{8}/);
    expect(result.stderr).toMatch(/ {2}auth +✓ +11 checks: 5 passed, 6 skipped/);
    expect(result.stdout).toMatch(/SUMMARY\n {2}group +checks +passed +failed +deviations +skipped +requests +time\n {2}auth +11 +5 +0 +0 +6/);
    expect(result.stdout).toMatch(/Result: PASSED \(strict\)/);
    expect(result.code).toBe(0);
    const xml = readFileSync(out, 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="espo-conformance [^"]+" tests="12" failures="0" errors="0" skipped="6"/);
    expect(xml).toContain('<testcase classname="espo-conformance.auth" name="auth.no-credentials: every kind of request without credentials gets 401 and changes nothing"');
    expect(xml).toContain('<skipped message="needs --secret-key (an API user with the HMAC method)"/>');
  }, 300_000);

  it('--report json prints the report on stdout; rejected credentials exit with 3', async () => {
    const ok = await runBin(['--base-url', server.baseUrl, '--api-key', server.apiKey, '--check', 'crud.create-minimal', '--report', 'json']);
    const report = JSON.parse(ok.stdout) as Report;
    expect(report).toMatchObject({ ok: true, summary: { checks: 1, passed: 1 }, cleanup: { leftovers: [] } });
    expect(ok.code).toBe(0);
    const rejected = await runBin(['--base-url', server.baseUrl, '--api-key', 'wrong-key']);
    expect(rejected.code).toBe(3);
    expect(rejected.stdout).toMatch(/ERROR: the server rejected the credentials/);
  }, 300_000);

  it('--only runs single checks; one whose input comes from an unselected check skips with the reason', async () => {
    const report = await runConformance({ baseUrl: server.baseUrl, auth: { apiKey: server.apiKey }, only: ['crud.read', 'stream.paging', 'search.order.name', 'auth'] });
    expect(report.groups.map((g) => [g.name, g.checks.map((c) => c.id)])).toEqual([
      ['auth', catalog().find((g) => g.name === 'auth')!.checks.map((c) => c.id)],
      ['crud', ['crud.read']],
      ['search', ['search.dataset', 'search.order.name']],
      ['stream', ['stream.paging']],
    ]);
    const checks = new Map(report.groups.flatMap((g) => g.checks).map((c) => [c.id, c]));
    expect(checks.get('crud.read')).toMatchObject({ outcome: 'skipped', skipReason: 'create-full did not create a record' });
    expect(checks.get('stream.paging')).toMatchObject({ outcome: 'skipped', skipReason: 'the post check did not post a note' });
    expect(checks.get('search.order.name')?.outcome).toBe('passed');
    expect(report.ok).toBe(true);
  }, 300_000);

  it('Ctrl-C stops the checks, still deletes every record it created, and exits with 130', async () => {
    let sent = false;
    const result = await runBin(['--base-url', server.baseUrl, '--api-key', server.apiKey, '--only', 'crud,links', '--report', 'json'], {
      onStderr(text, child) {
        // Interrupt once crud has finished: the links group is then running or next, whatever the machine's
        // speed (a delay here would race the end of the run on a fast machine).
        if (!sent && /crud +✓/.test(text)) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(sent).toBe(true);
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/SIGINT: stopping the checks and cleaning up/);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.aborted).toBe(true);
    expect(report.ok).toBe(false);
    expect(report.cleanup.created).toBeGreaterThan(10);
    expect(report.cleanup.leftovers).toEqual([]);
    const left = await fetch(`${server.baseUrl}/Account?select=id&where[0][type]=startsWith&where[0][attribute]=name&where[0][value]=${report.marker}`, { headers: { 'X-Api-Key': server.apiKey } });
    expect(((await left.json()) as { total: number }).total).toBe(0);
  }, 300_000);
});
