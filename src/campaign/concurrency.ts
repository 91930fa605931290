/**
 * Concurrent writers against one or more server processes on one database, and the invariants EspoCRM's
 * users rely on: one winner per version, no lost increment, one record per name or email address, a
 * related record taken by only one parent. Requests go round-robin over the processes and are all in
 * flight at once.
 */
import { randomBytes } from 'node:crypto';
import { countStatuses, send, type CampaignRequest, type Reply, type Tally } from './http.js';

export interface Target {
  readonly baseUrls: readonly string[];
  readonly apiKey: string;
}

export interface ScenarioResult {
  readonly scenario: string;
  readonly statuses: Record<number, number>;
  /** Broken invariants, in words; empty when the scenario held. */
  readonly violations: string[];
}

const tag = () => randomBytes(4).toString('hex');

function all(target: Target, requests: CampaignRequest[], tally?: Tally): Promise<Reply[]> {
  return Promise.all(requests.map((request, index) => send(target.baseUrls[index % target.baseUrls.length]!, target.apiKey, request, tally)));
}

async function createOrThrow(target: Target, path: string, body: unknown, tally?: Tally): Promise<Record<string, unknown>> {
  const reply = await send(target.baseUrls[0]!, target.apiKey, { method: 'POST', path, body, headers: { 'X-Skip-Duplicate-Check': 'true' } }, tally);
  if (reply.status !== 200) throw new Error(`POST ${path} answered ${reply.status} ${reply.reason ?? ''}`);
  return reply.body as Record<string, unknown>;
}

async function readAccount(target: Target, id: string, tally?: Tally): Promise<Record<string, unknown>> {
  return (await send(target.baseUrls[0]!, target.apiKey, { method: 'GET', path: `/Account/${id}` }, tally)).body as Record<string, unknown>;
}

/** N PATCHes with `X-Version-Number: 1`, each changing the name: exactly one 200, the rest 409 `modified`. */
export async function versionedUpdates(target: Target, writers: number, tally?: Tally): Promise<ScenarioResult> {
  const account = await createOrThrow(target, '/Account', { name: `campaign-${tag()} versioned` }, tally);
  const names = Array.from({ length: writers }, (_, index) => `${String(account.name)} writer ${index}`);
  const replies = await all(
    target,
    names.map((name) => ({ method: 'PATCH', path: `/Account/${String(account.id)}`, headers: { 'X-Version-Number': '1' }, body: { name } })),
    tally,
  );
  const violations: string[] = [];
  const winners = replies.filter((reply) => reply.status === 200);
  if (winners.length !== 1) violations.push(`${winners.length} PATCHes with the same version answered 200 (expected 1)`);
  const winnerName = (winners[0]?.body as { name?: unknown } | undefined)?.name;
  for (const reply of replies.filter((r) => r.status !== 200)) {
    const body = reply.body as { values?: { name?: unknown }; versionNumber?: unknown } | null;
    if (reply.status !== 409 || reply.reason !== 'modified') violations.push(`a loser answered ${reply.status} ${reply.reason ?? ''} (expected 409 modified)`);
    else if (body?.versionNumber !== 2 || body.values?.name !== winnerName) violations.push(`a 409 body ${JSON.stringify(body)} does not show the winner's name and version 2`);
  }
  const final = await readAccount(target, String(account.id), tally);
  if (final.versionNumber !== 2) violations.push(`final versionNumber ${String(final.versionNumber)} (expected 2)`);
  if (final.name !== winnerName) violations.push(`final name '${String(final.name)}' is not the acknowledged winner's`);
  return { scenario: `${writers} PATCH, same X-Version-Number`, statuses: countStatuses(replies), violations: dedupe(violations) };
}

/** N PATCHes without a version: all 200, and versionNumber counts every one of them. */
export async function unversionedUpdates(target: Target, writers: number, tally?: Tally): Promise<ScenarioResult> {
  const account = await createOrThrow(target, '/Account', { name: `campaign-${tag()} unversioned` }, tally);
  const replies = await all(
    target,
    Array.from({ length: writers }, (_, index) => ({ method: 'PATCH', path: `/Account/${String(account.id)}`, body: { description: `writer ${index}` } })),
    tally,
  );
  const violations: string[] = [];
  const ok = replies.filter((reply) => reply.status === 200).length;
  if (ok !== writers) violations.push(`${writers - ok} PATCHes without a version failed`);
  const final = await readAccount(target, String(account.id), tally);
  if (final.versionNumber !== 1 + ok) violations.push(`final versionNumber ${String(final.versionNumber)} after ${ok} updates (expected ${1 + ok})`);
  return { scenario: `${writers} PATCH, no X-Version-Number`, statuses: countStatuses(replies), violations };
}

/** N creates with one name (differently cased) or one email address: exactly one record, the rest 409 `duplicate`. */
export async function duplicateCreates(target: Target, writers: number, by: 'name' | 'emailAddress', tally?: Tally): Promise<ScenarioResult> {
  const marker = `campaign-${tag()}`;
  const bodies = Array.from({ length: writers }, (_, index) =>
    by === 'name' ? { name: index % 2 ? `${marker} Same Name` : `${marker} SAME name` } : { name: `${marker} writer ${index}`, emailAddress: `${marker}@same.example` },
  );
  const replies = await all(target, bodies.map((body) => ({ method: 'POST', path: '/Account', body })), tally);
  const violations: string[] = [];
  const created = replies.filter((reply) => reply.status === 200);
  if (created.length !== 1) violations.push(`${created.length} creates with the same ${by} answered 200 (expected 1)`);
  const winnerId = (created[0]?.body as { id?: unknown } | undefined)?.id;
  for (const reply of replies.filter((r) => r.status !== 200)) {
    if (reply.status !== 409 || reply.reason !== 'duplicate') violations.push(`a loser answered ${reply.status} ${reply.reason ?? ''} (expected 409 duplicate)`);
    else if (!Array.isArray(reply.body) || !reply.body.some((record: { id?: unknown }) => record.id === winnerId)) violations.push(`a 409 body does not list the created record`);
  }
  const where = by === 'name' ? { type: 'startsWith', attribute: 'name', value: marker } : { type: 'equals', attribute: 'emailAddress', value: `${marker}@same.example` };
  const found = await send(target.baseUrls[0]!, target.apiKey, { method: 'GET', path: `/Account?searchParams=${encodeURIComponent(JSON.stringify({ where: [where], maxSize: 50 }))}` }, tally);
  const total = (found.body as { total?: unknown }).total;
  if (total !== 1) violations.push(`${String(total)} records stored with the same ${by} (expected 1)`);
  return { scenario: `${writers} POST, same ${by}`, statuses: countStatuses(replies), violations: dedupe(violations) };
}

/**
 * N relates of one opportunity to N different accounts (`linkOnlyNotLinked`): one 200, the rest 403
 * `cannotLinkAlreadyLinked`, and the opportunity belongs to the winner.
 */
export async function exclusiveRelates(target: Target, writers: number, tally?: Tally): Promise<ScenarioResult> {
  const marker = `campaign-${tag()}`;
  const opportunity = await createOrThrow(target, '/Opportunity', { name: `${marker} deal`, amount: 10, closeDate: '2030-01-01' }, tally);
  const accounts = await Promise.all(Array.from({ length: writers }, (_, index) => createOrThrow(target, '/Account', { name: `${marker} owner ${index}` }, tally)));
  const replies = await all(
    target,
    accounts.map((account) => ({ method: 'POST', path: `/Account/${String(account.id)}/opportunities`, body: { id: opportunity.id } })),
    tally,
  );
  const violations: string[] = [];
  const winners = replies.flatMap((reply, index) => (reply.status === 200 ? [accounts[index]!.id] : []));
  if (winners.length !== 1) violations.push(`${winners.length} accounts took the opportunity (expected 1)`);
  for (const reply of replies.filter((r) => r.status !== 200)) {
    if (reply.status !== 403) violations.push(`a loser answered ${reply.status} ${reply.reason ?? ''} (expected 403)`);
  }
  const final = (await send(target.baseUrls[0]!, target.apiKey, { method: 'GET', path: `/Opportunity/${String(opportunity.id)}` }, tally)).body as { accountId?: unknown };
  if (winners.length === 1 && final.accountId !== winners[0]) violations.push('the opportunity does not belong to the acknowledged winner');
  return { scenario: `${writers} relate, one opportunity`, statuses: countStatuses(replies), violations: dedupe(violations) };
}

export async function runConcurrency(target: Target, writers: number, tally?: Tally): Promise<ScenarioResult[]> {
  return [
    await versionedUpdates(target, writers, tally),
    await unversionedUpdates(target, writers, tally),
    await duplicateCreates(target, writers, 'name', tally),
    await duplicateCreates(target, writers, 'emailAddress', tally),
    await exclusiveRelates(target, writers, tally),
  ];
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}
