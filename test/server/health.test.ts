/** `GET /health`: 200 while the database answers, 503 with the reason once it does not; no credentials needed. */
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import { createTestDatabase, describeEngines } from '../support/database.js';

describeEngines('GET /health', (engine) => {
  it('answers 200 without credentials, then 503 when the database is gone', { timeout: 60_000 }, async () => {
    const database = await createTestDatabase(engine);
    const app = await createApp({ database });
    const server = app.app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const healthy = await fetch(`${origin}/health`);
      expect(healthy.status).toBe(200);
      expect(healthy.headers.get('content-type')).toMatch(/^application\/json/);
      expect(healthy.headers.get('cache-control')).toBe('no-store');
      expect(await healthy.json()).toEqual({ status: 'ok', database: 'ok' });
      // Not part of the API: the API root still wants credentials.
      expect((await fetch(`${origin}/api/v1/Account`)).status).toBe(401);
      expect((await fetch(`${origin}/api/v1/health`)).status).toBe(401);

      await database.close();
      const down = await fetch(`${origin}/health`);
      expect(down.status).toBe(503);
      expect(down.headers.get('x-status-reason')).toMatch(/^Database unavailable: /);
      const body = (await down.json()) as { status: string; database: string };
      expect(body.status).toBe('unavailable');
      expect(body.database).toMatch(/^Database unavailable: ./);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('GET /health (HEAD)', () => {
  it('answers HEAD too (some balancers probe with it)', { timeout: 60_000 }, async () => {
    const database = await createTestDatabase('sqlite');
    const app = await createApp({ database });
    const server = app.app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    try {
      const head = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/health`, { method: 'HEAD' });
      expect(head.status).toBe(200);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
    }
  });
});
