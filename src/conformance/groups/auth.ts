/** auth: the configured credentials work; missing or wrong ones get 401 (and change nothing). */
import { createHmac } from 'node:crypto';
import { base64Utf8 } from '../../client/base64.js';
import type { CheckContext } from '../context.js';
import { DELIBERATE_REFUSALS, ESPO_LOCKOUT, REFUSED_LOGIN_LIMIT } from '../http.js';
import { objectBody, show, type GroupDefinition } from './group.js';

export const authGroup: GroupDefinition = {
  name: 'auth',
  title: 'Authentication',
  async run(g) {
    const auth = g.run.auth as { apiKey?: string; secretKey?: string; username?: string; password?: string };
    const runId = g.run.runId;
    const hasPassword = auth.username !== undefined && auth.password !== undefined;
    const hasSecret = !hasPassword && auth.apiKey !== undefined && auth.secretKey !== undefined;

    // Every wrong credential is a refused login that EspoCRM counts towards its lockout (more than 10 within
    // 60 s blocks the address): the kit spends at most a few, and skips the rest with the reason.
    const refuseOnPurpose = (t: CheckContext) => {
      if (!g.run.transport.guard.spendDeliberate()) {
        t.skip(`the kit's budget of deliberately refused logins is spent (${DELIBERATE_REFUSALS} per run, fewer than ${REFUSED_LOGIN_LIMIT} in any minute; EspoCRM blocks an address after more than ${ESPO_LOCKOUT.maxFailedAttempts})`);
      }
    };

    await g.check('credentials-accepted', 'the configured credentials are accepted', async (t) => {
      await t.call('listAccounts', { query: { maxSize: 1, select: ['id'] }, expect: 200 });
    });

    await g.check('no-credentials', 'every kind of request without credentials gets 401 and changes nothing', async (t) => {
      const account = await t.fixtures.createAccount(t, 'auth target', { sicCode: '401' });
      const id = String(account['id']);
      const none = { auth: null, expect: 401, soft: true, label: 'no credentials' } as const;
      await t.call('listAccounts', { ...none, query: { maxSize: 1 } });
      await t.call('getAccount', { ...none, params: { id } });
      await t.call('createAccount', { ...none, json: { name: t.name('auth must not exist') } });
      await t.call('updateAccount', { ...none, params: { id }, json: { sicCode: 'changed' } });
      await t.call('patchAccount', { ...none, params: { id }, json: { sicCode: 'changed' } });
      await t.call('deleteAccount', { ...none, params: { id } });
      const after = await t.call('getAccount', { params: { id }, expect: 200, label: 'after unauthenticated requests' });
      const record = objectBody(t, after);
      t.expect(record['sicCode'] === '401', after, {
        message: 'an unauthenticated update changed the record',
        pointer: '/sicCode',
        expected: '"401"',
        actual: show(record['sicCode']),
      });
      const leaked = await t.call('listAccounts', {
        query: { where: [{ type: 'equals', attribute: 'name', value: t.name('auth must not exist') }] },
        expect: 200,
      });
      const list = (leaked.json as { list?: unknown[] } | undefined)?.list ?? [];
      for (const item of list) t.fixtures.track('Account', String((item as { id: unknown }).id));
      t.expect(list.length === 0, leaked, { message: 'an unauthenticated createAccount created a record', expected: 'no record', actual: `${list.length} record(s)` });
    });

    await g.check('wrong-api-key', 'a wrong X-Api-Key gets 401', async (t) => {
      refuseOnPurpose(t);
      await t.call('listAccounts', { auth: { apiKey: `conformance-wrong-key-${runId}` }, query: { maxSize: 1 }, expect: 401 });
    });

    await g.check('unknown-user', 'Espo-Authorization of an unknown user gets 401', async (t) => {
      refuseOnPurpose(t);
      await t.call('listAccounts', { auth: { username: `conformance-nobody-${runId}`, password: 'wrong' }, query: { maxSize: 1 }, expect: 401 });
    });

    await g.check('bad-authorization-string', 'Espo-Authorization without a colon gets 400', async (t) => {
      await t.call('listAccounts', { auth: null, headers: { 'Espo-Authorization': base64Utf8('conformance-no-colon') }, query: { maxSize: 1 }, expect: 400 });
    });

    await g.check('hmac-wrong-secret', 'an HMAC signature made with a wrong secret gets 401', async (t) => {
      if (!hasSecret) t.skip('needs --secret-key (an API user with the HMAC method)');
      refuseOnPurpose(t);
      await t.call('listAccounts', { auth: { apiKey: auth.apiKey!, secretKey: `${auth.secretKey!}-wrong` }, query: { maxSize: 1 }, expect: 401 });
    });

    await g.check('hmac-other-path', 'an HMAC signature of another path gets 401', async (t) => {
      if (!hasSecret) t.skip('needs --secret-key (an API user with the HMAC method)');
      refuseOnPurpose(t);
      const digest = createHmac('sha256', auth.secretKey!).update('GET /Contact').digest('hex');
      await t.call('listAccounts', { auth: null, headers: { 'X-Hmac-Authorization': base64Utf8(`${auth.apiKey!}:${digest}`) }, query: { maxSize: 1 }, expect: 401 });
    });

    await g.check('hmac-reserved-path', "a signed request for a path with ' ( ) * ! is verified over EspoCRM's percent-encoded path", async (t) => {
      if (!hasSecret) t.skip('needs --secret-key (an API user with the HMAC method)');
      // The transport signs `GET /Account/zz%27%281%29%2A%21` while the wire carries the characters as they are.
      await t.call('getAccount', { params: { id: "zz'(1)*!" }, expect: 404, label: 'ID with reserved characters' });
    });

    await g.check('hmac-legacy-digest', 'the legacy HMAC form (raw 32-byte digest instead of hex) is accepted', async (t) => {
      if (!hasSecret) t.skip('needs --secret-key (an API user with the HMAC method)');
      const raw = createHmac('sha256', auth.secretKey!).update('GET /Account').digest();
      const header = Buffer.concat([Buffer.from(`${auth.apiKey!}:`, 'utf8'), raw]).toString('base64');
      await t.call('listAccounts', { auth: null, headers: { 'X-Hmac-Authorization': header }, query: { maxSize: 1 }, expect: 200 });
    });

    await g.check('wrong-password', 'the configured user with a wrong password gets 401', async (t) => {
      if (!hasPassword) t.skip('needs --username/--password');
      refuseOnPurpose(t);
      await t.call('listAccounts', { auth: { username: auth.username!, password: `${auth.password!}-wrong` }, query: { maxSize: 1 }, expect: 401 });
    });

    await g.check('basic-header', 'the configured user is accepted with a standard Authorization: Basic header', async (t) => {
      if (!hasPassword) t.skip('needs --username/--password');
      await t.call('listAccounts', {
        auth: { username: auth.username!, password: auth.password!, header: 'Authorization' },
        query: { maxSize: 1 },
        expect: 200,
        deviations: ['basic-auth-not-forwarded'],
      });
    });
  },
};
