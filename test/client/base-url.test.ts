import { describe, expect, it } from 'vitest';
import { resolveApiRoot, resourcePath } from '../../src/client/base-url.js';

describe('resolveApiRoot', () => {
  it.each([
    ['http://127.0.0.1:8080/api/v1', 'http://127.0.0.1:8080/api/v1', '/api/v1'],
    ['http://127.0.0.1:8080/api/v1/', 'http://127.0.0.1:8080/api/v1', '/api/v1'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/api/v1', '/api/v1'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080/api/v1', '/api/v1'],
    ['https://crm.example/espocrm//', 'https://crm.example/espocrm/api/v1', '/espocrm/api/v1'],
    ['https://crm.example/espocrm/public/api/v1', 'https://crm.example/espocrm/public/api/v1', '/espocrm/public/api/v1'],
    ['/crm/api/v1', '/crm/api/v1', '/crm/api/v1'],
    ['https://crm.example/my crm', 'https://crm.example/my crm/api/v1', '/my%20crm/api/v1'],
  ])('%s → %s', (input, url, path) => {
    expect(resolveApiRoot(input)).toEqual({ url, path });
  });

  it.each(['', '  ', 'http://crm.example/?x=1', 'http://crm.example/#top'])('rejects %j', (input) => {
    expect(() => resolveApiRoot(input)).toThrow(TypeError);
  });
});

describe('resourcePath', () => {
  const root = resolveApiRoot('https://crm.example/espocrm');

  it('is the path after the API root, without the query string', () => {
    expect(resourcePath('https://crm.example/espocrm/api/v1/Account?maxSize=5', root)).toBe('/Account');
    expect(resourcePath('https://crm.example/espocrm/api/v1/Account/abc/contacts', root)).toBe('/Account/abc/contacts');
  });

  it('falls back to /api/v1 when a per-request baseUrl points elsewhere', () => {
    expect(resourcePath('https://other.example/api/v1/Account/x', root)).toBe('/Account/x');
  });

  it('refuses a URL outside any API root', () => {
    expect(() => resourcePath('https://crm.example/espocrm/Account', root)).toThrow(/not under the API root/);
  });
});

describe('resolveApiRoot errors say what is wrong', () => {
  it('names an empty base URL and one with a query', () => {
    expect(() => resolveApiRoot('  ')).toThrow('baseUrl is empty');
    expect(() => resolveApiRoot('https://crm.example/?x=1')).toThrow('baseUrl must not contain a query or fragment: https://crm.example/?x=1');
  });
});
