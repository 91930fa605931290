/**
 * Second-opinion linters on the bundle, beyond `redocly lint` (which lints the multi-file source):
 *
 *   tsx src/tools/lint-extra.ts [spec]        (npm run lint:extra)
 *
 *   1. Spectral (`spectral:oas`, config .spectral.yaml) with --fail-severity=warn: zero errors AND zero warnings.
 *   2. Python openapi-spec-validator (`python3 -m openapi_spec_validator`). When python3 or the module is
 *      missing this step is SKIPPED with a plain message, not failed.
 *   3. @apidevtools/swagger-parser `validate` (what many JS generators load the document with).
 *   4. The project's modelling rules for code generators (src/tools/contract-rules.ts, ADR-009A).
 *
 * Without spec: generated/openapi.yaml, then generated/openapi-3.0.yaml (steps 2-4), and once the layout of
 * the YAML sources (yamlStyle: every .yaml file under openapi/). Exit 1 when a linter that ran reported a problem.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import { parse } from 'yaml';
import { checkContractRules } from './contract-rules.js';
import { join, relative, resolve } from 'node:path';
import { YAML_LINE_WIDTH } from './gen-paths.js';
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

export async function swaggerParser(spec: string): Promise<LintStep> {
  const started = Date.now();
  const name = '@apidevtools/swagger-parser validate';
  try {
    await SwaggerParser.validate(spec);
    return { name, status: 'ok', ms: Date.now() - started, output: '' };
  } catch (error) {
    return { name, status: 'failed', ms: Date.now() - started, output: (error as Error).message };
  }
}

export function contractRules(spec: string): LintStep {
  const started = Date.now();
  const violations = checkContractRules(parse(readFileSync(spec, 'utf8')) as Record<string, unknown>);
  return {
    name: 'modelling rules for code generators (ADR-009A)',
    status: violations.length ? 'failed' : 'ok',
    ms: Date.now() - started,
    output: violations.map((v) => `${v.rule} at ${v.at}: ${v.message}`).join('\n'),
  };
}

/**
 * Layout problems of one YAML text: tab characters, trailing whitespace, and lines over YAML_LINE_WIDTH that could
 * be wrapped. A long line passes when wrapping cannot help: it holds a URL, or the word crossing the limit is
 * longer than a whole line at that indentation (an encoded query string, a one-line JSON example).
 */
export function yamlStyleProblems(text: string): string[] {
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    const at = `line ${i + 1}`;
    if (line.includes('\t')) problems.push(`${at}: tab character`);
    if (/[ \t\r]$/.test(line)) problems.push(`${at}: trailing whitespace`);
    if (line.length > YAML_LINE_WIDTH && !unbreakable(line)) {
      problems.push(`${at}: ${line.length} characters (wrap prose at ${YAML_LINE_WIDTH} with a folded block, >)`);
    }
  });
  return problems;
}

function unbreakable(line: string): boolean {
  if (line.includes('://')) return true;
  const indent = line.length - line.trimStart().length;
  const start = line.lastIndexOf(' ', YAML_LINE_WIDTH) + 1;
  const end = line.indexOf(' ', YAML_LINE_WIDTH);
  const word = line.slice(start, end < 0 ? line.length : end);
  return word.length > YAML_LINE_WIDTH - indent;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : [],
  );
}

/** yamlStyleProblems over every YAML file under openapi/, hand-written and generated alike. */
export function yamlStyle(dir = resolve(PROJECT_ROOT, 'openapi')): LintStep {
  const started = Date.now();
  const files = yamlFiles(dir).sort();
  const output = files.flatMap((f) => yamlStyleProblems(readFileSync(f, 'utf8')).map((p) => `${relative(PROJECT_ROOT, f)} ${p}`));
  return {
    name: `YAML layout of ${files.length} files in ${relative(PROJECT_ROOT, dir)}/ (no tabs or trailing whitespace, lines <= ${YAML_LINE_WIDTH})`,
    status: output.length ? 'failed' : 'ok',
    ms: Date.now() - started,
    output: output.join('\n'),
  };
}

export async function lintExtra(specArg = 'generated/openapi.yaml', opts: { spectral?: boolean } = {}): Promise<{ ok: boolean; steps: LintStep[] }> {
  const spec = resolve(PROJECT_ROOT, specArg);
  if (!existsSync(spec)) {
    return { ok: false, steps: [{ name: 'input', status: 'failed', ms: 0, output: `${spec} does not exist (run npm run gen)` }] };
  }
  const steps = await Promise.all([
    ...(opts.spectral === false ? [] : [spectral(spec)]),
    openapiSpecValidator(spec),
    swaggerParser(spec),
    Promise.resolve(contractRules(spec)),
  ]);
  return { ok: steps.every((s) => s.status !== 'failed'), steps };
}

if (isMain(import.meta.url)) {
  // Without an argument: the 3.1 bundle, and the 3.0 companion without spectral (its SearchParams schema is
  // only named in a description there, which spectral reports as an unused component).
  const targets = process.argv[2] ? [{ spec: process.argv[2], spectral: true }] : [
    { spec: 'generated/openapi.yaml', spectral: true },
    { spec: 'generated/openapi-3.0.yaml', spectral: false },
  ];
  const style = yamlStyle();
  let allOk = style.status === 'ok';
  console.log(`Sources: ${style.status === 'ok' ? 'ok  ' : 'FAIL'} ${style.name}`);
  if (style.output) console.log(style.output.replace(/^/gm, '         | '));
  for (const target of targets) {
    const { ok, steps } = await lintExtra(target.spec, { spectral: target.spectral });
    allOk &&= ok;
    console.log(`Extra linters on ${relative(PROJECT_ROOT, resolve(PROJECT_ROOT, target.spec))}`);
    for (const s of steps) {
      console.log(`  ${s.status === 'ok' ? 'ok     ' : s.status === 'skipped' ? 'SKIPPED' : 'FAIL   '} ${s.name} (${(s.ms / 1000).toFixed(1)} s)`);
      if (s.output) console.log(s.output.replace(/^/gm, '         | '));
    }
  }
  process.exit(allOk ? 0 : 1);
}
