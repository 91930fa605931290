/**
 * Second-opinion linters on the bundle, beyond `redocly lint` (which lints the multi-file source):
 *
 *   tsx src/tools/lint-extra.ts [spec]        (npm run lint:extra)
 *
 *   1. Spectral (`spectral:oas`, config .spectral.yaml) with --fail-severity=warn: zero errors AND zero warnings.
 *   2. Python openapi-spec-validator (`python3 -m openapi_spec_validator`). When python3 or the module is
 *      missing this step is SKIPPED with a plain message, not failed.
 *
 * spec defaults to generated/openapi.yaml. Exit 1 when a linter that ran reported a problem.
 */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { cleanOutput, isMain, PROJECT_ROOT, run, runBin } from './run.js';

export interface LintStep {
  name: string;
  status: 'ok' | 'failed' | 'skipped';
  ms: number;
  output: string;
}

export async function spectral(spec: string): Promise<LintStep> {
  const r = await runBin(
    '@stoplight/spectral-cli',
    'spectral',
    ['lint', '--ruleset', resolve(PROJECT_ROOT, '.spectral.yaml'), '--fail-severity=warn', spec],
    { timeoutMs: 120_000 },
  );
  return {
    name: 'spectral (spectral:oas, fail on warnings)',
    status: r.code === 0 ? 'ok' : 'failed',
    ms: r.ms,
    output: cleanOutput(`${r.stdout}\n${r.stderr}`),
  };
}

export async function openapiSpecValidator(spec: string): Promise<LintStep> {
  const name = 'python openapi-spec-validator';
  const probe = await run('python3', ['-c', 'import openapi_spec_validator, importlib.metadata as m; print(m.version("openapi-spec-validator"))']);
  if (probe.code !== 0) {
    const why = probe.code === 127 ? 'python3 is not installed' : 'the Python module openapi_spec_validator is not installed';
    return {
      name,
      status: 'skipped',
      ms: probe.ms,
      output: `SKIPPED: ${why} (install with: pip install openapi-spec-validator). This is not a failure.`,
    };
  }
  const r = await run('python3', ['-m', 'openapi_spec_validator', spec], { timeoutMs: 120_000 });
  return {
    name: `${name} ${probe.stdout.trim()}`,
    status: r.code === 0 ? 'ok' : 'failed',
    ms: r.ms + probe.ms,
    output: cleanOutput(`${r.stdout}\n${r.stderr}`),
  };
}

export async function lintExtra(specArg = 'generated/openapi.yaml'): Promise<{ ok: boolean; steps: LintStep[] }> {
  const spec = resolve(PROJECT_ROOT, specArg);
  if (!existsSync(spec)) {
    return { ok: false, steps: [{ name: 'input', status: 'failed', ms: 0, output: `${spec} does not exist (run npm run gen)` }] };
  }
  const steps = await Promise.all([spectral(spec), openapiSpecValidator(spec)]);
  return { ok: steps.every((s) => s.status !== 'failed'), steps };
}

if (isMain(import.meta.url)) {
  const specArg = process.argv[2] ?? 'generated/openapi.yaml';
  const { ok, steps } = await lintExtra(specArg);
  console.log(`Extra linters on ${relative(PROJECT_ROOT, resolve(PROJECT_ROOT, specArg))}`);
  for (const s of steps) {
    console.log(`  ${s.status === 'ok' ? 'ok     ' : s.status === 'skipped' ? 'SKIPPED' : 'FAIL   '} ${s.name} (${(s.ms / 1000).toFixed(1)} s)`);
    if (s.output) console.log(s.output.replace(/^/gm, '         | '));
  }
  process.exit(ok ? 0 : 1);
}
