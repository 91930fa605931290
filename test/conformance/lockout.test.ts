/**
 * EspoCRM's login lockout and the kit's care with refused logins, against the reference server behind a
 * fault layer: a server that starts blocking the address (403, empty text/html body, no X-Status-Reason)
 * makes the kit stop with one message and send nothing more (no shrinking, no cleanup); refused logins of
 * the run's own credentials stop the run before EspoCRM's limit; the wrong-credential checks stay within
 * their budget. Also: link checks skip (not fail) when the related list is forbidden, and fail under --strict.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { DELIBERATE_REFUSALS, ESPO_LOCKOUT, REFUSED_LOGIN_LIMIT } from '../../src/conformance/http.js';
import { runConformance } from '../../src/conformance/runner.js';
import { useFaultyServer, type Fault } from './faults.js';

interface Seen {
  method: string;
  url: string;
  blocked: boolean;
}

/** Blocks the address once `trigger` matches a request: from then on every request gets EspoCRM's lockout answer. */
function lockout(trigger: (req: IncomingMessage) => boolean, seen: Seen[]): Fault {
  let blocked = false;
  return {
    name: 'login lockout',
    intercept(req: IncomingMessage, res: ServerResponse) {
      if (!blocked && trigger(req)) blocked = true;
      seen.push({ method: req.method ?? '', url: req.url ?? '', blocked });
      if (!blocked) return false;
      res.statusCode = 403;
      res.setHeader('Content-Type', 'text/html; charset=UTF-8');
      res.end();
      return true;
    },
  };
}

describe('login lockout and refused logins', () => {
  const t = useFaultyServer();

  it('the auth group refuses logins on purpose at most a few times (well below EspoCRM\'s limit)', async () => {
    let refused = 0;
    t.faulty.use({
      name: 'count refusals',
      response(_req, res) {
        if (res.statusCode === 401) refused++;
      },
    });
    try {
      const report = await runConformance({ baseUrl: t.faulty.baseUrl, auth: t.server.hmac, strict: true, only: ['auth'] });
      expect(report.ok).toBe(true);
      // wrong-api-key, unknown-user, hmac-wrong-secret, hmac-other-path (the no-credentials 401s are not logins).
      expect(refused - 6).toBe(DELIBERATE_REFUSALS);
      expect(DELIBERATE_REFUSALS).toBeLessThan(REFUSED_LOGIN_LIMIT);
      expect(REFUSED_LOGIN_LIMIT).toBeLessThan(ESPO_LOCKOUT.maxFailedAttempts);
    } finally {
      t.faulty.use(undefined);
    }
  }, 60_000);

  it('a lockout during the checks: one message, then nothing is sent (no cleanup)', async () => {
    const seen: Seen[] = [];
    // The address is blocked from the first refused login on (as if other clients had used up the limit).
    t.faulty.use(lockout((req) => String(req.headers['x-api-key'] ?? '').startsWith('conformance-wrong-key'), seen));
    try {
      const report = await runConformance({ baseUrl: t.faulty.baseUrl, auth: { apiKey: t.server.apiKey }, only: ['auth', 'crud'] });
      expect(report.ok).toBe(false);
      expect(report.fatal).toMatch(/the server blocked this address.*login lockout.*authMaxFailedAttemptNumber/);
      const after = seen.filter((s) => s.blocked);
      // The request that met the lockout, the one probe that confirmed it, and nothing else: no cleanup DELETE.
      expect(after.map((s) => s.method)).toEqual(['GET', 'GET']);
      expect(report.groups.map((g) => g.name)).toEqual(['auth']);
      expect(report.cleanup.deleted).toBe(0);
      expect(report.cleanup.leftovers.length).toBeGreaterThan(0);
      expect(report.cleanup.leftovers.every((l) => /blocked this address/.test(l.reason))).toBe(true);
    } finally {
      t.faulty.use(undefined);
    }
  }, 60_000);

  it('a lockout during the fuzz: no shrinking, no further cases, no cleanup', async () => {
    const seen: Seen[] = [];
    t.faulty.use(lockout((req) => req.method === 'GET' && /^\/api\/v1\/Account\/zz/.test(req.url ?? ''), seen));
    try {
      const report = await runConformance({ baseUrl: t.faulty.baseUrl, auth: { apiKey: t.server.apiKey }, only: ['auth'], fuzz: 20, fuzzSeed: 7, fuzzTimeLimitMs: 60_000 });
      expect(report.fatal).toMatch(/the server blocked this address/);
      const after = seen.filter((s) => s.blocked);
      expect(after).toHaveLength(2);
      expect(after[1]!.url).toMatch(/^\/api\/v1\/Account\?/);
      expect(report.fuzz?.failures ?? []).toEqual([]);
    } finally {
      t.faulty.use(undefined);
    }
  }, 120_000);

  it('refused logins of the run\'s own credentials stop the run before EspoCRM would block it; cleanup still runs', async () => {
    const seen: Seen[] = [];
    t.faulty.use({
      name: 'refuses GET of one account',
      intercept(req, res) {
        seen.push({ method: req.method ?? '', url: req.url ?? '', blocked: false });
        if (req.method !== 'GET' || !/^\/api\/v1\/Account\/[^/?]+$/.test(req.url ?? '')) return false;
        res.statusCode = 401;
        res.setHeader('Content-Type', 'text/html; charset=UTF-8');
        res.end();
        return true;
      },
    });
    try {
      const report = await runConformance({ baseUrl: t.faulty.baseUrl, auth: { apiKey: t.server.apiKey }, only: ['crud'] });
      expect(report.fatal).toMatch(new RegExp(`refused ${REFUSED_LOGIN_LIMIT} logins .*before EspoCRM's login lockout`));
      const refusedGets = seen.filter((s) => s.method === 'GET' && /^\/api\/v1\/Account\/[^/?]+$/.test(s.url));
      expect(refusedGets.length).toBe(REFUSED_LOGIN_LIMIT);
      // Not blocked: the records the run created are deleted.
      expect(report.cleanup.deleted).toBeGreaterThan(0);
      expect(report.cleanup.leftovers).toEqual([]);
    } finally {
      t.faulty.use(undefined);
    }
  }, 60_000);

  it('a related list the user may not read (403) skips the link checks with the reason; under --strict it fails', async () => {
    t.faulty.use({
      name: 'no access to Email',
      intercept(req, res) {
        if (req.method !== 'GET' || !/^\/api\/v1\/Account\/[^/]+\/emails(\?|$)/.test(req.url ?? '')) return false;
        res.statusCode = 403;
        res.setHeader('Content-Type', 'application/json');
        res.setHeader('X-Status-Reason', '');
        res.end();
        return true;
      },
    });
    try {
      const checks = ['links.emails.relate-list-unrelate', 'links.emails.relate-ids'];
      const lenient = await runConformance({ baseUrl: t.faulty.baseUrl, auth: { apiKey: t.server.apiKey }, checks });
      const ran = lenient.groups.flatMap((g) => g.checks).filter((c) => checks.includes(c.id));
      expect(ran.map((c) => c.outcome)).toEqual(['skipped', 'skipped']);
      expect(ran[0]!.skipReason).toMatch(/listAccountEmails answered 403.*may not read Email/);
      expect(lenient.ok).toBe(true);
      const strict = await runConformance({ baseUrl: t.faulty.baseUrl, auth: { apiKey: t.server.apiKey }, strict: true, checks });
      expect(strict.ok).toBe(false);
      const failed = strict.groups.flatMap((g) => g.checks).filter((c) => checks.includes(c.id));
      expect(failed.map((c) => c.outcome)).toEqual(['failed', 'failed']);
      expect(failed[0]!.findings[0]!.request).toMatch(/^GET \/Account\/[^/]+\/emails/);
    } finally {
      t.faulty.use(undefined);
    }
  }, 60_000);
});
