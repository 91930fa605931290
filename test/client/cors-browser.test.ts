/**
 * The typed client in a browser page on another origin, against the reference server:
 *  - the client (src/client) is bundled for the browser with esbuild and served, with a page, by a small
 *    static server on its own port of 127.0.0.1, so the page's origin differs from the API's;
 *  - with CORS allowing the page's origin, the page creates, searches, updates and deletes accounts with
 *    an API key and with HMAC (Web Crypto), and reads an error's X-Status-Reason; the server logs the
 *    browser's preflights, answered 204 without credentials;
 *  - with CORS off, and from an origin the list does not contain (`localhost` instead of `127.0.0.1`),
 *    the browser blocks the same calls.
 * No request may go to a host other than 127.0.0.1/localhost. Skips, saying what is missing, when
 * Chromium is absent.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CORS_SETTINGS } from '../../src/server/http/cors.js';
import { PROJECT_ROOT } from '../../src/tools/run.js';
import { BROWSER_HOOK_TIMEOUT_MS, browserUnavailable, launchChromium, PAGE_TIMEOUT_MS } from '../support/browser.js';
import { startServer, type TestServer } from '../support/server.js';
import type { RoundTripArgs, RoundTripResult } from './support/cross-origin-page.js';

const MISSING_CHROMIUM = browserUnavailable();
const hasChromium = MISSING_CHROMIUM === undefined;

if (!hasChromium) console.warn(`cors-browser.test.ts: SKIPPING the cross-origin browser test: ${MISSING_CHROMIUM}.`);

if (!hasChromium) {
  describe('the client in a page on another origin', () => {
    it.skip(`SKIPPED: ${MISSING_CHROMIUM}`, () => {});
  });
}

describe.skipIf(!hasChromium)('the client in a page on another origin (headless Chromium)', () => {
  let pageServer: Server;
  let pageOrigin: string;
  let corsServer: TestServer;
  let plainServer: TestServer;
  let browser: Browser;
  const corsLog: { method: string; path: string; status: number; userId?: string }[] = [];

  beforeAll(async () => {
    const bundle = await build({
      entryPoints: [join(PROJECT_ROOT, 'test/client/support/cross-origin-page.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    const script = bundle.outputFiles[0]!.contents;
    pageServer = createServer((req, res) => {
      if (req.url === '/') {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><html><head><title>Cross-origin page</title><script type="module" src="/page.js"></script></head><body>CRM widget</body></html>');
      } else if (req.url === '/page.js') {
        res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' });
        res.end(script);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
    pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;

    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) corsLog.push(JSON.parse(line));
        done();
      },
    });
    corsServer = await startServer({
      logger: pino({ level: 'info' }, logStream),
      app: { cors: { ...DEFAULT_CORS_SETTINGS, allowedOriginList: [pageOrigin] } },
    });
    plainServer = await startServer();
    browser = await launchChromium();
  }, BROWSER_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await corsServer?.close();
    await plainServer?.close();
    await new Promise((resolve) => (pageServer ? pageServer.close(resolve) : resolve(undefined)));
  });

  /**
   * A fresh page on `origin`, recording requests to hosts other than the loopback ones (the launcher's
   * host resolver rules keep them from leaving the machine). Not page.route: with interception on,
   * Playwright answers CORS preflights itself, which would defeat this test.
   */
  async function openPage(origin: string): Promise<{ page: Page; external: string[] }> {
    const page = await browser.newPage();
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    const external: string[] = [];
    page.on('request', (request) => {
      const { hostname } = new URL(request.url());
      if (hostname !== '127.0.0.1' && hostname !== 'localhost') external.push(request.url());
    });
    await page.goto(`${origin}/`, { timeout: 60_000 });
    expect(await page.title()).toBe('Cross-origin page');
    await page.waitForFunction(() => 'roundTrip' in globalThis, undefined, { timeout: 60_000 });
    return { page, external };
  }

  /** Runs the page's round trip (test/client/support/cross-origin-page.ts) against `server`. */
  function roundTrip(page: Page, server: TestServer, name: string): Promise<RoundTripResult> {
    const args: RoundTripArgs = { baseUrl: server.baseUrl, apiKey: server.apiKey, secretKey: server.hmac.secretKey, name };
    return page.evaluate(
      (a) => (globalThis as unknown as { roundTrip: (a: RoundTripArgs) => Promise<RoundTripResult> }).roundTrip(a),
      args,
    );
  }

  it('reaches the API through the client when CORS allows the page origin', { timeout: 120_000 }, async () => {
    const { page, external } = await openPage(pageOrigin);
    const name = `Cross-origin ${Date.now()}`;
    const result = await roundTrip(page, corsServer, name);
    await page.close();

    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({
      ok: true,
      createdName: name,
      found: [name],
      total: 1,
      hmacWebsite: 'https://cors.example',
      failureStatus: 400,
      deletedStatus: 200,
    });
    // X-Status-Reason is readable across origins only because the server exposes it.
    expect(result.failureReason).toBeTruthy();
    expect(external).toEqual([]);

    // The browser sent preflights (custom headers, PUT, DELETE); they were answered before authentication.
    const preflights = corsLog.filter((line) => line.method === 'OPTIONS');
    expect(preflights.length).toBeGreaterThan(0);
    expect(preflights.every((line) => line.status === 204 && line.userId === undefined)).toBe(true);
    expect(new Set(preflights.map((line) => line.path))).toContain('/api/v1/Account');
  });

  it('is blocked by the browser when CORS is off', { timeout: 120_000 }, async () => {
    const { page } = await openPage(pageOrigin);
    const result = await roundTrip(page, plainServer, 'Blocked');
    await page.close();
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/TypeError: Failed to fetch/);
    const count = await plainServer.app.database.db.selectFrom('account').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n), 'nothing reached the handler: the preflight failed').toBe(0);
  });

  it('is blocked by the browser for an origin the list does not contain', { timeout: 120_000 }, async () => {
    const otherOrigin = pageOrigin.replace('127.0.0.1', 'localhost');
    const { page } = await openPage(otherOrigin);
    const result = await roundTrip(page, corsServer, 'Blocked');
    await page.close();
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/TypeError: Failed to fetch/);
  });
});
