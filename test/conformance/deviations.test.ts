/**
 * Deviation rules excuse only EspoCRM's whole response shape (status, Content-Type, body, headers), never a
 * response that merely shares the status; and a fuzz property that ran fewer cases than asked does not pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_DEVIATION_RULES, DEVIATION_RULES } from '../../src/conformance/deviations.js';
import type { Exchange } from '../../src/conformance/http.js';
import { runConformance } from '../../src/conformance/runner.js';
import { startServer, type TestServer } from '../support/server.js';

function exchange(status: number, headers: Record<string, string>, text = ''): Exchange {
  let json: unknown;
  let parseError: string | undefined;
  if (text !== '') {
    try {
      json = JSON.parse(text);
    } catch (error) {
      parseError = String(error);
    }
  }
  return {
    request: { method: 'GET', url: 'http://127.0.0.1/api/v1/Account', display: 'GET /Account', headers: {}, runCredentials: true },
    response: { status, headers, text, ...(json !== undefined ? { json } : {}), ...(parseError ? { parseError } : {}) },
    durationMs: 1,
  };
}

const SLIM_PAGE =
  '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>Slim Application Error</title></head>' +
  '<body><h1>Slim Application Error</h1><p>A website error has occurred. Sorry for the temporary inconvenience.</p></body></html>';

describe('deviation rules match the whole documented shape', () => {
  it('empty 500s: EspoCRM\'s empty body matches; an HTML "Fatal error", a reason header or a JSON body does not', () => {
    for (const id of ['malformed-json-500', 'malformed-where-500', 'negative-paging-500', 'bool-bracket-computed-500'] as const) {
      const rule = DEVIATION_RULES[id];
      expect(rule.matches(exchange(500, { 'content-type': 'application/json' })), id).toBe(true);
      expect(rule.matches(exchange(500, { 'content-type': 'text/html; charset=UTF-8' })), id).toBe(true);
      expect(rule.matches(exchange(500, { 'content-type': 'text/html; charset=UTF-8' }, '<b>Fatal error</b>: Uncaught JsonException')), id).toBe(false);
      expect(rule.matches(exchange(500, { 'content-type': 'application/json', 'x-status-reason': 'Error' })), id).toBe(false);
      expect(rule.matches(exchange(500, { 'content-type': 'application/json' }, '{"error":true}')), id).toBe(false);
      expect(rule.matches(exchange(400, { 'content-type': 'application/json' })), id).toBe(false);
    }
  });

  it("Slim's error page: the page matches; an empty 500 or another HTML page does not", () => {
    for (const id of ['search-params-scalar-500', 'phone-number-not-string-500'] as const) {
      const rule = DEVIATION_RULES[id];
      expect(rule.matches(exchange(500, { 'content-type': 'text/html; charset=UTF-8' }, SLIM_PAGE)), id).toBe(true);
      expect(rule.matches(exchange(500, { 'content-type': 'text/html; charset=UTF-8' })), id).toBe(false);
      expect(rule.matches(exchange(500, { 'content-type': 'text/html' }, '<h1>Internal Server Error</h1>')), id).toBe(false);
    }
  });

  it('200 rules need a JSON success; basic-auth-not-forwarded needs the "no credentials arrived" challenge', () => {
    const coerced = DEVIATION_RULES['wrong-json-type-coerced'];
    expect(coerced.matches(exchange(200, { 'content-type': 'application/json' }, '{"id":"a"}'))).toBe(true);
    expect(coerced.matches(exchange(200, { 'content-type': 'text/html' }, '<p>ok</p>'))).toBe(false);
    expect(coerced.matches(exchange(200, { 'content-type': 'application/json' }))).toBe(false);
    const basic = DEVIATION_RULES['basic-auth-not-forwarded'];
    expect(basic.matches(exchange(401, { 'content-type': 'text/html; charset=UTF-8', 'www-authenticate': 'Basic realm=""' }))).toBe(true);
    expect(basic.matches(exchange(401, { 'content-type': 'text/html; charset=UTF-8' }))).toBe(false);
    const maxSize = DEVIATION_RULES['max-size-not-integer-ignored'];
    expect(maxSize.matches(exchange(403, { 'content-type': 'application/json', 'x-status-reason': 'Max size should not exceed 200.' }))).toBe(true);
    expect(maxSize.matches(exchange(403, { 'content-type': 'application/json' }))).toBe(false);
  });

  it('a matched rule excuses the undocumented status and a non-JSON body, never a schema problem', () => {
    const slim = exchange(500, { 'content-type': 'text/html; charset=UTF-8' }, SLIM_PAGE);
    const rule = DEVIATION_RULES['search-params-scalar-500'];
    expect(rule.excuses({ aspect: 'status', message: '', expected: '', actual: '' }, slim)).toBe(true);
    expect(rule.excuses({ aspect: 'content-type', message: '', expected: '', actual: '' }, slim)).toBe(true);
    const ok = exchange(200, { 'content-type': 'application/json' }, '{"total":"x"}');
    expect(DEVIATION_RULES['order-upper-case-accepted'].excuses({ aspect: 'schema', message: '', expected: '', actual: '' }, ok)).toBe(false);
  });

  it('every rule says what EspoCRM does, what the contract says and where it is written down', () => {
    for (const rule of ALL_DEVIATION_RULES) {
      expect(rule.shapes.length, rule.id).toBeGreaterThan(0);
      expect(rule.reference, rule.id).toMatch(/docs\/deviations\.md|openapi\/description\.md/);
    }
  });
});

describe('fuzz properties that did not run their cases do not pass', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('a time limit that runs out is reported, never as passed', async () => {
    const report = await runConformance({ baseUrl: server.baseUrl, auth: { apiKey: server.apiKey }, only: ['auth'], checks: ['auth.credentials-accepted'], fuzz: 100_000, fuzzSeed: 1, fuzzTimeLimitMs: 1 });
    const properties = report.groups.find((g) => g.name === 'fuzz')!.checks.filter((c) => c.id !== 'fuzz.setup');
    expect(properties.length).toBeGreaterThan(3);
    for (const property of properties) {
      expect(property.outcome, property.id).not.toBe('passed');
      const said = property.skipReason ?? property.findings.map((f) => f.message).join(' ');
      expect(said, property.id).toMatch(/ran only \d+ of 100000 cases: the time limit|ran no case/);
    }
  }, 120_000);
});
