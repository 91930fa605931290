/**
 * Drift check: are the committed artifacts in generated/ current with the sources in openapi/?
 *
 *   tsx src/tools/check-drift.ts            (npm run check:gen)
 *
 *   1. src/tools/bundle.ts into a temporary directory (redocly bundle, flat schemas, the 3.0 companion) and a
 *      byte-for-byte comparison with generated/openapi.yaml and generated/openapi-3.0.yaml.
 *   2. `openapi-typescript --check` (regenerates generated/openapi.ts in memory from redocly.yaml and compares).
 *   3. The generated path files in openapi/paths/ against a fresh rendering of their table (src/tools/gen-paths.ts),
 *      so a hand edit of a generated file, or a table change without `npm run gen`, fails here.
 *
 * Nothing in the working tree is written. Exit 1 with "run npm run gen" when anything is stale.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLE_FILES, buildBundles } from './bundle.js';
import { stalePathFiles } from './gen-paths.js';
import { cleanOutput, isMain, PROJECT_ROOT, runBin } from './run.js';

export interface DriftStep {
  name: string;
  ok: boolean;
  ms: number;
  message: string;
}

/** First differing line of two texts, with a little context, for the failure message. */
export function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) {
      return [
        `first difference at line ${i + 1}:`,
        `  committed: ${JSON.stringify(a[i] ?? '<end of file>')}`,
        `  fresh:     ${JSON.stringify(b[i] ?? '<end of file>')}`,
      ].join('\n');
    }
  }
  return 'the files differ only in line endings or trailing bytes';
}

export async function checkBundleDrift(): Promise<DriftStep[]> {
  const work = mkdtempSync(join(tmpdir(), 'espo-drift-'));
  try {
    const built = await buildBundles(work);
    if (!built.ok) return [{ name: 'bundle', ok: false, ms: built.ms, message: built.message }];
    return BUNDLE_FILES.map((file) => {
      const committedPath = join(PROJECT_ROOT, 'generated', file);
      const committed = existsSync(committedPath) ? readFileSync(committedPath) : Buffer.alloc(0);
      const rebuilt = readFileSync(join(work, file));
      const ok = committed.equals(rebuilt);
      return {
        name: `generated/${file} matches a fresh bundle (src/tools/bundle.ts)`,
        ok,
        ms: built.ms,
        message: ok
          ? 'up to date'
          : `STALE: generated/${file} differs from a fresh bundle of openapi/ (run npm run gen).\n${firstDifference(committed.toString('utf8'), rebuilt.toString('utf8'))}`,
      };
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export async function checkTypesDrift(): Promise<DriftStep> {
  const r = await runBin('openapi-typescript', 'openapi-typescript', ['--check'], { timeoutMs: 120_000 });
  const out = cleanOutput(`${r.stdout}\n${r.stderr}`);
  // openapi-typescript 7.13 reports staleness on stderr; rely on the message as well as the exit code.
  const ok = r.code === 0 && !/not up-to-date/i.test(out);
  return {
    name: 'generated/openapi.ts matches `openapi-typescript --check`',
    ok,
    ms: r.ms,
    message: ok ? 'up to date' : `STALE: ${out || `exit ${r.code}`} (run npm run gen).`,
  };
}

export function checkPathsDrift(): DriftStep {
  const started = Date.now();
  const stale = stalePathFiles();
  return {
    name: 'generated openapi/paths files match their table (src/tools/gen-paths.ts)',
    ok: stale.length === 0,
    ms: Date.now() - started,
    message: stale.length
      ? `STALE: ${stale.map((f) => `openapi/paths/${f}`).join(', ')} differ from the table (run npm run gen).`
      : 'up to date',
  };
}

export async function checkDrift(): Promise<{ ok: boolean; steps: DriftStep[] }> {
  const paths = checkPathsDrift();
  const [bundles, types] = await Promise.all([checkBundleDrift(), checkTypesDrift()]);
  const steps = [paths, ...bundles, types];
  return { ok: steps.every((s) => s.ok), steps };
}

if (isMain(import.meta.url)) {
  const { ok, steps } = await checkDrift();
  for (const s of steps) console.log(`${s.ok ? 'ok  ' : 'FAIL'} ${s.name} (${(s.ms / 1000).toFixed(1)} s): ${s.message}`);
  process.exit(ok ? 0 : 1);
}
