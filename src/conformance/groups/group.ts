/**
 * A behaviour group is a table of small named checks run in order. What one check leaves for a later one
 * (the record create-full made, the search data set) lives in a typed state object, made fresh for each run
 * of the group; a later check whose state is missing (its provider failed or was not selected) skips with
 * the reason.
 */
import type { Contract } from '../contract.js';
import type { CheckContext, GroupRunner, Reply, RunState } from '../context.js';
import { isObject } from '../context.js';
import type { BehaviourGroup } from '../report.js';

/** What `--list` shows and `--only`/`--check` select: a check's ID within its group and its title. */
export interface CheckInfo {
  readonly id: string;
  readonly title: string;
  /** Runs even when `--only`/`--check` leave it out: the selected checks need what it creates. */
  readonly setup?: boolean;
}

/** One check: what it shows, and the function that shows it with the group's shared state. */
export interface Check<S = undefined> extends CheckInfo {
  readonly run: (t: CheckContext, state: S) => Promise<void>;
}

/** How a group is written: its checks in run order and, when they share any, their state. */
export type GroupSpec<S> = {
  name: BehaviourGroup;
  title: string;
  /** The check table; a function when the checks follow from the contract (links: one set per Account link). */
  checks: readonly Check<S>[] | ((contract: Contract) => readonly Check<S>[]);
} & (undefined extends S ? { state?: (run: RunState) => S } : { state: (run: RunState) => S });

/** A group as the runner and `--list` see it, its state type hidden. */
export interface GroupDefinition {
  readonly name: BehaviourGroup;
  readonly title: string;
  /** Every check in run order, without running anything. */
  checks(contract: Contract): readonly CheckInfo[];
  /** Runs the checks in order, sharing one fresh state. */
  run(g: GroupRunner): Promise<void>;
}

export function defineGroup<S = undefined>(spec: GroupSpec<S>): GroupDefinition {
  const table = (contract: Contract): readonly Check<S>[] => (typeof spec.checks === 'function' ? spec.checks(contract) : spec.checks);
  return {
    name: spec.name,
    title: spec.title,
    checks: table,
    async run(g) {
      const state = spec.state?.(g.run) as S;
      for (const check of table(g.run.contract)) {
        await g.check(check.id, check.title, (t) => check.run(t, state), check.setup ? { setup: true } : {});
      }
    },
  };
}

export type Json = Record<string, unknown>;

/** An ID no record has (unique per run), for the checks of 404 answers. */
export function missingId(t: CheckContext): string {
  return `cf${t.run.runId}missing`.slice(0, 17);
}

/** The body as an object, or a failure that stops the check. */
export function objectBody(t: CheckContext, reply: Reply): Json {
  t.require(isObject(reply.json), reply, {
    message: `${reply.operationId} answered ${reply.status} without a JSON object body`,
    expected: 'a JSON object',
    actual: reply.response.text.slice(0, 200) || 'empty body',
  });
  return reply.json as Json;
}

/** `{total, list}` of a list response, or a failure that stops the check. */
export function listBody(t: CheckContext, reply: Reply): { total: number; list: Json[] } {
  const body = objectBody(t, reply);
  t.require(Array.isArray(body['list']) && typeof body['total'] === 'number', reply, {
    message: `${reply.operationId} answered without {total, list}`,
    expected: '{"total": <integer>, "list": [...]}',
    actual: reply.response.text.slice(0, 200),
  });
  return { total: body['total'] as number, list: (body['list'] as unknown[]).filter(isObject) };
}

export function ids(list: readonly Json[]): string[] {
  return list.map((item) => String(item['id']));
}

export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && new Set(a).size === new Set([...a, ...b]).size;
}

export function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'undefined' : text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
