/**
 * The kit catches real departures: the reference server with one deliberate fault at a time, and for each
 * fault a failure in the report that names it. Only the checks that can see the fault run (and the same
 * checks pass without any fault, so the failures come from the faults and not from the checks).
 */
import { describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../src/conformance/report.js';
import { runConformance } from '../../src/conformance/runner.js';
import { FAULTS, useFaultyServer, type Fault } from './faults.js';
import { failuresOf } from './failures.js';

interface Case {
  fault: Fault;
  checks: string[];
  /** Default true. Faults on deviation paths run without --strict, where a matched deviation would pass. */
  strict?: boolean;
  /** Default the API key; `password` runs as the admin. */
  auth?: 'password';
  /** The failure that names the fault. */
  names: (finding: Finding, checkId: string) => boolean;
}

const CASES: Record<keyof typeof FAULTS, Case> = {
  nameAsNumber: {
    fault: FAULTS.nameAsNumber,
    checks: ['crud.create-full', 'crud.read'],
    names: (f) => f.operationId === 'getAccount' && f.pointer === '/name' && /must be string/.test(f.message),
  },
  noStatusReason: {
    fault: FAULTS.noStatusReason,
    checks: ['errors.not-found', 'errors.validation-required'],
    names: (f) => f.location === 'headers' && /no X-Status-Reason header/.test(f.message),
  },
  created201: {
    fault: FAULTS.created201,
    checks: ['crud.create-minimal'],
    names: (f) => f.operationId === 'createAccount' && f.location === 'status' && /answered 201/.test(f.message),
  },
  startsWithIgnored: {
    fault: FAULTS.startsWithIgnored,
    checks: ['search.where.startsWith'],
    names: (f, check) => check === 'search.where.startsWith' && /where startsWith .*returned the wrong records/.test(f.message),
  },
  notDeleted: {
    fault: FAULTS.notDeleted,
    checks: ['crud.delete'],
    names: (f, check) => check === 'crud.delete' && /the record was not deleted/.test(f.message),
  },
  htmlFatal500: {
    fault: FAULTS.htmlFatal500,
    checks: ['errors.malformed-json'],
    strict: false,
    names: (f) => f.operationId === 'createAccount' && f.location === 'status' && /answered 500.*not the shape of EspoCRM's known deviation 'malformed-json-500'/.test(f.message),
  },
  deviationWrongBody: {
    fault: FAULTS.deviationWrongBody,
    checks: ['errors.list-order-upper-case'],
    strict: false,
    names: (f) => f.operationId === 'listAccounts' && f.pointer === '/total' && /must be integer/.test(f.message),
  },
  contactRefused: {
    fault: FAULTS.contactRefused,
    checks: ['links.contacts.relate-list-unrelate'],
    names: (f, check) => check === 'links.contacts.relate-list-unrelate' && /refused a documented operation: this server cannot create a Contact \(createContact answered 403/.test(f.message),
  },
  basicRefused: {
    fault: FAULTS.basicRefused,
    checks: ['auth.basic-header'],
    strict: false,
    auth: 'password',
    names: (f, check) => check === 'auth.basic-header' && f.location === 'status' && /answered 401/.test(f.message),
  },
  whereHidesRecords: {
    fault: FAULTS.whereHidesRecords,
    checks: ['errors.list-where-ignored-form'],
    names: (f, check) => check === 'errors.list-where-ignored-form' && /hid a record/.test(f.message),
  },
  streamOldestFirst: {
    fault: FAULTS.streamOldestFirst,
    checks: ['stream.post', 'stream.paging'],
    names: (f, check) => check === 'stream.paging' && /not newest first/.test(f.message),
  },
};

const ALL_CHECKS = [...new Set(Object.values(CASES).flatMap((c) => c.checks))];

function findingsOf(report: Report): { check: string; finding: Finding }[] {
  return report.groups.flatMap((g) => g.checks.flatMap((c) => c.findings.filter((f) => f.severity === 'failure').map((finding) => ({ check: c.id, finding }))));
}

describe('mutation test: the kit names each deliberate fault', () => {
  const t = useFaultyServer();

  it('without a fault, the checks the faults target pass', async () => {
    t.faulty.use(undefined);
    const report = await runConformance({ baseUrl: t.faulty.baseUrl, auth: { apiKey: t.server.apiKey }, strict: true, checks: ALL_CHECKS });
    expect(failuresOf(report)).toEqual([]);
    expect(report.summary.checks).toBeGreaterThanOrEqual(ALL_CHECKS.length);
    expect(report.ok).toBe(true);
    const asAdmin = await runConformance({ baseUrl: t.faulty.baseUrl, auth: t.server.user, strict: true, checks: ['auth.basic-header'] });
    expect(asAdmin.groups.flatMap((g) => g.checks).find((c) => c.id === 'auth.basic-header')?.outcome).toBe('passed');
  }, 300_000);

  for (const [key, c] of Object.entries(CASES)) {
    it(`catches ${c.fault.name}`, async () => {
      t.faulty.use(c.fault);
      try {
        const report = await runConformance({ baseUrl: t.faulty.baseUrl, auth: c.auth === 'password' ? t.server.user : { apiKey: t.server.apiKey }, strict: c.strict ?? true, checks: c.checks });
        expect(report.ok, `fault ${key} went unnoticed`).toBe(false);
        const naming = findingsOf(report).filter(({ check, finding }) => c.names(finding, check));
        expect(naming, `no failure names the fault ${key}; failures: ${JSON.stringify(findingsOf(report).map((x) => x.finding.message))}`).not.toHaveLength(0);
        const first = naming[0]!.finding;
        // The failure names the operation and the request, and says what was expected and what came.
        expect(first.request).toMatch(/^(GET|POST|PUT|PATCH|DELETE) \//);
        expect(first.expected).toBeTruthy();
        expect(first.actual).toBeTruthy();
        expect(first.curl).toMatch(/^curl /);
        console.info(`[mutation] ${c.fault.name}\n  → ${naming[0]!.check}: ${first.message}\n    request ${first.request}\n    expected ${first.expected}\n    actual ${first.actual}`);
      } finally {
        t.faulty.use(undefined);
      }
    }, 300_000);
  }
});
