import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const clientSources = join(root, 'src/client');

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
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    expect(manifest.dependencies?.['openapi-fetch']).toBeDefined();
  });
});

describe('npm run build (tsconfig.build.json)', () => {
  let outDir: string;
  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), 'espo-client-build-'));
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir], { cwd: root, stdio: 'pipe' });
  }, 60_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('emits JavaScript and declarations where package.json `exports` points', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      exports: Record<string, { types: string; import: string }>;
    };
    const entry = manifest.exports['./client'];
    expect(entry).toBeDefined();
    for (const target of [entry?.types, entry?.import]) {
      expect(target).toMatch(/^\.\/dist\//);
      expect(existsSync(join(outDir, String(target).replace(/^\.\/dist\//, '')))).toBe(true);
    }
  });

  it('emits JavaScript that imports only openapi-fetch and its own modules', () => {
    const dir = join(outDir, 'src/client');
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.js'))) {
      const imports = runtimeImports(readFileSync(join(dir, file), 'utf8'));
      expect(imports.filter((specifier) => !allowedRuntime(specifier)), file).toEqual([]);
    }
  });

  it('works from the built files', async () => {
    const built = (await import(pathToFileURL(join(outDir, 'src/client/index.js')).href)) as typeof import('../../src/client/index.js');
    const seen: string[] = [];
    const api = built.createEspoClient({
      baseUrl: 'http://crm.test',
      auth: { apiKey: 'test-key', secretKey: 'test-secret' },
      fetch: async (request) => {
        seen.push(`${request.method} ${request.url} ${request.headers.get('X-Hmac-Authorization')}`);
        return new Response('{"total":0,"list":[]}', { headers: { 'Content-Type': 'application/json' } });
      },
    });
    const { data } = await api.GET('/Account', { params: { query: { maxSize: 1, where: [built.accountWhere.isTrue('isStarred')] } } });
    expect(data).toEqual({ total: 0, list: [] });
    expect(seen).toEqual([
      'GET http://crm.test/api/v1/Account?maxSize=1&where%5B0%5D%5Btype%5D=isTrue&where%5B0%5D%5Battribute%5D=isStarred ' +
        'dGVzdC1rZXk6YmVkZGIyMzlhNTA5M2Q3NThhNzUzNjI3MDNiMDY4YzcyYzNlNDMxYTgzMmFmODRmZDJlODA3ZjNiMzFlNDhjYQ==',
    ]);
  });
});
