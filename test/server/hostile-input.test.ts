import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send, type CampaignRequest } from '../../src/campaign/http.js';
import { insertUser } from '../../src/server/acl/user-rows.js';
import { hashPassword } from '../../src/server/acl/passwords.js';
import { describeEngines } from '../support/database.js';
import { startServer, type TestServer } from '../support/server.js';

/**
 * Input no storage engine accepts is refused before SQL with a 4xx and a reason, and the engines agree on
 * what LIKE patterns and user names match (issue 14 items 2 and 5).
 */
const q = encodeURIComponent;
const where = (type: string, attribute: string, value: string) => `where[0][type]=${q(type)}&where[0][attribute]=${q(attribute)}&where[0][value]=${q(value)}`;
const basic = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describeEngines('hostile input', (engine) => {
  let server: TestServer;
  let accountId: string;
  const call = (request: CampaignRequest) => send(server.baseUrl, server.apiKey, request);

  beforeAll(async () => {
    server = await startServer({ engine });
    accountId = String(((await call({ method: 'POST', path: '/Account', body: { name: 'Target' } })).body as { id: string }).id);
  });
  afterAll(() => server.close());

  it.each([
    ['a where value', () => `/Account?${where('equals', 'name', 'a\u0000b')}`, 'query string'],
    ['a like value on an address', () => `/Account?${where('like', 'emailAddress', '\u0000%')}`, 'query string'],
    ['textFilter', () => `/Account?textFilter=${q('x\u0000')}`, 'query string'],
    ['q', () => `/Account?q=${q('\u0000')}`, 'query string'],
    ['a string inside searchParams JSON', () => `/Account?searchParams=${q(JSON.stringify({ where: [{ type: 'contains', attribute: 'name', value: 'a\u0000' }] }))}`, 'query string'],
    ['orderBy', () => `/Account?orderBy=${q('name\u0000')}`, 'query string'],
    ['a path id', () => '/Account/a%00b', 'path'],
    ['a link path', () => `/Account/${accountId}%00/contacts`, 'path'],
  ])('NUL in %s: 400 with the place as reason', async (_what, path, place) => {
    const reply = await call({ method: 'GET', path: path() });
    expect(reply.status).toBe(400);
    expect(reply.reason).toBe(`NUL character in the ${place}.`);
  });

  it.each([
    ['a string value', { name: 'a\u0000b' }],
    ['a key', { name: 'ok', 'x\u0000': 1 }],
    ['a nested address', { name: 'ok', emailAddressData: [{ emailAddress: 'a\u0000@b.example', primary: true }] }],
  ])('NUL in %s of a JSON body: 400 on create and update, nothing written', async (_what, body) => {
    for (const request of [
      { method: 'POST', path: '/Account', body },
      { method: 'PATCH', path: `/Account/${accountId}`, body },
    ]) {
      const reply = await call(request);
      expect(reply.status).toBe(400);
      expect(reply.reason).toBe('NUL character in the request body.');
    }
    const read = (await call({ method: 'GET', path: `/Account/${accountId}` })).body as { name: string; versionNumber: number };
    expect(read).toMatchObject({ name: 'Target', versionNumber: 1 });
  });

  it('credentials with NUL are unknown credentials: 401, not a database error', async () => {
    const attempts: Record<string, string>[] = [{ 'Espo-Authorization': basic('ad\u0000min:x') }, { Authorization: `Basic ${basic('admin\u0000:x')}` }, { 'X-Hmac-Authorization': basic('k\u0000:sig') }];
    for (const headers of attempts) {
      expect((await send(server.baseUrl, null, { method: 'GET', path: '/Account', headers })).status).toBe(401);
    }
  });

  it.each([
    ['gzip that is not gzip', 'gzip', new TextEncoder().encode('plain text'), "Request body could not be decoded (Content-Encoding 'gzip')."],
    ['brotli garbage', 'br', new TextEncoder().encode('garbage'), "Request body could not be decoded (Content-Encoding 'br')."],
    ['truncated gzip', 'gzip', gzipSync(Buffer.from('{"name":"Truncated"}')).subarray(0, 10), "Request body could not be decoded (Content-Encoding 'gzip')."],
    ['an unknown encoding', 'compress', new TextEncoder().encode('{"name":"x"}'), "Unsupported Content-Encoding 'compress': use gzip, deflate, br or none."],
    ['a list of encodings', 'gzip, br', new TextEncoder().encode('{"name":"x"}'), "Unsupported Content-Encoding 'gzip, br': use gzip, deflate, br or none."],
  ])('%s: 400 with the reason', async (_what, encoding, raw, reason) => {
    const reply = await call({ method: 'POST', path: '/Account', headers: { 'Content-Type': 'application/json', 'Content-Encoding': encoding }, raw });
    expect(reply.status).toBe(400);
    expect(reply.reason).toBe(reason);
  });

  it('a gzip body that decodes is accepted', async () => {
    const raw = gzipSync(Buffer.from(JSON.stringify({ name: 'Compressed Corp' })));
    const reply = await call({ method: 'POST', path: '/Account', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, raw });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ name: 'Compressed Corp' });
  });

  it('a path that does not percent-decode is a 4xx with a reason, not a 500', async () => {
    for (const path of ['/Account/%ff', '/Account/%E0%A4%A', `/Account/${accountId}/contacts%ZZ`]) {
      const reply = await call({ method: 'GET', path });
      expect(reply.status, path).toBeGreaterThanOrEqual(400);
      expect(reply.status, path).toBeLessThan(500);
      expect(reply.reason, path).toBeTruthy();
    }
  });

  it('routes are case-sensitive like EspoCRM: a link name in another case is 404', async () => {
    expect((await call({ method: 'GET', path: `/Account/${accountId}/contacts` })).status).toBe(200);
    const wrongLink = await call({ method: 'GET', path: `/Account/${accountId}/Contacts` });
    expect(wrongLink).toMatchObject({ status: 404, reason: 'Link does not exist.' });
    expect((await call({ method: 'POST', path: `/Account/${accountId}/Contacts`, body: { id: 'x' } })).status).toBe(404);
    for (const path of ['/account', `/account/${accountId}`, '/ACCOUNT']) {
      expect(await call({ method: 'GET', path })).toMatchObject({ status: 404, reason: 'Route not found.' });
    }
  });
});

/** LIKE patterns: the same records on both engines, with MySQL's meaning of `\`, `%` and `_`. */
describeEngines('LIKE patterns', (engine) => {
  let server: TestServer;
  const names = ['back\\slash', 'trail\\', '50% off', '50 off', 'a_b', 'axb', 'plain'];
  const found = async (type: string, value: string) => {
    const reply = await send(server.baseUrl, server.apiKey, { method: 'GET', path: `/Account?${where(type, 'name', value)}&select=name&orderBy=name&maxSize=50` });
    expect(reply.status, `${type} ${value}: ${reply.reason ?? ''}`).toBe(200);
    return (reply.body as { list: { name: string }[] }).list.map((item) => item.name).sort();
  };

  beforeAll(async () => {
    server = await startServer({ engine });
    for (const name of names) await send(server.baseUrl, server.apiKey, { method: 'POST', path: '/Account', body: { name } });
  });
  afterAll(() => server.close());

  it.each([
    // like/notLike: the value is the pattern; `\` escapes, and an unpaired final `\` is a literal backslash.
    ['like', 'trail\\', ['trail\\']],
    ['like', '%\\', ['trail\\']],
    ['like', '%\\\\%', ['back\\slash', 'trail\\']],
    ['like', '50\\%%', ['50% off']],
    ['like', '50%', ['50 off', '50% off']],
    ['like', 'a_b', ['a_b', 'axb']],
    ['like', 'a\\_b', ['a_b']],
    ['like', '\\', []],
    ['notLike', '%\\', ['50 off', '50% off', 'a_b', 'axb', 'back\\slash', 'plain']],
    // startsWith/contains/endsWith: the value is literal text (docs/deviations.md).
    ['contains', '\\', ['back\\slash', 'trail\\']],
    ['endsWith', '\\', ['trail\\']],
    ['contains', '%', ['50% off']],
    ['startsWith', 'a_', ['a_b']],
    ['contains', '\\%', []],
  ])('%s %j', async (type, value, expected) => {
    expect(await found(type, value)).toEqual([...expected].sort());
  });

  it('textFilter: `*` is the wildcard, a backslash is literal', async () => {
    const filtered = async (filter: string) =>
      ((await send(server.baseUrl, server.apiKey, { method: 'GET', path: `/Account?textFilter=${q(filter)}&select=name` })).body as { list: { name: string }[] }).list.map((item) => item.name).sort();
    expect(await filtered('trail\\')).toEqual(['trail\\']);
    expect(await filtered('*\\')).toEqual(['trail\\']);
    expect(await filtered('50*off')).toEqual(['50 off', '50% off']);
  });
});

/**
 * User names at login fold only A-Z, on both engines (docs/decisions.md): PostgreSQL's lower() would fold
 * `İ` to `i` and `É` to `é`, SQLite's NOCASE would not.
 */
describeEngines('user names at login', (engine) => {
  let server: TestServer;
  const login = async (userName: string, password = 'secret-pw') =>
    (await send(server.baseUrl, null, { method: 'GET', path: '/Account?maxSize=1', headers: { 'Espo-Authorization': basic(`${userName}:${password}`) } })).status;

  beforeAll(async () => {
    server = await startServer({ engine });
    const passwordHash = await hashPassword('secret-pw');
    for (const userName of ['istanbul', 'strasse', 'josé', 'kate']) {
      await insertUser(server.app.database.db, { userName, lastName: userName, type: 'admin', passwordHash });
    }
  });
  afterAll(() => server.close());

  it.each([
    ['istanbul', 200],
    ['ISTANBUL', 200],
    ['İstanbul', 401],
    ['ıstanbul', 401],
    ['STRASSE', 200],
    ['straße', 401],
    ['STRAẞE', 401],
    ['josé', 200],
    ['JOSé', 200],
    ['JOSÉ', 401],
    ['jose', 401],
    ['\u212Aate', 401], // KELVIN SIGN, which lower-cases to k
  ])('%s → %i', async (userName, status) => {
    expect(await login(userName)).toBe(status);
  });
});
