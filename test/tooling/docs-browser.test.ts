/**
 * docs/index.html (npm run docs) in headless Chromium, fully offline:
 *  - served by a tiny static server on 127.0.0.1; every request to another host is intercepted, so no
 *    traffic leaves the machine;
 *  - every operation of generated/openapi.yaml is listed in the sidebar (by operationId in the link and by
 *    summary + method in the label);
 *  - the console shows no errors and the page throws none;
 *  - the page requests nothing from the network except Redocly's optional "API docs by" logo, which is
 *    answered locally with a stub (offline, the real page logs one failed load for it and hides the logo).
 * Skips, naming what is missing, when Chromium is not installed (test/support/browser.ts launches it).
 *
 * Plus: docs/index.html is not stale (rebuilt into a temporary file and compared byte for byte; redocly
 * build-docs output is deterministic).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOperations } from '../../src/spec/bundle.js';
import { checkDocsFresh, DOCS_OUTPUT, DOCS_TITLE } from '../../src/tools/build-docs.js';
import { PROJECT_ROOT } from '../../src/tools/run.js';
import { BROWSER_HOOK_TIMEOUT_MS, BROWSER_TEST_TIMEOUT_MS, browserUnavailable, CHROMIUM_PATH, launchChromium, openPage, PAGE_TIMEOUT_MS, servePage } from '../support/browser.js';

const unavailable = browserUnavailable();
/** $DOCS_HTML checks another build of the page in the browser (the staleness test always uses docs/index.html). */
const DOCS_FILE = process.env['DOCS_HTML'] ?? join(PROJECT_ROOT, DOCS_OUTPUT);
/** External assets the page may ask for; answered with a local stub, never fetched. */
const OPTIONAL_ASSETS = [/^https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(-full)?\.svg$/];
const STUB_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>';

if (unavailable) console.warn(`docs-browser.test.ts: SKIPPING the browser checks: ${unavailable}.`);

describe(DOCS_OUTPUT, () => {
  it('is not stale: a fresh `npm run docs` build is byte-identical', { timeout: 180_000 }, async () => {
    const { ok, message } = await checkDocsFresh();
    expect(ok, message).toBe(true);
  });
});

// Declared only when skipping: a skipped placeholder still shows its title in the report.
if (unavailable) {
  describe(`${DOCS_OUTPUT} in headless Chromium`, () => {
    it.skip(`SKIPPED: ${unavailable}`, () => {});
  });
}

describe.skipIf(unavailable !== undefined)(`${DOCS_OUTPUT} in headless Chromium (${CHROMIUM_PATH})`, () => {
  let server: Server;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    if (!existsSync(DOCS_FILE)) throw new Error(`${DOCS_OUTPUT} does not exist: run npm run docs`);
    const html = readFileSync(DOCS_FILE);
    let origin: string;
    ({ server, origin } = await servePage(html));
    baseUrl = `${origin}/`;
    browser = await launchChromium();
  }, BROWSER_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  it('lists every operation of the bundle, renders offline, and logs no console errors', { timeout: BROWSER_TEST_TIMEOUT_MS }, async () => {
    const operations = listOperations();
    expect(operations.length).toBeGreaterThan(0);

    const page = await openPage(browser);
    const consoleErrors: string[] = [];
    const unexpectedRequests: string[] = [];
    const stubbed: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(`${msg.text()} (${msg.location().url})`);
    });
    page.on('pageerror', (err) => consoleErrors.push(`uncaught: ${err.message}`));
    await page.route('**/*', async (route) => {
      const url = route.request().url();
      const { protocol, hostname } = new URL(url);
      if (hostname === '127.0.0.1' || protocol === 'data:' || protocol === 'blob:') return route.continue();
      if (OPTIONAL_ASSETS.some((re) => re.test(url))) {
        stubbed.push(url);
        return route.fulfill({ status: 200, contentType: 'image/svg+xml', body: STUB_SVG });
      }
      unexpectedRequests.push(url);
      return route.abort('blockedbyclient');
    });

    await page.goto(baseUrl, { waitUntil: 'networkidle' });
    expect(await page.title()).toBe(DOCS_TITLE);
    expect(unexpectedRequests, 'the page tried to load external resources (built without --inlineBundle?)').toEqual([]);

    // Redoc 3 shows one collapsed sidebar group per tag. Open them one at a time (a click toggles, and
    // opening one group may close another) and collect each group's operations while it is open.
    await page.waitForSelector('.menu-item-type-group');
    const groups = page.locator('.menu-item-type-group');
    const items: { href: string; label: string }[] = [];
    for (let i = 0; i < (await groups.count()); i++) {
      const group = groups.nth(i);
      const ops = group.locator('.menu-item-type-operation');
      // A click before the page has hydrated is lost: click again only while the group is still closed,
      // after waiting long enough that a slow (not lost) click has surely taken effect.
      for (let attempt = 0; attempt < 4 && (await ops.count()) === 0; attempt++) {
        await group.locator('li[data-testid="menu-item-label"]').first().click();
        await ops.first().waitFor({ timeout: 30_000 }).catch(() => undefined);
      }
      items.push(
        ...(await ops.evaluateAll((els) =>
          els.map((el) => ({
            href: el.querySelector('a')?.getAttribute('href') ?? '',
            label: (el as HTMLElement).innerText.replace(/\s+/g, ' ').trim(),
          })),
        )),
      );
    }
    const byId = new Map(items.map((item) => [item.href.split('/').pop()?.toLowerCase(), item]));
    const missing: string[] = [];
    for (const { operationId, method, path, operation } of operations) {
      const item = byId.get(operationId.toLowerCase());
      const expected = `${operation.summary ?? ''} ${method.toUpperCase()}`.trim();
      if (!item) missing.push(`${operationId} (${method.toUpperCase()} ${path}): not in the sidebar`);
      else if (item.label !== expected) missing.push(`${operationId}: label "${item.label}", expected "${expected}"`);
    }
    expect(missing, `operations missing from the rendered docs:\n${missing.join('\n')}`).toEqual([]);
    expect(items.length).toBe(operations.length);

    // Opening an operation renders its section (hydrated page, not only the prerendered markup). Use one of
    // the group opened last: opening a group may have closed the earlier ones.
    const last = items[items.length - 1]!;
    const target = operations.find((op) => last.href.toLowerCase().endsWith(`/${op.operationId.toLowerCase()}`))!;
    await page.locator(`.menu-item-type-operation a[href="${last.href}"]`).click();
    await expect
      .poll(() => page.evaluate(() => document.body.innerText), { timeout: PAGE_TIMEOUT_MS })
      .toContain(target.operation.summary ?? target.operationId);

    expect(unexpectedRequests, 'the page tried to load external resources').toEqual([]);
    expect(stubbed.every((url) => OPTIONAL_ASSETS.some((re) => re.test(url)))).toBe(true);
    expect(consoleErrors, 'console errors').toEqual([]);
    await page.close();
  });
});
