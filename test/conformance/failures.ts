import type { Report } from '../../src/conformance/report.js';

export interface FailureSummary {
  check: string;
  message: string;
}

/** Every failure of a report, by check ID and message, for readable assertions. */
export function failuresOf(report: Report): FailureSummary[] {
  return report.groups.flatMap((g) =>
    g.checks.flatMap((c) => c.findings.filter((f) => f.severity === 'failure').map((f) => ({ check: c.id, message: `${f.message} — ${f.actual ?? ''}` }))),
  );
}
