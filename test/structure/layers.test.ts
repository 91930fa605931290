/**
 * The server's layers only look down (src/server/README.md draws them). Each file belongs to the first
 * layer whose prefix matches its path under src/server; an import may reach its own layer or a lower one.
 * Imports are read as text (every relative `from '…'`), so the test needs nothing but the sources.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SERVER = resolve(import.meta.dirname, '../../src/server');

/** Bottom first. A prefix ending in `/` is a folder; otherwise one file. */
export const LAYERS: readonly { name: string; prefixes: readonly string[] }[] = [
  { name: 'core', prefixes: ['core/'] },
  { name: 'metadata', prefixes: ['metadata/'] },
  { name: 'db', prefixes: ['db/'] },
  { name: 'acl', prefixes: ['acl/'] },
  { name: 'auth', prefixes: ['auth/'] },
  { name: 'read', prefixes: ['read/'] },
  { name: 'search', prefixes: ['search/'] },
  { name: 'records', prefixes: ['records/'] },
  { name: 'links', prefixes: ['links/'] },
  { name: 'stream', prefixes: ['stream/'] },
  { name: 'services', prefixes: ['services.ts'] },
  { name: 'http', prefixes: ['http/'] },
  { name: 'routes', prefixes: ['routes/'] },
  { name: 'demo', prefixes: ['demo/'] },
  { name: 'app', prefixes: ['app.ts', 'bootstrap.ts', 'config.ts', 'main.ts', 'cluster.ts', 'index.ts', 'cli/'] },
];

function layerOf(path: string): number {
  return LAYERS.findIndex((layer) => layer.prefixes.some((prefix) => (prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix)));
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|mts)$/.test(entry.name) ? [path] : [];
  });
}

/** Server-relative paths (`records/hooks.ts`) of the files `file` imports inside src/server. */
function serverImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)]
    .map((match) => relative(SERVER, resolve(dirname(file), match[1]!)).replace(/\.js$/, '.ts'))
    .filter((path) => !path.startsWith('..'));
}

const files = sources(SERVER).map((file) => ({ path: relative(SERVER, file), imports: serverImports(file) }));

describe('server layers', () => {
  it('places every server file in a layer', () => {
    expect(files.filter((file) => layerOf(file.path) < 0).map((file) => file.path)).toEqual([]);
    expect(files.length).toBeGreaterThan(100);
  });

  it('has no import from a lower layer into a higher one', () => {
    const upward = files.flatMap((file) =>
      file.imports
        .filter((target) => layerOf(target) > layerOf(file.path))
        .map((target) => `${file.path} (${LAYERS[layerOf(file.path)]!.name}) → ${target} (${LAYERS[layerOf(target)]?.name ?? 'no layer'})`),
    );
    expect(upward).toEqual([]);
  });

  it('has no import cycle between files', () => {
    const graph = new Map(files.map((file) => [file.path, file.imports]));
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (path: string, trail: string[]) => {
      if (state.get(path) === 'done') return;
      if (state.get(path) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(path)), path].join(' → '));
        return;
      }
      state.set(path, 'open');
      for (const target of graph.get(path) ?? []) visit(target, [...trail, path]);
      state.set(path, 'done');
    };
    for (const path of graph.keys()) visit(path, []);
    expect(cycles).toEqual([]);
  });

  it('reaches access control only through its seam, acl/index.ts', () => {
    const inside = files.flatMap((file) =>
      file.path.startsWith('acl/') ? [] : file.imports.filter((target) => target.startsWith('acl/') && target !== 'acl/index.ts').map((target) => `${file.path} → ${target}`),
    );
    expect(inside).toEqual([]);
  });

  it('catches an upward import (the check itself can fail)', () => {
    expect(layerOf('read/loaders.ts')).toBeLessThan(layerOf('records/record-service.ts'));
    expect(layerOf('core/ids.ts')).toBe(0);
    expect(layerOf('nowhere.ts')).toBe(-1);
  });
});
