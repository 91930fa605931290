/** The text, JSON and JUnit renderings of a report. */
import { describe, expect, it } from 'vitest';
import { countChecks, type CheckResult, type Report } from '../../src/conformance/report.js';
import { renderJson } from '../../src/conformance/reporters/json.js';
import { renderJunit } from '../../src/conformance/reporters/junit.js';
import { renderText } from '../../src/conformance/reporters/text.js';

const checks: CheckResult[] = [
  { id: 'crud.create-minimal', group: 'crud', title: 'create', outcome: 'passed', findings: [], requests: 1, durationMs: 5 },
  {
    id: 'crud.read',
    group: 'crud',
    title: 'read <&> "quoted"',
    outcome: 'failed',
    findings: [
      {
        severity: 'failure',
        message: 'getAccount 200 body at /name: must be string',
        operationId: 'getAccount',
        request: 'GET /Account/abc',
        location: 'body /name',
        pointer: '/name',
        expected: 'be string',
        actual: '12345',
        curl: "curl -sS -i --globoff 'http://x/api/v1/Account/abc' -H \"X-Api-Key: $ESPO_API_KEY\"",
      },
    ],
    requests: 2,
    durationMs: 7,
  },
  {
    id: 'crud.json',
    group: 'crud',
    title: 'malformed json',
    outcome: 'deviation',
    findings: [{ severity: 'deviation', message: 'createAccount answered 500: Malformed JSON request body answers 500', rule: 'malformed-json-500', request: 'POST /Account', location: 'status', expected: '400', actual: '500' }],
    requests: 1,
    durationMs: 3,
  },
  { id: 'crud.teams', group: 'crud', title: 'teams', outcome: 'skipped', skipReason: 'this server cannot create a Team', findings: [], requests: 1, durationMs: 1 },
];

const report: Report = {
  tool: { name: 'espo-conformance', version: '0.1.0' },
  target: { baseUrl: 'http://x', apiRoot: 'http://x/api/v1', auth: 'api-key' },
  runId: 'abcd1234',
  marker: 'conformance-abcd1234',
  strict: false,
  groups: [{ name: 'crud', title: 'CRUD', checks, counts: countChecks(checks), requests: 5, durationMs: 16 }],
  deviationRules: [{ id: 'malformed-json-500', title: 'Malformed JSON request body answers 500', espocrm: '500', contract: '400', reference: 'docs/deviations.md', count: 1 }],
  cleanup: { created: 3, deleted: 3, alreadyGone: 0, swept: 0, leftovers: [], notDeletable: [] },
  summary: { ...countChecks(checks), requests: 5 },
  startedAt: '2026-11-27T10:00:00.000Z',
  durationMs: 20,
  aborted: false,
  ok: false,
};

describe('reporters', () => {
  it('text: failures with request, place, expected and actual; deviations; skips; summary; verdict', () => {
    const text = renderText(report, { verbose: true });
    expect(text).toContain('FAILURES (1 checks)\n   1) crud.read — read <&> "quoted"\n     getAccount 200 body at /name: must be string\n       request:  GET /Account/abc\n       at:       body /name\n       expected: be string\n       actual:   12345\n       replay:   curl');
    expect(text).toContain('DEVIATIONS (1 checks)');
    expect(text).toContain('[malformed-json-500] createAccount answered 500');
    expect(text).toContain('SKIPPED (1 checks)\n  crud.teams: this server cannot create a Team');
    expect(text).toMatch(/ {2}crud +4 +1 +1 +1 +1 +5/);
    expect(text).toContain('Result: FAILED (1 failed checks)');
  });

  it('JSON: the report as it is', () => {
    expect(JSON.parse(renderJson(report))).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it('JUnit: one testcase per check, escaped; deviations pass with system-out; a cleanup testcase', () => {
    const xml = renderJunit(report);
    expect(xml).toContain('<testsuites name="espo-conformance http://x/api/v1" tests="5" failures="1" errors="0" skipped="1" time="0.020">');
    expect(xml).toContain('<testsuite name="crud" tests="4" failures="1" errors="0" skipped="1"');
    expect(xml).toContain('name="crud.read: read &lt;&amp;&gt; &quot;quoted&quot;"');
    expect(xml).toContain('<failure message="getAccount 200 body at /name: must be string" type="body /name">');
    expect(xml).toContain('<skipped message="this server cannot create a Team"/>');
    expect(xml).toMatch(/<testcase classname="espo-conformance.crud" name="crud.json: malformed json" time="0.003">\n {6}<system-out>deviation \[malformed-json-500\]/);
    expect(xml).toContain('<testcase classname="espo-conformance.run" name="cleanup" time="0"/>');
    expect((xml.match(/<testcase /g) ?? []).length).toBe(5);
  });
});
