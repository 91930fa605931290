import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRequestSigner, type EspoAuth } from '../../src/client/auth.js';
import { resolveApiRoot } from '../../src/client/base-url.js';
import { base64Utf8 } from '../../src/client/base64.js';
import { hmacMessage, hmacSha256Hex, importHmacKey } from '../../src/client/hmac.js';
import { CAPTURE_KEYS, CAPTURE_RECORD_ID } from '../support/wire-captures.js';

// Test vectors from wire-captures.md ("Test vectors"); the PHP and JS clients produced these bytes.
const GET_ACCOUNT_HEX = 'beddb239a5093d758a75362703b068c72c3e431a832af84fd2e807f3b31e48ca';
const GET_ACCOUNT_HEADER =
  'dGVzdC1rZXk6YmVkZGIyMzlhNTA5M2Q3NThhNzUzNjI3MDNiMDY4YzcyYzNlNDMxYTgzMmFmODRmZDJlODA3ZjNiMzFlNDhjYQ==';
const DELETE_ACCOUNT_HEX = '34bfcc70c721d2098dfcb77ae5b328729e6bf4171a77bdad44979be84c73c60a';
const DELETE_ACCOUNT_HEADER =
  'dGVzdC1rZXk6MzRiZmNjNzBjNzIxZDIwOThkZmNiNzdhZTViMzI4NzI5ZTZiZjQxNzFhNzdiZGFkNDQ5NzliZTg0YzczYzYwYQ==';
const BASIC_CREDENTIALS = 'YWRtaW46cEBzczp3b3Jk';

const root = resolveApiRoot('http://127.0.0.1:18080');
const { apiKey, secretKey, username, password } = CAPTURE_KEYS;

async function sign(auth: EspoAuth, method: string, url: string): Promise<Headers> {
  const request = new Request(url, { method });
  await createRequestSigner(auth, root)(request);
  return request.headers;
}

describe('HMAC digest', () => {
  it('matches the test vectors', async () => {
    const key = await importHmacKey(secretKey);
    expect(await hmacSha256Hex(key, hmacMessage('GET', '/Account'))).toBe(GET_ACCOUNT_HEX);
    expect(await hmacSha256Hex(key, hmacMessage('delete', `/Account/${CAPTURE_RECORD_ID}`))).toBe(DELETE_ACCOUNT_HEX);
  });
});

describe('createRequestSigner', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('HMAC: X-Hmac-Authorization equals the captured header', async () => {
    const get = await sign({ apiKey, secretKey }, 'GET', `${root.url}/Account`);
    expect(get.get('X-Hmac-Authorization')).toBe(GET_ACCOUNT_HEADER);
    const del = await sign({ apiKey, secretKey }, 'DELETE', `${root.url}/Account/${CAPTURE_RECORD_ID}`);
    expect(del.get('X-Hmac-Authorization')).toBe(DELETE_ACCOUNT_HEADER);
    expect(get.has('X-Api-Key')).toBe(false);
  });

  it('HMAC: the query string is not signed', async () => {
    const headers = await sign({ apiKey, secretKey }, 'GET', `${root.url}/Account?maxSize=5&where%5B0%5D%5Btype%5D=isTrue`);
    expect(headers.get('X-Hmac-Authorization')).toBe(GET_ACCOUNT_HEADER);
  });

  it('HMAC: signs relative to the API root of a site in a folder', async () => {
    const folderRoot = resolveApiRoot('https://crm.example/espocrm/');
    const request = new Request(`${folderRoot.url}/Account`);
    await createRequestSigner({ apiKey, secretKey }, folderRoot)(request);
    expect(request.headers.get('X-Hmac-Authorization')).toBe(GET_ACCOUNT_HEADER);
  });

  it('HMAC: explains a missing Web Crypto instead of crashing on undefined', async () => {
    vi.stubGlobal('crypto', undefined);
    await expect(sign({ apiKey, secretKey }, 'GET', `${root.url}/Account`)).rejects.toThrow(/Web Crypto/);
  });

  it('API key: X-Api-Key only', async () => {
    const headers = await sign({ apiKey }, 'GET', `${root.url}/Account`);
    const names: string[] = [];
    headers.forEach((_value, name) => names.push(name));
    expect(names).toEqual(['x-api-key']);
    expect(headers.get('X-Api-Key')).toBe(apiKey);
  });

  it('password: Espo-Authorization carries the Basic test vector', async () => {
    const headers = await sign({ username, password }, 'GET', `${root.url}/Account`);
    expect(headers.get('Espo-Authorization')).toBe(BASIC_CREDENTIALS);
    expect(headers.has('Authorization')).toBe(false);
  });

  it('password: standard Basic header as the PHP client sends it', async () => {
    const headers = await sign({ username, password, header: 'Authorization' }, 'GET', `${root.url}/Account`);
    expect(headers.get('Authorization')).toBe(`Basic ${BASIC_CREDENTIALS}`);
    expect(headers.has('Espo-Authorization')).toBe(false);
  });

  it('password: non-ASCII credentials are encoded as UTF-8', async () => {
    const headers = await sign({ username: 'jürgen', password: 'pässwörd€' }, 'GET', `${root.url}/Account`);
    expect(headers.get('Espo-Authorization')).toBe(Buffer.from('jürgen:pässwörd€', 'utf8').toString('base64'));
  });
});

describe('base64Utf8', () => {
  it('agrees with Buffer for ASCII and beyond', () => {
    for (const text of ['', 'a', 'test-key:beddb2', 'ü€😀']) {
      expect(base64Utf8(text)).toBe(Buffer.from(text, 'utf8').toString('base64'));
    }
  });
});

describe('defaults and mixed credentials', () => {
  it('an API key with an undefined username is still an API key', async () => {
    const headers = await sign({ apiKey, username: undefined } as unknown as EspoAuth, 'GET', `${root.url}/Account`);
    expect(headers.get('X-Api-Key')).toBe(apiKey);
    expect(headers.has('Espo-Authorization')).toBe(false);
  });

  it('a client without queryStyle sends the PHP bracket form', async () => {
    const { createEspoClient } = await import('../../src/client/espo-client.js');
    const seen: string[] = [];
    const api = createEspoClient({
      baseUrl: root.url,
      auth: { apiKey },
      fetch: async (request) => {
        seen.push(request.url);
        return new Response('{"total":0,"list":[]}', { headers: { 'Content-Type': 'application/json' } });
      },
    });
    await api.GET('/Account', { params: { query: { maxSize: 1, where: [{ type: 'isNull', attribute: 'website' }] } } });
    expect(seen[0]).toContain('where%5B0%5D%5Btype%5D=isNull');
    expect(seen[0]).not.toContain('searchParams');
  });
});
