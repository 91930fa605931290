/**
 * What a reader of docs/index.html sees, in headless Chromium:
 *  - the page requests nothing from any host but its own (every request is recorded, none intercepted;
 *    the browser's host resolver knows only 127.0.0.1, so nothing could leave the machine anyway);
 *  - no raw markdown: no literal backtick in the rendered text of the overview or of an operation;
 *  - no link to EspoCRM's repository (the project's own links only);
 *  - the code samples of src/tools/code-samples.ts are shown for every operation of the table, in each of
 *    the four languages, exactly as generated.
 * Skips, saying what is missing, when Chromium is absent. $DOCS_HTML checks another build of the page.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundle } from '../../src/spec/bundle.js';
import { DOCS_OUTPUT } from '../../src/tools/build-docs.js';
import { codeSamples, SAMPLE_REQUESTS } from '../../src/tools/code-samples.js';
import { PROJECT_ROOT } from '../../src/tools/run.js';
import { BROWSER_HOOK_TIMEOUT_MS, browserUnavailable, launchChromium, PAGE_TIMEOUT_MS, servePage } from '../support/browser.js';

const MISSING_CHROMIUM = browserUnavailable();
const hasChromium = MISSING_CHROMIUM === undefined;

const DOCS_FILE = process.env['DOCS_HTML'] ?? join(PROJECT_ROOT, DOCS_OUTPUT);

if (!hasChromium) console.warn(`docs-page.test.ts: SKIPPING the docs page checks: ${MISSING_CHROMIUM}.`);

if (!hasChromium) {
  describe(`${DOCS_OUTPUT} as a reader sees it`, () => {
    it.skip(`SKIPPED: ${MISSING_CHROMIUM}`, () => {});
  });
}

/** Whitespace-insensitive form, to compare a code block's rendered text with its source. */
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The docs page's route of an operation: `#/<tag, lower case, dashes>/<operationId, lower case>`. */
function route(operationId: string): string {
  for (const pathItem of Object.values(loadBundle().paths)) {
    for (const operation of Object.values(pathItem)) {
      if (typeof operation === 'object' && operation && 'operationId' in operation && operation.operationId === operationId) {
        const tag = String((operation.tags as string[])[0]).toLowerCase().replace(/\s+/g, '-');
        return `#/${tag}/${operationId.toLowerCase()}`;
      }
    }
  }
  throw new Error(`no operation ${operationId}`);
}

describe.skipIf(!hasChromium)(`${DOCS_OUTPUT} as a reader sees it (headless Chromium)`, () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let origin: string;
  const requests: string[] = [];

  beforeAll(async () => {
    const html = readFileSync(DOCS_FILE);
    ({ server, origin } = await servePage(html));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`${origin}/`, { waitUntil: 'networkidle', timeout: 120_000 });
  }, BROWSER_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  const text = () => page.evaluate(() => document.body.innerText);
  const links = () => page.evaluate(() => Array.from(document.querySelectorAll('a[href]')).map((a) => a.getAttribute('href') ?? ''));

  /** Rendered text without raw markdown, and links without EspoCRM's repository. */
  async function expectCleanPage(where: string): Promise<void> {
    const rendered = await text();
    const backticks = rendered.split('\n').filter((line) => line.includes('`'));
    expect(backticks, `${where}: raw markdown (backticks) in the rendered text`).toEqual([]);
    expect((await links()).filter((href) => /github\.com\/espocrm/i.test(href)), `${where}: links to EspoCRM's repository`).toEqual([]);
  }

  it('renders the overview without raw markdown or links to EspoCRM’s repository', { timeout: 120_000 }, async () => {
    expect(await text()).toContain(loadBundle().info.title);
    await expectCleanPage('overview');
    // The Redocly attribution stays, with its logo inlined.
    const logos = await page.evaluate(() => Array.from(document.querySelectorAll('img[alt="redocly logo"]')).map((img) => img.getAttribute('src') ?? ''));
    expect(logos.length).toBeGreaterThan(0);
    expect(logos.every((src) => src.startsWith('data:image/svg+xml,'))).toBe(true);
  });

  it('shows every code sample of the table, in each language, as generated', { timeout: 300_000 }, async () => {
    let current = 'curl';
    for (const [index, { label }] of codeSamples(SAMPLE_REQUESTS[0]!).entries()) {
      for (const request of SAMPLE_REQUESTS) {
        await page.goto(`${origin}/${route(request.operationId)}`, { timeout: 60_000 });
        await expect.poll(text, { timeout: 30_000 }).toContain(request.method);
        if (label !== current) {
          // Redoc keeps the chosen language for all operations: switch once, on the first one.
          await page.getByRole('button', { name: current, exact: true }).first().click();
          await page.getByRole('menuitem', { name: label, exact: true }).click();
          current = label;
        }
        const sample = codeSamples(request)[index]!;
        expect(sample.label).toBe(label);
        await expect
          .poll(async () => squash(await text()).includes(squash(sample.source)), { timeout: 30_000, message: `${request.operationId} ${label}` })
          .toBe(true);
        await expectCleanPage(`${request.operationId} (${label})`);
      }
    }
  });

  it('made no request to any host but its own', () => {
    expect(requests.length).toBeGreaterThan(0);
    const foreign = requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith(`blob:${origin}/`) && !url.startsWith('data:'));
    expect(foreign).toEqual([]);
  });
});
