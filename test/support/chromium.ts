/**
 * Headless Chromium for the browser tests: generous timeouts (a loaded machine can take a minute to start
 * it) and one retry, so a slow start does not fail the run.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const MISSING_CHROMIUM = `${CHROMIUM} is missing (install it with apt-get install -y chromium, or set CHROMIUM_PATH)`;

/** For beforeAll: two launches of up to 90 s each. */
export const LAUNCH_BUDGET_MS = 190_000;

export async function launchChromium(): Promise<Browser> {
  const launch = () =>
    chromium.launch({
      executablePath: CHROMIUM,
      timeout: 90_000,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-quic',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
        // Nothing but the loopback host resolves: no request can leave the machine.
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
      ],
    });
  try {
    return await launch();
  } catch (first) {
    console.warn(`Chromium did not start (${(first as Error).message.split('\n')[0]}); retrying once.`);
    return launch();
  }
}
