/**
 * `runConformance(options) → Report`: the whole kit as a library call. Preflight (server reachable,
 * credentials accepted), the behaviour groups, the optional fuzz, and cleanup in `finally` — also when the
 * run is aborted through `options.signal` (the CLI aborts it on Ctrl-C / SIGTERM).
 */
import { randomBytes } from 'node:crypto';
import type { EspoAuth } from '../client/auth.js';
import { contract, GROUPS, onlySelects, onlyTouches } from './catalog.js';
import { GroupRunner, type ProgressEvent, type RunState } from './context.js';
import { ALL_DEVIATION_RULES } from './deviations.js';
import { Fixtures } from './fixtures.js';
import { runFuzz } from './fuzz/run.js';
import { RunStopped, Transport, TransportError, type Exchange } from './http.js';
import { addCounts, emptyCounts, GROUP_NAMES, type CleanupResult, type GroupResult, type Report } from './report.js';
import { KIT_VERSION } from './version.js';

export interface ConformanceOptions {
  /** The API root (`https://crm.example.com/api/v1`) or the site URL. */
  baseUrl: string;
  auth: EspoAuth;
  /**
   * Groups or checks to run (default: all): group names (`crud`), check IDs (`crud.create-full`) or ID
   * prefixes ending at a dot (`search.where`). A selected check whose input comes from an earlier check
   * that was left out skips with the reason.
   */
  only?: readonly string[];
  /** Only checks whose ID starts with one of these (`search.where.in`, `crud.delete`); default: all. */
  checks?: readonly string[];
  /** Report EspoCRM's known deviations as failures. */
  strict?: boolean;
  /** Runs per fuzz property; 0 or absent: no fuzzing. */
  fuzz?: number;
  /** Seed of the fuzz (default: random; printed in the report). */
  fuzzSeed?: number;
  /** Time limit per fuzz property, shrinking included (default 60 s). */
  fuzzTimeLimitMs?: number;
  /** Per request (default 30 s). */
  timeoutMs?: number;
  /** Aborting it stops the checks; cleanup still runs. */
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /** Short random run ID (default: 8 hex characters). */
  runId?: string;
  fetch?: typeof globalThis.fetch;
}

export { contract, GROUPS } from './catalog.js';

export async function runConformance(options: ConformanceOptions): Promise<Report> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const runId = options.runId ?? randomBytes(4).toString('hex');
  const marker = `conformance-${runId}`;
  const transport = new Transport({
    baseUrl: options.baseUrl,
    auth: options.auth,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const fixtures = new Fixtures(marker);
  let lastDate: { server: number; local: number } | undefined;
  const run: RunState = {
    contract: contract(),
    transport,
    strict: options.strict ?? false,
    runId,
    marker,
    auth: options.auth,
    fixtures,
    ...(options.signal ? { signal: options.signal } : {}),
    deviationCounts: new Map(),
    noteResponse(exchange: Exchange) {
      const date = Date.parse(exchange.response.headers['date'] ?? '');
      if (!Number.isNaN(date)) lastDate = { server: date, local: Date.now() };
    },
    serverNow() {
      return lastDate ? new Date(lastDate.server + (Date.now() - lastDate.local)) : new Date();
    },
  };

  const groups: GroupResult[] = [];
  let fatal: string | undefined;
  let aborted = false;
  let cleanup: CleanupResult = { created: 0, deleted: 0, alreadyGone: 0, swept: 0, leftovers: [], notDeletable: [] };
  let fuzz: Report['fuzz'];
  try {
    fatal = await preflight(transport);
    if (!fatal) {
      const patterns = options.checks ?? [];
      const only = options.only ?? [];
      const wanted = (id: string) => (only.length === 0 || only.some((entry) => onlySelects(entry, id))) && (patterns.length === 0 || patterns.some((p) => id.startsWith(p)));
      const groupWanted = (name: string) => patterns.length === 0 || patterns.some((p) => p === name || p.startsWith(`${name}.`) || name.startsWith(p));
      const selected = GROUP_NAMES.filter((name) => (only.length === 0 || only.some((entry) => onlyTouches(entry, name))) && groupWanted(name));
      for (const name of selected) {
        const definition = GROUPS[name];
        const g = new GroupRunner(run, name, definition.title, options.onProgress, wanted);
        options.onProgress?.({ type: 'group-start', group: name, title: definition.title });
        try {
          await definition.run(g);
        } finally {
          const result = g.result();
          groups.push(result);
          options.onProgress?.({ type: 'group-end', group: name, result });
        }
      }
      if ((options.fuzz ?? 0) > 0) {
        const g = new GroupRunner(run, 'fuzz', 'Property-based requests', options.onProgress);
        options.onProgress?.({ type: 'group-start', group: 'fuzz', title: g.title });
        try {
          fuzz = await runFuzz(g, {
            runs: options.fuzz ?? 0,
            seed: options.fuzzSeed ?? (randomBytes(4).readUInt32BE() >>> 1),
            timeLimitMs: options.fuzzTimeLimitMs ?? 60_000,
          });
        } finally {
          const result = g.result();
          groups.push(result);
          options.onProgress?.({ type: 'group-end', group: 'fuzz', result });
        }
      }
    }
  } catch (error) {
    if (error instanceof RunStopped) fatal = error.message;
    else if (options.signal?.aborted) aborted = true;
    else fatal = `the run stopped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  } finally {
    // Never against a blocked server: every request would only prolong the lockout.
    cleanup = transport.guard.stopped?.kind === 'lockout' ? fixtures.abandon('not deleted: the server blocked this address (login lockout)') : await fixtures.cleanup(transport.detached());
  }

  const summary = groups.reduce((acc, g) => addCounts(acc, g.counts), emptyCounts());
  const report: Report = {
    tool: { name: 'espo-conformance', version: KIT_VERSION },
    target: { baseUrl: options.baseUrl, apiRoot: transport.root.url, auth: authKind(options.auth) },
    runId,
    marker,
    strict: run.strict,
    groups,
    ...(fuzz ? { fuzz } : {}),
    deviationRules: ALL_DEVIATION_RULES.filter((r) => run.deviationCounts.has(r.id)).map((r) => ({
      id: r.id,
      title: r.title,
      espocrm: r.espocrm,
      contract: r.contract,
      reference: r.reference,
      count: run.deviationCounts.get(r.id) ?? 0,
    })),
    cleanup,
    summary: { ...summary, requests: transport.requestCount },
    startedAt,
    durationMs: performance.now() - started,
    ...(fatal ? { fatal } : {}),
    aborted,
    ok: !fatal && !aborted && summary.failed === 0 && cleanup.leftovers.length === 0,
  };
  return report;
}

function authKind(auth: EspoAuth): Report['target']['auth'] {
  if ('username' in auth && auth.username !== undefined) return 'password';
  return auth.secretKey !== undefined ? 'hmac' : 'api-key';
}

/** The server answers and accepts the credentials; otherwise nothing else can be checked. */
async function preflight(transport: Transport): Promise<string | undefined> {
  try {
    const exchange = await transport.send({ method: 'GET', path: '/Account', query: { maxSize: 1, select: ['id'] } });
    const { status, headers } = exchange.response;
    if (status === 401) return `the server rejected the credentials (GET ${transport.root.url}/Account answered 401)`;
    if (status !== 200) {
      return `GET ${transport.root.url}/Account?maxSize=1 answered ${status}${headers['x-status-reason'] ? ` (${headers['x-status-reason']})` : ''}; is --base-url the API root and may this user read accounts?`;
    }
    return undefined;
  } catch (error) {
    if (error instanceof TransportError) return `cannot reach the server: ${error.message}`;
    throw error;
  }
}
