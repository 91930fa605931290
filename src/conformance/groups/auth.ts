/** auth: the configured credentials work; missing or wrong ones get 401 (and change nothing). */
import { createHmac } from 'node:crypto';
import { base64Utf8 } from '../../client/base64.js';
import type { EspoAuth } from '../../client/auth.js';
import type { CheckContext } from '../context.js';
import { DELIBERATE_REFUSALS, ESPO_LOCKOUT, REFUSED_LOGIN_LIMIT } from '../http.js';
import { defineGroup, objectBody, show, type Check } from './group.js';

/** The configured credentials, and which kinds of check they allow. */
interface AuthState {
  auth: { apiKey?: string; secretKey?: string; username?: string; password?: string };
  hasPassword: boolean;
  hasSecret: boolean;
}

function credentials(configured: EspoAuth): AuthState {
  const auth = configured as AuthState['auth'];
  const hasPassword = auth.username !== undefined && auth.password !== undefined;
  const hasSecret = !hasPassword && auth.apiKey !== undefined && auth.secretKey !== undefined;
  return { auth, hasPassword, hasSecret };
}

// Every wrong credential is a refused login that EspoCRM counts towards its lockout (more than 10 within
// 60 s blocks the address): the kit spends at most a few, and skips the rest with the reason.
function refuseOnPurpose(t: CheckContext): void {
  if (!t.run.transport.guard.spendDeliberate()) {
    t.skip(`the kit's budget of deliberately refused logins is spent (${DELIBERATE_REFUSALS} per run, fewer than ${REFUSED_LOGIN_LIMIT} in any minute; EspoCRM blocks an address after more than ${ESPO_LOCKOUT.maxFailedAttempts})`);
  }
}

function needsSecret(t: CheckContext, s: AuthState): void {
  if (!s.hasSecret) t.skip('needs --secret-key (an API user with the HMAC method)');
}

function needsPassword(t: CheckContext, s: AuthState): void {
  if (!s.hasPassword) t.skip('needs --username/--password');
}

async function credentialsAccepted(t: CheckContext): Promise<void> {
  await t.call('listAccounts', { query: { maxSize: 1, select: ['id'] }, expect: 200 });
}

async function noCredentials(t: CheckContext): Promise<void> {
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
}

async function wrongApiKey(t: CheckContext): Promise<void> {
  refuseOnPurpose(t);
  await t.call('listAccounts', { auth: { apiKey: `conformance-wrong-key-${t.run.runId}` }, query: { maxSize: 1 }, expect: 401 });
}

async function unknownUser(t: CheckContext): Promise<void> {
  refuseOnPurpose(t);
  await t.call('listAccounts', { auth: { username: `conformance-nobody-${t.run.runId}`, password: 'wrong' }, query: { maxSize: 1 }, expect: 401 });
}

async function badAuthorizationString(t: CheckContext): Promise<void> {
  await t.call('listAccounts', { auth: null, headers: { 'Espo-Authorization': base64Utf8('conformance-no-colon') }, query: { maxSize: 1 }, expect: 400 });
}

async function hmacWrongSecret(t: CheckContext, s: AuthState): Promise<void> {
  needsSecret(t, s);
  refuseOnPurpose(t);
  await t.call('listAccounts', { auth: { apiKey: s.auth.apiKey!, secretKey: `${s.auth.secretKey!}-wrong` }, query: { maxSize: 1 }, expect: 401 });
}

async function hmacOtherPath(t: CheckContext, s: AuthState): Promise<void> {
  needsSecret(t, s);
  refuseOnPurpose(t);
  const digest = createHmac('sha256', s.auth.secretKey!).update('GET /Contact').digest('hex');
  await t.call('listAccounts', { auth: null, headers: { 'X-Hmac-Authorization': base64Utf8(`${s.auth.apiKey!}:${digest}`) }, query: { maxSize: 1 }, expect: 401 });
}

async function hmacReservedPath(t: CheckContext, s: AuthState): Promise<void> {
  needsSecret(t, s);
  // The transport signs `GET /Account/zz%27%281%29%2A%21` while the wire carries the characters as they are.
  await t.call('getAccount', { params: { id: "zz'(1)*!" }, expect: 404, label: 'ID with reserved characters' });
}

async function hmacLegacyDigest(t: CheckContext, s: AuthState): Promise<void> {
  needsSecret(t, s);
  const raw = createHmac('sha256', s.auth.secretKey!).update('GET /Account').digest();
  const header = Buffer.concat([Buffer.from(`${s.auth.apiKey!}:`, 'utf8'), raw]).toString('base64');
  await t.call('listAccounts', { auth: null, headers: { 'X-Hmac-Authorization': header }, query: { maxSize: 1 }, expect: 200 });
}

async function wrongPassword(t: CheckContext, s: AuthState): Promise<void> {
  needsPassword(t, s);
  refuseOnPurpose(t);
  await t.call('listAccounts', { auth: { username: s.auth.username!, password: `${s.auth.password!}-wrong` }, query: { maxSize: 1 }, expect: 401 });
}

async function basicHeader(t: CheckContext, s: AuthState): Promise<void> {
  needsPassword(t, s);
  await t.call('listAccounts', {
    auth: { username: s.auth.username!, password: s.auth.password!, header: 'Authorization' },
    query: { maxSize: 1 },
    expect: 200,
    deviations: ['basic-auth-not-forwarded'],
  });
}

export const authChecks: readonly Check<AuthState>[] = [
  { id: 'credentials-accepted', title: 'the configured credentials are accepted', run: credentialsAccepted },
  { id: 'no-credentials', title: 'every kind of request without credentials gets 401 and changes nothing', run: noCredentials },
  { id: 'wrong-api-key', title: 'a wrong X-Api-Key gets 401', run: wrongApiKey },
  { id: 'unknown-user', title: 'Espo-Authorization of an unknown user gets 401', run: unknownUser },
  { id: 'bad-authorization-string', title: 'Espo-Authorization without a colon gets 400', run: badAuthorizationString },
  { id: 'hmac-wrong-secret', title: 'an HMAC signature made with a wrong secret gets 401', run: hmacWrongSecret },
  { id: 'hmac-other-path', title: 'an HMAC signature of another path gets 401', run: hmacOtherPath },
  { id: 'hmac-reserved-path', title: "a signed request for a path with ' ( ) * ! is verified over EspoCRM's percent-encoded path", run: hmacReservedPath },
  { id: 'hmac-legacy-digest', title: 'the legacy HMAC form (raw 32-byte digest instead of hex) is accepted', run: hmacLegacyDigest },
  { id: 'wrong-password', title: 'the configured user with a wrong password gets 401', run: wrongPassword },
  { id: 'basic-header', title: 'the configured user is accepted with a standard Authorization: Basic header', run: basicHeader },
];

export const authGroup = defineGroup<AuthState>({
  name: 'auth',
  title: 'Authentication',
  checks: authChecks,
  state: (run) => credentials(run.auth),
});
