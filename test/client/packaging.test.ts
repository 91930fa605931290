/**
 * The package as a user gets it: `npm pack` (which builds dist/ through `prepack`), the tarball installed
 * into a temporary project, and there, with plain `node` (no tsx, no TypeScript, nothing of this clone):
 * the client imported, `espo-ref serve` on a temporary SQLite file, `espo-conformance` against it.
 *
 * Dependencies come from the npm cache (`--prefer-offline`; `npm ci` filled it). Install scripts are
 * skipped and better-sqlite3's native binary is copied from this clone's own build of the same version:
 * compiling SQLite from source would add minutes, and tests nothing of this project.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bannerOrigin } from '../support/espo-process.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const clientSources = join(root, 'src/client');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  exports: Record<string, string | { types: string; import: string }>;
  dependencies: Record<string, string>;
};
/** npm, pack and install are slow on a loaded machine; none of this is a speed check. */
const SLOW = 600_000;

/** Module specifiers a JS/TS file imports or re-exports at run time (type-only imports excluded). */
function runtimeImports(source: string): string[] {
  const specifiers: string[] = [];
  for (const match of source.matchAll(/^(import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'/gms)) {
    if (!match[2] && match[3]) specifiers.push(match[3]);
  }
  for (const match of source.matchAll(/^import\s+'([^']+)'/gm)) if (match[1]) specifiers.push(match[1]);
  for (const match of source.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) if (match[1]) specifiers.push(match[1]);
  return specifiers;
}

const allowedRuntime = (specifier: string) => specifier === 'openapi-fetch' || /^\.\/[a-z0-9-]+\.js$/.test(specifier);

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
}

describe('client sources', () => {
  it('import nothing at run time but openapi-fetch and each other', () => {
    const files = readdirSync(clientSources).filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const imports = runtimeImports(readFileSync(join(clientSources, file), 'utf8'));
      expect(imports.filter((specifier) => !allowedRuntime(specifier)), file).toEqual([]);
    }
  });

  it('is a dependency the package declares', () => {
    expect(manifest.dependencies['openapi-fetch']).toBeDefined();
  });

  it('type-check without Node types (tsconfig.client.json): they use only ES2023 and the DOM', { timeout: SLOW }, () => {
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.client.json')], { cwd: root, stdio: 'pipe' });
  });
});

describe('the packed package, installed into a temporary project', () => {
  let work: string;
  let project: string;
  let installed: string;
  let packed: string[];

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'espo-pack-'));
    const [pack] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], root)) as { filename: string; files: { path: string }[] }[];
    packed = pack!.files.map((file) => file.path).sort();
    project = join(work, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    npm(['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', join(work, pack!.filename)], project);
    installed = join(project, 'node_modules', manifest.name);
    const binary = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    mkdirSync(join(project, 'node_modules/better-sqlite3/build/Release'), { recursive: true });
    copyFileSync(join(root, binary), join(project, binary));
  }, SLOW);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('ships the compiled code, declarations, bundle and docs page, and no sources or tests', () => {
    for (const file of ['package.json', 'README.md', 'generated/openapi.yaml', 'generated/openapi-3.0.yaml', 'docs/index.html', 'dist/generated/openapi.d.ts']) expect(packed).toContain(file);
    for (const target of Object.values(manifest.bin)) expect(packed).toContain(target);
    for (const entry of Object.values(manifest.exports)) {
      for (const target of typeof entry === 'string' ? [entry] : [entry.types, entry.import]) expect(packed).toContain(target.replace(/^\.\//, ''));
    }
    expect(packed.filter((file) => !/^(bin\/|dist\/|generated\/openapi(-3\.0)?\.yaml$|docs\/index\.html$|package\.json$|README\.md$)/.test(file))).toEqual([]);
    expect(packed.filter((file) => /\.ts$/.test(file) && !file.endsWith('.d.ts'))).toEqual([]);
    expect(packed.some((file) => file.startsWith('dist/src/client/') && file.endsWith('.js'))).toBe(true);
    expect(packed.some((file) => file.startsWith('dist/src/server/') && file.endsWith('.js'))).toBe(true);
    expect(packed.some((file) => file.startsWith('dist/src/conformance/') && file.endsWith('.js'))).toBe(true);
  });

  it('installs without the development tools (no tsx, no TypeScript)', () => {
    expect(existsSync(join(installed, 'package.json'))).toBe(true);
    expect(existsSync(join(project, 'node_modules/tsx'))).toBe(false);
    expect(existsSync(join(project, 'node_modules/typescript'))).toBe(false);
  });

  it('compiled client modules import only openapi-fetch and each other', () => {
    const dir = join(installed, 'dist/src/client');
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.js'))) {
      const imports = runtimeImports(readFileSync(join(dir, file), 'utf8'));
      expect(imports.filter((specifier) => !allowedRuntime(specifier)), file).toEqual([]);
    }
  });

  it('both bins run the compiled code on plain node: --version', { timeout: SLOW }, () => {
    expect(existsSync(join(installed, 'src'))).toBe(false);
    for (const bin of Object.keys(manifest.bin)) {
      expect(execFileSync(join(project, 'node_modules/.bin', bin), ['--version'], { cwd: project, encoding: 'utf8' })).toBe(`${manifest.version}\n`);
    }
  });

  describe('espo-ref serve on a temporary SQLite file', () => {
    let server: ChildProcess;
    let origin: string;

    beforeAll(async () => {
      server = spawn(join(project, 'node_modules/.bin/espo-ref'), ['serve', '--port', '0'], {
        cwd: project,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: `sqlite:${join(work, 'espo.sqlite')}`, ESPO_SEED_ACCOUNTS: '5', LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // Ready when the banner is complete (it is printed once the server listens).
      origin = await bannerOrigin(server);
    }, SLOW);

    afterAll(async () => {
      if (!server || server.exitCode !== null) return;
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }, SLOW);

    it('serves the docs page, the API (which the installed client reads) and the 3.0 companion', { timeout: SLOW }, () => {
      const script = join(project, 'list.mjs');
      writeFileSync(
        script,
        `import { createEspoClient, unwrap } from '${manifest.name}/client';
const docs = await fetch(process.argv[2] + '/docs');
const api = createEspoClient({ baseUrl: process.argv[2], auth: { apiKey: 'demo-api-key' } });
const page = unwrap(await api.GET('/Account', { params: { query: { maxSize: 2, select: ['name'] } } }));
const spec30 = await fetch(process.argv[2] + '/api/v1/OpenApi?version=3.0', { headers: { 'X-Api-Key': 'demo-api-key' } });
console.log(JSON.stringify({ docs: docs.status, html: (await docs.text()).includes('<title>'), total: page.total, names: page.list.map((a) => typeof a.name), openapi30: (await spec30.json()).openapi }));
`,
      );
      const output = JSON.parse(execFileSync(process.execPath, [script, origin], { cwd: project, encoding: 'utf8' })) as unknown;
      expect(output).toEqual({ docs: 200, html: true, total: 5, names: ['string', 'string'], openapi30: '3.0.3' });
    });

    it('passes espo-conformance, run from the installed package', { timeout: SLOW }, () => {
      const report = execFileSync(
        join(project, 'node_modules/.bin/espo-conformance'),
        ['--base-url', origin, '--api-key', 'demo-api-key', '--only', 'auth,crud,search', '--report', 'json'],
        { cwd: project, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const parsed = JSON.parse(report) as { ok: boolean; groups: { name: string; checks: unknown[] }[] };
      expect(parsed.groups.map((group) => group.name).sort()).toEqual(['auth', 'crud', 'search']);
      expect(parsed.groups.every((group) => group.checks.length > 0)).toBe(true);
      expect(parsed.ok).toBe(true);
    });
  });
});
