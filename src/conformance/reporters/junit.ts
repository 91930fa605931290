/**
 * JUnit XML for CI systems: one testsuite per group, one testcase per check. Failures are <failure>,
 * skipped checks <skipped>; deviations pass (they are known EspoCRM differences) and are listed in
 * <system-out>. Leftover records and a fatal error get testcases of their own.
 */
import type { CheckResult, Finding, Report } from '../report.js';

export function xmlEscape(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const secs = (ms: number) => (ms / 1000).toFixed(3);

function findingText(f: Finding): string {
  return [
    f.message,
    f.request ? `request:  ${f.request}` : '',
    f.location ? `at:       ${f.location}` : '',
    f.expected !== undefined ? `expected: ${f.expected}` : '',
    f.actual !== undefined ? `actual:   ${f.actual}` : '',
    f.curl ? `replay:   ${f.curl}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

function testcase(check: CheckResult): string {
  const attrs = `classname="espo-conformance.${xmlEscape(check.group)}" name="${xmlEscape(`${check.id}: ${check.title}`)}" time="${secs(check.durationMs)}"`;
  const body: string[] = [];
  const failures = check.findings.filter((f) => f.severity === 'failure');
  if (failures.length) {
    body.push(
      `      <failure message="${xmlEscape(failures[0]!.message)}" type="${xmlEscape(failures[0]!.rule ?? failures[0]!.location ?? 'failure')}">${xmlEscape(failures.map(findingText).join('\n\n'))}</failure>`,
    );
  } else if (check.outcome === 'skipped') {
    body.push(`      <skipped message="${xmlEscape(check.skipReason ?? '')}"/>`);
  }
  const deviations = check.findings.filter((f) => f.severity === 'deviation');
  if (deviations.length) body.push(`      <system-out>${xmlEscape(deviations.map((f) => `deviation [${f.rule}]: ${findingText(f)}`).join('\n\n'))}</system-out>`);
  return body.length ? `    <testcase ${attrs}>\n${body.join('\n')}\n    </testcase>` : `    <testcase ${attrs}/>`;
}

export function renderJunit(report: Report): string {
  const suites: string[] = [];
  let tests = 0;
  let failed = 0;
  let skipped = 0;
  for (const group of report.groups) {
    tests += group.counts.checks;
    failed += group.counts.failed;
    skipped += group.counts.skipped;
    suites.push(
      `  <testsuite name="${xmlEscape(group.name)}" tests="${group.counts.checks}" failures="${group.counts.failed}" errors="0" skipped="${group.counts.skipped}" time="${secs(group.durationMs)}" timestamp="${xmlEscape(report.startedAt)}">\n` +
        group.checks.map(testcase).join('\n') +
        `\n  </testsuite>`,
    );
  }
  const extra: string[] = [];
  if (report.fatal) {
    extra.push(`    <testcase classname="espo-conformance.run" name="preflight" time="0"><failure message="${xmlEscape(report.fatal.split('\n')[0] ?? '')}">${xmlEscape(report.fatal)}</failure></testcase>`);
  }
  if (report.aborted) extra.push(`    <testcase classname="espo-conformance.run" name="complete run" time="0"><failure message="the run was interrupted"/></testcase>`);
  const leftovers = report.cleanup.leftovers;
  extra.push(
    leftovers.length
      ? `    <testcase classname="espo-conformance.run" name="cleanup" time="0"><failure message="${leftovers.length} records left over">${xmlEscape(leftovers.map((l) => `${l.type} ${l.id}: ${l.reason}`).join('\n'))}</failure></testcase>`
      : `    <testcase classname="espo-conformance.run" name="cleanup" time="0"/>`,
  );
  const extraFailed = extra.filter((e) => e.includes('<failure')).length;
  tests += extra.length;
  failed += extraFailed;
  suites.push(`  <testsuite name="run" tests="${extra.length}" failures="${extraFailed}" errors="0" skipped="0" time="0">\n${extra.join('\n')}\n  </testsuite>`);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="espo-conformance ${xmlEscape(report.target.apiRoot)}" tests="${tests}" failures="${failed}" errors="0" skipped="${skipped}" time="${secs(report.durationMs)}">\n` +
    `${suites.join('\n')}\n</testsuites>\n`
  );
}
