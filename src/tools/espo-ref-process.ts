/**
 * Starting `espo-ref` as a child process from a clone (tests, the benchmark, the campaign): the launcher and
 * the wait for the serve banner.
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The clone's `espo-ref` launcher (runs the TypeScript sources through tsx). */
export const ESPO_REF = fileURLToPath(new URL('../server/cli/espo-ref.mjs', import.meta.url));

/**
 * The origin (`http://127.0.0.1:PORT`) that `espo-ref serve` prints in its banner on stderr, once the
 * banner's `readyLine` is out too (`Try:` is its last line; `Workers:` follows under --workers > 1).
 * Rejects with the process's output when it exits first, or after `timeoutMs` when given.
 */
export function bannerOrigin(child: ChildProcess, readyLine = /Try: /, timeoutMs?: number): Promise<string> {
  let banner = '';
  let logs = '';
  return new Promise((resolve, reject) => {
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => reject(new Error(`espo-ref serve printed no banner within ${timeoutMs} ms:\n${banner}${logs}`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => (logs = (logs + chunk.toString('utf8')).slice(-4000)));
    child.stderr!.on('data', (chunk: Buffer) => {
      banner += chunk.toString('utf8');
      const match = /API: +(http:\/\/127\.0\.0\.1:\d+)\/api\/v1/.exec(banner);
      if (match && readyLine.test(banner)) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`espo-ref serve exited (${code ?? signal}) before it was ready:\n${banner}${logs}`));
    });
  });
}
