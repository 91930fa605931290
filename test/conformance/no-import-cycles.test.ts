/**
 * No module of the conformance kit imports itself through others (type-only imports count too): the
 * groups, the check context and the fixtures stay layered.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../src/conformance');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Relative imports and re-exports (static and dynamic) of a module, as absolute `.ts` paths inside the kit. */
function relativeImports(file: string, text: string): string[] {
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  return specifiers.map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts'))).filter((path) => path.startsWith(`${ROOT}/`));
}

/** One import cycle, as the list of files around it, or `undefined`. */
function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): string[] | undefined => {
    if (state.get(file) === 'done') return undefined;
    if (state.get(file) === 'open') return [...stack.slice(stack.indexOf(file)), file];
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(file, 'done');
    return undefined;
  };
  for (const file of graph.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('imports of src/conformance', () => {
  it('finds a cycle when there is one (the check itself works)', () => {
    expect(findCycle(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]]))).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle(new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]]))).toBeUndefined();
    expect(relativeImports(`${ROOT}/x.ts`, "import type { A } from './context.js';\nexport { b } from '../conformance/groups/group.js';\nawait import('./fuzz/run.js');")).toEqual([
      `${ROOT}/context.ts`,
      `${ROOT}/groups/group.ts`,
      `${ROOT}/fuzz/run.ts`,
    ]);
  });

  it('has no cycle', () => {
    const files = sources(ROOT);
    expect(files.length).toBeGreaterThan(20);
    const graph = new Map(files.map((file) => [file, relativeImports(file, readFileSync(file, 'utf8'))]));
    const cycle = findCycle(graph);
    expect(cycle?.map((file) => relative(ROOT, file)).join(' → ')).toBeUndefined();
  });
});
