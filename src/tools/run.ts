/**
 * Small helpers shared by the tooling scripts in src/tools: where the project is, how to start a CLI that
 * is installed in node_modules, and how to run a child process and keep its output.
 *
 * CLIs are always started as `node <their bin file>` from this project's node_modules, never through
 * `npx`: in a temporary directory `npx tsc` finds no local TypeScript and offers to install the unrelated
 * npm package `tsc`.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Absolute path of a package's bin script, e.g. binPath('typescript', 'tsc'). */
export function binPath(pkg: string, bin: string): string {
  const dir = join(PROJECT_ROOT, 'node_modules', pkg);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    bin?: string | Record<string, string>;
  };
  const rel = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[bin];
  if (!rel) throw new Error(`${pkg} has no bin "${bin}"`);
  return join(dir, rel);
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to completion; never rejects on a non-zero exit (check `code`). */
export function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd ?? PROJECT_ROOT,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', NO_COLOR: '1', FORCE_COLOR: '0', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          stderr += `\n[killed after ${opts.timeoutMs} ms]`;
          child.kill('SIGKILL');
        }, opts.timeoutMs)
      : undefined;
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      resolvePromise({ code: 127, stdout, stderr: `${stderr}${err.message}`, ms: Date.now() - started });
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolvePromise({ code: code ?? 1, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Runs a Node CLI from node_modules: runBin('typescript', 'tsc', ['-p', dir]). */
export function runBin(
  pkg: string,
  bin: string,
  args: string[],
  opts?: Parameters<typeof run>[2],
): Promise<RunResult> {
  return run(process.execPath, [binPath(pkg, bin), ...args], opts);
}

/** Strips ANSI colour codes and the boxed Node-20 banner that @redocly/cli prints on every run. */
export function cleanOutput(text: string): string {
  return text
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .filter((line) => !/^\s*[╔║╚]/.test(line))
    .join('\n')
    .trim();
}

/** True when this module is the script node/tsx was started with. */
export function isMain(importMetaUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && resolve(entry) === fileURLToPath(importMetaUrl);
}
