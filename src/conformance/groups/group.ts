import type { CheckContext, GroupRunner, Reply } from '../context.js';
import { isObject } from '../context.js';
import type { BehaviourGroup } from '../report.js';

export interface GroupDefinition {
  name: BehaviourGroup;
  title: string;
  run(g: GroupRunner): Promise<void>;
}

export type Json = Record<string, unknown>;

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
