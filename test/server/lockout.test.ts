/**
 * The reference server's imitation of EspoCRM's login lockout (off by default; ESPO_AUTH_MAX_FAILED_ATTEMPT_NUMBER):
 * more than N refused logins from one address within the period, and every request from it that carries
 * credentials answers 403, `text/html; charset=UTF-8`, an empty body and no X-Status-Reason. The kit meets
 * it and stops with its message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance } from '../../src/conformance/runner.js';
import { FailedLoginLimit } from '../../src/server/auth/failed-logins.js';
import { readConfig } from '../../src/server/config.js';
import { startServer, type TestServer } from '../support/server.js';

describe('FailedLoginLimit', () => {
  it('blocks after more than maxAttempts refusals within the period, per address, until they age out', () => {
    let now = 1_000_000;
    const limit = new FailedLoginLimit({ maxAttempts: 2, periodMs: 60_000 }, () => now);
    limit.noteRefused('a');
    limit.noteRefused('a');
    expect(limit.isBlocked('a')).toBe(false);
    limit.noteRefused('a');
    expect(limit.isBlocked('a')).toBe(true);
    expect(limit.isBlocked('b')).toBe(false);
    now += 60_000;
    expect(limit.isBlocked('a')).toBe(false);
  });

  it('is off unless configured, with EspoCRM\'s period as the default', () => {
    expect(readConfig({})).toMatchObject({ authMaxFailedAttemptNumber: 0, authFailedAttemptsPeriod: 60 });
    expect(readConfig({ ESPO_AUTH_MAX_FAILED_ATTEMPT_NUMBER: '10', ESPO_AUTH_FAILED_ATTEMPTS_PERIOD: '30' })).toMatchObject({ authMaxFailedAttemptNumber: 10, authFailedAttemptsPeriod: 30 });
    expect(() => readConfig({ ESPO_AUTH_MAX_FAILED_ATTEMPT_NUMBER: '-1' })).toThrow(/ESPO_AUTH_MAX_FAILED_ATTEMPT_NUMBER/);
  });
});

describe('the reference server with the lockout on', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ app: { failedLoginLimit: { maxAttempts: 2, periodMs: 60_000 } } });
  });
  afterAll(async () => {
    await server?.close();
  });

  const get = (headers: Record<string, string>) => fetch(`${server.baseUrl}/Account?maxSize=1`, { headers });

  it('answers like EspoCRM once the address has more than the allowed refusals; requests without credentials still get 401', async () => {
    for (let i = 0; i < 3; i++) expect((await get({ 'X-Api-Key': 'wrong' })).status).toBe(401);
    const blocked = await get({ 'X-Api-Key': server.apiKey });
    expect(blocked.status).toBe(403);
    expect(blocked.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    expect(blocked.headers.get('x-status-reason')).toBeNull();
    expect(await blocked.text()).toBe('');
    expect((await get({})).status).toBe(401);
  });

  it('the kit detects it, stops with one message and cleans nothing up', async () => {
    const report = await runConformance({ baseUrl: server.baseUrl, auth: { apiKey: server.apiKey }, only: ['auth', 'crud'] });
    expect(report.ok).toBe(false);
    expect(report.fatal).toMatch(/the server blocked this address/);
    expect(report.cleanup.deleted).toBe(0);
  });
});
