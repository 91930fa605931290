/**
 * Codegen matrix: can third-party code generators consume the bundle, and does their output compile?
 *
 *   tsx src/tools/check-generators.ts [spec] [--keep] [--only=id,id]
 *
 * spec defaults to generated/openapi.yaml. In a temporary directory, for each generator of GENERATORS:
 *   1. generate a client into <tmp>/<id> (the command a user would run; see docs/clients.md);
 *   2. compile it: TypeScript with one `tsc --strict --noEmit` per generator (module resolution as the
 *      generator's output expects it), Java with `javac` against Debian's jars (/usr/share/java) plus the
 *      compile-time stand-ins in src/tools/java-stubs for what Debian lacks (see that folder).
 * Generators run two at a time (2-core machines). Exit 0 when everything passes, 1 otherwise, with a table of
 * tool, version, generation and compilation figures. The temporary directory is removed on success and kept
 * (path printed) on failure or with --keep.
 *
 * Why: linters (redocly, spectral, openapi-spec-validator) accept constructs that break generators, e.g.
 * `style: deepObject` on an array parameter, `''` in a string enum, `allOf` + outer `required`
 * (docs/decisions.md, ADR-001 and ADR-009A). Only running the generators catches those.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { cleanOutput, isMain, PROJECT_ROOT, run, runBin, type RunResult } from './run.js';

export interface StepResult {
  name: string;
  ok: boolean;
  /** A step that could not run here (a missing outside tool), named in summary; not a failure. */
  skipped?: boolean;
  ms: number;
  summary: string;
  /** Relevant tool output on failure. */
  detail?: string;
}

export interface MatrixRow {
  id: string;
  tool: string;
  version: string;
  language: 'TypeScript' | 'Java';
  generate: StepResult;
  compile?: StepResult;
}

export interface GeneratorCheckResult {
  ok: boolean;
  spec: string;
  workDir: string;
  rows: MatrixRow[];
  steps: StepResult[];
}

type Resolution = 'NodeNext' | 'Bundler';

interface Generator {
  id: string;
  tool: string;
  /** The npm package whose version is reported. */
  pkg: string;
  language: 'TypeScript' | 'Java';
  resolution?: Resolution;
  /** Writes the client into `out`. */
  generate(spec: string, out: string, work: string): Promise<RunResult>;
  /** Output text that means failure despite exit 0. */
  failurePattern?: RegExp;
}

const OGP = (generator: string) => (spec: string, out: string) =>
  // The generator template is resolved from the project's node_modules, hence cwd.
  runBin('openapi-generator-plus', 'openapi-generator-plus', ['-g', generator, '-o', out, spec], { cwd: PROJECT_ROOT, timeoutMs: 120_000 });

export const GENERATORS: readonly Generator[] = [
  {
    id: 'hey-api',
    tool: '@hey-api/openapi-ts',
    pkg: '@hey-api/openapi-ts',
    language: 'TypeScript',
    resolution: 'NodeNext',
    // An input without "./" or "/" is read as a Hey API registry shorthand, so always pass an absolute path.
    generate: (spec, out, work) => runBin('@hey-api/openapi-ts', 'openapi-ts', ['-i', spec, '-o', out, '--no-log-file'], { cwd: work, timeoutMs: 120_000 }),
    failurePattern: /❌|Failed with the message|Unexpected error/,
  },
  {
    id: 'orval',
    tool: 'orval (fetch client)',
    pkg: 'orval',
    language: 'TypeScript',
    generate: (spec, out, work) => runBin('orval', 'orval', ['--input', spec, '--output', join(out, 'api.ts'), '--client', 'fetch'], { cwd: work, timeoutMs: 120_000 }),
    failurePattern: /🛑|TypeError|SyntaxError/,
  },
  {
    id: 'oazapfts',
    tool: 'oazapfts',
    pkg: 'oazapfts',
    language: 'TypeScript',
    generate: (spec, out, work) => {
      mkdirSync(out, { recursive: true });
      return runBin('oazapfts', 'oazapfts', [spec, join(out, 'api.ts')], { cwd: work, timeoutMs: 120_000 });
    },
  },
  {
    id: 'swagger-typescript-api',
    tool: 'swagger-typescript-api',
    pkg: 'swagger-typescript-api',
    language: 'TypeScript',
    generate: (spec, out, work) =>
      runBin('swagger-typescript-api', 'swagger-typescript-api', ['generate', '-p', spec, '-o', out, '-n', 'api.ts'], { cwd: work, timeoutMs: 120_000 }),
  },
  {
    id: 'openapi-typescript-codegen',
    tool: 'openapi-typescript-codegen (fetch)',
    pkg: 'openapi-typescript-codegen',
    language: 'TypeScript',
    generate: (spec, out, work) => runBin('openapi-typescript-codegen', 'openapi', ['-i', spec, '-o', out, '--client', 'fetch'], { cwd: work, timeoutMs: 120_000 }),
  },
  {
    id: 'kubb',
    tool: '@kubb/cli (plugin-ts + plugin-client fetch, full responses)',
    pkg: '@kubb/cli',
    language: 'TypeScript',
    generate: (spec, out, work) => {
      const config = join(work, 'kubb.config.mjs');
      writeFileSync(
        config,
        [
          "import { defineConfig } from '@kubb/core';",
          "import { pluginOas } from '@kubb/plugin-oas';",
          "import { pluginTs } from '@kubb/plugin-ts';",
          "import { pluginClient } from '@kubb/plugin-client';",
          `export default defineConfig({ input: { path: ${JSON.stringify(spec)} }, output: { path: ${JSON.stringify(out)}, clean: true },`,
          "  plugins: [pluginOas({ generators: [] }), pluginTs(), pluginClient({ client: 'fetch', dataReturnType: 'full' })] });",
        ].join('\n'),
      );
      // kubb 4 once hung after writing its files: the timeout bounds it (the files are checked, not the exit).
      return runBin('@kubb/cli', 'kubb', ['generate', '--config', config], { cwd: work, timeoutMs: 150_000 });
    },
    failurePattern: /✗ (?!spawn prettier|Prettier not found)|Error:/,
  },
  {
    id: 'ogp-typescript-fetch',
    tool: 'openapi-generator-plus + typescript-fetch-client-generator',
    pkg: '@openapi-generator-plus/typescript-fetch-client-generator',
    language: 'TypeScript',
    generate: OGP('@openapi-generator-plus/typescript-fetch-client-generator'),
    failurePattern: /Failed to process/,
  },
  {
    id: 'ogp-java-jaxrs',
    tool: 'openapi-generator-plus + java-jaxrs-client-generator',
    pkg: '@openapi-generator-plus/java-jaxrs-client-generator',
    language: 'Java',
    generate: OGP('@openapi-generator-plus/java-jaxrs-client-generator'),
    failurePattern: /Failed to process/,
  },
];

/** Debian jars the generated Java client compiles against (apt packages in .ci/run and docs/clients.md). */
export const JAVA_JARS: Readonly<Record<string, string>> = {
  'jaxrs-api': 'libjaxrs-api-java',
  'jackson-annotations': 'libjackson2-annotations-java',
  'jackson-core': 'libjackson2-core-java',
  'jackson-databind': 'libjackson2-databind-java',
  'jackson-jaxrs-base': 'libjackson2-jaxrs-providers-java',
  'jackson-jaxrs-json-provider': 'libjackson2-jaxrs-providers-java',
  'jaxb-api': 'libjaxb-api-java',
  'swagger-annotations': 'libswagger-core-java',
  'geronimo-validation-1.1-spec': 'libgeronimo-validation-1.1-spec-java',
  'geronimo-annotation-1.3-spec': 'libgeronimo-annotation-1.3-spec-java',
};
export const JAVA_STUBS = join(PROJECT_ROOT, 'src/tools/java-stubs');

function version(pkg: string): string {
  const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

export function listFiles(dir: string, ext: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(ext) && !f.includes('node_modules')).map((f) => join(dir, f));
}

function head(text: string, lines = 25): string {
  const all = cleanOutput(text).split('\n');
  return all.length > lines ? [...all.slice(0, lines), `… (${all.length - lines} more lines)`].join('\n') : all.join('\n');
}

/** tsconfig for one generator's output: strict, as a user's project would compile it. */
export function tsconfigFor(dir: string, resolution: Resolution = 'Bundler'): object {
  const module = resolution === 'NodeNext' ? { module: 'NodeNext', moduleResolution: 'NodeNext' } : { module: 'ESNext', moduleResolution: 'Bundler', allowImportingTsExtensions: true };
  return {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023', 'DOM', 'DOM.Iterable'],
      ...module,
      strict: true,
      noEmit: true,
      isolatedModules: true,
      // Generated runtimes under node_modules are the generators' concern; their output is checked fully.
      skipLibCheck: true,
      types: [],
    },
    include: [`${dir}/**/*.ts`],
  };
}

async function compileTs(work: string, id: string, resolution: Resolution | undefined): Promise<StepResult> {
  const config = join(work, `tsconfig.${id}.json`);
  writeFileSync(config, `${JSON.stringify(tsconfigFor(id, resolution), null, 2)}\n`);
  const tsc = await runBin('typescript', 'tsc', ['-p', config, '--pretty', 'false'], { cwd: work, timeoutMs: 240_000 });
  const errors = (tsc.stdout.match(/error TS\d+/g) ?? []).length;
  return {
    name: `tsc ${version('typescript')} --strict (${id})`,
    ok: tsc.code === 0,
    ms: tsc.ms,
    summary: tsc.code === 0 ? 'no errors' : `${errors} error(s)`,
    ...(tsc.code === 0 ? {} : { detail: head(`${tsc.stdout}\n${tsc.stderr}`) }),
  };
}

/** What is missing to compile Java here, or [] when javac and every jar are present. */
export function missingJava(): string[] {
  const missing: string[] = [];
  if (!existsSync('/usr/bin/javac')) missing.push('openjdk-17-jdk-headless (javac)');
  for (const [jar, pkg] of Object.entries(JAVA_JARS)) if (!existsSync(`/usr/share/java/${jar}.jar`)) missing.push(`${pkg} (${jar}.jar)`);
  return [...new Set(missing)];
}

async function compileJava(out: string, classes: string): Promise<StepResult> {
  const missing = missingJava();
  if (missing.length) {
    return { name: 'javac', ok: true, skipped: true, ms: 0, summary: `SKIPPED: not installed: ${missing.join(', ')}` };
  }
  const javacVersion = (await run('javac', ['-version'])).stdout.trim() || 'javac';
  const classpath = Object.keys(JAVA_JARS).map((jar) => `/usr/share/java/${jar}.jar`).join(':');
  const sources = [...listFiles(out, '.java'), ...listFiles(JAVA_STUBS, '.java')];
  const argsFile = join(out, '..', 'javac-sources.txt');
  writeFileSync(argsFile, sources.join('\n'));
  const r = await run('javac', ['-nowarn', '-Xmaxerrs', '20', '-d', classes, '-cp', classpath, `@${argsFile}`], { timeoutMs: 300_000 });
  const errors = (`${r.stdout}\n${r.stderr}`.match(/error:/g) ?? []).length;
  return {
    name: `${javacVersion} (Debian jars + src/tools/java-stubs)`,
    ok: r.code === 0,
    ms: r.ms,
    summary: r.code === 0 ? 'no errors' : `${errors} error(s)`,
    ...(r.code === 0 ? {} : { detail: head(`${r.stdout}\n${r.stderr}`) }),
  };
}

async function runGenerator(generator: Generator, spec: string, work: string, compile: boolean): Promise<MatrixRow> {
  const out = join(work, generator.id);
  const gen = await generator.generate(spec, out, work);
  const ext = generator.language === 'Java' ? '.java' : '.ts';
  const files = listFiles(out, ext);
  const text = cleanOutput(`${gen.stdout}\n${gen.stderr}`);
  const genOk = files.length > 0 && (gen.code === 0 || generator.id === 'kubb') && !(generator.failurePattern?.test(text) ?? false);
  const warnings = (text.match(/\[WARN\]/g) ?? []).length;
  const row: MatrixRow = {
    id: generator.id,
    tool: generator.tool,
    version: version(generator.pkg),
    language: generator.language,
    generate: {
      name: `${generator.id} generate`,
      ok: genOk,
      ms: gen.ms,
      summary: genOk ? `${files.length} ${ext} files${warnings ? `, ${warnings} warning(s)` : ''}` : `failed (exit ${gen.code}, ${files.length} files written)`,
      ...(genOk ? {} : { detail: head(text) }),
    },
  };
  if (genOk && compile) {
    row.compile = generator.language === 'Java' ? await compileJava(out, join(work, `${generator.id}-classes`)) : await compileTs(work, generator.id, generator.resolution);
  }
  return row;
}

/** Runs tasks with at most `limit` at a time, keeping the order of the results. */
async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** keep: 'on-failure' (default) keeps the temporary directory only when a step failed. */
export async function checkGenerators(
  specArg = 'generated/openapi.yaml',
  opts: { keep?: 'always' | 'on-failure' | 'never'; only?: string[]; compile?: boolean; concurrency?: number } = {},
): Promise<GeneratorCheckResult> {
  const keep = opts.keep ?? 'on-failure';
  const spec = resolve(PROJECT_ROOT, specArg);
  if (!existsSync(spec)) {
    const step = { name: 'input', ok: false, ms: 0, summary: `${spec} does not exist (run npm run gen first)` };
    return { ok: false, spec, workDir: '', rows: [], steps: [step] };
  }
  const work = mkdtempSync(join(tmpdir(), 'espo-generators-'));
  // Generated code imports its runtime (@oazapfts/runtime, @kubb/plugin-client, …) from the project.
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(work, 'node_modules'), 'dir');
  writeFileSync(join(work, 'package.json'), '{ "type": "module", "private": true }\n');
  const selected = GENERATORS.filter((g) => !opts.only || opts.only.includes(g.id));
  // Java first: javac is the longest single step.
  const ordered = [...selected.filter((g) => g.language === 'Java'), ...selected.filter((g) => g.language !== 'Java')];
  const rows = await pool(
    ordered.map((g) => () => runGenerator(g, spec, work, opts.compile ?? true)),
    opts.concurrency ?? 2,
  );
  rows.sort((a, b) => selected.findIndex((g) => g.id === a.id) - selected.findIndex((g) => g.id === b.id));
  const steps = rows.flatMap((r) => [r.generate, ...(r.compile ? [r.compile] : [])]);
  const ok = steps.every((s) => s.ok);
  if (keep === 'never' || (keep === 'on-failure' && ok)) rmSync(work, { recursive: true, force: true });
  return { ok, spec, workDir: work, rows, steps };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function formatReport(result: GeneratorCheckResult): string {
  const lines = [`Codegen matrix on ${relative(PROJECT_ROOT, result.spec) || result.spec}`];
  lines.push('  tool | version | generates | compiles');
  for (const row of result.rows) {
    const gen = `${row.generate.ok ? 'yes' : 'NO'}: ${row.generate.summary} (${seconds(row.generate.ms)})`;
    const compile = row.compile ? `${row.compile.skipped ? 'skipped' : row.compile.ok ? 'yes' : 'NO'}: ${row.compile.summary} (${seconds(row.compile.ms)})` : '-';
    lines.push(`  ${row.tool} | ${row.version} | ${gen} | ${compile}`);
    for (const step of [row.generate, row.compile]) if (step?.detail) lines.push(step.detail.replace(/^/gm, '       | '));
  }
  for (const s of result.steps.filter((s) => !result.rows.some((r) => r.generate === s || r.compile === s))) {
    lines.push(`  ${s.ok ? 'ok' : 'FAIL'} ${s.name}: ${s.summary}`);
  }
  if (!result.ok) {
    lines.push(
      'Codegen matrix FAILED: a code generator cannot use this spec. See docs/decisions.md (ADR-001, ADR-009A) for known causes',
      "(style: deepObject on arrays, anyOf mixing object and non-object schemas, '' or null in enums, allOf + outer required).",
    );
  }
  if (result.workDir && existsSync(result.workDir)) lines.push(`Output kept in ${result.workDir}`);
  return lines.join('\n');
}

if (isMain(import.meta.url)) {
  const args = process.argv.slice(2);
  const spec = args.find((a) => !a.startsWith('--'));
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
  const result = await checkGenerators(spec, { keep: args.includes('--keep') ? 'always' : 'on-failure', ...(only ? { only } : {}) });
  const report = formatReport(result);
  if (result.ok) console.log(report);
  else console.error(report);
  process.exit(result.ok ? 0 : 1);
}
