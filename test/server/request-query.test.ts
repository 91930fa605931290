import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listReaderOf, STREAM_OPERATIONS } from '../../src/server/http/operations.js';
import { parseSearchQuery } from '../../src/server/search/search-params.js';
import { parseStreamQuery } from '../../src/server/stream/stream-query.js';
import { ACCOUNT_LINKS } from '../../src/server/routes/links.js';
import { listOperations } from '../../src/spec/bundle.js';
import { startServer, type TestServer } from '../support/server.js';

/** Counts the query-string parses the app makes (the parser itself is unchanged). */
const parses = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/server/http/query-parser.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/server/http/query-parser.js')>();
  return {
    parseQuery: (query: string) => {
      parses.count += 1;
      return original.parseQuery(query);
    },
  };
});

describe('the list parameters of each operation', () => {
  it('reads the search operations with EspoCRM search rules and the stream with its own, as the types say', () => {
    const searches = ['listAccounts', ...ACCOUNT_LINKS.map((link) => `listAccount${link[0]!.toUpperCase()}${link.slice(1)}`)];
    for (const entry of listOperations()) {
      const expected = searches.includes(entry.operationId)
        ? parseSearchQuery
        : (STREAM_OPERATIONS as readonly string[]).includes(entry.operationId)
          ? parseStreamQuery
          : undefined;
      expect(listReaderOf(entry), entry.operationId).toBe(expected);
    }
  });
});

describe('the query string of an API request', () => {
  let server: TestServer;
  const get = async (path: string) => {
    parses.count = 0;
    const response = await fetch(`${server.baseUrl}${path}`, { headers: { 'X-Api-Key': server.apiKey } });
    await response.arrayBuffer();
    return { status: response.status, parses: parses.count };
  };

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('is parsed once, whatever reads it (NUL guard, paging guard, validator, EspoCRM search rules)', async () => {
    expect(await get('/Account?maxSize=2&select=id,name&where[0][type]=equals&where[0][attribute]=name&where[0][value]=A&boolFilterList[]=onlyMy'))
      .toEqual({ status: 200, parses: 1 });
    expect(await get(`/Account?searchParams=${encodeURIComponent(JSON.stringify({ maxSize: 1, where: [{ type: 'isNotNull', attribute: 'name' }] }))}`))
      .toEqual({ status: 200, parses: 1 });
    expect(await get('/Account?maxSize=201')).toEqual({ status: 403, parses: 1 });
    expect(await get('/Account?maxSize=1e3')).toEqual({ status: 400, parses: 1 });
  });
});
