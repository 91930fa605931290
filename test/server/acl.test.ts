/**
 * Roles and access levels over real HTTP, on both engines: for users at each level (all, team, own, no,
 * none at all, several roles, a team's role) the Account list shows exactly the records the user may see,
 * and every single-record operation answers as EspoCRM does — scope checks (403 `No read access.` …)
 * before existence (404), record checks (403 `No 'read' access.` …) after — and writes nothing when it
 * refuses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRole, createTeam, createUser, parseRoleData } from '../../src/server/acl/index.js';
import type { Actor } from '../../src/server/acl/policy.js';
import { createContext } from '../../src/server/read/context.js';
import { parseSearchQuery } from '../../src/server/search/search-params.js';
import { describeEngines, type Engine } from '../support/database.js';
import { startServer, type TestServer } from '../support/server.js';

type Level = 'all' | 'team' | 'own' | 'no';
type UserKey = 'uAll' | 'uTeam' | 'uOwn' | 'uNo' | 'uNone' | 'uRead' | 'uTeamB' | 'uMerged';
type RecordKey = 'rOwn' | 'rTeam' | 'rA' | 'rB' | 'rNone' | 'rMerged';

const MISSING_ID = '0000000000000000a';
const PASSWORD = 'pass:word';

function accountRole(create: 'yes' | 'no', read: Level, edit: Level, del: Level) {
  return parseRoleData({ Account: { create, read, edit, delete: del, stream: read } });
}

interface Answer {
  status: number;
  reason: string | null;
  body: unknown;
}

describeEngines('roles and access levels', (engine: Engine) => {
  let server: TestServer;
  const users = {} as Record<UserKey, string>;
  const records = {} as Record<RecordKey, string>;
  let teamA = '';
  let teamB = '';

  async function request(auth: Record<string, string>, method: string, path: string, body?: unknown): Promise<Answer> {
    const response = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: body === undefined ? auth : { ...auth, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, reason: response.headers.get('x-status-reason'), body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  const as = (user: UserKey | 'admin') => {
    const auth: Record<string, string> =
      user === 'admin'
        ? { 'X-Api-Key': server.apiKey }
        : { Authorization: `Basic ${Buffer.from(`${user.toLowerCase()}:${PASSWORD}`).toString('base64')}` };
    return (method: string, path: string, body?: unknown) => request(auth, method, path, body);
  };

  async function stored(id: string) {
    return server.app.database.db
      .selectFrom('account')
      .select(['name', 'versionNumber', 'deleted', 'modifiedAt'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }

  async function accountCount(): Promise<number> {
    const row = await server.app.database.db.selectFrom('account').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function listNames(user: UserKey | 'admin'): Promise<string[]> {
    const answer = await as(user)('GET', '/Account?select=name&orderBy=name');
    expect(answer.status).toBe(200);
    const { list, total } = answer.body as { list: { name: string }[]; total: number };
    expect(total).toBe(list.length);
    return list.map((item) => item.name).filter((name) => (Object.keys(records) as string[]).includes(name));
  }

  beforeAll(async () => {
    server = await startServer({ engine });
    const db = server.app.database.db;
    const roles = {
      all: await createRole(db, 'all', accountRole('yes', 'all', 'all', 'all')),
      team: await createRole(db, 'team', accountRole('yes', 'team', 'team', 'team')),
      own: await createRole(db, 'own', accountRole('yes', 'own', 'own', 'own')),
      no: await createRole(db, 'no', accountRole('no', 'no', 'no', 'no')),
      readAll: await createRole(db, 'read all', accountRole('no', 'all', 'no', 'no')),
      teamRead: await createRole(db, 'team read', accountRole('no', 'team', 'no', 'no')),
    };
    teamA = await createTeam(db, { name: 'Team A' });
    teamB = await createTeam(db, { name: 'Team B', roleIds: [roles.teamRead] });
    const user = (key: UserKey, teamIds: string[], roleIds: string[]) =>
      createUser(db, { userName: key.toLowerCase(), credentials: { kind: 'password', password: PASSWORD }, teamIds, roleIds }).then((id) => {
        users[key] = id;
      });
    await Promise.all([
      user('uAll', [teamA], [roles.all]),
      user('uTeam', [teamA], [roles.team]),
      user('uOwn', [teamA], [roles.own]),
      user('uNo', [teamA], [roles.no]),
      user('uNone', [teamA], []),
      user('uRead', [teamA], [roles.readAll]),
      user('uTeamB', [teamB], []),
      user('uMerged', [teamA], [roles.own, roles.readAll]),
    ]);
    const create = async (key: RecordKey, assignedUserId: string | null, teamsIds: string[]) => {
      const answer = await as('admin')('POST', '/Account', { name: key, assignedUserId, teamsIds });
      expect(answer.status).toBe(200);
      records[key] = (answer.body as { id: string }).id;
    };
    await create('rOwn', users.uOwn, []);
    await create('rTeam', users.uTeam, []);
    await create('rA', users.uAll, [teamA]);
    await create('rB', users.uAll, [teamB]);
    await create('rNone', null, []);
    await create('rMerged', users.uMerged, []);
  });

  afterAll(async () => {
    await server?.close();
  });

  const ALL: RecordKey[] = ['rA', 'rB', 'rMerged', 'rNone', 'rOwn', 'rTeam'];
  const VISIBLE: Record<Exclude<UserKey, 'uNo' | 'uNone'> | 'admin', RecordKey[]> = {
    admin: ALL,
    uAll: ALL,
    uRead: ALL,
    uMerged: ALL,
    uTeam: ['rA', 'rTeam'],
    uOwn: ['rOwn'],
    uTeamB: ['rB'],
  };

  describe('list', () => {
    it.each(Object.entries(VISIBLE))('%s sees exactly its records', async (user, expected) => {
      expect(await listNames(user as UserKey | 'admin')).toEqual(expected);
    });

    it.each(['uNo', 'uNone'] as const)('%s has no read access to Account at all', async (user) => {
      const answer = await as(user)('GET', '/Account');
      expect(answer).toEqual({ status: 403, reason: 'No read access.', body: undefined });
    });

    it('total counts only visible records; paging works inside them', async () => {
      const first = await as('uTeam')('GET', '/Account?maxSize=1&orderBy=name&select=name');
      expect(first.body).toMatchObject({ total: 2, list: [{ name: 'rA' }] });
      const second = await as('uTeam')('GET', '/Account?maxSize=1&offset=1&orderBy=name&select=name');
      expect(second.body).toMatchObject({ total: 2, list: [{ name: 'rTeam' }] });
    });

    it('filters cannot reach around the restriction', async () => {
      const answer = await as('uOwn')('GET', '/Account?where[0][type]=equals&where[0][attribute]=name&where[0][value]=rA');
      expect(answer.body).toEqual({ total: 0, list: [] });
      const text = await as('uOwn')('GET', '/Account?q=rB');
      expect((text.body as { list: unknown[] }).list).toEqual([]);
    });

    it('maxSize above 200 is refused the same way for everyone, before the read check (as in EspoCRM)', async () => {
      const admin = await as('admin')('GET', '/Account?maxSize=201');
      expect(admin.status).toBe(403);
      for (const user of ['uOwn', 'uNone'] as const) {
        expect(await as(user)('GET', '/Account?maxSize=201')).toEqual(admin);
      }
      expect((await as('uOwn')('GET', '/Account?maxSize=200')).status).toBe(200);
    });
  });

  describe('read', () => {
    const readers = Object.keys(VISIBLE) as (keyof typeof VISIBLE)[];
    it.each(readers)('%s reads exactly its records; the others are 403 No \'read\' access.', async (user) => {
      for (const record of ALL) {
        const answer = await as(user)('GET', `/Account/${records[record]}`);
        if (VISIBLE[user].includes(record)) {
          expect(answer.status, `${user} ${record}`).toBe(200);
          expect(answer.body).toMatchObject({ id: records[record], name: record });
        } else {
          expect(answer, `${user} ${record}`).toEqual({ status: 403, reason: "No 'read' access.", body: undefined });
        }
      }
    });

    it('a missing record is 404 for users with read access, 403 for those without (scope first)', async () => {
      expect(await as('uOwn')('GET', `/Account/${MISSING_ID}`)).toEqual({ status: 404, reason: `Record ${MISSING_ID} does not exist.`, body: undefined });
      for (const user of ['uNo', 'uNone'] as const) {
        expect(await as(user)('GET', `/Account/${MISSING_ID}`)).toEqual({ status: 403, reason: 'No read access.', body: undefined });
        expect(await as(user)('GET', `/Account/${records.rOwn}`)).toEqual({ status: 403, reason: 'No read access.', body: undefined });
      }
    });
  });

  describe('update (PUT and PATCH)', () => {
    const EDITABLE: Partial<Record<UserKey, RecordKey[]>> = {
      uAll: ALL,
      uTeam: ['rA', 'rTeam'],
      uOwn: ['rOwn'],
      uMerged: ['rMerged'],
    };

    it.each(Object.entries(EDITABLE))('%s edits exactly the records its edit level allows', async (user, editable) => {
      for (const record of ALL) {
        for (const method of ['PUT', 'PATCH']) {
          const before = await stored(records[record]);
          const answer = await as(user as UserKey)(method, `/Account/${records[record]}`, { description: `${user} was here` });
          if (editable.includes(record)) {
            expect(answer.status, `${user} ${method} ${record}`).toBe(200);
          } else {
            expect(answer, `${user} ${method} ${record}`).toEqual({ status: 403, reason: 'No edit access.', body: undefined });
            expect(await stored(records[record])).toEqual(before);
          }
        }
      }
    });

    it('users without edit access are refused before the record is looked up', async () => {
      for (const user of ['uNo', 'uNone', 'uRead', 'uTeamB'] as const) {
        for (const id of [records.rOwn, MISSING_ID]) {
          const before = id === MISSING_ID ? undefined : await stored(id);
          expect(await as(user)('PATCH', `/Account/${id}`, { name: 'Hijacked' })).toEqual({ status: 403, reason: 'No edit access.', body: undefined });
          if (before) expect(await stored(id)).toEqual(before);
        }
      }
    });

    it('a missing record is 404 Record … not found. for users with edit access', async () => {
      expect(await as('uOwn')('PUT', `/Account/${MISSING_ID}`, { name: 'x' })).toEqual({ status: 404, reason: `Record ${MISSING_ID} not found.`, body: undefined });
    });

    it('the record check uses the stored record, so a user cannot take over a record by assigning it to itself', async () => {
      const before = await stored(records.rA);
      expect(await as('uOwn')('PATCH', `/Account/${records.rA}`, { assignedUserId: users.uOwn })).toEqual({
        status: 403,
        reason: 'No edit access.',
        body: undefined,
      });
      expect(await stored(records.rA)).toEqual(before);
    });
  });

  describe('create', () => {
    it.each(['uNo', 'uNone', 'uRead', 'uTeamB'] as const)('%s has no create access and nothing is written', async (user) => {
      const count = await accountCount();
      expect(await as(user)('POST', '/Account', { name: `Created by ${user}` })).toEqual({ status: 403, reason: 'No create access.', body: undefined });
      expect(await accountCount()).toBe(count);
    });

    it('users with create access create', async () => {
      const answer = await as('uOwn')('POST', '/Account', { name: 'Created by uOwn', assignedUserId: users.uOwn });
      expect(answer.status).toBe(200);
      expect(await as('uOwn')('GET', `/Account/${(answer.body as { id: string }).id}`)).toMatchObject({ status: 200 });
    });

    it("relating a team needs read access to it: a user's own teams by default, not others (EspoCRM strict default)", async () => {
      const count = await accountCount();
      const forbidden = await as('uAll')('POST', '/Account', { name: 'Team B account', teamsIds: [teamB] });
      expect(forbidden.status).toBe(403);
      expect(forbidden.body).toMatchObject({ messageTranslation: { label: 'cannotRelateForbidden' } });
      expect(await accountCount()).toBe(count);
      expect((await as('uAll')('POST', '/Account', { name: 'Team A account', teamsIds: [teamA] })).status).toBe(200);
    });
  });

  describe('delete', () => {
    it('users without delete access are refused before the record is looked up', async () => {
      for (const user of ['uNo', 'uNone', 'uRead', 'uTeamB'] as const) {
        for (const id of [records.rOwn, MISSING_ID]) {
          expect(await as(user)('DELETE', `/Account/${id}`)).toEqual({ status: 403, reason: 'No delete access.', body: undefined });
        }
      }
      expect((await stored(records.rOwn)).deleted).toBe(0);
    });

    it('others records are 403 No delete access. and stay; a missing one is 404; own ones go', async () => {
      for (const record of ['rA', 'rB', 'rTeam', 'rNone'] as const) {
        expect(await as('uOwn')('DELETE', `/Account/${records[record]}`)).toEqual({ status: 403, reason: 'No delete access.', body: undefined });
        expect((await stored(records[record])).deleted).toBe(0);
      }
      expect(await as('uOwn')('DELETE', `/Account/${MISSING_ID}`)).toEqual({ status: 404, reason: `Record ${MISSING_ID} not found.`, body: undefined });
      const created = await as('admin')('POST', '/Account', { name: 'Doomed', assignedUserId: users.uTeam });
      const id = (created.body as { id: string }).id;
      expect(await as('uOwn')('DELETE', `/Account/${id}`)).toMatchObject({ status: 403 });
      expect(await as('uTeam')('DELETE', `/Account/${id}`)).toEqual({ status: 200, reason: null, body: true });
      expect((await stored(id)).deleted).toBe(1);
    });
  });

  describe('stream, follow and related records (routes of the links and stream modules)', () => {
    async function follows(userKey: UserKey, record: RecordKey): Promise<boolean> {
      const row = await server.app.database.db
        .selectFrom('stream_subscription')
        .select('userId')
        .where('entityType', '=', 'Account')
        .where('entityId', '=', records[record])
        .where('userId', '=', users[userKey])
        .executeTakeFirst();
      return row !== undefined;
    }

    it('follow needs stream access to the record; a refused follow writes nothing', async () => {
      expect(await as('uOwn')('PUT', `/Account/${records.rOwn}/subscription`)).toMatchObject({ status: 200, body: true });
      expect(await follows('uOwn', 'rOwn')).toBe(true);
      expect((await as('uOwn')('PUT', `/Account/${records.rA}/subscription`)).status).toBe(403);
      expect(await follows('uOwn', 'rA')).toBe(false);
      expect((await as('uNone')('PUT', `/Account/${records.rOwn}/subscription`)).status).toBe(403);
      expect(await follows('uNone', 'rOwn')).toBe(false);
      expect((await as('uOwn')('PUT', `/Account/${MISSING_ID}/subscription`)).status).toBe(404);
      expect(await as('uOwn')('DELETE', `/Account/${records.rOwn}/subscription`)).toMatchObject({ status: 200, body: true });
      expect(await follows('uOwn', 'rOwn')).toBe(false);
    });

    it('the stream is readable with stream access to the record only', async () => {
      expect((await as('uOwn')('GET', `/Account/${records.rOwn}/stream`)).status).toBe(200);
      expect((await as('uTeam')('GET', `/Account/${records.rA}/stream`)).status).toBe(200);
      expect((await as('uOwn')('GET', `/Account/${records.rA}/stream`)).status).toBe(403);
      expect((await as('uNone')('GET', `/Account/${records.rOwn}/stream`)).status).toBe(403);
    });

    it('related lists need read access to the account and to the related entity type', async () => {
      expect((await as('uAll')('GET', `/Account/${records.rA}/opportunities`)).status).toBe(403);
      expect((await as('admin')('GET', `/Account/${records.rA}/opportunities`)).status).toBe(200);
      expect((await as('uOwn')('GET', `/Account/${records.rA}/teams`)).status).toBe(403);
      expect((await as('uNone')('GET', `/Account/${records.rOwn}/teams`)).status).toBe(403);
      // Team read defaults to "team": a user sees only its own teams among the account's teams.
      const shared = await as('admin')('POST', '/Account', { name: 'Shared by A and B', teamsIds: [teamA, teamB] });
      const id = (shared.body as { id: string }).id;
      const teamIds = (answer: Answer) => (answer.body as { list: { id: string }[] }).list.map((team) => team.id).sort();
      expect(teamIds(await as('uTeam')('GET', `/Account/${id}/teams`))).toEqual([teamA]);
      expect(teamIds(await as('admin')('GET', `/Account/${id}/teams`))).toEqual([teamA, teamB].sort());
      expect((await as('admin')('DELETE', `/Account/${id}`)).status).toBe(200);
    });

    it('relating needs edit access to the record; nothing is related when refused', async () => {
      const answer = await as('uOwn')('POST', `/Account/${records.rA}/teams`, { id: teamA });
      expect(answer.status).toBe(403);
      const linked = await server.app.database.db
        .selectFrom('entity_team')
        .select('teamId')
        .where('entityType', '=', 'Account')
        .where('entityId', '=', records.rA)
        .where('deleted', '=', 0)
        .execute();
      expect(linked.map((row) => row.teamId)).toEqual([teamA]);
    });
  });

  describe('teams and users (EspoCRM Team and User ownership)', () => {
    const actor = (key: UserKey, teamIds: string[]): Actor => ({ id: users[key], name: key, type: 'regular', isAdmin: false, teamIds });
    async function visible(entityType: 'Team' | 'User', who: Actor): Promise<string[]> {
      const { services } = server.app;
      const ctx = createContext(who, { acl: await services.accessFor(who) });
      const { list } = await services.records.find(entityType, parseSearchQuery({ select: 'id' }), ctx);
      return list.map((record) => String(record.id)).sort();
    }

    it('by default a user reads its own teams and itself only', async () => {
      expect(await visible('Team', actor('uTeam', [teamA]))).toEqual([teamA]);
      expect(await visible('Team', actor('uTeamB', [teamB]))).toEqual([teamB]);
      expect(await visible('User', actor('uTeam', [teamA]))).toEqual([users.uTeam]);
    });

    it('"team" on User: the users sharing a team', async () => {
      const db = server.app.database.db;
      const role = await createRole(db, 'users of my teams', parseRoleData({ User: { read: 'team', edit: 'no' } }));
      await db.insertInto('role_user').values({ roleId: role, userId: users.uTeamB }).execute();
      expect(await visible('User', actor('uTeamB', [teamB]))).toEqual([users.uTeamB]);
      await db.insertInto('role_user').values({ roleId: role, userId: users.uTeam }).execute();
      const teamAUsers = (['uAll', 'uTeam', 'uOwn', 'uNo', 'uNone', 'uRead', 'uMerged'] as const).map((key) => users[key]).sort();
      expect(await visible('User', actor('uTeam', [teamA]))).toEqual(teamAUsers);
    });

    it('reading a team record is allowed to its members', async () => {
      const { services } = server.app;
      const who = actor('uTeam', [teamA]);
      const ctx = createContext(who, { acl: await services.accessFor(who) });
      expect((await services.records.read('Team', teamA, ctx)).id).toBe(teamA);
      await expect(services.records.read('Team', teamB, ctx)).rejects.toMatchObject({ status: 403, reason: "No 'read' access." });
    });
  });

  describe('roles take effect on the next request', () => {
    it('a role given to a team applies to its members at once', async () => {
      const db = server.app.database.db;
      expect(await listNames('uTeamB')).toEqual(['rB']);
      const wider = await createRole(db, 'team B wider', accountRole('no', 'all', 'no', 'no'));
      await db.insertInto('role_team').values({ roleId: wider, teamId: teamB }).execute();
      expect(await listNames('uTeamB')).toEqual(ALL);
      await db.updateTable('role_team').set({ deleted: 1 }).where('roleId', '=', wider).execute();
      expect(await listNames('uTeamB')).toEqual(['rB']);
    });
  });
});
