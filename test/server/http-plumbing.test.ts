import { createRequire } from 'node:module';
import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { jsonResponses } from '../../src/server/http/json-response.js';
import { memoizeValidatorRoutePatterns } from '../../src/server/http/route-patterns.js';
import { series } from '../../src/server/http/series.js';

const servers: import('node:http').Server[] = [];
afterAll(() => servers.forEach((server) => server.close()));

/** A request to `app` listening on 127.0.0.1 port 0: status, headers, text and parsed JSON body. */
async function call(app: express.Express, path: string, init: { method?: string; headers?: Record<string, string> } = {}) {
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  const answer = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, init);
  const text = await answer.text();
  server.close();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const headers: Record<string, string> = {};
  answer.headers.forEach((value, name) => (headers[name] = value));
  return { status: answer.status, headers, text, body };
}

describe('validator route patterns (memoized path-to-regexp)', () => {
  const require = createRequire(import.meta.url);
  const fromValidator = createRequire(require.resolve('express-openapi-validator'));
  const module = fromValidator('path-to-regexp') as { pathToRegexp: (path: unknown, options?: Record<string, unknown>) => { regexp: RegExp } };
  memoizeValidatorRoutePatterns();

  it('compiles a path once per option set and keeps option sets apart', () => {
    const sensitive = module.pathToRegexp('/api/v1/Account/:id', { sensitive: true, strict: false });
    expect(module.pathToRegexp('/api/v1/Account/:id', { sensitive: true, strict: false })).toBe(sensitive);
    expect(module.pathToRegexp('/api/v1/Account/:id', { strict: false, sensitive: true })).toBe(sensitive);
    const insensitive = module.pathToRegexp('/api/v1/Account/:id', { sensitive: false, strict: false });
    expect(insensitive).not.toBe(sensitive);
    expect(sensitive.regexp.test('/api/v1/account/1')).toBe(false);
    expect(insensitive.regexp.test('/api/v1/account/1')).toBe(true);
    // `end: false` differs from `end` absent (which means true)
    const open = module.pathToRegexp('/api/v1/Account', { end: false });
    expect(open).not.toBe(module.pathToRegexp('/api/v1/Account', {}));
    expect(open.regexp.test('/api/v1/Account/x')).toBe(true);
  });

  it('compiles options it cannot key (a function) every time', () => {
    const decode = (value: string) => value;
    expect(module.pathToRegexp('/a/:b', { decode })).not.toBe(module.pathToRegexp('/a/:b', { decode }));
  });
});

describe('series', () => {
  const app = express();
  const steps: string[] = [];
  app.use(
    series(
      (_req, _res, next) => {
        steps.push('sync');
        next();
      },
      async (_req, _res, next) => {
        await Promise.resolve();
        steps.push('async');
        next();
      },
      (req, _res, next) => {
        if (req.path === '/throw') throw new Error('thrown');
        next();
      },
      async (req, _res, next) => {
        if (req.path === '/reject') throw new Error('rejected');
        next();
      },
      (req, _res, next) => (req.path === '/next-error' ? next(new Error('passed')) : next()),
    ),
  );
  app.get('/{*any}', (_req, res) => {
    res.json({ ok: true });
  });
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ error: error.message });
  });

  it('runs every step in order, then the next layer', async () => {
    steps.length = 0;
    const answer = await call(app, '/x');
    expect(answer.status).toBe(200);
    expect(steps).toEqual(['sync', 'async']);
  });

  it.each([
    ['/throw', 'thrown'],
    ['/reject', 'rejected'],
    ['/next-error', 'passed'],
  ])('hands %s to the error handler', async (path, message) => {
    const answer = await call(app, path);
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({ error: message });
  });
});

describe('jsonResponses', () => {
  const app = express();
  app.set('etag', false);
  jsonResponses(app);
  const big = { text: 'x'.repeat(5000), name: 'Ünïcode ✓' };
  app.get('/big', (_req, res) => res.json(big));
  app.get('/undefined', (_req, res) => res.json(undefined));
  app.get('/typed', (_req, res) => res.type('text/plain').json({ a: 1 }));
  app.get('/set', (_req, res) => res.set('Content-Type', 'application/json; charset=utf-8').end('{}'));

  it('answers the JSON with exactly `application/json` and its byte length', async () => {
    const answer = await call(app, '/big');
    expect(answer.headers['content-type']).toBe('application/json');
    expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(JSON.stringify(big)));
    expect(answer.body).toEqual(big);
  });

  it('sends no body for HEAD and for undefined', async () => {
    const head = await call(app, '/big', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    const none = await call(app, '/undefined');
    expect(none.status).toBe(200);
    expect(none.text).toBe('');
  });

  it("leaves other content types and conditional requests to Express's own res.json", async () => {
    expect((await call(app, '/typed')).headers['content-type']).toBe('text/plain; charset=utf-8');
    const plain = express();
    plain.set('etag', false);
    plain.get('/big', (_req, res) => res.json(big));
    for (const headers of [{ 'If-None-Match': '*' }, { 'If-Modified-Since': new Date().toUTCString() }] as Record<string, string>[]) {
      const ours = await call(app, '/big', { headers });
      const express5 = await call(plain, '/big', { headers });
      expect(ours.status).toBe(express5.status);
      expect(ours.text).toBe(express5.text);
    }
  });

  it('strips the charset Express adds to a JSON content type', async () => {
    expect((await call(app, '/set')).headers['content-type']).toBe('application/json');
  });
});
