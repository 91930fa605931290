import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestSigner } from '../../src/client/auth.js';
import { resolveApiRoot } from '../../src/client/base-url.js';
import { espoSignedPath, hmacMessage, hmacSha256Hex, importHmacKey } from '../../src/client/hmac.js';
import { Transport, toCurl } from '../../src/conformance/http.js';
import { startServer, type TestServer } from '../support/server.js';

/**
 * EspoCRM verifies an HMAC signature over its own reading of the request path: Slim's PSR-7 `Uri`
 * percent-encodes (rawurlencode) every character outside `A-Za-z0-9-_.~:@&=+$,/;` and `%XX`, so `'()*!`,
 * which fetch leaves as they are, are signed as `%27 %28 %29 %2A %21`. The vectors below were computed
 * independently of this code (Python's hmac with the same rule; api key `test-key`, secret `test-secret`
 * as in wire-captures.md); the live check of EspoCRM 9.2.7 (espocrm-api.md § 17.1) showed `/Account/zz'`
 * signed as `GET /Account/zz%27` reaching the record lookup, and signed as it was sent getting 401.
 */
const VECTORS = [
  {
    method: 'GET',
    wire: "/Account/zz'",
    signed: '/Account/zz%27',
    hex: 'f37fb7865a9ae6220a57de0bcbfb0dfa4fbb1e850d033820a1e7a6b08d58a4d2',
    header: 'dGVzdC1rZXk6ZjM3ZmI3ODY1YTlhZTYyMjBhNTdkZTBiY2JmYjBkZmE0ZmJiMWU4NTBkMDMzODIwYTFlN2E2YjA4ZDU4YTRkMg==',
  },
  {
    method: 'GET',
    wire: "/Account/O'Brien(1)*!/contacts",
    signed: '/Account/O%27Brien%281%29%2A%21/contacts',
    hex: 'd12f40e56ab5ae1253a5138243ad936f2b06f203952199f960cd8f2743afdfcb',
    header: 'dGVzdC1rZXk6ZDEyZjQwZTU2YWI1YWUxMjUzYTUxMzgyNDNhZDkzNmYyYjA2ZjIwMzk1MjE5OWY5NjBjZDhmMjc0M2FmZGZjYg==',
  },
  {
    method: 'DELETE',
    wire: '/Account/a%2Fb%zz',
    signed: '/Account/a%2Fb%25zz',
    hex: 'af2f1c50648190e5f7ad8cb2a09282156c9c786ec20f5cd717f939f2c0f537d3',
    header: 'dGVzdC1rZXk6YWYyZjFjNTA2NDgxOTBlNWY3YWQ4Y2IyYTA5MjgyMTU2YzljNzg2ZWMyMGY1Y2Q3MTdmOTM5ZjJjMGY1MzdkMw==',
  },
] as const;

describe('espoSignedPath (the path EspoCRM verifies)', () => {
  it.each(VECTORS)('$wire is signed as $signed', ({ wire, signed }) => {
    expect(espoSignedPath(wire)).toBe(signed);
  });

  it('keeps what Slim keeps: unreserved characters, : @ & = + $ , ; / and existing %XX (case as sent)', () => {
    expect(espoSignedPath('/Account/aZ09-_.~:@&=+$,;/x%2f%2F')).toBe('/Account/aZ09-_.~:@&=+$,;/x%2f%2F');
  });

  it('encodes the rest as PHP rawurlencode does (upper-case hex, UTF-8 bytes), and is idempotent', () => {
    expect(espoSignedPath('/A/[x]|^` "{}<>\\')).toBe('/A/%5Bx%5D%7C%5E%60%20%22%7B%7D%3C%3E%5C');
    expect(espoSignedPath('/A/é')).toBe('/A/%C3%A9');
    expect(espoSignedPath('/A/100%')).toBe('/A/100%25');
    for (const { wire } of VECTORS) expect(espoSignedPath(espoSignedPath(wire))).toBe(espoSignedPath(wire));
  });
});

describe('the client signs the path EspoCRM verifies', () => {
  const root = resolveApiRoot('http://127.0.0.1:18080');

  it.each(VECTORS)('$method $wire', async ({ method, wire, hex, header }) => {
    const key = await importHmacKey('test-secret');
    expect(await hmacSha256Hex(key, hmacMessage(method, wire))).toBe(hex);
    const request = new Request(`${root.url}${wire}`, { method });
    await createRequestSigner({ apiKey: 'test-key', secretKey: 'test-secret' }, root)(request);
    expect(request.headers.get('X-Hmac-Authorization')).toBe(header);
  });

  it('an ID passed through encodeURIComponent keeps its quote on the wire and is still signed encoded', async () => {
    const url = `${root.url}/Account/${encodeURIComponent("zz'")}`;
    expect(new URL(url).pathname).toBe("/api/v1/Account/zz'");
    const request = new Request(url);
    await createRequestSigner({ apiKey: 'test-key', secretKey: 'test-secret' }, root)(request);
    expect(request.headers.get('X-Hmac-Authorization')).toBe(VECTORS[0].header);
  });
});

describe('the kit signs and replays the same path', () => {
  it.each(VECTORS)('$method $wire', async ({ method, wire, header, signed }) => {
    const seen: Request[] = [];
    const transport = new Transport({
      baseUrl: 'http://127.0.0.1:18080',
      auth: { apiKey: 'test-key', secretKey: 'test-secret' },
      fetch: async (input) => {
        seen.push(input as Request);
        return new Response('{}', { status: 200, headers: { 'Content-Type': 'application/json' } });
      },
    });
    const exchange = await transport.send({ method, path: wire });
    expect(seen[0]!.headers.get('X-Hmac-Authorization')).toBe(header);
    // The replay command recomputes the signature in the shell over the same normalised string.
    expect(toCurl(exchange.request, transport.root)).toContain(`'${method} ${signed}'`);
  });
});

describe('the reference server verifies the path EspoCRM verifies', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  async function getWith(path: string, signedOver: string): Promise<number> {
    const key = await importHmacKey(server.hmac.secretKey);
    const digest = await hmacSha256Hex(key, `GET ${signedOver}`);
    const response = await fetch(`${server.baseUrl}${path}`, {
      headers: { 'X-Hmac-Authorization': Buffer.from(`${server.hmac.apiKey}:${digest}`).toString('base64') },
    });
    await response.text();
    return response.status;
  }

  it("accepts /Account/zz' signed over /Account/zz%27 (404: the lookup ran) and refuses it signed as sent (401)", async () => {
    expect(await getWith("/Account/zz'", '/Account/zz%27')).toBe(404);
    expect(await getWith("/Account/zz'", "/Account/zz'")).toBe(401);
  });

  it('the client, the kit and the server agree on every reserved character', async () => {
    const transport = new Transport({ baseUrl: server.baseUrl, auth: server.hmac });
    for (const id of ["zz'", 'zz(1)', 'zz*', 'zz!', "O'Brien(1)*!"]) {
      const exchange = await transport.send({ method: 'GET', path: `/Account/${encodeURIComponent(id)}` });
      expect(exchange.response.status, id).toBe(404);
    }
  });
});
