/** Command-line arguments of `espo-conformance`. */
import { parseArgs } from 'node:util';
import type { EspoAuth } from '../client/auth.js';
import { catalog, onlySelects } from './catalog.js';
import { GROUP_NAMES } from './report.js';

export type ReportFormat = 'text' | 'json' | 'junit';

export interface CliOptions {
  baseUrl: string;
  auth: EspoAuth;
  /** Group names and check IDs (or ID prefixes ending at a dot), as given to `--only`. */
  only: string[];
  checks: string[];
  report: ReportFormat;
  out?: string;
  fuzz: number;
  fuzzSeed?: number;
  strict: boolean;
  timeoutMs: number;
  verbose: boolean;
  color: boolean;
}

export type ParsedArgs = { kind: 'run'; options: CliOptions } | { kind: 'help' } | { kind: 'version' } | { kind: 'list' } | { kind: 'error'; message: string };

export const USAGE = `Usage: espo-conformance --base-url URL (--api-key K [--secret-key S] | --username U --password P)
                        [--only GROUP|CHECK]... [--check ID]... [--report text|json|junit] [--out FILE]
                        [--fuzz N] [--fuzz-seed SEED] [--strict] [--timeout SECONDS] [--verbose]
       espo-conformance --list

Checks a server against the EspoCRM Account API contract (generated/openapi.yaml): every response
(status, Content-Type, X-Status-Reason, body schema) and the behaviour of each group. Every record it
creates is named "conformance-<run id> …" and deleted at the end, also after failures and Ctrl-C.

  --base-url URL      API root (https://crm.example.com/api/v1) or site URL (https://crm.example.com)
  --api-key K         API user key (X-Api-Key); with --secret-key, HMAC signing (X-Hmac-Authorization)
  --secret-key S      secret key of an API user with the HMAC method
  --username U        user name of a regular or admin user (Espo-Authorization) ...
  --password P        ... and its password
  --only GROUP|CHECK  run only these groups or checks (repeat or comma-separate): the groups
                      ${GROUP_NAMES.join(', ')}; check IDs as --list prints them,
                      e.g. crud.create-full; ID prefixes ending at a dot, e.g. search.where. A check that
                      needs what an unselected earlier check creates skips and says so (setup checks such
                      as search.dataset always run with their group)
  --check ID          run only checks whose ID starts with ID (repeatable), e.g. search.where.in
  --list              print every group and check ID with its title, and exit
  --report FORMAT     text (default), json or junit (JUnit XML)
  --out FILE          write the report to FILE (the text report is then also printed)
  --fuzz N            also run N property-based requests per fuzz property (fast-check)
  --fuzz-seed SEED    seed of the fuzz, to replay a run (printed in every report)
  --strict            report known EspoCRM deviations (docs/deviations.md) as failures
  --timeout SECONDS   per request (default 30)
  --verbose           print a replay curl command for every failure
  --no-color          plain text
  --help, --version

Credentials may also come from the environment: ESPO_API_KEY, ESPO_SECRET_KEY, ESPO_USERNAME,
ESPO_PASSWORD (and ESPO_BASE_URL). Replay commands read them from there too.

Exit status: 0 nothing failed; 1 a check failed or records were left over; 2 usage error; 3 the server
could not be reached or rejected the credentials; 130 interrupted (the cleanup still ran).`;

function integer(name: string, value: string | undefined, min: number): number | string {
  if (value === undefined) return min;
  if (!/^\d+$/.test(value) || Number(value) < min) return `${name} must be an integer ≥ ${min}, got '${value}'`;
  return Number(value);
}

export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ParsedArgs {
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        'base-url': { type: 'string' },
        'api-key': { type: 'string' },
        'secret-key': { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
        only: { type: 'string', multiple: true },
        check: { type: 'string', multiple: true },
        report: { type: 'string' },
        out: { type: 'string' },
        fuzz: { type: 'string' },
        'fuzz-seed': { type: 'string' },
        strict: { type: 'boolean' },
        timeout: { type: 'string' },
        verbose: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        list: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    }));
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (values['help']) return { kind: 'help' };
  if (values['version']) return { kind: 'version' };
  if (values['list']) return { kind: 'list' };
  const str = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);

  const baseUrl = str('base-url') ?? env['ESPO_BASE_URL'];
  if (!baseUrl) return { kind: 'error', message: '--base-url is required' };
  try {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    return { kind: 'error', message: `--base-url must be an http(s) URL, got '${baseUrl}'` };
  }

  const apiKey = str('api-key') ?? env['ESPO_API_KEY'];
  const secretKey = str('secret-key') ?? env['ESPO_SECRET_KEY'];
  const username = str('username') ?? env['ESPO_USERNAME'];
  const password = str('password') ?? env['ESPO_PASSWORD'];
  let auth: EspoAuth;
  if (str('api-key') !== undefined || (apiKey && str('username') === undefined)) {
    if (!apiKey) return { kind: 'error', message: '--api-key is empty' };
    auth = secretKey ? { apiKey, secretKey } : { apiKey };
  } else if (username !== undefined) {
    if (password === undefined) return { kind: 'error', message: '--username needs --password' };
    auth = { username, password };
  } else {
    return { kind: 'error', message: 'credentials are required: --api-key (and --secret-key), or --username and --password' };
  }
  if (str('secret-key') !== undefined && str('username') !== undefined) return { kind: 'error', message: '--secret-key goes with --api-key, not --username' };

  const only: string[] = [];
  for (const raw of ((values['only'] as string[] | undefined) ?? []).flatMap((v) => v.split(','))) {
    const name = raw.trim();
    if (!name) continue;
    if (!(GROUP_NAMES as readonly string[]).includes(name)) {
      if (!name.includes('.')) return { kind: 'error', message: `unknown group '${name}' (groups: ${GROUP_NAMES.join(', ')}; or a check ID such as crud.create-full, see --list)` };
      if (!catalog().some((g) => g.checks.some((c) => onlySelects(name, c.id)))) return { kind: 'error', message: `unknown check '${name}' (--list prints every check ID)` };
    }
    if (!only.includes(name)) only.push(name);
  }
  const report = (str('report') ?? 'text') as ReportFormat;
  if (!['text', 'json', 'junit'].includes(report)) return { kind: 'error', message: `--report must be text, json or junit, got '${report}'` };
  const fuzz = integer('--fuzz', str('fuzz'), 0);
  if (typeof fuzz === 'string') return { kind: 'error', message: fuzz };
  const seed = str('fuzz-seed');
  const fuzzSeed = seed === undefined ? undefined : integer('--fuzz-seed', seed, 0);
  if (typeof fuzzSeed === 'string') return { kind: 'error', message: fuzzSeed };
  const timeout = integer('--timeout', str('timeout') ?? '30', 1);
  if (typeof timeout === 'string') return { kind: 'error', message: timeout };

  return {
    kind: 'run',
    options: {
      baseUrl,
      auth,
      only,
      checks: ((values['check'] as string[] | undefined) ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean),
      report,
      ...(str('out') !== undefined ? { out: str('out') } : {}),
      fuzz,
      ...(fuzzSeed !== undefined ? { fuzzSeed } : {}),
      strict: values['strict'] === true,
      timeoutMs: timeout * 1000,
      verbose: values['verbose'] === true,
      color: values['no-color'] !== true,
    },
  };
}
