/**
 * `espo-conformance`: parses the arguments, runs the kit, prints or writes the report, and maps the result to
 * the exit status. Ctrl-C / SIGTERM stop the checks and still clean up (a second Ctrl-C exits at once).
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { catalog, renderList } from './catalog.js';
import { parseCliArgs, USAGE, type CliOptions } from './cli-args.js';
import { renderJson } from './reporters/json.js';
import { renderJunit } from './reporters/junit.js';
import { progressPrinter, renderHeader, renderText } from './reporters/text.js';
import { resolveApiRoot } from '../client/base-url.js';
import type { Report } from './report.js';
import { runConformance } from './runner.js';
import { KIT_VERSION } from './version.js';

export const EXIT = { ok: 0, failed: 1, usage: 2, fatal: 3, interrupted: 130 } as const;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Terminal: colours and progress lines. */
  isTty: boolean;
}

const defaultIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isTty: process.stdout.isTTY === true,
};

export function render(report: Report, options: Pick<CliOptions, 'report' | 'verbose' | 'color'>): string {
  switch (options.report) {
    case 'json':
      return renderJson(report);
    case 'junit':
      return renderJunit(report);
    default:
      return renderText(report, { verbose: options.verbose, color: options.color });
  }
}

export async function main(argv: readonly string[], io: CliIo = defaultIo, signal?: AbortSignal): Promise<number> {
  const parsed = parseCliArgs(argv, io.env);
  if (parsed.kind === 'help') {
    io.stdout(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (parsed.kind === 'version') {
    io.stdout(`${KIT_VERSION}\n`);
    return EXIT.ok;
  }
  if (parsed.kind === 'list') {
    io.stdout(renderList(catalog()));
    return EXIT.ok;
  }
  if (parsed.kind === 'error') {
    io.stderr(`espo-conformance: ${parsed.message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  const options = parsed.options;
  // Colours only on a terminal, and never with NO_COLOR set (https://no-color.org).
  const color = options.color && io.isTty && (io.env['NO_COLOR'] ?? '') === '';

  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (name: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) {
      io.stderr(`\n${name} again: exiting without cleanup (records named conformance-… may be left over)\n`);
      process.exit(EXIT.interrupted);
    }
    io.stderr(`\n${name}: stopping the checks and cleaning up (press Ctrl-C again to exit at once)\n`);
    controller.abort(new Error(`interrupted by ${name}`));
  };
  const forward = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', forward, { once: true });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let report: Report;
  const runId = randomBytes(4).toString('hex');
  try {
    io.stderr(
      renderHeader({
        baseUrl: options.baseUrl,
        apiRoot: resolveApiRoot(options.baseUrl).url,
        auth: 'username' in options.auth ? 'password' : options.auth.secretKey ? 'hmac' : 'api-key',
        marker: `conformance-${runId}`,
        strict: options.strict,
        version: KIT_VERSION,
      }),
    );
    report = await runConformance({
      runId,
      baseUrl: options.baseUrl,
      auth: options.auth,
      only: options.only,
      checks: options.checks,
      strict: options.strict,
      fuzz: options.fuzz,
      ...(options.fuzzSeed !== undefined ? { fuzzSeed: options.fuzzSeed } : {}),
      timeoutMs: options.timeoutMs,
      signal: controller.signal,
      onProgress: progressPrinter(io.stderr, color),
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    signal?.removeEventListener('abort', forward);
  }

  const output = render(report, { ...options, color: options.out ? false : color });
  if (options.out) {
    writeFileSync(options.out, output);
    if (options.report !== 'text') io.stdout(renderText(report, { verbose: options.verbose, color }));
    io.stderr(`report written to ${options.out}\n`);
  } else {
    io.stdout(output);
  }
  if (report.fatal) return EXIT.fatal;
  if (report.aborted) return EXIT.interrupted;
  return report.ok ? EXIT.ok : EXIT.failed;
}
