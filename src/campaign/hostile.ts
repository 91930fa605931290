/**
 * Hostile input: requests an attacker or a broken client sends. None may get a 5xx. A fixed list of known troublemakers (NUL characters, LIKE escapes, broken
 * compression, odd paths and credentials) and then random where items, text filters and bodies built from
 * an alphabet of characters that storage engines treat specially.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { send, type CampaignRequest, type Tally } from './http.js';
import type { Target } from './concurrency.js';

export interface HostileResult {
  readonly sent: number;
  /** Requests answered 5xx. */
  readonly failures: { request: string; status: number; reason: string | null }[];
}

const NASTY = ['\u0000', '\\', '%', '_', '*', "'", '"', 'İ', 'ß', 'é', '\u{1F600}', '\uD800', ' ', '\n', '[', ']', '{', '}', '&', '=', '+', '#', '?', '/', ';', 'a', 'Z', '0'];
const TEXT_TYPES = ['equals', 'notEquals', 'like', 'notLike', 'startsWith', 'endsWith', 'contains', 'notContains', 'in', 'notIn', 'greaterThan', 'lessThan', 'between', 'isNull', 'on', 'after', 'lastXDays'];
const ATTRIBUTES = ['name', 'emailAddress', 'phoneNumber', 'website', 'description', 'type', 'createdAt', 'billingAddressCity', 'assignedUserId', 'teams', 'versionNumber', 'unknownAttribute'];

/** Percent-encodes; a lone surrogate goes out as the bytes of its invalid UTF-8 form. */
const q = (value: string) => [...value].map((char) => (/^[\uD800-\uDFFF]$/.test(char) ? '%ED%A0%80' : encodeURIComponent(char))).join('');
const where = (type: string, attribute: string, value: string) => `where[0][type]=${q(type)}&where[0][attribute]=${q(attribute)}&where[0][value]=${q(value)}`;
const encoded = (text: string) => new TextEncoder().encode(text);
const basic = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** The fixed list; `accountId` is an existing record (PATCHes and link paths need one). */
export function knownHostileRequests(accountId: string): CampaignRequest[] {
  const requests: CampaignRequest[] = [];
  for (const value of ['a\u0000b', '\u0000', 'abc\\', '\\', '\\\\', '\\%', '%\\', '50%', 'a_b', '_', '%%', '*', '*\\']) {
    for (const type of ['equals', 'like', 'notLike', 'startsWith', 'endsWith', 'contains', 'notContains']) {
      requests.push({ method: 'GET', path: `/Account?${where(type, 'name', value)}` });
      requests.push({ method: 'GET', path: `/Account?${where(type, 'emailAddress', value)}` });
    }
    requests.push({ method: 'GET', path: `/Account?textFilter=${q(value)}` });
    requests.push({ method: 'GET', path: `/Account?q=${q(value)}` });
    requests.push({ method: 'GET', path: `/Account?searchParams=${q(JSON.stringify({ where: [{ type: 'like', attribute: 'name', value }], textFilter: value }))}` });
    requests.push({ method: 'GET', path: `/Account?orderBy=${q(value)}` });
    requests.push({ method: 'GET', path: `/Account?select=${q(`name,${value}`)}` });
    requests.push({ method: 'GET', path: `/Account/${accountId}/contacts?${where('contains', 'name', value)}` });
  }
  for (const body of [{ name: 'a\u0000b' }, { name: 'ok', description: '\u0000' }, { 'na\u0000me': 'x', name: 'ok' }, { name: 'ok', emailAddress: 'a\u0000@b.example' }, { name: 'ok', phoneNumberData: [{ phoneNumber: '+1\u0000', primary: true }] }]) {
    requests.push({ method: 'POST', path: '/Account', body });
    requests.push({ method: 'PATCH', path: `/Account/${accountId}`, body });
    requests.push({ method: 'POST', path: `/Account/${accountId}/contacts`, body: { id: `x${String(body.name ?? '')}` } });
  }
  for (const path of ['/Account/a%00b', '/Account/%00/contacts', `/Account/${accountId}%00`, '/account', `/Account/${accountId}/Contacts`, `/ACCOUNT/${accountId}`, '/Account/%ff', '/Account/..%2f..%2fetc', `/Account/${'x'.repeat(5000)}`]) {
    requests.push({ method: 'GET', path });
    requests.push({ method: 'DELETE', path });
  }
  const json = encoded(JSON.stringify({ name: 'compressed' }));
  for (const [encoding, raw] of [
    ['gzip', encoded('not gzip at all')],
    ['br', encoded('garbage')],
    ['deflate', encoded('xx')],
    ['compress', json],
    ['gzip, br', json],
    ['gzip', gzipSync(Buffer.from('{"name": "trunc')).subarray(0, 12)],
    ['gzip', gzipSync(Buffer.from('{"name":"a\\u0000"}'))],
  ] as const) {
    requests.push({ method: 'POST', path: '/Account', headers: { 'Content-Type': 'application/json', 'Content-Encoding': encoding }, raw });
  }
  const credentialHeaders: Record<string, string>[] = [
    { 'Espo-Authorization': basic('ad\u0000min:x') },
    { 'Espo-Authorization': basic('\u0000:\u0000') },
    { Authorization: `Basic ${basic('admin\u0000:x')}` },
    { 'X-Hmac-Authorization': basic('key\u0000:abc') },
    { 'Espo-Authorization': basic('İ:x') },
    { 'Espo-Authorization': '%%%' },
  ];
  for (const credentials of credentialHeaders) {
    requests.push({ method: 'GET', path: '/Account', headers: { ...credentials, 'X-Api-Key': '' } });
  }
  requests.push({ method: 'PATCH', path: `/Account/${accountId}`, headers: { 'X-Version-Number': '99999999999999999999999' }, body: { name: 'version' } });
  requests.push({ method: 'PATCH', path: `/Account/${accountId}`, headers: { 'X-Version-Number': 'abc' }, body: { name: 'version' } });
  requests.push({ method: 'GET', path: `/Account?maxSize=${'9'.repeat(40)}&offset=-0` });
  requests.push({ method: 'GET', path: `/Account?${Array.from({ length: 70 }, () => 'where[0][value]').join('')}` });
  requests.push({ method: 'GET', path: `/Account?where=${q('x'.repeat(100_000))}` });
  return requests;
}

const nasty = fc.array(fc.constantFrom(...NASTY), { maxLength: 8 }).map((chars) => chars.join(''));

/** Random requests from the nasty alphabet (seeded: a run can be replayed). */
export function randomHostileRequests(count: number, seed: number): CampaignRequest[] {
  const request: fc.Arbitrary<CampaignRequest> = fc.oneof(
    fc.tuple(fc.constantFrom(...TEXT_TYPES), fc.constantFrom(...ATTRIBUTES), nasty).map(([type, attribute, value]) => ({ method: 'GET', path: `/Account?${where(type, attribute, value)}` })),
    fc.tuple(fc.constantFrom('textFilter', 'q', 'orderBy', 'primaryFilter', 'boolFilterList[]', 'select', 'maxSize', 'offset'), nasty).map(([name, value]) => ({ method: 'GET', path: `/Account?${name}=${q(value)}` })),
    fc.tuple(nasty, nasty).map(([type, value]) => ({ method: 'GET', path: `/Account?searchParams=${q(JSON.stringify({ where: [{ type, attribute: 'name', value }] }))}` })),
    fc.tuple(fc.constantFrom('name', 'website', 'description', 'emailAddress', 'sicCode', 'billingAddressStreet'), nasty).map(([field, value]) => ({ method: 'POST', path: '/Account', body: { name: `hostile ${value}`, [field]: value } })),
    nasty.map((value) => ({ method: 'GET', path: `/Account/${q(value) || 'x'}` })),
  );
  return fc.sample(request, { numRuns: count, seed });
}

/** Sends the requests a few at a time; returns the ones answered 5xx. */
export async function runHostile(target: Target, requests: readonly CampaignRequest[], tally?: Tally, parallel = 4): Promise<HostileResult> {
  const failures: HostileResult['failures'] = [];
  let next = 0;
  const worker = async (lane: number) => {
    while (next < requests.length) {
      const request = requests[next++]!;
      const ownCredentials = request.headers?.['X-Api-Key'] === '';
      const reply = await send(target.baseUrls[lane % target.baseUrls.length]!, ownCredentials ? null : target.apiKey, stripEmptyKey(request), tally);
      if (reply.status >= 500) {
        failures.push({ request: `${request.method} ${request.path.slice(0, 200)}`, status: reply.status, reason: reply.reason });
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, (_, lane) => worker(lane)));
  return { sent: requests.length, failures };
}

/** `'X-Api-Key': ''` in a request means "send no API key" (the request brings its own credentials). */
function stripEmptyKey(request: CampaignRequest): CampaignRequest {
  if (!request.headers || request.headers['X-Api-Key'] !== '') return request;
  const { 'X-Api-Key': _omitted, ...headers } = request.headers;
  return { ...request, headers };
}
