/**
 * How checks run: a check gets a `CheckContext` whose `call` sends one request of a named operation,
 * checks the response against the contract (status, Content-Type, required headers, schema) and against
 * what the check expects, and records every departure as a finding that names the operation, the request,
 * the place in the response, and what was expected and found.
 */
import type { EspoAuth } from '../client/auth.js';
import type { Contract, ContractProblem, OperationSpec } from './contract.js';
import { DEVIATION_RULES, type DeviationRule } from './deviations.js';
import type { Fixtures } from './fixtures.js';
import { RunStopped, TransportError, toCurl, type Exchange, type Transport } from './http.js';
import { describeResponse, describeStatus, isObject, type CallOptions, type Me, type OperationId, type Reply } from './reply.js';
import { countChecks, type CheckResult, type Finding, type GroupName, type GroupResult } from './report.js';

export { describeResponse, describeStatus, isObject, type CallOptions, type Me, type OperationId, type Reply } from './reply.js';

/** The check cannot go on (its failure is already recorded). */
export class StopCheck extends Error {
  constructor(message = 'check stopped') {
    super(message);
    this.name = 'StopCheck';
  }
}

/**
 * The check does not apply here. `refused`: because the server refused a documented operation (a create
 * answered 403, a related list 403): a skip with its reason, and a failure under `--strict`, which must
 * not report ok for a server that refuses what the contract documents.
 */
export class SkipCheck extends Error {
  constructor(
    readonly reason: string,
    readonly refused = false,
    /** The refused request's reply, named in the failure under `--strict`. */
    readonly reply?: Reply,
  ) {
    super(reason);
    this.name = 'SkipCheck';
  }
}

export interface RunState {
  readonly contract: Contract;
  readonly transport: Transport;
  readonly strict: boolean;
  readonly runId: string;
  /** `conformance-<runId>`: in the name of every record the run creates. */
  readonly marker: string;
  readonly auth: EspoAuth;
  readonly fixtures: Fixtures;
  readonly signal?: AbortSignal;
  /** The acting user, known after the first record was created. */
  me?: Me;
  /** Server time from the last response's `Date` header (falls back to the local clock). */
  serverNow(): Date;
  noteResponse(exchange: Exchange): void;
  deviationCounts: Map<string, number>;
}

export interface ProgressEvent {
  type: 'group-start' | 'check' | 'group-end';
  group: GroupName;
  title?: string;
  check?: CheckResult;
  result?: GroupResult;
}

export class CheckContext {
  readonly findings: Finding[] = [];
  requests = 0;

  constructor(
    readonly run: RunState,
    readonly id: string,
  ) {}

  get contract(): Contract {
    return this.run.contract;
  }

  get fixtures(): Fixtures {
    return this.run.fixtures;
  }

  /** `conformance-<runId> <label>` */
  name(label: string): string {
    return `${this.run.marker} ${label}`;
  }

  /** Sends one request of an operation and checks the response. */
  async call(operationId: OperationId, options: CallOptions = {}): Promise<Reply> {
    const op = this.contract.operation(operationId);
    const { params, expect, deviations, soft, label, ...request } = options;
    const path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
      const value = params?.[name];
      if (value === undefined) throw new Error(`${operationId}: path parameter ${name} missing`);
      return encodeURIComponent(value);
    });
    let exchange: Exchange;
    this.requests++;
    try {
      exchange = await this.run.transport.send({ ...request, method: op.method.toUpperCase(), path });
    } catch (error) {
      if (error instanceof TransportError) {
        this.findings.push({
          severity: 'failure',
          message: `${operationId}: the request failed: ${error.message}`,
          operationId,
          request: error.request.display,
          location: 'network',
          expected: 'a response',
          actual: error.message,
          curl: toCurl(error.request, this.run.transport.root),
        });
        throw new StopCheck();
      }
      throw error;
    }
    this.run.noteResponse(exchange);
    const status = exchange.response.status;
    const expectedStatuses = expect === undefined ? undefined : typeof expect === 'number' ? [expect] : expect;
    const reply: Reply = {
      ...exchange,
      operationId,
      status,
      json: exchange.response.json,
      reason: exchange.response.headers['x-status-reason'],
      expected: expectedStatuses === undefined || expectedStatuses.includes(status),
    };
    const what = label ? ` (${label})` : '';
    // The contract comes first, always: a deviation excuses only what its rule describes (an undocumented
    // status, EspoCRM's non-JSON body), never a wrong-typed body or a missing header.
    let problems = this.contract.check(op, exchange);
    if (!reply.expected) {
      const rule = (deviations ?? []).map((id) => DEVIATION_RULES[id] as DeviationRule).find((r) => r.matches(exchange));
      if (rule) {
        reply.deviation = rule;
        this.deviation(rule, {
          message: `${operationId}${what} answered ${status}: ${rule.title}`,
          operationId,
          request: exchange.request.display,
          location: 'status',
          expected: `${expectedStatuses!.join(' or ')} (${rule.contract})`,
          actual: describeStatus(reply),
        }, exchange);
        problems = problems.filter((problem) => !rule.excuses(problem, exchange));
        this.reportContract(op, exchange, what, problems);
        return reply;
      }
      const near = (deviations ?? []).map((id) => DEVIATION_RULES[id] as DeviationRule).filter((r) => r.shapes.some((shape) => shape.status.includes(status)));
      this.failure(
        {
          message: `${operationId}${what} answered ${status}, expected ${expectedStatuses!.join(' or ')}${
            near.length ? ` (not the shape of EspoCRM's known deviation ${near.map((r) => `'${r.id}'`).join(', ')}: ${near.map((r) => r.espocrm).join('; ')})` : ''
          }`,
          operationId,
          request: exchange.request.display,
          location: 'status',
          expected: expectedStatuses!.join(' or '),
          actual: describeResponse(reply),
        },
        exchange,
      );
    }
    this.reportContract(op, exchange, what, problems);
    if (!reply.expected && !soft) throw new StopCheck();
    return reply;
  }

  private reportContract(op: OperationSpec, exchange: Exchange, what: string, problems: readonly ContractProblem[]): void {
    for (const problem of problems) {
      this.failure(
        {
          message: problem.message.replace(op.operationId, `${op.operationId}${what}`),
          operationId: op.operationId,
          request: exchange.request.display,
          location: problem.aspect === 'schema' ? `body ${problem.pointer}` : problem.aspect === 'header' ? 'headers' : problem.aspect,
          ...(problem.pointer !== undefined ? { pointer: problem.pointer } : {}),
          expected: problem.expected,
          actual: problem.actual,
        },
        exchange,
      );
    }
  }

  failure(finding: Omit<Finding, 'severity'>, exchange?: Exchange): void {
    this.findings.push({
      severity: 'failure',
      ...finding,
      ...(exchange && !finding.curl ? { curl: toCurl(exchange.request, this.run.transport.root) } : {}),
    });
  }

  /** A known EspoCRM difference: a deviation, or a failure under `--strict`. */
  deviation(rule: DeviationRule, finding: Omit<Finding, 'severity' | 'rule'>, exchange?: Exchange): void {
    this.run.deviationCounts.set(rule.id, (this.run.deviationCounts.get(rule.id) ?? 0) + 1);
    const strict = this.run.strict;
    this.findings.push({
      severity: strict ? 'failure' : 'deviation',
      ...finding,
      message: strict ? `${finding.message} [known EspoCRM deviation '${rule.id}'; a failure under --strict]` : finding.message,
      rule: rule.id,
      ...(exchange ? { curl: toCurl(exchange.request, this.run.transport.root) } : {}),
    });
  }

  /**
   * A behaviour check: records a failure when `condition` is false and returns it. The reply names the
   * request that showed the problem.
   */
  expect(condition: boolean, reply: Reply | undefined, detail: { message: string; expected: string; actual: string; pointer?: string }): boolean {
    if (!condition) {
      this.failure(
        {
          message: detail.message,
          ...(reply ? { operationId: reply.operationId, request: reply.request.display } : {}),
          location: detail.pointer !== undefined ? `body ${detail.pointer}` : 'behaviour',
          ...(detail.pointer !== undefined ? { pointer: detail.pointer } : {}),
          expected: detail.expected,
          actual: detail.actual,
        },
        reply,
      );
    }
    return condition;
  }

  /** Like `expect`, but the check cannot go on without it. */
  require(condition: boolean, reply: Reply | undefined, detail: { message: string; expected: string; actual: string; pointer?: string }): void {
    if (!this.expect(condition, reply, detail)) throw new StopCheck();
  }

  skip(reason: string): never {
    throw new SkipCheck(reason);
  }

  /** Skips because the server refused a documented operation (a failure under `--strict`). */
  refused(reason: string, reply?: Reply): never {
    throw new SkipCheck(reason, true, reply);
  }

  /** The acting user (its ID from `createdById` of a record the run created, its type from getUser). */
  async me(): Promise<Me> {
    if (this.run.me) return this.run.me;
    const probe = await this.fixtures.createAccount(this, 'whoami', {});
    const id = typeof probe['createdById'] === 'string' ? probe['createdById'] : undefined;
    if (!id) this.skip('cannot tell the acting user: createAccount returned no createdById');
    const user = await this.call('getUser', { params: { id }, expect: [200, 403, 404], soft: true });
    const type = user.status === 200 && isObject(user.json) && typeof user.json['type'] === 'string' ? user.json['type'] : undefined;
    this.run.me = { id, ...(type ? { type } : {}) };
    return this.run.me;
  }
}

/** Runs the checks of one group in order and collects their results. */
export class GroupRunner {
  readonly checks: CheckResult[] = [];
  private readonly started = performance.now();

  constructor(
    readonly run: RunState,
    readonly name: GroupName,
    readonly title: string,
    private readonly onProgress?: (event: ProgressEvent) => void,
    /** Which checks run (`--check` prefixes); setup checks always run. */
    private readonly selected: (id: string) => boolean = () => true,
  ) {}

  /**
   * Runs one check. `setup` checks (e.g. creating a data set) run even when `--check` filters them out,
   * because the selected checks depend on them. Returns `undefined` for a check that was filtered out.
   */
  async check(id: string, title: string, body: (t: CheckContext) => Promise<void>, options: { setup?: boolean } = {}): Promise<CheckResult | undefined> {
    if (this.run.signal?.aborted) throw this.run.signal.reason ?? new Error('aborted');
    const fullId = `${this.name}.${id}`;
    if (!options.setup && !this.selected(fullId)) return undefined;
    const t = new CheckContext(this.run, fullId);
    const started = performance.now();
    let skipReason: string | undefined;
    try {
      await body(t);
    } catch (error) {
      if (error instanceof SkipCheck) {
        skipReason = error.reason;
        if (error.refused && this.run.strict) {
          const reply = error.reply;
          t.failure(
            {
              message: `skipped because the server refused a documented operation: ${error.reason} [a failure under --strict]`,
              ...(reply ? { operationId: reply.operationId, request: reply.request.display } : {}),
              location: 'behaviour',
              expected: 'the documented operation to succeed for the user the kit runs as',
              actual: reply ? describeResponse(reply) : error.reason,
            },
            reply,
          );
        }
      } else if (error instanceof RunStopped) {
        throw error;
      } else if (!(error instanceof StopCheck)) {
        if (this.run.signal?.aborted) throw error;
        t.failure({
          message: `the check could not complete: ${error instanceof Error ? error.message : String(error)}`,
          location: 'kit',
          expected: 'the check to run to the end',
          actual: error instanceof Error ? (error.stack ?? error.message).split('\n').slice(0, 3).join(' | ') : String(error),
        });
      }
    }
    const failed = t.findings.some((f) => f.severity === 'failure');
    const deviated = t.findings.some((f) => f.severity === 'deviation');
    const result: CheckResult = {
      id: fullId,
      group: this.name,
      title,
      outcome: failed ? 'failed' : skipReason !== undefined ? 'skipped' : deviated ? 'deviation' : 'passed',
      findings: t.findings,
      ...(skipReason !== undefined ? { skipReason } : {}),
      requests: t.requests,
      durationMs: performance.now() - started,
    };
    this.checks.push(result);
    this.onProgress?.({ type: 'check', group: this.name, check: result });
    return result;
  }

  result(): GroupResult {
    return {
      name: this.name,
      title: this.title,
      checks: this.checks,
      counts: countChecks(this.checks),
      requests: this.checks.reduce((n, c) => n + c.requests, 0),
      durationMs: performance.now() - this.started,
    };
  }
}
