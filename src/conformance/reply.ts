/**
 * What one request of a check sends and gets back (`CallOptions`, `Reply`), typed by the contract's
 * operation IDs. A module of its own so that `context.ts` (which runs checks) and `fixtures.ts` (which
 * creates records for them) share these types without importing each other.
 */
import type { operations } from '../../generated/openapi.js';
import { abbreviate } from './contract.js';
import type { DeviationRule, DeviationRuleId } from './deviations.js';
import type { Exchange, HttpRequest } from './http.js';

/** An operation of the contract: a misspelt ID fails the typecheck. */
export type OperationId = keyof operations & string;

export interface CallOptions extends Omit<HttpRequest, 'method' | 'path'> {
  /** Path parameters, e.g. `{ id }`. */
  params?: Record<string, string>;
  /** The status(es) the check expects; anything else is a failure (or a listed deviation). */
  expect?: number | readonly number[];
  /** EspoCRM behaviours that are deviations, not failures, for this request (docs/deviations.md). */
  deviations?: readonly DeviationRuleId[];
  /** Record an unexpected status but let the check go on (default: stop the check). */
  soft?: boolean;
  /** What the request is about, added to failure messages (`where startsWith`). */
  label?: string;
}

export interface Reply extends Exchange {
  operationId: OperationId;
  status: number;
  json: unknown;
  /** `X-Status-Reason`, or `undefined` when absent. */
  reason: string | undefined;
  /** The deviation rule the response matched, if any. */
  deviation?: DeviationRule;
  /** The status was one of `expect` (always true without `expect`). */
  expected: boolean;
}

export interface Me {
  id: string;
  /** `admin`, `api`, `regular`, …; `undefined` when the user record could not be read. */
  type?: string;
}

export function describeStatus(reply: Pick<Reply, 'status' | 'reason' | 'response'>): string {
  const reason = reply.reason ? ` (X-Status-Reason: ${reply.reason})` : '';
  const body = reply.response.text ? `, body ${abbreviate(reply.response.text, 200)}` : '';
  return `${reply.status}${reason}${body}`;
}

/** Status, Content-Type, reason and body: enough to tell a response from the shape a deviation rule expects. */
export function describeResponse(reply: Pick<Reply, 'status' | 'reason' | 'response'>): string {
  const type = reply.response.headers['content-type'];
  const reason = reply.reason !== undefined ? `, X-Status-Reason ${JSON.stringify(reply.reason)}` : ', no X-Status-Reason';
  const body = reply.response.text ? `, body ${abbreviate(reply.response.text, 200)}` : ', empty body';
  return `${reply.status}, Content-Type ${type ?? '(none)'}${reason}${body}`;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
