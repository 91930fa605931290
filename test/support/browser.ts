/**
 * Headless Chromium for the browser tests: one launcher, so every test launches the same way and with the
 * same patience. Chromium on a loaded 2-core machine can take well over a minute to start, so launches get a
 * long timeout and one retry, and pages get long default timeouts; none of these is a speed check.
 *
 * Which Chromium: $CHROMIUM_PATH, else Debian's /usr/bin/chromium (apt-get install -y chromium; .ci/run
 * installs it). Playwright gives every launch a fresh temporary profile (user-data-dir), removed on close,
 * so runs never share state.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';

/** Chromium is started without anything that talks to the network or writes outside its profile. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
  // Nothing but the loopback hosts resolves: no request can leave the machine.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

/** One launch attempt may take this long. */
export const LAUNCH_TIMEOUT_MS = 150_000;
/** Default for page actions and navigations. */
export const PAGE_TIMEOUT_MS = 120_000;
/** For the `beforeAll` that launches: two attempts plus slack. */
export const BROWSER_HOOK_TIMEOUT_MS = 2 * LAUNCH_TIMEOUT_MS + 60_000;
/** For a test that drives a page through several steps. */
export const BROWSER_TEST_TIMEOUT_MS = 300_000;

/**
 * Why the browser tests cannot run here, naming exactly what is missing; undefined when they can.
 * Checked before the test file's suites are declared, so a skip says why.
 */
export function browserUnavailable(): string | undefined {
  if (!existsSync(CHROMIUM_PATH)) {
    return `${CHROMIUM_PATH} does not exist (apt-get install -y chromium, or set CHROMIUM_PATH)`;
  }
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
  } catch {
    return `${CHROMIUM_PATH} is not executable`;
  }
  return undefined;
}

/** Launches headless Chromium; a launch that fails or times out is retried once (then the error is thrown). */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  let lastError: unknown;
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      return await chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, timeout: LAUNCH_TIMEOUT_MS });
    } catch (error) {
      lastError = error;
      if (attempt === 1) console.warn(`Chromium launch failed, retrying once: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`Chromium (${CHROMIUM_PATH}) did not start in two attempts of ${LAUNCH_TIMEOUT_MS / 1000} s`, { cause: lastError });
}

/** A new page (in its own context) with the long default timeouts. */
export async function openPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  page.setDefaultTimeout(PAGE_TIMEOUT_MS);
  page.setDefaultNavigationTimeout(PAGE_TIMEOUT_MS);
  return page;
}

/** Serves one HTML page at `/` (and `/index.html`) on a free port of 127.0.0.1; anything else is 404. */
export async function servePage(html: Buffer | string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    if (req.url === '/' || req.url === '/index.html') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(html);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
