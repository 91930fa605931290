/**
 * Drift check: are the committed artifacts in generated/ current with the sources in openapi/?
 *
 *   tsx src/tools/check-drift.ts            (npm run check:gen)
 *
 *   1. `redocly bundle openapi/openapi.yaml -o <tmp>` and a byte-for-byte comparison with generated/openapi.yaml.
 *      (The root PATH is passed, not the API name: `redocly bundle espocrm -o X` ignores -o and overwrites
 *      the configured output, generated/openapi.yaml. With the path, redocly still applies the espocrm
 *      API's configuration and honours -o.)
 *   2. `openapi-typescript --check` (regenerates generated/openapi.ts in memory from redocly.yaml and compares).
 *
 * Nothing in the working tree is written. Exit 1 with "run npm run gen" when anything is stale.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

export async function checkBundleDrift(): Promise<DriftStep> {
  const work = mkdtempSync(join(tmpdir(), 'espo-drift-'));
  try {
    const fresh = join(work, 'openapi.yaml');
    const r = await runBin('@redocly/cli', 'redocly', ['bundle', 'openapi/openapi.yaml', '-o', fresh], { timeoutMs: 120_000 });
    if (r.code !== 0) {
      return { name: 'bundle', ok: false, ms: r.ms, message: `redocly bundle failed:\n${cleanOutput(r.stderr || r.stdout)}` };
    }
    const committed = readFileSync(join(PROJECT_ROOT, 'generated/openapi.yaml'));
    const rebuilt = readFileSync(fresh);
    const ok = committed.equals(rebuilt);
    return {
      name: 'generated/openapi.yaml matches a fresh `redocly bundle`',
      ok,
      ms: r.ms,
      message: ok
        ? 'up to date'
        : `STALE: generated/openapi.yaml differs from a fresh bundle of openapi/ (run npm run gen).\n${firstDifference(committed.toString('utf8'), rebuilt.toString('utf8'))}`,
    };
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

export async function checkDrift(): Promise<{ ok: boolean; steps: DriftStep[] }> {
  const steps = await Promise.all([checkBundleDrift(), checkTypesDrift()]);
  return { ok: steps.every((s) => s.ok), steps };
}

if (isMain(import.meta.url)) {
  const { ok, steps } = await checkDrift();
  for (const s of steps) console.log(`${s.ok ? 'ok  ' : 'FAIL'} ${s.name} (${(s.ms / 1000).toFixed(1)} s): ${s.message}`);
  process.exit(ok ? 0 : 1);
}
