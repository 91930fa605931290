/** errors: every documented error the kit can provoke, with its status, reason header and body. */
import type { CheckContext, Reply } from '../context.js';
import { isObject } from '../context.js';
import type { DeviationRuleId } from '../deviations.js';
import { defineGroup, ids, listBody, missingId, objectBody, show, type Check, type Json } from './group.js';

/** A 400 validation failure: the body is optional, but when present it names the field and the check. */
function expectValidation(t: CheckContext, reply: Reply, field: string, types: readonly string[]): void {
  if (reply.status !== 400 || reply.response.text === '') return;
  const translation = isObject(reply.json) ? reply.json['messageTranslation'] : undefined;
  const data = isObject(translation) ? translation['data'] : undefined;
  const actualField = isObject(data) ? data['field'] : undefined;
  const actualType = isObject(data) ? data['type'] : undefined;
  t.expect(actualField === field && types.includes(String(actualType)), reply, {
    message: `${reply.operationId}: the validation failure does not name field '${field}' and check ${types.join('/')}`,
    pointer: '/messageTranslation/data',
    expected: `{field: "${field}", type: ${types.map((x) => `"${x}"`).join(' or ')}}`,
    actual: show(data),
  });
}

/** Records an account that a request which should have failed created anyway, so cleanup removes it. */
function trackUnexpected(t: CheckContext, reply: Reply): void {
  t.fixtures.trackReply('Account', reply);
}

interface BadQuery {
  id: string;
  title: string;
  query?: Record<string, unknown>;
  rawQuery?: string;
  expect: number;
  deviations?: DeviationRuleId[];
  headers?: Record<string, string>;
}

interface Validation {
  id: string;
  title: string;
  body: (marker: string) => Json;
  headers?: Record<string, string>;
  field: string;
  types: string[];
  deviations?: DeviationRuleId[];
}

/** Create bodies that break one rule of the contract each. */
const VALIDATIONS: readonly Validation[] = [
  { id: 'required', title: 'a missing name', body: () => ({}), field: 'name', types: ['required'] },
  { id: 'blank', title: 'a name of spaces only (trimmed to empty)', body: () => ({ name: '   ' }), field: 'name', types: ['required'] },
  { id: 'max-length', title: 'a name of 250 characters', body: (marker) => ({ name: `${marker} ${'x'.repeat(250)}` }), field: 'name', types: ['maxLength'] },
  { id: 'pattern', title: "a name with '<'", body: (marker) => ({ name: `${marker} <b>` }), field: 'name', types: ['pattern'] },
  { id: 'url', title: 'a website without a dot', body: (marker) => ({ name: `${marker} bad url`, website: 'not-a-url' }), field: 'website', types: ['valid'] },
  { id: 'enum', title: 'an unknown type', body: (marker) => ({ name: `${marker} bad enum`, type: 'ConformanceBogus' }), field: 'type', types: ['valid'] },
  { id: 'email', title: 'an invalid email address', body: (marker) => ({ name: `${marker} bad email`, emailAddress: 'not-an-email' }), field: 'emailAddress', types: ['emailAddress', 'valid'] },
  { id: 'phone', title: 'an invalid phone number', body: (marker) => ({ name: `${marker} bad phone`, phoneNumber: '<>' }), field: 'phoneNumber', types: ['valid', 'pattern'] },
  {
    id: 'wrong-type',
    title: 'a number where the name string belongs',
    // A number cannot carry the run marker: EspoCRM coerces it to "12345" and stores it, so the duplicate
    // check is skipped (a leftover of an earlier run would otherwise answer 409).
    body: () => ({ name: 12345 }),
    headers: { 'X-Skip-Duplicate-Check': 'true' },
    field: 'name',
    types: ['valid'],
    deviations: ['wrong-json-type-coerced'],
  },
  {
    id: 'phone-object',
    title: 'a phoneNumber that is an object',
    body: (marker) => ({ name: `${marker} phone object`, phoneNumber: { number: '+44 20 7946 0958' } }),
    field: 'phoneNumber',
    types: ['valid'],
    deviations: ['phone-number-not-string-500'],
  },
  {
    id: 'too-many-emails',
    title: 'eleven email addresses (at most ten)',
    body: (marker) => ({ name: `${marker} many emails`, emailAddressData: Array.from({ length: 11 }, (_, i) => ({ emailAddress: `m${i}.${marker}@conformance.example`, primary: i === 0 })) }),
    field: 'emailAddress',
    types: ['maxCount'],
  },
];

function validationCheck(v: Validation): Check {
  return {
    id: `validation-${v.id}`,
    title: `createAccount with ${v.title} answers 400 validation failure`,
    run: async (t) => {
      const reply = await t.call('createAccount', { json: v.body(t.run.marker), ...(v.headers ? { headers: v.headers } : {}), expect: 400, ...(v.deviations ? { deviations: v.deviations } : {}), soft: true, label: v.title });
      trackUnexpected(t, reply);
      expectValidation(t, reply, v.field, v.types);
    },
  };
}

const where = (item: Record<string, unknown>) => ({ maxSize: 1, where: [item] });

/** List requests with a query the contract rejects. */
const BAD_QUERIES: readonly BadQuery[] = [
  { id: 'where-unknown-type', title: 'an unknown where type', query: where({ type: 'conformanceBogusType', attribute: 'name', value: 'x' }), expect: 400 },
  { id: 'where-no-type', title: 'a where item without type', rawQuery: 'maxSize=1&where%5B0%5D%5Battribute%5D=name&where%5B0%5D%5Bvalue%5D=x', expect: 400, deviations: ['malformed-where-500'] },
  { id: 'where-no-attribute', title: 'an equals item without attribute', query: where({ type: 'equals', value: 'x' }), expect: 400, deviations: ['malformed-where-500'] },
  { id: 'where-unknown-key', title: 'a where item with an unknown key', rawQuery: 'maxSize=1&where%5B0%5D%5Btype%5D=isNull&where%5B0%5D%5Battribute%5D=name&where%5B0%5D%5Bfoo%5D=1', expect: 400, deviations: ['malformed-where-500'] },
  { id: 'where-unknown-attribute', title: 'an attribute that does not exist', query: where({ type: 'equals', attribute: 'conformanceBogus', value: 'x' }), expect: 400 },
  { id: 'where-complex-attribute', title: 'an attribute of a linked record (campaign.name)', query: where({ type: 'equals', attribute: 'campaign.name', value: 'x' }), expect: 400 },
  { id: 'where-sub-query', title: 'a sub-query item (not)', query: where({ type: 'not', value: [{ type: 'isNull', attribute: 'name' }] }), expect: 400 },
  { id: 'where-in-scalar', title: 'an in item with a single value instead of a list', query: where({ type: 'in', attribute: 'type', value: 'Customer' }), expect: 400 },
  { id: 'where-array-type', title: 'an array condition (arrayAnyOf) on Account, which has no array field', query: where({ type: 'arrayAnyOf', attribute: 'name', value: ['x'] }), expect: 400, deviations: ['array-where-on-non-array-field'] },
  { id: 'where-bad-time-zone', title: 'an unknown time zone', query: where({ type: 'today', attribute: 'createdAt', dateTime: true, timeZone: 'Conformance/Nowhere' }), expect: 400 },
  { id: 'max-size-negative', title: 'maxSize=-1', rawQuery: 'maxSize=-1', expect: 400, deviations: ['negative-paging-500'] },
  { id: 'offset-negative', title: 'offset=-1', rawQuery: 'maxSize=1&offset=-1', expect: 400, deviations: ['negative-paging-500'] },
  { id: 'max-size-not-integer', title: 'maxSize=abc', rawQuery: 'maxSize=abc', expect: 400, deviations: ['max-size-not-integer-ignored'] },
  { id: 'order-unknown', title: 'order=sideways', rawQuery: 'maxSize=1&order=sideways', expect: 400 },
  { id: 'order-upper-case', title: 'order=ASC', rawQuery: 'maxSize=1&order=ASC', expect: 400, deviations: ['order-upper-case-accepted'] },
  { id: 'order-by-unknown', title: 'orderBy of a field that does not exist', rawQuery: 'maxSize=1&orderBy=conformanceBogus', expect: 400 },
  { id: 'order-by-complex', title: 'orderBy with a dot', rawQuery: 'maxSize=1&orderBy=campaign.name', expect: 400 },
  { id: 'primary-filter-unknown', title: 'an unknown primaryFilter', rawQuery: 'maxSize=1&primaryFilter=conformanceBogus', expect: 400 },
  { id: 'bool-filter-unknown', title: 'an unknown boolFilterList entry', rawQuery: 'maxSize=1&boolFilterList%5B0%5D=conformanceBogus', expect: 400 },
  { id: 'search-params-invalid-json', title: 'searchParams that is not JSON', rawQuery: `searchParams=${encodeURIComponent('{"maxSize":')}`, expect: 400 },
  { id: 'search-params-scalar', title: 'searchParams that is a JSON number', rawQuery: 'searchParams=5', expect: 400, deviations: ['search-params-scalar-500'] },
  { id: 'search-params-array', title: 'searchParams that is a JSON array', rawQuery: `searchParams=${encodeURIComponent('[1,2]')}`, expect: 400, deviations: ['search-params-array-ignored'] },
  { id: 'search-params-max-size-string', title: 'searchParams with maxSize as a string', rawQuery: `searchParams=${encodeURIComponent('{"maxSize":"5"}')}`, expect: 400 },
];

function badQueryCheck(bad: BadQuery): Check {
  return {
    id: `list-${bad.id}`,
    title: `listAccounts with ${bad.title} answers ${bad.expect}`,
    run: async (t) => {
      await t.call('listAccounts', {
        ...(bad.query ? { query: bad.query } : {}),
        ...(bad.rawQuery !== undefined ? { rawQuery: bad.rawQuery } : {}),
        ...(bad.headers ? { headers: bad.headers } : {}),
        expect: bad.expect,
        ...(bad.deviations ? { deviations: bad.deviations } : {}),
        soft: true,
        label: bad.title,
      });
    },
  };
}

async function validationUpdate(t: CheckContext): Promise<void> {
  const account = await t.fixtures.createAccount(t, 'errors update', { website: 'keep.conformance.example' });
  const id = String(account['id']);
  const reply = await t.call('patchAccount', { params: { id }, json: { name: '', website: 'changed.conformance.example' }, expect: 400, soft: true, label: 'empty name' });
  expectValidation(t, reply, 'name', ['required']);
  const read = objectBody(t, await t.call('getAccount', { params: { id }, expect: 200 }));
  t.expect(read['website'] === 'keep.conformance.example' && read['name'] === account['name'], undefined, {
    message: 'a rejected update still changed the record',
    pointer: '/website',
    expected: `name ${show(account['name'])}, website "keep.conformance.example"`,
    actual: `name ${show(read['name'])}, website ${show(read['website'])}`,
  });
}

async function cannotRelateNonExisting(t: CheckContext): Promise<void> {
  for (const body of [{ assignedUserId: 'conformancenouser' }, { teamsIds: ['conformancenoteam'] }]) {
    const reply = await t.call('createAccount', { json: { name: t.name(`errors ${Object.keys(body)[0]}`), ...body }, expect: 403, soft: true, label: Object.keys(body)[0] });
    trackUnexpected(t, reply);
    if (reply.status === 403 && reply.response.text !== '') {
      const translation = isObject(reply.json) ? reply.json['messageTranslation'] : undefined;
      t.expect(isObject(translation) && translation['label'] === 'cannotRelateNonExisting', reply, {
        message: 'createAccount 403 body does not say cannotRelateNonExisting',
        pointer: '/messageTranslation/label',
        expected: '"cannotRelateNonExisting"',
        actual: show(isObject(translation) ? translation['label'] : translation),
      });
    }
  }
}

async function maxSizeAboveLimit(t: CheckContext): Promise<void> {
  await t.call('listAccounts', { query: { maxSize: 201 }, expect: 403, soft: true, label: 'maxSize=201' });
  await t.call('listAccounts', { query: { maxSize: 201 }, queryStyle: 'searchParams', expect: 403, soft: true, label: 'searchParams maxSize 201' });
}

async function notFound(t: CheckContext): Promise<void> {
  const id = missingId(t);
  await t.call('getAccount', { params: { id }, expect: 404, soft: true });
  await t.call('updateAccount', { params: { id }, json: { sicCode: '1' }, expect: 404, soft: true });
  await t.call('patchAccount', { params: { id }, json: { sicCode: '1' }, expect: 404, soft: true });
  await t.call('deleteAccount', { params: { id }, expect: 404, soft: true });
}

async function duplicateName(t: CheckContext): Promise<void> {
  const existing = await t.fixtures.createAccount(t, 'errors duplicate', {});
  const reply = await t.call('createAccount', { json: { name: existing['name'] }, expect: 409 });
  t.expect(reply.reason === 'duplicate', reply, { message: 'the 409 X-Status-Reason is not "duplicate"', expected: '"duplicate"', actual: show(reply.reason) });
  t.expect(Array.isArray(reply.json) && (reply.json as Json[]).some((r) => isObject(r) && r['id'] === existing['id']), reply, {
    message: 'the 409 duplicate body does not list the existing account',
    pointer: '',
    expected: `an array containing {id: "${String(existing['id'])}", …}`,
    actual: reply.response.text.slice(0, 200),
  });
  const skipped = await t.call('createAccount', { json: { name: existing['name'] }, headers: { 'X-Skip-Duplicate-Check': 'true' }, expect: 200, label: 'X-Skip-Duplicate-Check: true' });
  t.fixtures.trackReply('Account', skipped);
}

async function duplicateEmail(t: CheckContext): Promise<void> {
  const email = `dup.${t.run.marker}@conformance.example`;
  await t.fixtures.createAccount(t, 'errors duplicate email A', { emailAddress: email });
  const reply = await t.call('createAccount', { json: { name: t.name('errors duplicate email B'), emailAddress: email }, expect: 409, soft: true });
  trackUnexpected(t, reply);
}

async function modified(t: CheckContext): Promise<void> {
  const account = await t.fixtures.createAccount(t, 'errors modified', { sicCode: 'v1' });
  const id = String(account['id']);
  const stale = Number(account['versionNumber']);
  const first = objectBody(t, await t.call('patchAccount', { params: { id }, json: { sicCode: 'v2' }, headers: { 'X-Version-Number': String(stale) }, expect: 200 }));
  const reply = await t.call('patchAccount', { params: { id }, json: { sicCode: 'v3' }, headers: { 'X-Version-Number': String(stale) }, expect: 409, label: 'stale version' });
  t.expect(reply.reason === 'modified', reply, { message: 'the 409 X-Status-Reason is not "modified"', expected: '"modified"', actual: show(reply.reason) });
  if (reply.response.text !== '') {
    const body = objectBody(t, reply);
    t.expect(body['versionNumber'] === first['versionNumber'], reply, {
      message: 'the 409 modified body does not carry the current versionNumber',
      pointer: '/versionNumber',
      expected: show(first['versionNumber']),
      actual: show(body['versionNumber']),
    });
    t.expect(isObject(body['values']) && body['values']['sicCode'] === 'v2', reply, {
      message: 'the 409 modified body does not carry the current value of the conflicting attribute',
      pointer: '/values/sicCode',
      expected: '"v2"',
      actual: show(isObject(body['values']) ? body['values']['sicCode'] : body['values']),
    });
  }
  const read = objectBody(t, await t.call('getAccount', { params: { id }, expect: 200 }));
  t.expect(read['sicCode'] === 'v2', undefined, { message: 'a 409 modified update still changed the record', pointer: '/sicCode', expected: '"v2"', actual: show(read['sicCode']) });
  // Same value as stored: nothing would be overwritten, so no conflict.
  await t.call('patchAccount', { params: { id }, json: { sicCode: 'v2' }, headers: { 'X-Version-Number': String(stale) }, expect: 200, soft: true, label: 'stale version, unchanged value' });
}

async function malformedJson(t: CheckContext): Promise<void> {
  const reply = await t.call('createAccount', { rawBody: `{"name": "${t.run.marker} malformed",`, expect: 400, deviations: ['malformed-json-500'], soft: true });
  trackUnexpected(t, reply);
}

async function bodyNotObject(t: CheckContext): Promise<void> {
  const created = await t.call('createAccount', { json: [{ name: t.name('errors array') }], expect: 400, soft: true, label: 'array body' });
  trackUnexpected(t, created);
  const account = await t.fixtures.createAccount(t, 'errors array target', {});
  await t.call('updateAccount', { params: { id: String(account['id']) }, json: [{ sicCode: '1' }], expect: 400, deviations: ['array-body-wrapped'], soft: true, label: 'array body' });
}

async function nonJsonContentType(t: CheckContext): Promise<void> {
  const account = await t.fixtures.createAccount(t, 'errors content type', {});
  await t.call('patchAccount', {
    params: { id: String(account['id']) },
    rawBody: JSON.stringify({ sicCode: 'text' }),
    contentType: 'text/plain',
    expect: 400,
    deviations: ['non-json-body-ignored'],
    soft: true,
    label: 'Content-Type: text/plain',
  });
}

async function listWhereIgnoredForm(t: CheckContext): Promise<void> {
  // EspoCRM ignores a `where` that does not parse to an array; the contract's validator may reject it. When
  // it is ignored, the answer must be the unfiltered list: the same total, and a record just created in it.
  const account = await t.fixtures.createAccount(t, 'errors where ignored', {});
  const id = String(account['id']);
  const query = 'select=id&orderBy=createdAt&order=desc&maxSize=200';
  const baseline = listBody(t, await t.call('listAccounts', { rawQuery: query, expect: 200, label: 'without where' }));
  const reply = await t.call('listAccounts', { rawQuery: `${query}&where=conformance`, expect: [200, 400], soft: true, label: 'where=conformance' });
  if (reply.status !== 200) return;
  const { total, list } = listBody(t, reply);
  t.expect(ids(list).includes(id), reply, { message: 'a where that is not a list hid a record (the newest account is missing)', expected: `a list containing ${id}`, actual: show(ids(list).slice(0, 5)) });
  t.expect(total === baseline.total, reply, { message: 'a where that is not a list changed the total (records are hidden)', pointer: '/total', expected: String(baseline.total), actual: String(total) });
}

export const errorsChecks: readonly Check[] = [
  ...VALIDATIONS.map(validationCheck),
  { id: 'validation-update', title: 'an invalid update answers 400 and changes nothing', run: validationUpdate },
  { id: 'cannot-relate-non-existing', title: 'an assignedUserId or teamsIds that does not exist answers 403 cannotRelateNonExisting', run: cannotRelateNonExisting },
  { id: 'max-size-above-limit', title: 'maxSize above 200 answers 403 (not 400)', run: maxSizeAboveLimit },
  { id: 'not-found', title: 'reading, updating and deleting an account that does not exist answers 404', run: notFound },
  { id: 'duplicate-name', title: 'creating an account with the name of an existing one answers 409 duplicate with the duplicates', run: duplicateName },
  { id: 'duplicate-email', title: 'creating an account with the email address of an existing one answers 409 duplicate', run: duplicateEmail },
  { id: 'modified', title: 'an update with a stale X-Version-Number that would overwrite a change answers 409 modified', run: modified },
  { id: 'malformed-json', title: 'a malformed JSON body answers 400', run: malformedJson },
  { id: 'body-not-object', title: 'a JSON array as a create or update body answers 400', run: bodyNotObject },
  { id: 'non-json-content-type', title: 'a body with a content type other than application/json answers 400', run: nonJsonContentType },
  ...BAD_QUERIES.map(badQueryCheck),
  { id: 'list-where-ignored-form', title: 'a where that is not a list is rejected (400) or ignored: it hides no record', run: listWhereIgnoredForm },
];

export const errorsGroup = defineGroup({
  name: 'errors',
  title: 'Documented errors',
  checks: errorsChecks,
});
