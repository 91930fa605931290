/** The response checker: every contract rule a response can break, with the operation, pointer, expected and actual. */
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/conformance/http.js';
import { contract } from '../../src/conformance/runner.js';

function exchange(status: number, body: unknown, headers: Record<string, string> = {}): Exchange {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  let json: unknown;
  let parseError: string | undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch (error) {
    parseError = String(error);
  }
  return {
    request: { method: 'GET', url: 'http://x/api/v1/Account/a', display: 'GET /Account/a', headers: {}, runCredentials: true },
    response: { status, headers: { ...(text ? { 'content-type': 'application/json' } : {}), ...headers }, text, ...(json !== undefined ? { json } : {}), ...(parseError ? { parseError } : {}) },
    durationMs: 1,
  };
}

const account = {
  id: '6b0981479376ddc63',
  name: 'Acme',
  deleted: false,
  createdAt: '2026-11-27 10:00:00',
  createdById: '1',
  versionNumber: 1,
  emailAddressData: [],
  phoneNumberData: [],
  teamsIds: [],
  teamsNames: {},
  isFollowed: false,
  isStarred: false,
};

describe('Contract.check', () => {
  const c = contract();
  const getAccount = c.operation('getAccount');
  const createAccount = c.operation('createAccount');

  it('accepts a conforming response, with extra attributes', () => {
    expect(c.check(getAccount, exchange(200, { ...account, customField: 1 }))).toEqual([]);
  });

  it('reports a status the operation does not document', () => {
    const [problem] = c.check(createAccount, exchange(201, account));
    expect(problem).toMatchObject({ aspect: 'status', expected: 'one of 200, 400, 401, 403, 409, 413', actual: '201' });
  });

  it('reports a wrong type with its JSON pointer', () => {
    const problems = c.check(getAccount, exchange(200, { ...account, name: 5 }));
    expect(problems).toEqual([expect.objectContaining({ aspect: 'schema', pointer: '/name', expected: 'be string', actual: '5' })]);
  });

  it('reports a missing required attribute and a malformed date-time', () => {
    const { versionNumber: _v, ...rest } = account;
    const problems = c.check(getAccount, exchange(200, { ...rest, createdAt: '2026-11-27T10:00:00Z' }));
    expect(problems.map((p) => p.pointer)).toEqual(expect.arrayContaining(['/', '/createdAt']));
  });

  it('requires Content-Type application/json exactly', () => {
    const [problem] = c.check(getAccount, exchange(200, account, { 'content-type': 'application/json; charset=utf-8' }));
    expect(problem).toMatchObject({ aspect: 'content-type', actual: 'application/json; charset=utf-8' });
  });

  it('requires X-Status-Reason on errors, but not on 401', () => {
    expect(c.check(getAccount, exchange(404, undefined))).toEqual([expect.objectContaining({ aspect: 'header', message: expect.stringMatching(/X-Status-Reason/) })]);
    expect(c.check(getAccount, exchange(404, undefined, { 'x-status-reason': '' }))).toEqual([]);
    expect(c.check(getAccount, exchange(401, undefined))).toEqual([]);
  });

  it('tolerates an empty error body where a body is documented; not an empty success body', () => {
    expect(c.check(createAccount, exchange(400, undefined, { 'x-status-reason': 'x' }))).toEqual([]);
    expect(c.check(getAccount, exchange(200, undefined))).toEqual([expect.objectContaining({ aspect: 'body', actual: 'empty body' })]);
  });

  it('reports a body where none is documented and a body that is not JSON', () => {
    expect(c.check(getAccount, exchange(404, { message: 'x' }, { 'x-status-reason': 'x' }))[0]).toMatchObject({ aspect: 'body' });
    expect(c.check(getAccount, exchange(200, '<html>', { 'content-type': 'application/json' }))[0]).toMatchObject({ aspect: 'body', actual: '<html>' });
  });

  it('validates error bodies that are documented', () => {
    const bad = { messageTranslation: { label: 'validationFailure', scope: null, data: { field: 5 } } };
    const problems = c.check(createAccount, exchange(400, bad, { 'x-status-reason': 'x' }));
    expect(problems.map((p) => p.pointer)).toEqual(expect.arrayContaining(['/messageTranslation/data']));
  });
});
