/**
 * The secret comparisons behind authentication: constant-time (every comparison of a secret goes through
 * crypto.timingSafeEqual on equal-length buffers), and correct for EspoCRM's two HMAC digest forms.
 */
import * as crypto from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { readCredentials } from '../../src/server/auth/credentials.js';
import { secretsEqual, verifyHmac } from '../../src/server/auth/hmac.js';
import { hashPassword, verifyPassword } from '../../src/server/acl/passwords.js';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const timingSafeEqual = vi.mocked(crypto.timingSafeEqual);
const digest = (signed: string) => crypto.createHmac('sha256', 'test-secret').update(signed).digest();

beforeEach(() => {
  timingSafeEqual.mockClear();
});

describe('verifyHmac', () => {
  it('accepts the hex digest and the raw digest of METHOD + " " + path', () => {
    const raw = digest('GET /Account');
    expect(verifyHmac('test-secret', 'GET', '/Account', raw.toString('hex'))).toBe(true);
    expect(verifyHmac('test-secret', 'GET', '/Account', raw.toString('latin1'))).toBe(true);
  });

  it('rejects other methods, paths, secrets and digest spellings', () => {
    const hex = digest('GET /Account').toString('hex');
    expect(verifyHmac('test-secret', 'POST', '/Account', hex)).toBe(false);
    expect(verifyHmac('test-secret', 'GET', '/Account/', hex)).toBe(false);
    expect(verifyHmac('other-secret', 'GET', '/Account', hex)).toBe(false);
    expect(verifyHmac('test-secret', 'GET', '/Account', hex.toUpperCase())).toBe(false);
    expect(verifyHmac('test-secret', 'GET', '/Account', digest('GET /Account').toString('base64'))).toBe(false);
    expect(verifyHmac('test-secret', 'GET', '/Account', '')).toBe(false);
  });

  it('compares in constant time: a signature differing only in its last character is compared whole', () => {
    const hex = digest('GET /Account').toString('hex');
    const almost = `${hex.slice(0, -1)}${hex.endsWith('0') ? '1' : '0'}`;
    expect(verifyHmac('test-secret', 'GET', '/Account', almost)).toBe(false);
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
    const [sent, expected] = timingSafeEqual.mock.calls[0]!;
    expect((sent as Buffer).length).toBe(64);
    expect((expected as Buffer).length).toBe(64);
  });
});

describe('secretsEqual (API keys)', () => {
  it('compares digests of equal length in constant time, whatever the lengths of the keys', () => {
    expect(secretsEqual('test-key', 'test-key')).toBe(true);
    expect(secretsEqual('test-key', 'test-kex')).toBe(false);
    expect(secretsEqual('test-key', 'test-key-longer')).toBe(false);
    expect(secretsEqual('', 'x')).toBe(false);
    expect(timingSafeEqual).toHaveBeenCalledTimes(4);
    for (const [a, b] of timingSafeEqual.mock.calls) {
      expect((a as Buffer).length).toBe((b as Buffer).length);
    }
  });
});

describe('passwords', () => {
  it('are stored as salted scrypt hashes and verified in constant time', async () => {
    const hash = await hashPassword('p@ss:word');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.toContain('p@ss:word');
    expect(await hashPassword('p@ss:word')).not.toBe(hash);
    expect(await verifyPassword('p@ss:word', hash)).toBe(true);
    expect(await verifyPassword('p@ss:wore', hash)).toBe(false);
    expect(timingSafeEqual).toHaveBeenCalledTimes(2);
    expect(await verifyPassword('p@ss:word', 'plain-text')).toBe(false);
  });
});

describe('readCredentials', () => {
  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

  it('splits user and password at the first colon and trims both', () => {
    expect(readCredentials({ 'espo-authorization': b64(' admin : p@ss:word ') })).toEqual({ kind: 'password', userName: 'admin', password: 'p@ss:word' });
    expect(readCredentials({ authorization: `basic ${b64('admin:p@ss:word')}` })).toEqual({ kind: 'password', userName: 'admin', password: 'p@ss:word' });
  });

  it('keeps the bytes of a raw HMAC digest', () => {
    const raw = digest('GET /Account');
    const header = Buffer.concat([Buffer.from('test-key:'), raw]).toString('base64');
    const credentials = readCredentials({ 'x-hmac-authorization': header });
    expect(credentials).toEqual({ kind: 'hmac', apiKey: 'test-key', signature: raw.toString('latin1') });
  });

  it('follows EspoCRM precedence', () => {
    expect(readCredentials({ 'x-api-key': 'k', authorization: `Basic ${b64('a:b')}` }).kind).toBe('apiKey');
    expect(readCredentials({ 'x-api-key': 'k', 'espo-authorization': b64('a:b') }).kind).toBe('password');
    expect(readCredentials({ 'x-api-key': 'k', 'x-hmac-authorization': b64('k:s') }).kind).toBe('apiKey');
    expect(readCredentials({ 'x-hmac-authorization': b64('k:s'), authorization: `Basic ${b64('a:b')}` }).kind).toBe('hmac');
    expect(readCredentials({}).kind).toBe('none');
  });
});
