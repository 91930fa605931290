/**
 * Authentication over real HTTP, on both engines: every scheme EspoCRM accepts, the wire-capture test
 * vectors byte for byte, EspoCRM's header precedence, and a 401 with an empty body for every wrong
 * credential. Users other than the bootstrap ones are made with the same code as `espo-ref user:create`.
 */
import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRole, createTeam, createUser, fullAccessData } from '../../src/server/acl/index.js';
import { hashPassword } from '../../src/server/acl/passwords.js';
import { describeEngines, type Engine } from '../support/database.js';
import { sendRaw } from '../support/raw-http.js';
import { startServer, type TestServer } from '../support/server.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** wire-captures.md, "Test vectors" (api key test-key, secret test-secret). */
const VECTORS = {
  getHex: 'dGVzdC1rZXk6YmVkZGIyMzlhNTA5M2Q3NThhNzUzNjI3MDNiMDY4YzcyYzNlNDMxYTgzMmFmODRmZDJlODA3ZjNiMzFlNDhjYQ==',
  getRaw: 'dGVzdC1rZXk6vt2yOaUJPXWKdTYnA7Boxyw+QxqDKvhP0ugH87MeSMo=',
  deleteHex: 'dGVzdC1rZXk6MzRiZmNjNzBjNzIxZDIwOThkZmNiNzdhZTViMzI4NzI5ZTZiZjQxNzFhNzdiZGFkNDQ5NzliZTg0YzczYzYwYQ==',
  deleteRaw: 'dGVzdC1rZXk6NL/McMch0gmN/Ld65bMocp5r9Bcad72tRJeb6Exzxgo=',
  basic: 'YWRtaW46cEBzczp3b3Jk',
} as const;

function hmacHeader(apiKey: string, secret: string, signed: string, form: 'hex' | 'raw' = 'hex'): string {
  const digest = createHmac('sha256', secret).update(signed).digest();
  const signature = form === 'hex' ? Buffer.from(digest.toString('hex'), 'latin1') : digest;
  return Buffer.concat([Buffer.from(`${apiKey}:`, 'latin1'), signature]).toString('base64');
}

describe('HMAC test vectors (wire-captures.md)', () => {
  it('match the formula: base64(key + ":" + HMAC-SHA256(secret, METHOD + " " + path))', () => {
    expect(hmacHeader('test-key', 'test-secret', 'GET /Account')).toBe(VECTORS.getHex);
    expect(hmacHeader('test-key', 'test-secret', 'GET /Account', 'raw')).toBe(VECTORS.getRaw);
    expect(hmacHeader('test-key', 'test-secret', 'DELETE /Account/6a1b2c3d4e5f60718')).toBe(VECTORS.deleteHex);
    expect(hmacHeader('test-key', 'test-secret', 'DELETE /Account/6a1b2c3d4e5f60718', 'raw')).toBe(VECTORS.deleteRaw);
    expect(b64('admin:p@ss:word')).toBe(VECTORS.basic);
  });
});

interface Answer {
  status: number;
  body: string;
  headers: Headers;
}

describeEngines('authentication', (engine: Engine) => {
  let server: TestServer;
  const logLines: string[] = [];

  async function call(headers: Record<string, string>, path = '/Account?maxSize=1', method = 'GET', body?: unknown): Promise<Answer> {
    const response = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: await response.text(), headers: response.headers };
  }

  /** Raw bytes, as a client wrote them; `Host` is irrelevant to the server. */
  function raw(requestLine: string, ...headerLines: string[]) {
    return sendRaw(server.baseUrl, [requestLine, 'Host: 127.0.0.1:18080', 'Accept: */*', ...headerLines].join('\n'));
  }

  /** EspoCRM's authentication layer answers before its JSON error output: PHP's default content type. */
  function expectUnauthorized(answer: { status: number; body: string; headers: Headers }) {
    expect(answer.status).toBe(401);
    expect(answer.body).toBe('');
    expect(answer.headers.get('content-type')).toBe('text/html; charset=UTF-8');
  }

  beforeAll(async () => {
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    server = await startServer({ engine, logger: pino({ level: 'debug' }, logStream) });
    const db = server.app.database.db;
    const reader = await createRole(db, 'Account reader', { Account: { read: 'all', create: 'no', edit: 'no', delete: 'no', stream: 'no' } });
    const full = await createRole(db, 'Everything', fullAccessData());
    const team = await createTeam(db, { name: 'Sales' });
    await createUser(db, { userName: 'alice', credentials: { kind: 'password', password: 'Alice: s3cret' }, teamIds: [team], roleIds: [reader] });
    await createUser(db, { userName: 'inactive', credentials: { kind: 'password', password: 'inactive-pw' }, roleIds: [reader], isActive: false });
    await createUser(db, { userName: 'signer', credentials: { kind: 'api', apiKey: 'signer-key', secretKey: 'signer-secret' }, roleIds: [full] });
    await createUser(db, { userName: 'keyonly', credentials: { kind: 'api', apiKey: 'keyonly-key' }, roleIds: [full] });
    await createUser(db, { userName: 'sleepy-api', credentials: { kind: 'api', apiKey: 'sleepy-key' }, roleIds: [full], isActive: false });
    // What createUser refuses but a database may still hold: an API user with a password, a regular user
    // with an API key, a portal user.
    await db.updateTable('user').set({ passwordHash: await hashPassword('api-pw') }).where('userName', '=', 'keyonly').execute();
    const bob = await createUser(db, { userName: 'bob', credentials: { kind: 'password', password: 'bob-pw' }, roleIds: [reader] });
    await db.updateTable('user').set({ apiKey: 'bob-key', secretKey: 'bob-secret', authMethod: 'ApiKey' }).where('id', '=', bob).execute();
    const portal = await createUser(db, { userName: 'portal', credentials: { kind: 'password', password: 'portal-pw' }, roleIds: [reader] });
    await db.updateTable('user').set({ type: 'portal' }).where('id', '=', portal).execute();
  });

  afterAll(async () => {
    await server?.close();
  });

  describe('every scheme authenticates', () => {
    it('X-Api-Key', async () => {
      expect((await call({ 'X-Api-Key': 'test-key' })).status).toBe(200);
      expect((await call({ 'X-Api-Key': 'keyonly-key' })).status).toBe(200);
    });

    it('X-Hmac-Authorization, hex digest, byte for byte as captured', async () => {
      expect((await raw('GET /api/v1/Account HTTP/1.1', `X-Hmac-Authorization: ${VECTORS.getHex}`)).status).toBe(200);
    });

    it('X-Hmac-Authorization, legacy raw digest', async () => {
      expect((await raw('GET /api/v1/Account HTTP/1.1', `X-Hmac-Authorization: ${VECTORS.getRaw}`)).status).toBe(200);
    });

    it('the DELETE vectors authenticate (then 404: the record does not exist)', async () => {
      for (const vector of [VECTORS.deleteHex, VECTORS.deleteRaw]) {
        const answer = await raw('DELETE /api/v1/Account/6a1b2c3d4e5f60718 HTTP/1.1', `X-Hmac-Authorization: ${vector}`);
        expect(answer.status).toBe(404);
        expect(answer.headers.get('x-status-reason')).toBe('Record 6a1b2c3d4e5f60718 not found.');
      }
    });

    it('the query string is not signed', async () => {
      const answer = await raw('GET /api/v1/Account?maxSize=1&where%5B0%5D%5Btype%5D=isNotNull&where%5B0%5D%5Battribute%5D=name HTTP/1.1', `X-Hmac-Authorization: ${VECTORS.getHex}`);
      expect(answer.status).toBe(200);
    });

    it('an HMAC user (method Hmac) signs', async () => {
      expect((await call({ 'X-Hmac-Authorization': hmacHeader('signer-key', 'signer-secret', 'GET /Account') })).status).toBe(200);
    });

    it('Espo-Authorization and HTTP Basic, with a colon in the password', async () => {
      expect((await call({ 'Espo-Authorization': VECTORS.basic })).status).toBe(200);
      expect((await raw('GET /api/v1/Account?maxSize=1 HTTP/1.1', `Authorization: Basic ${VECTORS.basic}`)).status).toBe(200);
      expect((await call({ Authorization: `Basic ${b64('alice:Alice: s3cret')}` })).status).toBe(200);
    });

    it('user name and password are trimmed, the user name compared without case (EspoCRM on MySQL)', async () => {
      expect((await call({ 'Espo-Authorization': b64(' ADMIN : p@ss:word ') })).status).toBe(200);
      expect((await call({ Authorization: `Basic ${b64('Alice:Alice: s3cret')}` })).status).toBe(200);
    });

    it('the authenticated user is the one acting: a regular user gets its own access, not 401', async () => {
      const answer = await call({ 'Espo-Authorization': b64('alice:Alice: s3cret') }, '/Account', 'POST', { name: 'Not created' });
      expect(answer.status).toBe(403);
      expect(answer.headers.get('x-status-reason')).toBe('No create access.');
    });
  });

  describe('every wrong credential is a 401 with an empty body', () => {
    const cases: [string, Record<string, string>][] = [
      ['unknown API key', { 'X-Api-Key': 'wrong-key' }],
      ['API key in another case', { 'X-Api-Key': 'TEST-KEY' }],
      ['empty API key', { 'X-Api-Key': '' }],
      ['HMAC with the wrong secret', { 'X-Hmac-Authorization': hmacHeader('test-key', 'wrong-secret', 'GET /Account') }],
      ['HMAC with an unknown key', { 'X-Hmac-Authorization': hmacHeader('wrong-key', 'test-secret', 'GET /Account') }],
      ['HMAC signed for another path', { 'X-Hmac-Authorization': hmacHeader('test-key', 'test-secret', 'GET /Account/x') }],
      ['HMAC signed for another method', { 'X-Hmac-Authorization': hmacHeader('test-key', 'test-secret', 'POST /Account') }],
      ['HMAC signed with a lower-case method', { 'X-Hmac-Authorization': hmacHeader('test-key', 'test-secret', 'get /Account') }],
      ['HMAC signed with the query string', { 'X-Hmac-Authorization': hmacHeader('test-key', 'test-secret', 'GET /Account?maxSize=1') }],
      ['HMAC signed with the base path', { 'X-Hmac-Authorization': hmacHeader('test-key', 'test-secret', 'GET /api/v1/Account') }],
      ['HMAC with an upper-case hex digest', { 'X-Hmac-Authorization': b64(`test-key:${createHmac('sha256', 'test-secret').update('GET /Account').digest('hex').toUpperCase()}`) }],
      ['HMAC with a truncated signature', { 'X-Hmac-Authorization': b64('test-key:beddb239a5093d758a75') }],
      ['HMAC without a signature', { 'X-Hmac-Authorization': b64('test-key') }],
      ['HMAC with an empty key', { 'X-Hmac-Authorization': b64(':abc') }],
      ['HMAC by an API-key user without a secret', { 'X-Hmac-Authorization': hmacHeader('keyonly-key', '', 'GET /Account') }],
      ['HMAC by a regular user that has a key and a secret', { 'X-Hmac-Authorization': hmacHeader('bob-key', 'bob-secret', 'GET /Account') }],
      ['wrong password', { 'Espo-Authorization': b64('admin:p@ss:wor') }],
      ['password in another case', { 'Espo-Authorization': b64('admin:P@SS:WORD') }],
      ['empty password', { 'Espo-Authorization': b64('admin:') }],
      ['wrong password over Basic', { Authorization: `Basic ${b64('admin:nope')}` }],
      ['unknown user', { 'Espo-Authorization': b64('nobody:p@ss:word') }],
      ['inactive user', { 'Espo-Authorization': b64('inactive:inactive-pw') }],
      ['inactive API user', { 'X-Api-Key': 'sleepy-key' }],
      ['API user with a password', { 'Espo-Authorization': b64('keyonly:api-pw') }],
      ['API user name and key as a password', { 'Espo-Authorization': b64('api:test-key') }],
      ['regular user with an API key', { 'X-Api-Key': 'bob-key' }],
      ['portal user outside a portal', { 'Espo-Authorization': b64('portal:portal-pw') }],
      ['system user', { 'Espo-Authorization': b64('system:system') }],
      ['HMAC-only user with its key alone', { 'X-Api-Key': 'signer-key' }],
    ];
    it.each(cases)('%s', async (_name, headers) => {
      const answer = await call(headers);
      expectUnauthorized(answer);
      // Credentials were offered: no login dialog.
      expect(answer.headers.get('www-authenticate')).toBeNull();
    });

    it('nothing is written by a refused request', async () => {
      const before = await server.app.database.db.selectFrom('account').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const answer = await call({ 'X-Api-Key': 'wrong-key' }, '/Account', 'POST', { name: 'Not created' });
      expectUnauthorized(answer);
      const after = await server.app.database.db.selectFrom('account').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });
  });

  describe("EspoCRM's header precedence: Espo-Authorization, X-Api-Key, X-Hmac-Authorization, Basic", () => {
    it('a valid key wins over wrong Basic credentials', async () => {
      expect((await call({ 'X-Api-Key': 'test-key', Authorization: `Basic ${b64('admin:nope')}` })).status).toBe(200);
    });

    it('wrong Espo-Authorization is not rescued by a valid key', async () => {
      expectUnauthorized(await call({ 'Espo-Authorization': b64('admin:nope'), 'X-Api-Key': 'test-key' }));
    });

    it('a wrong key is not rescued by a valid signature', async () => {
      expectUnauthorized(await call({ 'X-Api-Key': 'wrong-key', 'X-Hmac-Authorization': VECTORS.getHex }));
    });

    it('a wrong signature is not rescued by valid Basic credentials', async () => {
      expectUnauthorized(await call({ 'X-Hmac-Authorization': hmacHeader('test-key', 'x', 'GET /Account'), Authorization: `Basic ${VECTORS.basic}` }));
    });

    it('the bootstrap API user may use its key alone and sign (docs/deviations.md)', async () => {
      expect((await call({ 'X-Api-Key': 'test-key' })).status).toBe(200);
      expect((await call({ 'X-Hmac-Authorization': VECTORS.getHex })).status).toBe(200);
    });
  });

  describe('malformed and missing credentials', () => {
    it('an authorization string without a colon is 400', async () => {
      const malformed: Record<string, string>[] = [{ 'Espo-Authorization': b64('admin') }, { Authorization: `Basic ${b64('admin')}` }, { 'Espo-Authorization': '' }];
      for (const headers of malformed) {
        const answer = await call(headers);
        expect(answer.status).toBe(400);
        expect(answer.headers.get('x-status-reason')).toBe('Auth: Bad authorization string provided.');
        expect(answer.body).toBe('');
        expect(answer.headers.get('content-type')).toBe('text/html; charset=UTF-8');
      }
    });

    it('no credentials: 401 asking for Basic credentials, except for XMLHttpRequest, Referer and POST', async () => {
      const plain = await call({});
      expectUnauthorized(plain);
      expect(plain.headers.get('www-authenticate')).toBe('Basic realm=""');
      for (const [headers, method] of [
        [{ 'X-Requested-With': 'XMLHttpRequest' }, 'GET'],
        [{ Referer: 'http://example.com/' }, 'GET'],
        [{}, 'POST'],
      ] as const) {
        const answer = await call(headers, '/Account', method);
        expectUnauthorized(answer);
        expect(answer.headers.get('www-authenticate')).toBeNull();
      }
    });

    it('an empty user name counts as no credentials', async () => {
      const answer = await call({ 'Espo-Authorization': b64(':p@ss:word') });
      expectUnauthorized(answer);
      expect(answer.headers.get('www-authenticate')).toBe('Basic realm=""');
    });

    it('other Authorization schemes are not credentials', async () => {
      const answer = await call({ Authorization: 'Bearer test-key' });
      expectUnauthorized(answer);
      expect(answer.headers.get('www-authenticate')).toBe('Basic realm=""');
    });
  });

  it('keys, secrets, passwords and signatures never reach the log', async () => {
    logLines.length = 0;
    await call({ 'X-Api-Key': 'test-key' }, '/Account?maxSize=1&textFilter=needle-in-query');
    await call({ 'X-Api-Key': 'wrong-key-zzz' });
    await call({ 'X-Hmac-Authorization': VECTORS.getHex });
    await call({ 'X-Hmac-Authorization': hmacHeader('signer-key', 'wrong-secret-zzz', 'GET /Account') });
    await call({ 'Espo-Authorization': VECTORS.basic });
    await call({ Authorization: `Basic ${b64('alice:wrong-password-zzz')}` });
    await call({ 'Espo-Authorization': b64('nocolon-zzz') });
    await call({ 'X-Api-Key': 'test-key' }, '/Account', 'POST', { name: 'Logged' });
    const log = logLines.join('');
    expect(logLines.length).toBeGreaterThanOrEqual(8);
    for (const secret of [
      'test-key', 'test-secret', 'wrong-key-zzz', 'wrong-secret-zzz', 'signer-secret', 'p@ss:word', 'Alice: s3cret', 'wrong-password-zzz',
      'nocolon-zzz', VECTORS.basic, VECTORS.getHex, b64('alice:wrong-password-zzz'), b64('nocolon-zzz'), 'needle-in-query',
      'beddb239a5093d758a75362703b068c72c3e431a832af84fd2e807f3b31e48ca',
    ]) {
      expect(log).not.toContain(secret);
    }
    expect(log).toContain('"status":401');
  });
});
