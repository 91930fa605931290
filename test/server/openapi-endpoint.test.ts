import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server.js';

describe('GET /api/v1/OpenApi', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  const get = (query: string) => fetch(`${server.baseUrl}/OpenApi${query}`, { headers: { 'X-Api-Key': server.apiKey } });

  it('serves the 3.1 contract by default and with version=3.1', async () => {
    for (const query of ['', '?version=3.1']) {
      const res = await get(query);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { openapi: string }).openapi).toBe('3.1.0');
    }
  });

  it('serves the OpenAPI 3.0.3 companion with version=3.0', async () => {
    const res = await get('?version=3.0');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.0.3');
    expect(Object.keys(doc.paths)).toContain('/Account/{id}');
    expect(JSON.stringify(doc)).not.toContain('"null"');
  });

  it('answers 400 with a reason for an unknown version, 401 without credentials', async () => {
    const res = await get('?version=2.0');
    expect(res.status).toBe(400);
    expect(res.headers.get('x-status-reason')).toMatch(/version=3\.0/);
    expect((await fetch(`${server.baseUrl}/OpenApi?version=3.0`)).status).toBe(401);
  });
});
