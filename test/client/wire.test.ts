import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accountWhere, type ListAccountsQuery } from '../../src/client/account.js';
import type { EspoAuth } from '../../src/client/auth.js';
import type { QueryStyle } from '../../src/client/query-serializer.js';
import { createEspoClient } from '../../src/client/espo-client.js';
import { CAPTURED, CAPTURE_KEYS, CAPTURE_RECORD_ID, CAPTURE_SEARCH, parseCapture, type CaptureName } from '../support/wire-captures.js';
import { startEchoServer, type EchoServer, type RecordedRequest } from './support/echo-server.js';

/**
 * The typed client against a loopback echo server: request line, credentials and body bytes are
 * compared with what the official clients put on the wire (wire-captures.md).
 */

const { apiKey, secretKey, username, password } = CAPTURE_KEYS;
const id = CAPTURE_RECORD_ID;
const AUTH_HEADERS = ['x-api-key', 'x-hmac-authorization', 'authorization', 'espo-authorization'];

let server: EchoServer;
beforeAll(async () => {
  server = await startEchoServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

function api(auth: EspoAuth, queryStyle: QueryStyle = 'php', base = server.origin) {
  return createEspoClient({ baseUrl: base, auth, queryStyle });
}

function only(): RecordedRequest {
  expect(server.requests).toHaveLength(1);
  const [request] = server.requests;
  if (!request) throw new Error('no request recorded');
  return request;
}

/** Asserts method, target, body and the captured credentials/content headers, byte for byte. */
function expectCaptured(name: CaptureName, request: RecordedRequest): void {
  const captured = parseCapture(CAPTURED[name]);
  expect(`${request.method} ${request.target}`).toBe(`${captured.method} ${captured.target}`);
  expect(request.body).toBe(captured.body);
  for (const header of [...AUTH_HEADERS, 'content-type', 'content-length']) {
    expect(request.headers[header], header).toBe(captured.headers.get(header));
  }
}

// The capture's search, written with the typed builder and the spec's types (select as an array).
const where = [
  accountWhere.equals('type', 'Customer'),
  accountWhere.or(accountWhere.contains('name', 'Acme & Co'), accountWhere.in('industry', ['Finance', 'Legal'])),
  accountWhere.equals('emailAddressIsOptedOut', false),
];
const listQuery: ListAccountsQuery = {
  maxSize: 5,
  offset: 0,
  orderBy: 'createdAt',
  order: 'desc',
  select: ['id', 'name', 'type'],
  where,
};

describe('bracket form (PHP client captures)', () => {
  it('API key: list + where', async () => {
    await api({ apiKey }).GET('/Account', { params: { query: listQuery } });
    expectCaptured('phpListWhere', only());
  });

  it('HMAC: list + where, signed without the query string', async () => {
    await api({ apiKey, secretKey }).GET('/Account', { params: { query: listQuery } });
    expectCaptured('phpHmacListWhere', only());
  });

  it('HMAC: the same signature when the base URL is the API root with a trailing slash', async () => {
    await api({ apiKey, secretKey }, 'php', `${server.origin}/api/v1/`).GET('/Account', { params: { query: listQuery } });
    expectCaptured('phpHmacListWhere', only());
  });

  it('Basic (Authorization header, as the PHP client sends it)', async () => {
    await api({ username, password, header: 'Authorization' }).GET('/Account', { params: { query: { maxSize: 1 } } });
    expectCaptured('phpBasic', only());
  });

  it('no parameters: no "?"', async () => {
    await api({ apiKey }).GET('/Account');
    expectCaptured('phpNoParams', only());
  });

  it('POST with X-Skip-Duplicate-Check', async () => {
    await api({ apiKey }).POST('/Account', {
      body: { name: 'Acme & Co', website: null },
      params: { header: { 'X-Skip-Duplicate-Check': 'true' } },
    });
    const request = only();
    expectCaptured('phpPost', request);
    expect(request.headers['x-skip-duplicate-check']).toBe(parseCapture(CAPTURED.phpPost).headers.get('x-skip-duplicate-check'));
  });

  it('PUT', async () => {
    await api({ apiKey }).PUT('/Account/{id}', { params: { path: { id } }, body: { name: 'Renamed' } });
    expectCaptured('phpPut', only());
  });

  it('HMAC: DELETE', async () => {
    await api({ apiKey, secretKey }).DELETE('/Account/{id}', { params: { path: { id } } });
    expectCaptured('phpHmacDelete', only());
  });
});

describe('searchParams form (JS client captures)', () => {
  it('API key: list + where, given as the same JSON', async () => {
    await api({ apiKey }, 'searchParams').GET('/Account', { params: { query: { searchParams: JSON.stringify(CAPTURE_SEARCH) } } });
    expectCaptured('jsListWhere', only());
  });

  it('HMAC: list + where, given as typed parameters (select stays the array EspoCRM requires in JSON)', async () => {
    await api({ apiKey, secretKey }, 'searchParams').GET('/Account', { params: { query: listQuery } });
    const request = only();
    const captured = parseCapture(CAPTURED.jsHmacListWhere);
    expect(request.headers['x-hmac-authorization']).toBe(captured.headers.get('x-hmac-authorization'));
    const sent = new URLSearchParams(request.target.split('?')[1]).get('searchParams');
    const capturedJson = new URLSearchParams(captured.target.split('?')[1]).get('searchParams');
    expect(JSON.parse(sent ?? 'null')).toEqual({ ...JSON.parse(capturedJson ?? 'null'), select: ['id', 'name', 'type'] });
  });

  it('no parameters: no "?"', async () => {
    await api({ apiKey }, 'searchParams').GET('/Account');
    expectCaptured('jsNoParams', only());
  });

  it('POST, PUT and HMAC DELETE are the same bytes as the JS client sends', async () => {
    const client = api({ apiKey }, 'searchParams');
    await client.POST('/Account', { body: { name: 'Acme & Co', website: null } });
    expectCaptured('jsPost', only());
    server.requests.length = 0;
    await client.PUT('/Account/{id}', { params: { path: { id } }, body: { name: 'Renamed' } });
    expectCaptured('jsPut', only());
    server.requests.length = 0;
    await api({ apiKey, secretKey }, 'searchParams').DELETE('/Account/{id}', { params: { path: { id } } });
    expectCaptured('jsHmacDelete', only());
  });
});

describe('requests the captures do not cover', () => {
  it('Espo-Authorization for a user with a password', async () => {
    await api({ username, password }).GET('/Account/{id}', { params: { path: { id } } });
    const request = only();
    expect(request.headers['espo-authorization']).toBe('YWRtaW46cEBzczp3b3Jk');
    expect(request.headers['authorization']).toBeUndefined();
  });

  it('unrelate sends its IDs as a JSON body on DELETE, signed on the link path', async () => {
    await api({ apiKey, secretKey }).DELETE('/Account/{id}/contacts', { params: { path: { id } }, body: { ids: ['c1', 'c2'] } });
    const request = only();
    expect(`${request.method} ${request.target}`).toBe(`DELETE /api/v1/Account/${id}/contacts`);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body).toBe('{"ids":["c1","c2"]}');
    // Independently computed: HMAC-SHA256('test-secret', 'DELETE /Account/6a1b2c3d4e5f60718/contacts').
    const { createHmac } = await import('node:crypto');
    const digest = createHmac('sha256', secretKey).update(`DELETE /Account/${id}/contacts`).digest('hex');
    expect(request.headers['x-hmac-authorization']).toBe(Buffer.from(`${apiKey}:${digest}`).toString('base64'));
  });

  it('X-No-Total and X-Version-Number are sent as given', async () => {
    const client = api({ apiKey });
    await client.GET('/Account', { params: { header: { 'X-No-Total': 'true' }, query: { q: 'Acme Co' } } });
    await client.PATCH('/Account/{id}', { params: { path: { id }, header: { 'X-Version-Number': '3' } }, body: { type: 'Partner' } });
    const [list, patch] = server.requests;
    expect(list?.target).toBe('/api/v1/Account?q=Acme+Co');
    expect(list?.headers['x-no-total']).toBe('true');
    expect(patch?.headers['x-version-number']).toBe('3');
    expect(patch?.body).toBe('{"type":"Partner"}');
  });

  it('stream: skipOwn as the literal EspoCRM compares with', async () => {
    await api({ apiKey }, 'searchParams').GET('/Account/{id}/stream', { params: { path: { id }, query: { maxSize: 10, skipOwn: 'true' } } });
    expect(only().target).toBe(`/api/v1/Account/${id}/stream?searchParams=%7B%22maxSize%22%3A10%7D&skipOwn=true`);
  });
});
