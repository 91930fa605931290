/**
 * `npm run conformance:arazzo`: runs the Arazzo workflows of openapi/arazzo/ with `redocly respect`.
 *
 * Without arguments it starts the reference server on a free port of 127.0.0.1 over a fresh in-memory
 * SQLite database, runs every workflow against it and stops it. With `--base-url URL --api-key KEY` it runs
 * them against that server instead (a real EspoCRM, a reimplementation). Each run passes a unique `marker`
 * input, the prefix of every record name the workflows create (they delete what they create).
 *
 *   npm run conformance:arazzo
 *   npm run conformance:arazzo -- --base-url https://crm.example.com/api/v1 --api-key KEY [--json out.json]
 *
 * Exit status: respect's (0 when every workflow passed).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { resolveApiRoot } from '../../client/base-url.js';
import { startReferenceServer, type LocalServer } from '../reference-server.js';
import { runAsScript } from '../script.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const ARAZZO_DIR = fileURLToPath(new URL('../../../openapi/arazzo/', import.meta.url));
const REDOCLY = fileURLToPath(new URL('../../../node_modules/@redocly/cli/bin/cli.js', import.meta.url));

export function workflowFiles(): string[] {
  return readdirSync(ARAZZO_DIR)
    .filter((f) => f.endsWith('.arazzo.yaml'))
    .sort()
    .map((f) => `openapi/arazzo/${f}`);
}

export interface RespectRun {
  exitCode: number;
  output: string;
}

/** Runs `redocly respect` on every workflow file against `apiRoot`. */
export async function runRespect(apiRoot: string, apiKey: string, extra: string[] = [], echo = true): Promise<RespectRun> {
  const marker = `conformance-arazzo-${randomBytes(4).toString('hex')}`;
  const args = [REDOCLY, 'respect', ...workflowFiles(), '--input', `apiKey=${apiKey}`, '--input', `marker=${marker}`, '--server', `espocrm=${apiRoot}`, ...extra];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, REDOCLY_TELEMETRY: 'off', NO_COLOR: '1', FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (echo) process.stdout.write(chunk);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? 1));
  });
  return { exitCode, output };
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { 'base-url': { type: 'string' }, 'api-key': { type: 'string' }, json: { type: 'string' }, verbose: { type: 'boolean' } },
  });
  const extra = [...(values.json ? ['--json-output', values.json] : []), ...(values.verbose ? ['--verbose'] : [])];
  if (values['base-url']) {
    const apiKey = values['api-key'] ?? process.env['ESPO_API_KEY'];
    if (!apiKey) {
      process.stderr.write('conformance:arazzo: --base-url needs --api-key (or ESPO_API_KEY)\n');
      return 2;
    }
    return (await runRespect(resolveApiRoot(values['base-url']).url, apiKey, extra)).exitCode;
  }
  return (await runOnReferenceServer(extra, true)).exitCode;
}

/**
 * What the script does without `--base-url`: a fresh reference server, every workflow, then `inspect` (for
 * tests: look at the server before it stops), then the server stops.
 */
export async function runOnReferenceServer(
  extra: string[] = [],
  echo = true,
  inspect?: (server: LocalServer) => Promise<void>,
): Promise<RespectRun> {
  const server = await startReferenceServer();
  if (echo) process.stdout.write(`reference server on ${server.apiRoot} (fresh in-memory database)\n`);
  try {
    const run = await runRespect(server.apiRoot, server.apiKey, extra, echo);
    await inspect?.(server);
    return run;
  } finally {
    await server.stop();
  }
}

runAsScript(import.meta.url, main);
