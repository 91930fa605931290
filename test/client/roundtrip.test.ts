import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import {
  accountWhere,
  createEspoClient,
  eachAccount,
  eachLinked,
  espoError,
  unwrap,
  type AccountLink,
  type EachAccountOptions,
  type EspoAuth,
  type EspoClient,
  type QueryStyle,
} from '../../src/client/index.js';
import { startServer, type TestServer } from '../support/server.js';

/**
 * Round trips through the typed client against the reference server (src/server, started on port 0 by
 * test/support/server.ts), for every operation of the spec and each authentication scheme.
 */

interface Scheme {
  readonly name: string;
  readonly auth: (server: TestServer) => EspoAuth;
}

const SCHEMES: readonly Scheme[] = [
  { name: 'API key', auth: (s) => ({ apiKey: s.apiKey }) },
  { name: 'HMAC', auth: (s) => ({ apiKey: s.hmac.apiKey, secretKey: s.hmac.secretKey }) },
  { name: 'password (Espo-Authorization)', auth: (s) => ({ username: s.user.username, password: s.user.password }) },
];

const QUERY_STYLES: readonly QueryStyle[] = ['php', 'searchParams'];

describe('round trips against the reference server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  /** A unique name, so that tests own their records and can find them with a where item. */
  const unique = (label: string) => `RT ${label} ${randomUUID().slice(0, 8)}`;

  describe.each(SCHEMES)('$name', (scheme) => {
    /** The client for this scheme. */
    function client(_context: TestContext, options: { queryStyle?: QueryStyle; siteUrl?: boolean } = {}): EspoClient {
      const baseUrl = options.siteUrl ? server.baseUrl.replace(/\/api\/v1\/?$/, '') : server.baseUrl;
      return createEspoClient({ baseUrl, auth: scheme.auth(server), queryStyle: options.queryStyle ?? 'php' });
    }

    async function createAccount(api: EspoClient, name = unique('account')) {
      return unwrap(await api.POST('/Account', { body: { name }, params: { header: { 'X-Skip-Duplicate-Check': 'true' } } }));
    }

    it('createAccount, getAccount, updateAccount, patchAccount, deleteAccount', async (context) => {
      const api = client(context);
      const name = unique('crud');
      const created = unwrap(await api.POST('/Account', { body: { name, type: 'Customer', website: 'acme.example' } }));
      expect(created).toMatchObject({ name, type: 'Customer', website: 'acme.example', versionNumber: 1 });

      const read = await api.GET('/Account/{id}', { params: { path: { id: created.id } } });
      expect(read.response.status).toBe(200);
      expect(read.response.headers.get('Content-Type')).toBe('application/json');
      expect(read.data).toMatchObject({ id: created.id, name, deleted: false, emailAddressData: [], teamsIds: [] });

      const put = unwrap(await api.PUT('/Account/{id}', { params: { path: { id: created.id } }, body: { industry: 'Finance' } }));
      expect(put).toMatchObject({ name, industry: 'Finance', versionNumber: 2 });
      const patch = unwrap(await api.PATCH('/Account/{id}', { params: { path: { id: created.id } }, body: { type: 'Partner' } }));
      expect(patch).toMatchObject({ type: 'Partner', industry: 'Finance', versionNumber: 3 });

      expect(unwrap(await api.DELETE('/Account/{id}', { params: { path: { id: created.id } } }))).toBe(true);
      // The delete is soft: a second one answers 404 (reading it back is 404 too, except for admins).
      const again = espoError(await api.DELETE('/Account/{id}', { params: { path: { id: created.id } } }));
      expect(again).toMatchObject({ status: 404, body: undefined, detail: { kind: 'none' } });
      expect(again?.reason).toBeTruthy();
    });

    it('accepts the site URL as well as the API root', async (context) => {
      const api = client(context, { siteUrl: true });
      const account = await createAccount(api);
      expect(unwrap(await api.GET('/Account/{id}', { params: { path: { id: account.id } } })).name).toBe(account.name);
    });

    it.for(QUERY_STYLES)('listAccounts with where, select and order (%s form)', async (queryStyle, context) => {
      const api = client(context, { queryStyle });
      const prefix = unique('list');
      await createAccount(api, `${prefix} b & Co`);
      await createAccount(api, `${prefix} a`);
      const { data } = await api.GET('/Account', {
        params: {
          query: {
            select: ['id', 'name', 'type'],
            orderBy: 'name',
            order: 'asc',
            where: [accountWhere.startsWith('name', prefix), accountWhere.or(accountWhere.isNull('type'), accountWhere.equals('type', ''))],
          },
        },
      });
      expect(data?.total).toBe(2);
      expect(data?.list.map((account) => account.name)).toEqual([`${prefix} a`, `${prefix} b & Co`]);
    });

    it('listAccounts with X-No-Total answers -1 / -2', async (context) => {
      const api = client(context);
      const prefix = unique('nototal');
      await createAccount(api, `${prefix} 1`);
      await createAccount(api, `${prefix} 2`);
      const query = { where: [accountWhere.startsWith('name', prefix)], maxSize: 1 };
      const first = unwrap(await api.GET('/Account', { params: { query, header: { 'X-No-Total': 'true' } } }));
      expect(first.total).toBe(-1);
      const last = unwrap(await api.GET('/Account', { params: { query: { ...query, offset: 1 }, header: { 'X-No-Total': 'true' } } }));
      expect(last.total).toBe(-2);
    });

    it.for([false, true])('eachAccount pages through every match (noTotal: %s)', async (noTotal, context) => {
      const api = client(context);
      const prefix = unique('each');
      const names = await Promise.all([1, 2, 3, 4, 5].map(async (n) => (await createAccount(api, `${prefix} ${n}`)).name));
      const seen: string[] = [];
      const query: EachAccountOptions['query'] = { where: [accountWhere.startsWith('name', prefix)], orderBy: 'name', order: 'asc' };
      for await (const account of eachAccount(api, { pageSize: 2, noTotal, query })) {
        seen.push(account.name ?? '');
      }
      expect(seen).toEqual([...names].sort());
    });

    it('400 validation failure in one place', async (context) => {
      const api = client(context);
      const failure = espoError(await api.POST('/Account', { body: { name: unique('invalid'), website: 'no-dot' } }));
      expect(failure).toMatchObject({ status: 400, detail: { kind: 'validationFailure', field: 'website', type: 'valid' } });
      expect(failure?.reason).toContain('website');
    });

    it('409 duplicate, and X-Skip-Duplicate-Check', async (context) => {
      const api = client(context);
      const first = await createAccount(api);
      const failure = espoError(await api.POST('/Account', { body: { name: first.name } }));
      expect(failure).toMatchObject({ status: 409, reason: 'duplicate', detail: { kind: 'duplicate' } });
      expect(failure?.detail.kind === 'duplicate' && failure.detail.records.map((record) => record['id'])).toContain(first.id);
      const second = await api.POST('/Account', { body: { name: first.name }, params: { header: { 'X-Skip-Duplicate-Check': 'true' } } });
      expect(second.response.status).toBe(200);
    });

    it('409 modified with a stale X-Version-Number', async (context) => {
      const api = client(context);
      const account = await createAccount(api);
      const path = { id: account.id };
      unwrap(await api.PATCH('/Account/{id}', { params: { path }, body: { industry: 'Legal' } }));
      const stale = await api.PATCH('/Account/{id}', {
        params: { path, header: { 'X-Version-Number': '1' } },
        body: { industry: 'Music' },
      });
      expect(espoError(stale)).toMatchObject({
        status: 409,
        reason: 'modified',
        detail: { kind: 'modified', values: { industry: 'Legal' }, versionNumber: 2 },
      });
    });

    it('followAccount, unfollowAccount, createNote and listAccountStream', async (context) => {
      const api = client(context);
      const account = await createAccount(api);
      const path = { id: account.id };
      expect(unwrap(await api.PUT('/Account/{id}/subscription', { params: { path } }))).toBe(true);
      expect(unwrap(await api.GET('/Account/{id}', { params: { path } })).isFollowed).toBe(true);
      expect(unwrap(await api.DELETE('/Account/{id}/subscription', { params: { path } }))).toBe(true);
      const note = { type: 'Post', parentType: 'Account', parentId: account.id, post: 'Hello & welcome' } as const;
      const post = unwrap(await api.POST('/Note', { body: note }));
      const stream = unwrap(await api.GET('/Account/{id}/stream', { params: { path, query: { maxSize: 10 } } }));
      expect(stream.list.map((note) => note.id)).toContain(post.id);
      expect(stream.list.map((note) => note.type)).toContain('Create');
    });

    it('getUser for the creator of a record', async (context) => {
      const api = client(context);
      const account = await createAccount(api);
      const userId = account.createdById;
      expect(userId).toBeTruthy();
      const user = await api.GET('/User/{id}', { params: { path: { id: String(userId) } } });
      expect(user.response.status).toBe(200);
    });

    /** Creates one record that `link` can relate, returning its ID (undefined: the spec has no way to create one). */
    async function relatable(api: EspoClient, link: Exclude<AccountLink, 'portalUsers'>, userId: string): Promise<string> {
      const name = unique(link);
      const dates = { dateStart: '2026-12-01 10:00:00', dateEnd: '2026-12-01 10:30:00' };
      switch (link) {
        case 'contacts':
        case 'contactsPrimary':
          return unwrap(await api.POST('/Contact', { body: { lastName: name } })).id;
        case 'opportunities':
          return unwrap(await api.POST('/Opportunity', { body: { name, amount: 1000, closeDate: '2026-12-31' } })).id;
        case 'cases':
          return unwrap(await api.POST('/Case', { body: { name } })).id;
        case 'calls':
        case 'callsPrimary':
          return unwrap(await api.POST('/Call', { body: { name, ...dates, assignedUserId: userId } })).id;
        case 'meetings':
        case 'meetingsPrimary':
          return unwrap(await api.POST('/Meeting', { body: { name, ...dates, assignedUserId: userId } })).id;
        case 'tasks':
        case 'tasksPrimary':
          return unwrap(await api.POST('/Task', { body: { name, assignedUserId: userId } })).id;
        case 'documents':
          return unwrap(await api.POST('/Document', { body: { name } })).id;
        case 'emails':
        case 'emailsPrimary':
          return unwrap(await api.POST('/Email', { body: { name, from: 'from@acme.example', to: 'to@acme.example' } })).id;
        case 'targetLists':
          return unwrap(await api.POST('/TargetList', { body: { name } })).id;
        case 'teams':
          return unwrap(await api.POST('/Team', { body: { name } })).id;
      }
    }

    // portalUsers is not here: users cannot be created through the spec (its own test below).
    const LINKS: readonly Exclude<AccountLink, 'portalUsers'>[] = [
      'calls', 'callsPrimary', 'cases', 'contacts', 'contactsPrimary', 'documents', 'emails', 'emailsPrimary',
      'meetings', 'meetingsPrimary', 'opportunities', 'targetLists', 'tasks', 'tasksPrimary', 'teams',
    ];

    it.for(LINKS)('relate, list (eachLinked) and unrelate %s', async (link, context) => {
      // Teams are an admin's business in EspoCRM: API users get no edit access to Team records.
      const api =
        link === 'teams'
          ? createEspoClient({ baseUrl: server.baseUrl, auth: { username: server.user.username, password: server.user.password } })
          : client(context);
      const account = await createAccount(api);
      const path = { id: account.id };
      const ids = async () => {
        const seen: string[] = [];
        for await (const record of eachLinked(api, account.id, link, { pageSize: 50 })) seen.push(record.id);
        return seen;
      };
      expect(await ids()).toEqual([]);
      const relatedId = await relatable(api, link, String(account.createdById));
      expect(unwrap(await api.POST(`/Account/{id}/${link}`, { params: { path }, body: { id: relatedId } }))).toBe(true);
      expect(await ids()).toEqual([relatedId]);
      expect(unwrap(await api.DELETE(`/Account/{id}/${link}`, { params: { path }, body: { ids: [relatedId] } }))).toBe(true);
      expect(await ids()).toEqual([]);
    });

    it('portalUsers: a new account has none, and relating a user that does not exist answers 404', async (context) => {
      const api = client(context);
      const account = await createAccount(api);
      const seen: string[] = [];
      for await (const record of eachLinked(api, account.id, 'portalUsers', { pageSize: 50 })) seen.push(record.id);
      expect(seen).toEqual([]);
      const refused = espoError(await api.POST('/Account/{id}/portalUsers', { params: { path: { id: account.id } }, body: { id: 'nosuchportaluser1' } }));
      expect(refused?.status).toBe(404);
    });
  });

  it('401 for a wrong API key, reported with its status', async () => {
    const api = createEspoClient({ baseUrl: server.baseUrl, auth: { apiKey: 'wrong-key' } });
    expect(espoError(await api.GET('/Account'))).toMatchObject({ status: 401, body: undefined, detail: { kind: 'none' } });
  });

  it('401 for a wrong HMAC secret', async (context) => {
    const api = createEspoClient({ baseUrl: server.baseUrl, auth: { apiKey: server.hmac.apiKey, secretKey: 'wrong-secret' } });
    expect(espoError(await api.GET('/Account'))?.status).toBe(401);
  });
});
