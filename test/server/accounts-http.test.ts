import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngines } from '../support/database.js';
import { startServer, type TestServer } from '../support/server.js';

/**
 * The Account operations over real HTTP: statuses, `X-Status-Reason`, bodies and content types as EspoCRM
 * sends them, the wire forms real clients use, and that a refused request writes nothing. (The search and
 * record semantics themselves are covered at the domain level in test/server-core.)
 */
interface Answer {
  status: number;
  reason: string | null;
  contentType: string | null;
  json: unknown;
}

function client(server: TestServer) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const response = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: { 'X-Api-Key': server.apiKey, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      reason: response.headers.get('x-status-reason'),
      contentType: response.headers.get('content-type'),
      json: text ? JSON.parse(text) : undefined,
    };
  };
}

describeEngines('Account over HTTP', (engine) => {
  let server: TestServer;
  let call: ReturnType<typeof client>;
  const count = async () => ((await call('GET', '/Account?maxSize=0')).json as { total: number }).total;

  beforeAll(async () => {
    server = await startServer({ engine });
    call = client(server);
  });
  afterAll(() => server.close());

  describe('POST /Account', () => {
    it('answers 200 with the whole record, ignoring read-only and unknown attributes', async () => {
      const answer = await call('POST', '/Account', { name: 'Http Create Co', id: 'chosen-id', createdAt: '2000-01-01 00:00:00', versionNumber: 9, bogus: 1 });
      expect(answer).toMatchObject({ status: 200, contentType: 'application/json' });
      const record = answer.json as Record<string, unknown>;
      expect(record.id).toMatch(/^[0-9a-f]{17}$/);
      expect(record.createdAt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(record).toMatchObject({ name: 'Http Create Co', versionNumber: 1, createdById: server.apiUserId, deleted: false });
      expect(record).not.toHaveProperty('bogus');
    });

    it.each([
      [{}, 'name', 'required'],
      [{ name: '' }, 'name', 'required'],
      [{ name: null }, 'name', 'required'],
      [{ name: 'x'.repeat(250) }, 'name', 'maxLength'],
      [{ name: 'a <b>' }, 'name', 'pattern'],
      [{ name: 'Enum Co', type: 'Supplier' }, 'type', 'valid'],
      [{ name: 'Mail Co', emailAddress: 'not-an-address' }, 'emailAddress', 'emailAddress'],
      [{ name: 'Phone Co', phoneNumber: 'call me <maybe>' }, 'phoneNumber', 'valid'],
      [{ name: 'Web Co', website: 'nodot' }, 'website', 'valid'],
      [{ name: 'Many Co', emailAddressData: Array.from({ length: 11 }, (_, i) => ({ emailAddress: `m${i}@many.example` })) }, 'emailAddress', 'maxCount'],
      [{ name: 5 }, 'name', 'valid'],
      [{ name: 'Flag Co', emailAddress: 'flag@flag.example', emailAddressIsOptedOut: 'yes' }, 'emailAddressIsOptedOut', 'valid'],
    ])('answers 400 validationFailure for %j (%s: %s) and writes nothing', async (body, field, type) => {
      const before = await count();
      const answer = await call('POST', '/Account', body);
      expect(answer).toEqual({
        status: 400,
        reason: `Field validation failure; entityType: Account, field: ${field}, type: ${type}.`,
        contentType: 'application/json',
        json: { messageTranslation: { label: 'validationFailure', scope: null, data: { field, type } } },
      });
      expect(await count()).toBe(before);
    });

    it('answers 409 with the duplicates unless X-Skip-Duplicate-Check: true', async () => {
      await call('POST', '/Account', { name: 'Twin Co', emailAddress: 'twin@twin.example' });
      const before = await count();
      const byName = await call('POST', '/Account', { name: 'twin co' });
      expect(byName).toMatchObject({ status: 409, reason: 'duplicate', contentType: 'application/json' });
      expect((byName.json as { name: string }[]).map((a) => a.name)).toEqual(['Twin Co']);
      const byEmail = await call('POST', '/Account', { name: 'Other Co', emailAddress: 'TWIN@twin.example' });
      expect(byEmail.status).toBe(409);
      expect(await count()).toBe(before);
      expect((await call('POST', '/Account', { name: 'Twin Co' }, { 'X-Skip-Duplicate-Check': 'TRUE' })).status).toBe(200);
      expect((await call('POST', '/Account', { name: 'Twin Co' }, { 'X-Skip-Duplicate-Check': 'no' })).status).toBe(409);
    });

    it('answers 403 cannotRelateNonExisting for a missing assigned user', async () => {
      const answer = await call('POST', '/Account', { name: 'Orphan Co', assignedUserId: 'nonexistent0000001' });
      expect(answer.status).toBe(403);
      expect(answer.json).toMatchObject({ messageTranslation: { label: 'cannotRelateNonExisting' } });
    });

    it('answers 400 to malformed JSON, a JSON scalar and a non-JSON content type', async () => {
      expect(await call('POST', '/Account', '{"name":')).toMatchObject({ status: 400, reason: 'Malformed JSON body.', json: undefined });
      expect(await call('POST', '/Account', '5')).toMatchObject({ status: 400, reason: 'Body is not a JSON object.' });
      expect(await call('POST', '/Account', 'name=x', { 'Content-Type': 'application/x-www-form-urlencoded' })).toMatchObject({ status: 400 });
    });

    it('answers 413 to a body over 1 MiB', async () => {
      const answer = await call('POST', '/Account', { name: 'Big Co', description: 'x'.repeat(1024 * 1024 + 10) });
      expect(answer).toMatchObject({ status: 413, json: undefined });
      expect(answer.reason).toMatch(/larger than/);
    });
  });

  describe('GET, PUT, PATCH, DELETE /Account/{id}', () => {
    it('round-trips a record read with getAccount unchanged through PUT (read-only attributes are ignored)', async () => {
      const created = (await call('POST', '/Account', { name: 'Echo Co', emailAddress: 'echo@echo.example' })).json as Record<string, unknown>;
      const read = (await call('GET', `/Account/${created.id}`)).json as Record<string, unknown>;
      const updated = await call('PUT', `/Account/${created.id}`, { ...read, description: 'changed' });
      expect(updated.status).toBe(200);
      expect(updated.json).toMatchObject({ id: created.id, description: 'changed', versionNumber: 2, emailAddress: 'echo@echo.example' });
    });

    it('treats PATCH and PUT alike and detects concurrent changes with X-Version-Number', async () => {
      const { id } = (await call('POST', '/Account', { name: 'Version Co' })).json as { id: string };
      expect((await call('PATCH', `/Account/${id}`, { name: 'Version Co 2' }, { 'X-Version-Number': '1' })).status).toBe(200);
      const stale = await call('PUT', `/Account/${id}`, { name: 'Version Co 3' }, { 'X-Version-Number': '1' });
      expect(stale).toEqual({
        status: 409,
        reason: 'modified',
        contentType: 'application/json',
        json: { values: { name: 'Version Co 2' }, versionNumber: 2 },
      });
      expect(((await call('GET', `/Account/${id}`)).json as { name: string }).name).toBe('Version Co 2');
      // The same value with a stale version is no conflict, and still counts as an update.
      const same = await call('PATCH', `/Account/${id}`, { name: 'Version Co 2' }, { 'X-Version-Number': '1' });
      expect(same).toMatchObject({ status: 200, json: { versionNumber: 3 } });
    });

    it('answers 404 with EspoCRM reasons for unknown and deleted records', async () => {
      expect(await call('GET', '/Account/0000000000000000a')).toMatchObject({ status: 404, reason: 'Record 0000000000000000a does not exist.', json: undefined });
      expect(await call('PUT', '/Account/0000000000000000a', { name: 'x' })).toMatchObject({ status: 404, reason: 'Record 0000000000000000a not found.' });
      const { id } = (await call('POST', '/Account', { name: 'Deleted Co' })).json as { id: string };
      expect(await call('DELETE', `/Account/${id}`)).toMatchObject({ status: 200, json: true });
      expect(await call('DELETE', `/Account/${id}`)).toMatchObject({ status: 404, reason: `Record ${id} not found.` });
      expect((await call('GET', `/Account?where[0][type]=equals&where[0][attribute]=id&where[0][value]=${id}`)).json).toMatchObject({ total: 0 });
    });

    it('lets the admin read a soft-deleted record (deleted: true)', async () => {
      const { id } = (await call('POST', '/Account', { name: 'Soft Co' })).json as { id: string };
      await call('DELETE', `/Account/${id}`);
      const basic = Buffer.from(`${server.user.username}:${server.user.password}`).toString('base64');
      const asAdmin = await fetch(`${server.baseUrl}/Account/${id}`, { headers: { Authorization: `Basic ${basic}` } });
      expect(asAdmin.status).toBe(200);
      expect(await asAdmin.json()).toMatchObject({ id, deleted: true });
    });

    it('writes the email and phone flags sent with PATCH (writable, as in EspoCRM)', async () => {
      const { id } = (await call('POST', '/Account', { name: 'Flag Write Co', emailAddress: 'optout@flag.example', phoneNumber: '+1 555 0150' })).json as { id: string };
      const flags = { emailAddressIsOptedOut: true, emailAddressIsInvalid: true, phoneNumberIsOptedOut: true, phoneNumberIsInvalid: true };
      expect(await call('PATCH', `/Account/${id}`, flags)).toMatchObject({ status: 200, json: flags });
      expect((await call('GET', `/Account/${id}`)).json).toMatchObject(flags);
    });

    it('writes nothing when an update fails validation', async () => {
      const { id } = (await call('POST', '/Account', { name: 'Stable Co', sicCode: '1234' })).json as { id: string };
      const answer = await call('PATCH', `/Account/${id}`, { sicCode: '5678', website: 'nodot' });
      expect(answer.status).toBe(400);
      expect((await call('GET', `/Account/${id}`)).json).toMatchObject({ sicCode: '1234', versionNumber: 1 });
    });
  });

  describe('GET /Account', () => {
    beforeAll(async () => {
      for (const [name, type] of [['Deep A', 'Customer'], ['Deep B', 'Partner'], ['Deep C', 'Reseller']]) {
        await call('POST', '/Account', { name, type, industry: 'Music' });
      }
    });

    it('defaults to 200 records and answers 403 above 200', async () => {
      expect(await call('GET', '/Account?maxSize=201')).toMatchObject({
        status: 403,
        reason: 'Max size should not exceed 200. Use offset and limit.',
        json: undefined,
      });
      const search = encodeURIComponent(JSON.stringify({ maxSize: 500 }));
      expect((await call('GET', `/Account?searchParams=${search}`)).status).toBe(403);
    });

    it('reads PHP bracket where nested ten groups deep', async () => {
      let key = 'where[0]';
      const parts: string[] = [];
      for (let depth = 0; depth < 10; depth++) {
        parts.push(`${key}[type]=${depth % 2 ? 'or' : 'and'}`);
        key = `${key}[value][0]`;
      }
      parts.push(`${key}[type]=equals`, `${key}[attribute]=name`, `${key}[value]=Deep%20B`);
      const answer = await call('GET', `/Account?select=name&${parts.join('&')}`);
      expect(answer.status).toBe(200);
      expect((answer.json as { list: { name: string }[] }).list.map((a) => a.name)).toEqual(['Deep B']);
    });

    it('reads an `in` list of 150 values and a where of 120 items', async () => {
      const values = Array.from({ length: 150 }, (_, i) => `where[0][value][${i}]=${i === 149 ? 'Deep%20C' : `none${i}`}`);
      const inList = await call('GET', `/Account?where[0][type]=in&where[0][attribute]=name&${values.join('&')}`);
      expect((inList.json as { list: { name: string }[] }).list.map((a) => a.name)).toEqual(['Deep C']);
      const items = Array.from({ length: 120 }, (_, i) => `where[${i}][type]=isNotNull&where[${i}][attribute]=name`);
      items.push('where[120][type]=equals&where[120][attribute]=name&where[120][value]=Deep%20A');
      const many = await call('GET', `/Account?${items.join('&')}`);
      expect((many.json as { list: { name: string }[] }).list.map((a) => a.name)).toEqual(['Deep A']);
    });

    it('reads booleans as PHP (1/0), Python (True/False) and JSON send them', async () => {
      const flag = (value: string) => `/Account?select=name&where[0][type]=equals&where[0][attribute]=emailAddressIsOptedOut&where[0][value]=${value}&where[1][type]=equals&where[1][attribute]=industry&where[1][value]=Music`;
      const totals = await Promise.all(['0', 'False', 'false'].map(async (v) => ((await call('GET', flag(v))).json as { total: number }).total));
      expect(totals).toEqual([3, 3, 3]);
      const optedIn = await Promise.all(['1', 'True', 'true'].map(async (v) => ((await call('GET', flag(v))).json as { total: number }).total));
      expect(optedIn).toEqual([0, 0, 0]);
      const json = encodeURIComponent(JSON.stringify({ where: [{ type: 'equals', attribute: 'emailAddressIsOptedOut', value: false }, { type: 'equals', attribute: 'industry', value: 'Music' }] }));
      expect((await call('GET', `/Account?searchParams=${json}`)).json).toMatchObject({ total: 3 });
    });

    it('honours the whereGroup/attributeSelect aliases and legacy sortBy/asc', async () => {
      const answer = await call('GET', '/Account?attributeSelect=name&whereGroup[0][type]=equals&whereGroup[0][attribute]=industry&whereGroup[0][value]=Music&sortBy=name&asc=false');
      expect((answer.json as { list: { name: string }[] }).list.map((a) => a.name)).toEqual(['Deep C', 'Deep B', 'Deep A']);
    });

    it('answers -1/-2 totals with X-No-Total and with q', async () => {
      const where = 'where[0][type]=equals&where[0][attribute]=industry&where[0][value]=Music';
      expect((await call('GET', `/Account?maxSize=2&${where}`, undefined, { 'X-No-Total': 'true' })).json).toMatchObject({ total: -1 });
      expect((await call('GET', `/Account?maxSize=3&${where}`, undefined, { 'X-No-Total': 'TRUE' })).json).toMatchObject({ total: -2 });
      expect((await call('GET', `/Account?maxSize=3&q=Deep`)).json).toMatchObject({ total: -2 });
      expect((await call('GET', `/Account?maxSize=3&${where}`)).json).toMatchObject({ total: 3 });
    });

    it.each([
      ['/Account?where[0][attribute]=name&where[0][value]=x', /type/],
      ['/Account?where[0][type]=equals&where[0][value]=x', /attribute/],
      ['/Account?where[0][type]=equals&where[0][attribute]=name&where[0][foo]=1', /unknown key/],
      ['/Account?where[0][type]=equals&where[0][attribute]=nope&where[0][value]=1', /Not existing attribute 'nope' in where\./],
      ['/Account?where[0][type]=subQueryIn&where[0][attribute]=id', /Unknown where item type|Sub-queries/],
      ['/Account?where[0][type]=equals&where[0][attribute]=campaign.name&where[0][value]=1', /Complex expressions are forbidden in where\./],
      ['/Account?orderBy=nope', /^Order by non-existing field 'nope'\.$/],
      ['/Account?order=sideways', /^order value is bad\.$/],
      ['/Account?offset=-1', /offset/],
      ['/Account?maxSize=-1', /maxSize/],
      ['/Account?primaryFilter=investors', /^No primary filter 'investors' for 'Account'\.$/],
      ['/Account?boolFilterList[]=mine', /^No bool filter 'mine' for 'Account'\.$/],
      ['/Account?searchParams=%7Bbad', /^Invalid search params JSON\.$/],
      ['/Account?searchParams=5', /^Invalid search params JSON\.$/],
      ['/Account?where[0][type]=lastXDays&where[0][attribute]=createdAt&where[0][value]=3&where[0][dateTime]=1&where[0][timeZone]=Mars/Olympus', /Bad timezone/],
    ])('answers 400 with a reason, never 500: %s', async (path, reason) => {
      const answer = await call('GET', path);
      expect(answer.status).toBe(400);
      expect(answer.reason).toMatch(reason);
      expect(answer.json).toBeUndefined();
    });
  });

  describe('every answer', () => {
    it('uses Content-Type application/json without a charset, for success and error alike', async () => {
      for (const path of ['/Account?maxSize=1', '/Account?maxSize=999', '/Account/0000000000000000a']) {
        expect((await call('GET', path)).contentType).toBe('application/json');
      }
    });

    it('answers 401 with an empty body to missing and wrong credentials', async () => {
      for (const headers of [{}, { 'X-Api-Key': 'wrong' }] as Record<string, string>[]) {
        const response = await fetch(`${server.baseUrl}/Account`, { headers });
        expect(response.status).toBe(401);
        expect(await response.text()).toBe('');
        expect(response.headers.get('x-status-reason')).toBe('Unauthorized');
      }
    });

    it('answers 404 to unknown routes', async () => {
      expect(await call('GET', '/Nothing')).toMatchObject({ status: 404, reason: 'Route not found.' });
    });
  });
});
