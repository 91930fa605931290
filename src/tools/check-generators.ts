/**
 * Generator check: can third-party code generators consume the bundle?
 *
 *   tsx src/tools/check-generators.ts [spec] [--keep]
 *
 * spec defaults to generated/openapi.yaml. In a temporary directory it
 *   1. runs @hey-api/openapi-ts (fetch client + SDK + types) and compiles the output with
 *      `tsc --strict --noEmit` (plus this project's noUncheckedIndexedAccess, verbatimModuleSyntax, …);
 *   2. runs openapi-generator-plus with @openapi-generator-plus/java-jaxrs-client-generator.
 * Exit 0 when everything passes, 1 with a message per failing step otherwise. The temporary directory is
 * removed on success and kept (path printed) on failure or with --keep.
 *
 * Why: linters (redocly, spectral, openapi-spec-validator) accept constructs that break generators, e.g.
 * `style: deepObject` on an array parameter or an anyOf mixing objects and scalars (docs/decisions.md,
 * ADR-001). Only running the generators catches those.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { cleanOutput, isMain, PROJECT_ROOT, runBin } from './run.js';

export interface StepResult {
  name: string;
  ok: boolean;
  ms: number;
  summary: string;
  /** Relevant tool output on failure. */
  detail?: string;
}

export interface GeneratorCheckResult {
  ok: boolean;
  spec: string;
  workDir: string;
  steps: StepResult[];
}

const HEY_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2023', 'DOM', 'DOM.Iterable'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    noUncheckedIndexedAccess: true,
    noImplicitOverride: true,
    noFallthroughCasesInSwitch: true,
    verbatimModuleSyntax: true,
    isolatedModules: true,
    skipLibCheck: false,
    types: [],
  },
  include: ['hey/**/*.ts'],
};

function version(pkg: string): string {
  const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

function listFiles(dir: string, ext: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(ext));
}

function head(text: string, lines = 25): string {
  const all = cleanOutput(text).split('\n');
  return all.length > lines ? [...all.slice(0, lines), `… (${all.length - lines} more lines)`].join('\n') : all.join('\n');
}

async function heyApi(spec: string, work: string): Promise<StepResult[]> {
  const out = join(work, 'hey');
  const name = `@hey-api/openapi-ts ${version('@hey-api/openapi-ts')} generate`;
  // An input without "./" or "/" is read as a Hey API registry shorthand, so always pass an absolute path.
  const gen = await runBin('@hey-api/openapi-ts', 'openapi-ts', ['-i', spec, '-o', out, '--no-log-file'], {
    cwd: work,
    timeoutMs: 90_000,
  });
  const files = listFiles(out, '.ts');
  const genText = `${gen.stdout}\n${gen.stderr}`;
  const genOk = gen.code === 0 && !/❌|Failed with the message|Unexpected error/.test(genText) && files.length > 0;
  const steps: StepResult[] = [
    {
      name,
      ok: genOk,
      ms: gen.ms,
      summary: genOk ? `${files.length} files` : `failed (exit ${gen.code}, ${files.length} files written)`,
      ...(genOk ? {} : { detail: head(genText) }),
    },
  ];
  if (!genOk) return steps;

  writeFileSync(join(work, 'package.json'), '{ "type": "module", "private": true }\n');
  writeFileSync(join(work, 'tsconfig.json'), `${JSON.stringify(HEY_TSCONFIG, null, 2)}\n`);
  const tsc = await runBin('typescript', 'tsc', ['-p', work, '--pretty', 'false'], { cwd: work, timeoutMs: 120_000 });
  const errors = (tsc.stdout.match(/error TS\d+/g) ?? []).length;
  steps.push({
    name: `tsc ${version('typescript')} --strict --noEmit on the hey-api output`,
    ok: tsc.code === 0,
    ms: tsc.ms,
    summary: tsc.code === 0 ? 'no errors' : `${errors} error(s)`,
    ...(tsc.code === 0 ? {} : { detail: head(`${tsc.stdout}\n${tsc.stderr}`) }),
  });
  return steps;
}

async function javaJaxrs(spec: string, work: string): Promise<StepResult> {
  const out = join(work, 'java');
  const gen = await runBin(
    'openapi-generator-plus',
    'openapi-generator-plus',
    ['-g', '@openapi-generator-plus/java-jaxrs-client-generator', '-o', out, spec],
    { cwd: PROJECT_ROOT, timeoutMs: 90_000 }, // the generator template is resolved from the project's node_modules
  );
  const text = cleanOutput(`${gen.stdout}\n${gen.stderr}`);
  const files = listFiles(out, '.java');
  const warnings = (text.match(/\[WARN\]/g) ?? []).length;
  const ok = gen.code === 0 && !/Failed to process/.test(text) && files.length > 0;
  return {
    name: `openapi-generator-plus ${version('openapi-generator-plus')} + java-jaxrs-client-generator ${version('@openapi-generator-plus/java-jaxrs-client-generator')}`,
    ok,
    ms: gen.ms,
    summary: ok
      ? `${files.length} Java files${warnings ? `, ${warnings} warning(s) (not failures)` : ''}`
      : `failed (exit ${gen.code}, ${files.length} Java files)`,
    ...(ok ? {} : { detail: head(text) }),
  };
}

/** keep: 'on-failure' (default) keeps the temporary directory only when a step failed. */
export async function checkGenerators(
  specArg = 'generated/openapi.yaml',
  opts: { keep?: 'always' | 'on-failure' | 'never' } = {},
): Promise<GeneratorCheckResult> {
  const keep = opts.keep ?? 'on-failure';
  const spec = resolve(PROJECT_ROOT, specArg);
  if (!existsSync(spec)) {
    return {
      ok: false,
      spec,
      workDir: '',
      steps: [{ name: 'input', ok: false, ms: 0, summary: `${spec} does not exist (run npm run gen first)` }],
    };
  }
  const work = mkdtempSync(join(tmpdir(), 'espo-generators-'));
  const [hey, java] = await Promise.all([heyApi(spec, work), javaJaxrs(spec, work)]);
  const steps = [...hey, java];
  const ok = steps.every((s) => s.ok);
  if (keep === 'never' || (keep === 'on-failure' && ok)) rmSync(work, { recursive: true, force: true });
  return { ok, spec, workDir: work, steps };
}

export function formatReport(result: GeneratorCheckResult): string {
  const lines = [`Generator check on ${relative(PROJECT_ROOT, result.spec) || result.spec}`];
  for (const s of result.steps) {
    lines.push(`  ${s.ok ? 'ok  ' : 'FAIL'} ${s.name}: ${s.summary} (${(s.ms / 1000).toFixed(1)} s)`);
    if (s.detail) lines.push(s.detail.replace(/^/gm, '       | '));
  }
  if (!result.ok) {
    lines.push(
      'Generator check FAILED: a code generator cannot use this spec. See docs/decisions.md (ADR-001) for known causes',
      '(style: deepObject on arrays, anyOf mixing object and non-object schemas).',
    );
  }
  if (result.workDir && existsSync(result.workDir)) lines.push(`Output kept in ${result.workDir}`);
  return lines.join('\n');
}

if (isMain(import.meta.url)) {
  const args = process.argv.slice(2);
  const spec = args.find((a) => !a.startsWith('--'));
  const result = await checkGenerators(spec, { keep: args.includes('--keep') ? 'always' : 'on-failure' });
  const report = formatReport(result);
  if (result.ok) console.log(report);
  else console.error(report);
  process.exit(result.ok ? 0 : 1);
}
