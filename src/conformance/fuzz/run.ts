/**
 * `--fuzz N`: property-based requests with fast-check. Each property draws N requests from the contract's
 * schemas: valid ones must succeed and conform, invalid ones (wrong types, too long, unknown enum values,
 * malformed where, bad paging) must get the documented 4xx — never a 5xx, unless the response is a known
 * EspoCRM deviation. A failing property is shrunk to a minimal request, replayed once more to collect its
 * findings, and reported with a curl command that reproduces it.
 */
import fc from 'fast-check';
import { CheckContext, SkipCheck, StopCheck, isObject, type GroupRunner, type Reply } from '../context.js';
import { RunStopped } from '../http.js';
import type { DeviationRuleId } from '../deviations.js';
import { show } from '../groups/group.js';
import type { Finding, FuzzCase, FuzzSummary } from '../report.js';
import {
  applyMutation,
  listDefectArb,
  mutationArb,
  validAccountBody,
  validListArb,
  type Body,
  type ListDefect,
  type ListQuery,
  type Mutation,
} from './arbitraries.js';

export interface FuzzOptions {
  runs: number;
  seed: number;
  timeLimitMs: number;
}

interface Property<T> {
  name: string;
  title: string;
  arb: fc.Arbitrary<T>;
  run(t: CheckContext, value: T): Promise<void>;
}


/** PHP's trim() set and JavaScript's: servers may use either. */
const phpTrim = (s: string) => s.replace(/^[ \t\n\r\0\x0B]+|[ \t\n\r\0\x0B]+$/g, '');
const stored = (s: string) => (s === '' ? null : s);

/** What a server may store for a sent string: as sent or trimmed (PHP or JS rules); empty means null. */
function acceptableStrings(sent: string): (string | null)[] {
  return [...new Set([stored(sent), stored(phpTrim(sent)), stored(sent.trim())])];
}

const SIMPLE_STRINGS = ['name', 'website', 'sicCode', 'billingAddressStreet', 'billingAddressCity', 'billingAddressState', 'billingAddressCountry', 'billingAddressPostalCode', 'shippingAddressStreet', 'shippingAddressCity', 'shippingAddressState', 'shippingAddressCountry', 'shippingAddressPostalCode', 'description'];

function expectEcho(t: CheckContext, reply: Reply, sent: Body): void {
  if (!isObject(reply.json)) return;
  const record = reply.json;
  for (const key of SIMPLE_STRINGS) {
    if (!(key in sent)) continue;
    const value = sent[key];
    const accepted = typeof value === 'string' ? acceptableStrings(value) : [value ?? null];
    t.expect(accepted.some((a) => a === (record[key] ?? null)), reply, {
      message: `${reply.operationId}: ${key} is not stored as sent`,
      pointer: `/${key}`,
      expected: accepted.map(show).join(' or '),
      actual: show(record[key]),
    });
  }
  for (const key of ['type', 'industry']) {
    if (!(key in sent)) continue;
    const value = sent[key] === '' ? null : sent[key];
    const actual = record[key] === '' ? null : (record[key] ?? null);
    t.expect(value === actual, reply, { message: `${reply.operationId}: ${key} is not stored as sent`, pointer: `/${key}`, expected: show(sent[key]), actual: show(record[key]) });
  }
}

function expectedForMutation(mutation: Mutation): { status: number; deviations: DeviationRuleId[] } {
  if (mutation.kind !== 'wrong-type') return { status: 400, deviations: [] };
  // EspoCRM's phone number sanitizer fails with a TypeError on an object or array (Slim's HTML 500).
  const structured = mutation.attribute === 'phoneNumber' && typeof mutation.value === 'object' && mutation.value !== null;
  return { status: 400, deviations: structured ? ['wrong-json-type-coerced', 'phone-number-not-string-500'] : ['wrong-json-type-coerced'] };
}

const enc = encodeURIComponent;

/** The raw query string of an invalid list request and what the contract says it gets. */
export function defectRequest(defect: ListDefect): { rawQuery: string; status: number; deviations: DeviationRuleId[] } {
  const w = (pairs: [string, string][]) => pairs.map(([k, v]) => `where%5B0%5D%5B${k}%5D=${enc(v)}`).join('&');
  switch (defect.kind) {
    case 'where-no-type':
      return { rawQuery: `maxSize=1&${w([['attribute', defect.attribute], ['value', 'x']])}`, status: 400, deviations: ['malformed-where-500'] };
    case 'where-unknown-type':
      return { rawQuery: `maxSize=1&${w([['type', defect.type], ['attribute', 'name'], ['value', 'x']])}`, status: 400, deviations: [] };
    case 'where-unknown-attribute':
      return { rawQuery: `maxSize=1&${w([['type', 'equals'], ['attribute', defect.attribute], ['value', 'x']])}`, status: 400, deviations: [] };
    case 'where-complex-attribute':
      return { rawQuery: `maxSize=1&${w([['type', 'equals'], ['attribute', defect.attribute], ['value', 'x']])}`, status: 400, deviations: [] };
    case 'where-in-scalar':
      return { rawQuery: `maxSize=1&${w([['type', 'in'], ['attribute', 'name'], ['value', defect.value]])}`, status: 400, deviations: [] };
    case 'where-unknown-key':
      return { rawQuery: `maxSize=1&${w([['type', 'isNull'], ['attribute', 'name'], [defect.key, '1']])}`, status: 400, deviations: ['malformed-where-500'] };
    case 'where-bad-date':
      return { rawQuery: `maxSize=1&${w([['type', 'on'], ['attribute', 'createdAt'], ['dateTime', '1'], ['value', defect.value]])}`, status: 400, deviations: [] };
    case 'where-bad-time-zone':
      return { rawQuery: `maxSize=1&${w([['type', 'today'], ['attribute', 'createdAt'], ['dateTime', '1'], ['timeZone', defect.timeZone]])}`, status: 400, deviations: [] };
    case 'max-size-too-large':
      return { rawQuery: `maxSize=${defect.maxSize}`, status: 403, deviations: [] };
    case 'max-size-negative':
      return { rawQuery: `maxSize=${defect.maxSize}`, status: 400, deviations: ['negative-paging-500'] };
    case 'max-size-not-integer':
      return { rawQuery: `maxSize=${enc(defect.raw)}`, status: 400, deviations: ['max-size-not-integer-ignored'] };
    case 'offset-negative':
      return { rawQuery: `maxSize=1&offset=${defect.offset}`, status: 400, deviations: ['negative-paging-500'] };
    case 'order-unknown':
      return { rawQuery: `maxSize=1&order=${enc(defect.order)}`, status: 400, deviations: [] };
    case 'order-by-unknown':
      return { rawQuery: `maxSize=1&orderBy=${enc(defect.orderBy)}`, status: 400, deviations: [] };
    case 'search-params-not-json': {
      let parsed: unknown;
      let json = true;
      try {
        parsed = JSON.parse(defect.raw);
      } catch {
        json = false;
      }
      const deviations: DeviationRuleId[] = !json ? [] : Array.isArray(parsed) ? ['search-params-array-ignored'] : ['search-params-scalar-500'];
      return { rawQuery: `searchParams=${enc(defect.raw)}`, status: 400, deviations };
    }
    case 'primary-filter-unknown':
      return { rawQuery: `maxSize=1&primaryFilter=${enc(defect.name)}`, status: 400, deviations: [] };
  }
}

function checkListInvariants(t: CheckContext, reply: Reply, input: ListQuery): void {
  if (reply.status !== 200 || !isObject(reply.json) || !Array.isArray(reply.json['list'])) return;
  const list = (reply.json['list'] as unknown[]).filter(isObject);
  const total = reply.json['total'];
  const maxSize = Number(input.query['maxSize']);
  t.expect(list.length <= maxSize, reply, { message: 'listAccounts returned more records than maxSize', pointer: '/list', expected: `at most ${maxSize}`, actual: String(list.length) });
  if (input.noTotal) {
    t.expect(total === -1 || total === -2, reply, { message: 'listAccounts with X-No-Total: total must be -1 or -2', pointer: '/total', expected: '-1 or -2', actual: show(total) });
    if (total === -1) t.expect(list.length === maxSize, reply, { message: 'total -1 (more follow) but the page is not full', pointer: '/total', expected: `${maxSize} records`, actual: String(list.length) });
  } else {
    const offset = Number(input.query['offset'] ?? 0);
    t.expect(typeof total === 'number' && total >= 0 && (list.length === 0 || total >= offset + list.length), reply, {
      message: 'listAccounts: total is less than the records it returned',
      pointer: '/total',
      expected: `≥ ${offset + list.length}`,
      actual: show(total),
    });
  }
  const select = input.query['select'];
  if (Array.isArray(select)) {
    const missing = list.findIndex((item) => !('id' in item) || select.some((key) => !(key in item)));
    t.expect(missing < 0, reply, {
      message: 'listAccounts with select: an item lacks a selected attribute',
      pointer: `/list/${missing}`,
      expected: `id, ${select.join(', ')}`,
      actual: show(list[missing]),
    });
  }
}

export async function runFuzz(g: GroupRunner, options: FuzzOptions): Promise<FuzzSummary> {
  const summary: FuzzSummary = { runsPerProperty: options.runs, seed: options.seed, properties: [], failures: [] };
  let meId: string | undefined;
  let target: string | undefined;
  await g.check(
    'setup',
    'find the acting user and create the account the update properties change',
    async (t) => {
      meId = (await t.me()).id;
      target = String((await t.fixtures.createAccount(t, 'fz target', {}))['id']);
    },
    { setup: true },
  );
  const ctx = { doc: g.run.contract.doc, marker: g.run.marker, ...(meId ? { meId } : {}) };
  const skipDuplicates = { 'X-Skip-Duplicate-Check': 'true' };

  const properties: Property<unknown>[] = [
    {
      name: 'create-valid',
      title: 'createAccount with valid bodies drawn from AccountCreate answers 200, conforms and stores what was sent',
      arb: validAccountBody(ctx, { requireName: true }),
      async run(t, body) {
        const reply = await t.call('createAccount', { json: body, headers: skipDuplicates, expect: 200, label: 'valid body' });
        t.fixtures.trackReply('Account', reply);
        expectEcho(t, reply, body as Body);
      },
    } satisfies Property<Body> as Property<unknown>,
    {
      name: 'create-invalid',
      title: 'createAccount with one defect (wrong type, too long, unknown enum, bad pattern, missing name, too many) answers 400',
      arb: fc.tuple(validAccountBody(ctx, { requireName: true }), mutationArb(ctx.doc)),
      async run(t, [base, mutation]) {
        const body = applyMutation(base, mutation, ctx.marker);
        const expected = expectedForMutation(mutation);
        const reply = await t.call('createAccount', { json: body, headers: skipDuplicates, expect: expected.status, deviations: expected.deviations, soft: true, label: `${mutation.kind} ${'attribute' in mutation ? mutation.attribute : ''}`.trim() });
        t.fixtures.trackReply('Account', reply);
      },
    } satisfies Property<[Body, Mutation]> as Property<unknown>,
    {
      name: 'patch-valid',
      title: 'patchAccount with valid partial bodies answers 200, conforms and stores what was sent',
      arb: validAccountBody(ctx, { requireName: false }),
      async run(t, body) {
        const id = target ?? t.skip('no target account');
        const reply = await t.call('patchAccount', { params: { id }, json: body, expect: 200, label: 'valid partial body' });
        expectEcho(t, reply, body as Body);
      },
    } satisfies Property<Body> as Property<unknown>,
    {
      name: 'list-valid',
      title: 'listAccounts with valid search parameters (where grammar, paging, order, select, filters) answers 200 and conforms',
      arb: validListArb,
      async run(t, input) {
        const reply = await t.call('listAccounts', {
          query: input.query,
          queryStyle: input.style,
          ...(input.noTotal ? { headers: { 'X-No-Total': 'true' } } : {}),
          expect: 200,
          label: `valid search (${input.style})`,
        });
        checkListInvariants(t, reply, input);
      },
    } satisfies Property<ListQuery> as Property<unknown>,
    {
      name: 'list-invalid',
      title: 'listAccounts with malformed where, paging, order or searchParams answers the documented 4xx, never 5xx',
      arb: listDefectArb,
      async run(t, defect) {
        const request = defectRequest(defect);
        await t.call('listAccounts', { rawQuery: request.rawQuery, expect: request.status, deviations: request.deviations, soft: true, label: defect.kind });
      },
    } satisfies Property<ListDefect> as Property<unknown>,
    {
      name: 'get-unknown-id',
      title: 'getAccount with IDs that do not exist answers 404',
      arb: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_=\-.]{1,36}$/), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((s) => !/[/\\%?#]/.test(s) && s.trim() === s && s !== '.' && s !== '..')),
      async run(t, id) {
        await t.call('getAccount', { params: { id: `zz${id}` }, expect: 404, soft: true, label: 'unknown id' });
      },
    } satisfies Property<string> as Property<unknown>,
  ];

  for (const property of properties) {
    let deviations = 0;
    let runs = 0;
    let example: Finding | undefined;
    const result = await g.check(property.name, property.title, async (t) => {
      // Set when the server blocked the address or the kit stopped for refused logins: from then on no case
      // sends anything and none counts as failed, so fast-check has nothing to shrink; the stop is rethrown.
      let stopped: RunStopped | undefined;
      const evaluate = async (value: unknown): Promise<CheckContext> => {
        if (g.run.signal?.aborted) throw g.run.signal.reason ?? new Error('aborted');
        const scratch = new CheckContext(g.run, t.id);
        try {
          await property.run(scratch, value);
        } catch (error) {
          if (error instanceof RunStopped) stopped = error;
          else if (!(error instanceof StopCheck) && !(error instanceof SkipCheck)) throw error;
        }
        t.requests += scratch.requests;
        return scratch;
      };
      const details = await fc.check(
        fc.asyncProperty(property.arb, async (value) => {
          if (stopped) return true;
          runs++;
          const scratch = await evaluate(value);
          if (stopped) return true;
          const deviated = scratch.findings.find((f) => f.severity === 'deviation');
          if (deviated) {
            deviations++;
            example ??= deviated;
          }
          return !scratch.findings.some((f) => f.severity === 'failure');
        }),
        { numRuns: options.runs, seed: options.seed, interruptAfterTimeLimit: options.timeLimitMs, markInterruptAsFailure: false },
      );
      if (g.run.signal?.aborted) throw g.run.signal.reason ?? new Error('aborted');
      if (stopped) throw stopped;
      if (example) t.findings.push({ ...example, message: `${example.message} (${deviations} of ${runs} fuzz runs; one example)` });
      if (!details.failed || !details.counterexample) {
        // A property that ran no case, or fewer than asked before its time limit, has not shown anything.
        if (runs === 0) {
          t.failure({ message: `fuzz ${property.name} ran no case${details.interrupted ? ` within its time limit of ${options.timeLimitMs / 1000} s` : ''}`, location: 'fuzz', expected: `${options.runs} cases`, actual: '0 cases' });
        } else if (details.interrupted || runs < options.runs) {
          t.skip(`ran only ${runs} of ${options.runs} cases: the time limit of ${options.timeLimitMs / 1000} s ran out (none of them failed)`);
        }
        return;
      }
      // Replay the shrunk case once more to collect exactly its findings.
      const shrunk = details.counterexample[0];
      const replay = await evaluate(shrunk);
      const failuresOfCase = replay.findings.filter((f) => f.severity === 'failure');
      const head = failuresOfCase[0];
      const note = `shrunk after ${details.numShrinks} steps; seed ${details.seed}${details.counterexamplePath ? `, path ${details.counterexamplePath}` : ''}`;
      if (failuresOfCase.length === 0) {
        const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance ?? 'the predicate failed');
        t.failure({ message: `fuzz ${property.name}: a case failed but passed on replay (${note}): ${error}`, location: 'fuzz', expected: 'a stable result', actual: show(shrunk) });
        summary.failures.push({ property: property.name, message: error, request: show(shrunk), curl: '', seed: details.seed, ...(details.counterexamplePath ? { path: details.counterexamplePath } : {}) });
        return;
      }
      for (const finding of failuresOfCase) t.findings.push({ ...finding, message: `fuzz counterexample (${note}): ${finding.message}` });
      const fuzzCase: FuzzCase = {
        property: property.name,
        message: head!.message,
        request: head!.request ?? show(shrunk),
        curl: head!.curl ?? '',
        seed: details.seed,
        ...(details.counterexamplePath ? { path: details.counterexamplePath } : {}),
      };
      summary.failures.push(fuzzCase);
    });
    if (result) summary.properties.push({ name: property.name, runs, outcome: result.outcome, deviations });
  }
  return summary;
}
