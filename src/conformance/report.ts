/** The result of a conformance run: plain data, rendered by the text, JSON and JUnit reporters. */

export const GROUP_NAMES = ['auth', 'crud', 'search', 'errors', 'links', 'stream'] as const;
export type BehaviourGroup = (typeof GROUP_NAMES)[number];
export type GroupName = BehaviourGroup | 'fuzz';

export type Outcome = 'passed' | 'failed' | 'deviation' | 'skipped';

export interface Finding {
  severity: 'failure' | 'deviation';
  /** One line: what departs from the contract. */
  message: string;
  operationId?: string;
  /** `GET /Account?maxSize=1` (path below the API root). */
  request?: string;
  /** Where in the response: `status`, `header X-Status-Reason`, `Content-Type`, `body /list/0/name`, `behaviour`. */
  location?: string;
  /** JSON pointer into the response body, for schema problems. */
  pointer?: string;
  expected?: string;
  actual?: string;
  /** The deviation rule that matched (deviations, and failures under `--strict`). */
  rule?: string;
  /** A command that replays the request. */
  curl?: string;
}

export interface CheckResult {
  /** `search.where.startsWith.php`. */
  id: string;
  group: GroupName;
  title: string;
  outcome: Outcome;
  findings: Finding[];
  skipReason?: string;
  requests: number;
  durationMs: number;
}

export interface Counts {
  checks: number;
  passed: number;
  failed: number;
  deviations: number;
  skipped: number;
}

export interface GroupResult {
  name: GroupName;
  title: string;
  checks: CheckResult[];
  counts: Counts;
  requests: number;
  durationMs: number;
}

export interface CleanupResult {
  /** Records the run created (every type). */
  created: number;
  deleted: number;
  /** Already gone when cleanup reached them (deleted by a check). */
  alreadyGone: number;
  /** Marker accounts found by the final sweep that the kit had not tracked. */
  swept: number;
  leftovers: { type: string; id: string; reason: string }[];
  /** Records the contract cannot delete (stream posts): they stay with their deleted parent. */
  notDeletable: { type: string; id: string }[];
}

export interface FuzzCase {
  property: string;
  /** What the shrunk case shows. */
  message: string;
  request: string;
  curl: string;
  status?: number;
  seed: number;
  path?: string;
}

export interface FuzzSummary {
  runsPerProperty: number;
  seed: number;
  properties: { name: string; runs: number; outcome: Outcome; deviations: number }[];
  failures: FuzzCase[];
}

export interface Report {
  tool: { name: string; version: string };
  target: { baseUrl: string; apiRoot: string; auth: 'api-key' | 'hmac' | 'password' };
  runId: string;
  marker: string;
  strict: boolean;
  groups: GroupResult[];
  fuzz?: FuzzSummary;
  deviationRules: { id: string; title: string; espocrm: string; contract: string; reference: string; count: number }[];
  cleanup: CleanupResult;
  summary: Counts & { requests: number };
  startedAt: string;
  durationMs: number;
  /** Set when the run could not start (server unreachable, credentials rejected) or crashed. */
  fatal?: string;
  /** Interrupted (Ctrl-C / SIGTERM / abort signal). */
  aborted: boolean;
  /** Nothing failed (and the run was not aborted or fatal). */
  ok: boolean;
}

export function emptyCounts(): Counts {
  return { checks: 0, passed: 0, failed: 0, deviations: 0, skipped: 0 };
}

export function countChecks(checks: readonly CheckResult[]): Counts {
  const counts = emptyCounts();
  for (const check of checks) {
    counts.checks++;
    if (check.outcome === 'passed') counts.passed++;
    else if (check.outcome === 'failed') counts.failed++;
    else if (check.outcome === 'deviation') counts.deviations++;
    else counts.skipped++;
  }
  return counts;
}

export function addCounts(a: Counts, b: Counts): Counts {
  return {
    checks: a.checks + b.checks,
    passed: a.passed + b.passed,
    failed: a.failed + b.failed,
    deviations: a.deviations + b.deviations,
    skipped: a.skipped + b.skipped,
  };
}
