/**
 * Builds the bundles in generated/ from openapi/ (npm run bundle):
 *
 *   tsx src/tools/bundle.ts [outDir]      default outDir: generated/
 *
 *   1. `redocly bundle openapi/openapi.yaml` (the root PATH, not the API name: `redocly bundle espocrm -o X`
 *      ignores -o; with the path redocly still applies the espocrm API's configuration and honours -o);
 *   2. composed object schemas written out flat (src/tools/flatten-schemas.ts, ADR-009A) → openapi.yaml;
 *   3. the OpenAPI 3.0.3 companion derived from it (src/tools/down-convert.ts) → openapi-3.0.yaml, written with
 *     YAML 1.1 quoting (Go and Java YAML readers would read an unquoted `2026-11-27 09:30:00` as a timestamp).
 *
 * check-drift.ts builds into a temporary directory with the same function and compares bytes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDocument, stringify } from 'yaml';
import { toOpenApi30 } from './down-convert.js';
import { flattenComposedSchemas } from './flatten-schemas.js';
import { cleanOutput, isMain, PROJECT_ROOT, runBin } from './run.js';

export const BUNDLE_FILES = ['openapi.yaml', 'openapi-3.0.yaml'] as const;

export async function buildBundles(outDir: string): Promise<{ ok: boolean; message: string; ms: number }> {
  const main = join(outDir, 'openapi.yaml');
  const r = await runBin('@redocly/cli', 'redocly', ['bundle', 'openapi/openapi.yaml', '-o', main], { timeoutMs: 120_000 });
  if (r.code !== 0) return { ok: false, message: `redocly bundle failed:\n${cleanOutput(r.stderr || r.stdout)}`, ms: r.ms };
  const doc = parseDocument(readFileSync(main, 'utf8'));
  const flat = flattenComposedSchemas(doc);
  writeFileSync(main, doc.toString({ lineWidth: 0 }));
  const companion = toOpenApi30(doc.toJS() as Record<string, unknown>);
  writeFileSync(join(outDir, 'openapi-3.0.yaml'), stringify(companion, { lineWidth: 0, aliasDuplicateObjects: false, version: '1.1' }));
  const kept = flat.kept.length ? `; left composed: ${flat.kept.join(', ')}` : '';
  return { ok: true, message: `${main} and openapi-3.0.yaml: ${flat.flattened.length} composed schemas written out flat, ${flat.removed.length} parts removed${kept}`, ms: r.ms };
}

if (isMain(import.meta.url)) {
  const outDir = resolve(PROJECT_ROOT, process.argv[2] ?? 'generated');
  const result = await buildBundles(outDir);
  console.log(result.message);
  process.exit(result.ok ? 0 : 1);
}
