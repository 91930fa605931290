/** The readable report: a progress line per group while running, then failures, deviations, skips and a summary table. */
import type { ProgressEvent } from '../context.js';
import type { CheckResult, Finding, GroupResult, Report } from '../report.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export interface TextOptions {
  /** Print the replay curl command of every failure (always printed for fuzz cases). */
  verbose?: boolean;
  /** ANSI colours. */
  color?: boolean;
}

function paint(color: boolean | undefined, code: number, text: string): string {
  return color ? `\u001b[${code}m${text}\u001b[0m` : text;
}

export function groupLine(result: GroupResult, color?: boolean): string {
  const { counts } = result;
  const mark = counts.failed > 0 ? paint(color, 31, '✗') : paint(color, 32, '✓');
  const parts = [`${counts.passed} passed`];
  if (counts.failed) parts.push(paint(color, 31, `${counts.failed} failed`));
  if (counts.deviations) parts.push(paint(color, 33, `${counts.deviations} deviation${counts.deviations === 1 ? '' : 's'}`));
  if (counts.skipped) parts.push(`${counts.skipped} skipped`);
  const head = `  ${result.name.padEnd(7)} ${mark} ${String(counts.checks).padStart(3)} checks: ${parts.join(', ')}`;
  return `${head.padEnd(color ? 80 : 64)} ${seconds(result.durationMs).padStart(7)}`;
}

/** Progress printer for the CLI: one line when a group ends. */
export function progressPrinter(write: (line: string) => void, color?: boolean): (event: ProgressEvent) => void {
  return (event) => {
    if (event.type === 'group-end' && event.result) write(`${groupLine(event.result, color)}\n`);
  };
}

function findingLines(finding: Finding, verbose: boolean | undefined): string[] {
  const lines = [`     ${finding.rule ? `[${finding.rule}] ` : ''}${finding.message}`];
  if (finding.request) lines.push(`       request:  ${finding.request}`);
  if (finding.location) lines.push(`       at:       ${finding.location}`);
  if (finding.expected !== undefined) lines.push(`       expected: ${finding.expected}`);
  if (finding.actual !== undefined) lines.push(`       actual:   ${finding.actual}`);
  if (verbose && finding.curl) lines.push(`       replay:   ${finding.curl}`);
  return lines;
}

function checkHeader(index: number, check: CheckResult): string {
  return ` ${String(index).padStart(3)}) ${check.id} — ${check.title}`;
}

export function renderText(report: Report, options: TextOptions = {}): string {
  const { color, verbose } = options;
  const out: string[] = [];
  out.push('');
  if (report.fatal) {
    out.push(paint(color, 31, `ERROR: ${report.fatal}`));
    out.push('');
  }
  const failed = report.groups.flatMap((g) => g.checks).filter((c) => c.outcome === 'failed');
  if (failed.length) {
    out.push(paint(color, 31, `FAILURES (${failed.length} checks)`));
    failed.forEach((check, i) => {
      out.push(checkHeader(i + 1, check));
      for (const finding of check.findings) if (finding.severity === 'failure') out.push(...findingLines(finding, verbose));
    });
    out.push('');
  }
  if (report.fuzz?.failures.length) {
    out.push(paint(color, 31, `FUZZ FAILURES (${report.fuzz.failures.length}, shrunk; seed ${report.fuzz.seed})`));
    report.fuzz.failures.forEach((f, i) => {
      out.push(` ${String(i + 1).padStart(3)}) ${f.property}: ${f.message}`);
      out.push(`       request:  ${f.request}`);
      out.push(`       replay:   ${f.curl}`);
    });
    out.push('');
  }
  const deviated = report.groups.flatMap((g) => g.checks).filter((c) => c.findings.some((f) => f.severity === 'deviation'));
  if (deviated.length) {
    out.push(paint(color, 33, `DEVIATIONS (${deviated.length} checks): known differences of EspoCRM from the contract, not failures (see --strict)`));
    deviated.forEach((check, i) => {
      out.push(checkHeader(i + 1, check));
      for (const finding of check.findings) if (finding.severity === 'deviation') out.push(...findingLines(finding, false));
    });
    out.push('');
  }
  const skipped = report.groups.flatMap((g) => g.checks).filter((c) => c.outcome === 'skipped');
  if (skipped.length) {
    out.push(`SKIPPED (${skipped.length} checks)`);
    for (const check of skipped) out.push(`  ${check.id}: ${check.skipReason}`);
    out.push('');
  }
  out.push('SUMMARY');
  out.push('  group    checks  passed  failed  deviations  skipped  requests     time');
  const row = (name: string, c: { checks: number; passed: number; failed: number; deviations: number; skipped: number }, requests: number, ms: number) =>
    `  ${name.padEnd(7)} ${String(c.checks).padStart(7)} ${String(c.passed).padStart(7)} ${String(c.failed).padStart(7)} ${String(c.deviations).padStart(11)} ${String(c.skipped).padStart(8)} ${String(requests).padStart(9)} ${seconds(ms).padStart(8)}`;
  for (const g of report.groups) out.push(row(g.name, g.counts, g.requests, g.durationMs));
  out.push(row('total', report.summary, report.summary.requests, report.durationMs));
  if (report.fuzz) {
    out.push('');
    out.push(`  fuzz: ${report.fuzz.properties.length} properties × ${report.fuzz.runsPerProperty} runs, seed ${report.fuzz.seed} (replay with --fuzz-seed ${report.fuzz.seed})`);
  }
  if (report.deviationRules.length) {
    out.push('');
    out.push('  deviation rules that matched:');
    for (const rule of report.deviationRules) out.push(`    ${rule.id} (${rule.count}×): ${rule.title}`);
  }
  const c = report.cleanup;
  out.push('');
  out.push(
    `Cleanup: ${c.created} records created, ${c.deleted} deleted, ${c.alreadyGone} already gone, ${c.swept} found by the sweep, ${c.leftovers.length} left over` +
      (c.notDeletable.length ? ` (${c.notDeletable.length} stream posts stay with their deleted accounts: the contract has no delete for notes)` : '') +
      '.',
  );
  for (const leftover of c.leftovers) out.push(paint(color, 31, `  left over: ${leftover.type} ${leftover.id}: ${leftover.reason}`));
  const verdict = report.fatal
    ? paint(color, 31, 'Result: ERROR')
    : report.aborted
      ? paint(color, 31, 'Result: ABORTED (interrupted; cleanup ran)')
      : report.ok
        ? paint(color, 32, `Result: PASSED${report.strict ? ' (strict)' : ''}`)
        : paint(color, 31, `Result: FAILED (${report.summary.failed} failed checks${c.leftovers.length ? `, ${c.leftovers.length} records left over` : ''})`);
  out.push(verdict);
  out.push('');
  return out.join('\n');
}

export function renderHeader(report: { baseUrl: string; apiRoot: string; auth: string; marker: string; strict: boolean; version: string }): string {
  return `espo-conformance ${report.version}: ${report.apiRoot} (${report.auth}${report.strict ? ', strict' : ''}), run marker ${report.marker}\n`;
}
