/**
 * The Account stream over real HTTP, on both engines: the notes EspoCRM writes (Create, Update, Assign,
 * Relate/Unrelate of audited links, CreateRelated, Post) with their data shapes, the stream's parameters
 * (paging, after, filter, skipOwn) and access answers, following, and that refused requests write nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertUser } from '../../src/server/acl/user-rows.js';
import { createContext, type RequestContext } from '../../src/server/read/context.js';
import { RecordService } from '../../src/server/records/record-service.js';
import { createServices, type Services } from '../../src/server/services.js';
import { streamRecordHooks } from '../../src/server/stream/record-hooks.js';
import { describeEngines, useTestDatabase, type Engine } from '../support/database.js';
import { contextWithLevel, createFixtures, rejection, type Fixtures } from '../support/fixtures.js';
import { jsonApi, type JsonApi } from '../support/json-api.js';
import { startServer, type TestServer } from '../support/server.js';

const DATES = { dateStart: '2026-12-01 10:00:00', dateEnd: '2026-12-01 10:30:00' };

interface Note {
  id: string;
  number: number;
  type: string;
  data: Record<string, unknown> | null;
  [attribute: string]: unknown;
}

describeEngines('account stream', (engine: Engine) => {
  let server: TestServer;
  let admin: JsonApi;
  let api: JsonApi;
  let sequence = 0;

  beforeAll(async () => {
    server = await startServer({ engine });
    admin = jsonApi(server, 'admin');
    api = jsonApi(server, 'api');
  });
  afterAll(async () => {
    await server?.close();
  });

  const unique = (prefix: string) => `${prefix} ${++sequence}`;
  const stream = async (accountId: string, query = ''): Promise<{ total: number; list: Note[]; pinnedList: Note[] }> =>
    admin.ok(admin.get(`/Account/${accountId}/stream${query}`));
  const noteCount = async () => Number((await server.app.database.db.selectFrom('note').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  describe('notes written on changes', () => {
    it('Create: data {} without an assigned user; streamUpdatedAt set; the creator does not follow', async () => {
      for (const client of [admin, api]) {
        const account = await client.ok(client.post('/Account', { name: unique('Created') }));
        expect(account.streamUpdatedAt).toBe(account.createdAt);
        expect(account).toMatchObject({ isFollowed: false, followersIds: [], followersNames: {} });
        const page = await stream(account.id);
        expect(page).toMatchObject({ total: 1, pinnedList: [] });
        expect(page.list).toEqual([
          expect.objectContaining({
            type: 'Create',
            data: {},
            post: null,
            parentId: account.id,
            parentType: 'Account',
            relatedId: null,
            relatedType: null,
            superParentId: null,
            isGlobal: false,
            isInternal: false,
            isPinned: false,
            createdAt: account.createdAt,
            createdById: account.createdById,
            createdByName: account.createdByName,
            reactionCounts: null,
            myReactions: [],
            deleted: false,
          }),
        ]);
        // The stream's own record is not named on its notes.
        expect(page.list[0]).not.toHaveProperty('parentName');
      }
    });

    it('Create with an assigned user: the user and its name in data; the assignee follows', async () => {
      const account = await admin.ok(admin.post('/Account', { name: unique('Assigned'), assignedUserId: server.adminId }));
      expect(account).toMatchObject({ isFollowed: true, followersIds: [server.adminId], followersNames: { [server.adminId]: 'Admin User' } });
      const [note] = (await stream(account.id)).list;
      expect(note).toMatchObject({ type: 'Create', data: { assignedUserId: server.adminId, assignedUserName: 'Admin User' } });
      // Assigned to someone else: the API user follows, the creator does not.
      const other = await admin.ok(admin.post('/Account', { name: unique('Assigned'), assignedUserId: server.apiUserId }));
      expect(other).toMatchObject({ isFollowed: false, followersIds: [server.apiUserId] });
    });

    it('Update: audited fields only (name, type, isLocked), with was and became', async () => {
      const account = await admin.ok(admin.post('/Account', { name: unique('Before'), type: 'Customer' }));
      const updated = await admin.ok(admin.put(`/Account/${account.id}`, { name: `${account.name} after`, type: 'Partner', website: 'acme.example' }));
      const [note] = (await stream(account.id)).list;
      expect(note).toMatchObject({
        type: 'Update',
        data: { fields: ['name', 'type'], attributes: { was: { name: account.name, type: 'Customer' }, became: { name: `${account.name} after`, type: 'Partner' } } },
      });
      expect(updated.streamUpdatedAt).not.toBeNull();
      // Not audited: no note.
      const before = (await stream(account.id)).total;
      await admin.ok(admin.patch(`/Account/${account.id}`, { website: 'other.example', description: 'Not audited' }));
      expect((await stream(account.id)).total).toBe(before);
      // Audited but unchanged: no note.
      await admin.ok(admin.put(`/Account/${account.id}`, { type: 'Partner' }));
      expect((await stream(account.id)).total).toBe(before);
    });

    it('Assign: the new user, or assignedUserId null when unassigned; the new assignee follows', async () => {
      const account = await admin.ok(admin.post('/Account', { name: unique('Assign') }));
      const assigned = await admin.ok(admin.put(`/Account/${account.id}`, { assignedUserId: server.adminId }));
      expect(assigned.isFollowed).toBe(true);
      await admin.ok(admin.put(`/Account/${account.id}`, { assignedUserId: null }));
      const notes = (await stream(account.id)).list;
      expect(notes.map((note) => note.type)).toEqual(['Assign', 'Assign', 'Create']);
      expect(notes[1]!.data).toEqual({ assignedUserId: server.adminId, assignedUserName: 'Admin User' });
      expect(notes[0]!.data).toEqual({ assignedUserId: null });
    });

    it('Relate and Unrelate for the audited links calls, meetings and documents; none for others', async () => {
      const account = await admin.ok(admin.post('/Account', { name: unique('Audited') }));
      const call = await admin.ok(admin.post('/Call', { name: unique('Call'), ...DATES, assignedUserId: server.adminId }));
      const meeting = await admin.ok(admin.post('/Meeting', { name: unique('Meeting'), ...DATES, assignedUserId: server.adminId }));
      const document = await admin.ok(admin.post('/Document', { name: unique('Document') }));
      const contact = await admin.ok(admin.post('/Contact', { lastName: unique('Contact') }));
      await admin.ok(admin.post(`/Account/${account.id}/calls`, { id: call.id }));
      await admin.ok(admin.post(`/Account/${account.id}/meetings`, { id: meeting.id }));
      await admin.ok(admin.post(`/Account/${account.id}/documents`, { id: document.id }));
      await admin.ok(admin.post(`/Account/${account.id}/contacts`, { id: contact.id }));
      // Re-relating changes nothing and writes no note.
      await admin.ok(admin.post(`/Account/${account.id}/documents`, { id: document.id }));
      await admin.ok(admin.delete(`/Account/${account.id}/documents`, { id: document.id }));
      await admin.ok(admin.delete(`/Account/${account.id}/contacts`, { id: contact.id }));

      const notes = (await stream(account.id)).list;
      expect(notes.map((note) => [note.type, note.relatedType])).toEqual([
        ['Unrelate', 'Document'],
        ['Relate', 'Document'],
        ['Relate', 'Meeting'],
        ['Relate', 'Call'],
        ['Create', null],
      ]);
      expect(notes[1]).toMatchObject({ data: null, parentId: account.id, parentType: 'Account', relatedId: document.id, relatedName: document.name });
      expect(notes[3]).toMatchObject({ relatedId: call.id, relatedName: call.name, data: null });
    });

    it('CreateRelated when a call or meeting is created with the account as parent', async () => {
      const account = await admin.ok(admin.post('/Account', { name: unique('Parent') }));
      const call = await admin.ok(admin.post('/Call', { name: unique('Call'), ...DATES, assignedUserId: server.apiUserId, parentType: 'Account', parentId: account.id }));
      const notes = (await stream(account.id)).list;
      expect(notes[0]).toMatchObject({ type: 'CreateRelated', data: null, parentId: account.id, relatedType: 'Call', relatedId: call.id, relatedName: call.name });
      expect(notes.map((note) => note.type)).toEqual(['CreateRelated', 'Create']);
    });

    it('shows the Create note of a task, opportunity or case under the account (superParent); no CreateRelated for them', async () => {
      const account = await admin.ok(admin.post('/Account', { name: unique('Super parent') }));
      const task = await admin.ok(admin.post('/Task', { name: unique('Task'), assignedUserId: server.adminId, parentType: 'Account', parentId: account.id }));
      const opportunity = await admin.ok(admin.post('/Opportunity', { name: unique('Deal'), amount: 1, closeDate: '2027-01-31', accountId: account.id }));
      const notes = (await stream(account.id)).list;
      expect(notes.map((note) => [note.type, note.parentType])).toEqual([
        ['Create', 'Opportunity'],
        ['Create', 'Task'],
        ['Create', 'Account'],
      ]);
      expect(notes[0]).toMatchObject({ parentId: opportunity.id, parentName: opportunity.name, superParentId: account.id, superParentType: 'Account', data: { statusValue: 'Prospecting', statusField: 'stage' } });
      expect(notes[1]).toMatchObject({ parentId: task.id, parentName: task.name, data: { assignedUserId: server.adminId, assignedUserName: 'Admin User', statusValue: 'Not Started', statusField: 'status' } });
      // Emails have no stream and their link is not audited: nothing.
      await admin.ok(admin.post('/Email', { name: unique('Email'), from: 'a@acme.example', to: 'b@acme.example', parentType: 'Account', parentId: account.id }));
      expect((await stream(account.id)).total).toBe(3);
    });
  });

  describe('posts', () => {
    it('createNote: a Post note on the account stream, newest first; data {}', async () => {
      const account = await api.ok(api.post('/Account', { name: unique('Posted') }));
      const post = await api.ok(api.post('/Note', { type: 'Post', parentType: 'Account', parentId: account.id, post: 'Hello & welcome' }));
      expect(post).toMatchObject({
        type: 'Post',
        post: 'Hello & welcome',
        data: {},
        parentId: account.id,
        parentType: 'Account',
        parentName: account.name,
        createdById: server.apiUserId,
        isInternal: false,
        attachmentsIds: [],
        reactionCounts: null,
        myReactions: [],
      });
      const page = await stream(account.id);
      expect(page.list.map((note) => note.id)[0]).toBe(post.id);
      expect(page.list[0]!.number).toBeGreaterThan(page.list[1]!.number);
      // An API user who posts does not follow (EspoCRM excludes API users).
      expect((await api.ok(api.get(`/Account/${account.id}`))).isFollowed).toBe(false);
      expect((await api.ok(api.get(`/Account/${account.id}`))).streamUpdatedAt >= account.streamUpdatedAt).toBe(true);
    });

    it('a regular user or admin who posts follows the record', async () => {
      const account = await api.ok(api.post('/Account', { name: unique('Followed by posting') }));
      await admin.ok(admin.post('/Note', { type: 'Post', parentType: 'Account', parentId: account.id, post: 'Me too' }));
      expect((await admin.ok(admin.get(`/Account/${account.id}`))).isFollowed).toBe(true);
    });

    it('refuses a missing or unknown parent (No access to parent.) and internal posts on accounts, writing nothing', async () => {
      const account = await api.ok(api.post('/Account', { name: unique('Guarded') }));
      const before = await noteCount();
      for (const body of [
        { type: 'Post', parentType: 'Account', parentId: 'missing00000000001', post: 'Nobody' },
        { type: 'Post', parentType: 'Bogus', parentId: account.id, post: 'Nothing' },
      ]) {
        const answer = await api.post('/Note', body);
        expect(answer.status).toBe(403);
        expect(answer.reason).toBe('No access to parent.');
      }
      const internal = await api.post('/Note', { type: 'Post', parentType: 'Account', parentId: account.id, post: 'Secret', isInternal: true });
      expect(internal.status).toBe(403);
      expect(internal.reason).toBe('Internal note is not allowed.');
      expect((await api.post('/Note', { type: 'Update', parentType: 'Account', parentId: account.id, post: 'x' })).status).toBe(400);
      expect(await noteCount()).toBe(before);
    });
  });

  describe('listing', () => {
    let accountId: string;
    let notes: Note[];

    beforeAll(async () => {
      const account = await api.ok(api.post('/Account', { name: unique('Busy') }));
      accountId = account.id;
      for (let n = 1; n <= 3; n++) await api.ok(api.post('/Note', { type: 'Post', parentType: 'Account', parentId: accountId, post: `API post ${n}` }));
      await admin.ok(admin.put(`/Account/${accountId}`, { name: `${account.name} renamed` }));
      await admin.ok(admin.post('/Note', { type: 'Post', parentType: 'Account', parentId: accountId, post: 'Admin post' }));
      notes = (await stream(accountId)).list;
    });

    it('counts every note and pages newest first', async () => {
      expect(notes.map((note) => note.type)).toEqual(['Post', 'Update', 'Post', 'Post', 'Post', 'Create']);
      const numbers = notes.map((note) => note.number);
      expect([...numbers].sort((a, b) => b - a)).toEqual(numbers);
      const page = await stream(accountId, '?maxSize=2&offset=1');
      expect(page.total).toBe(6);
      expect(page.list.map((note) => note.id)).toEqual(notes.slice(1, 3).map((note) => note.id));
      expect((await stream(accountId, '?maxSize=0')).list).toEqual([]);
      // Ordering parameters are ignored.
      expect((await stream(accountId, '?orderBy=createdAt&order=asc')).list.map((note) => note.id)).toEqual(notes.map((note) => note.id));
    });

    it('filter=posts, filter=updates, filter=all', async () => {
      expect((await stream(accountId, '?filter=posts')).list.map((note) => note.post)).toEqual(['Admin post', 'API post 3', 'API post 2', 'API post 1']);
      const updates = await stream(accountId, '?filter=updates');
      expect(updates).toMatchObject({ total: 1, list: [{ type: 'Update' }] });
      expect((await stream(accountId, '?filter=all')).total).toBe(6);
    });

    it('skipOwn=true leaves out the current user notes; only the literal true counts', async () => {
      const own = await stream(accountId, '?skipOwn=true');
      expect(own.list.every((note) => note.createdById !== server.adminId)).toBe(true);
      expect(own.total).toBe(4);
      expect((await stream(accountId, '?skipOwn=false')).total).toBe(6);
      const fromApi = await api.ok(api.get(`/Account/${accountId}/stream?skipOwn=true`));
      expect(fromApi.list.map((note: Note) => note.post)).toEqual(['Admin post', null]);
    });

    it('after: only notes created after the date-time', async () => {
      await server.app.database.db.updateTable('note').set({ createdAt: '2020-01-01 00:00:00' }).where('id', '=', notes[5]!.id).execute();
      const recent = await stream(accountId, `?after=${encodeURIComponent('2021-01-01 00:00:00')}`);
      expect(recent.total).toBe(5);
      expect(recent.list.map((note) => note.type)).not.toContain('Create');
      expect((await admin.get(`/Account/${accountId}/stream?after=yesterday`)).status).toBe(400);
    });

    it('pinnedList: the pinned notes of the record, whatever the page', async () => {
      await server.app.database.db.updateTable('note').set({ isPinned: 1 }).where('id', '=', notes[3]!.id).execute();
      const page = await stream(accountId, '?maxSize=1');
      expect(page.pinnedList).toEqual([expect.objectContaining({ id: notes[3]!.id, isPinned: true })]);
      expect(page.list).toHaveLength(1);
    });

    it('maxSize above 200 is 403; unknown account 404', async () => {
      const tooMany = await admin.get(`/Account/${accountId}/stream?maxSize=201`);
      expect(tooMany.status).toBe(403);
      expect(tooMany.reason).toBe('Max size should not exceed 200. Use offset and limit.');
      const missing = await admin.get('/Account/missing00000000001/stream');
      expect(missing.status).toBe(404);
      expect(missing.reason).toBe('Record not found.');
    });
  });

  describe('following', () => {
    it('follow and unfollow: isFollowed, followers and the followed filters', async () => {
      const account = await api.ok(api.post('/Account', { name: unique('Follow me') }));
      const other = await api.ok(api.post('/Account', { name: unique('Not followed') }));
      expect(await api.ok(api.put(`/Account/${account.id}/subscription`))).toBe(true);
      expect(await api.ok(api.put(`/Account/${account.id}/subscription`))).toBe(true);
      expect(await api.ok(api.get(`/Account/${account.id}`))).toMatchObject({ isFollowed: true, followersIds: [server.apiUserId], followersNames: { [server.apiUserId]: 'API' } });
      // Another user sees the follower but does not follow.
      expect(await admin.ok(admin.get(`/Account/${account.id}`))).toMatchObject({ isFollowed: false, followersIds: [server.apiUserId] });

      const selected = await api.ok(api.get(`/Account?select=name,isFollowed&where[0][type]=in&where[0][attribute]=id&where[0][value][]=${account.id}&where[0][value][]=${other.id}`));
      expect(Object.fromEntries(selected.list.map((item: { id: string; isFollowed: boolean }) => [item.id, item.isFollowed]))).toEqual({ [account.id]: true, [other.id]: false });
      const followed = await api.ok(api.get('/Account?primaryFilter=followed'));
      expect(followed.list.map((item: { id: string }) => item.id)).toContain(account.id);
      expect(followed.list.map((item: { id: string }) => item.id)).not.toContain(other.id);
      const boolFollowed = await api.ok(api.get('/Account?boolFilterList[]=followed'));
      expect(boolFollowed.list.map((item: { id: string }) => item.id)).toContain(account.id);

      expect(await api.ok(api.delete(`/Account/${account.id}/subscription`))).toBe(true);
      expect(await api.ok(api.delete(`/Account/${account.id}/subscription`))).toBe(true);
      expect(await api.ok(api.get(`/Account/${account.id}`))).toMatchObject({ isFollowed: false, followersIds: [] });
      expect((await api.ok(api.get('/Account?primaryFilter=followed'))).list.map((item: { id: string }) => item.id)).not.toContain(account.id);
    });

    it('answers 404 with an empty reason for an unknown account', async () => {
      for (const method of ['put', 'delete'] as const) {
        const answer = await api[method]('/Account/missing00000000001/subscription');
        expect(answer.status).toBe(404);
        expect(answer.reason).toBe('');
      }
    });

    it('a deleted record loses its followers', async () => {
      const account = await api.ok(api.post('/Account', { name: unique('Short-lived') }));
      await api.ok(api.put(`/Account/${account.id}/subscription`));
      await api.ok(api.delete(`/Account/${account.id}`));
      const rows = await server.app.database.db.selectFrom('stream_subscription').selectAll().where('entityId', '=', account.id).execute();
      expect(rows).toEqual([]);
    });

    it('an inactive assignee does not follow', async () => {
      const inactive = await insertUser(server.app.database.db, { userName: unique('inactive').replace(/\W/g, '-'), lastName: 'Gone', isActive: false });
      const account = await admin.ok(admin.post('/Account', { name: unique('Unfollowed'), assignedUserId: inactive }));
      expect(account.followersIds).toEqual([]);
    });
  });
});

describeEngines('stream access control', (engine: Engine) => {
  const t = useTestDatabase(engine);
  let fx: Fixtures;
  let services: Services;
  let admin: RequestContext;
  let accountId: string;

  beforeAll(async () => {
    fx = await createFixtures(t.db);
    services = createServices(t.db);
    admin = createContext(fx.admin);
    accountId = String((await services.records.create('Account', { name: 'Watched', assignedUserId: fx.bob.id }, admin)).id);
    await services.records.create('Call', { name: 'Call', ...DATES, assignedUserId: fx.bob.id, parentType: 'Account', parentId: accountId }, admin);
  });

  const query = { maxSize: 200, offset: 0, after: null, filter: 'all', skipOwn: false } as const;
  const noteCount = async () => Number((await t.db.selectFrom('note').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('needs stream access to the record to list and to follow; not to unfollow', async () => {
    const ownStream = contextWithLevel(fx.alice, (_entityType, action) => (action === 'stream' ? 'own' : 'all'));
    expect(await rejection(services.stream.list('Account', accountId, query, ownStream))).toEqual({ status: 403, reason: 'No stream access.', body: undefined });
    expect(await rejection(services.stream.follow('Account', accountId, ownStream))).toMatchObject({ status: 403 });
    expect(await services.stream.unfollow('Account', accountId, ownStream)).toBe(true);
    const noStream = contextWithLevel(fx.alice, (_entityType, action) => (action === 'stream' ? 'no' : 'all'));
    expect(await rejection(services.stream.follow('Account', accountId, noStream))).toMatchObject({ status: 403 });
    const bob = contextWithLevel(fx.bob, (_entityType, action) => (action === 'stream' ? 'own' : 'all'));
    expect((await services.stream.list('Account', accountId, query, bob)).total).toBe(2);
    expect(await services.stream.follow('Account', accountId, bob)).toBe(true);
  });

  it('posts only to parents the user may read, writing nothing otherwise', async () => {
    const before = await noteCount();
    const ownAccounts = contextWithLevel(fx.alice, (entityType) => (entityType === 'Account' ? 'own' : 'all'));
    expect(await rejection(services.stream.post({ parentType: 'Account', parentId: accountId, post: 'Hi' }, ownAccounts))).toMatchObject({ status: 403, reason: 'No access to parent.' });
    expect(await noteCount()).toBe(before);
  });

  it('leaves out notes about records of entity types the user may not read', async () => {
    const noCalls = contextWithLevel(fx.alice, (entityType) => (entityType === 'Call' ? 'no' : 'all'));
    const page = await services.stream.list('Account', accountId, query, noCalls);
    expect(page.list.map((note) => note.type)).toEqual(['Create']);
    expect(page.total).toBe(1);
  });

  it('an assignee without stream access does not follow', async () => {
    const noStream = streamRecordHooks({ accessFor: async (_db, actor) => contextWithLevel(actor, (_entityType, action) => (action === 'stream' ? 'no' : 'all')).acl });
    const guarded = { records: new RecordService(t.db, { hooks: noStream }) };
    const record = await guarded.records.create('Account', { name: 'Not followed', assignedUserId: fx.alice.id }, admin);
    expect(record.followersIds).toEqual([]);
  });
});
