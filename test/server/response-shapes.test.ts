import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngines } from '../support/database.js';
import { startServer, type TestServer } from '../support/server.js';

/**
 * The keys of EspoCRM's response bodies, which the reference server copies (issue 10 E): what a create, a
 * duplicate, a list item, a related list with `select`, a 401 and a new stream post contain, and what they
 * leave out. Each expectation names the EspoCRM source that decides it.
 */
interface Answer {
  status: number;
  contentType: string | null;
  reason: string | null;
  text: string;
  json: any;
}

function client(server: TestServer) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const response = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: { 'X-Api-Key': server.apiKey, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      reason: response.headers.get('x-status-reason'),
      text,
      json: text ? JSON.parse(text) : undefined,
    };
  };
}

/** The keys of EspoCRM 10.0's create response for an account created with its name only (26 on 9.2.7, without isLocked). */
const MINIMAL_CREATE_KEYS = [
  'id', 'name', 'deleted',
  'emailAddressIsOptedOut', 'emailAddressIsInvalid', 'emailAddressData',
  'phoneNumberIsOptedOut', 'phoneNumberIsInvalid', 'phoneNumberData',
  'contactIsInactive', 'targetListIsOptedOut', 'isLocked',
  'campaignName', 'createdAt', 'modifiedAt', 'createdById', 'createdByName', 'modifiedByName', 'assignedUserName',
  'teamsIds', 'teamsNames', 'streamUpdatedAt', 'versionNumber', 'isFollowed', 'followersIds', 'followersNames', 'isStarred',
];

describeEngines('response shapes like EspoCRM', (engine) => {
  let server: TestServer;
  let call: ReturnType<typeof client>;
  let run = 0;
  const unique = (label: string) => `${label} ${engine} ${++run}`;

  beforeAll(async () => {
    server = await startServer({ engine });
    call = client(server);
  });
  afterAll(() => server.close());

  describe('POST /Account', () => {
    it('lists only the attributes that were set, with the boolean defaults as false', async () => {
      const created = await call('POST', '/Account', { name: unique('Minimal') });
      expect(created.status).toBe(200);
      expect(Object.keys(created.json).sort()).toEqual([...MINIMAL_CREATE_KEYS].sort());
      // ORM defaults (Orm\Converter: every bool attribute defaults to false), relation columns included.
      expect(created.json).toMatchObject({
        deleted: false, isLocked: false, contactIsInactive: false, targetListIsOptedOut: false,
        emailAddressIsOptedOut: false, emailAddressIsInvalid: false, phoneNumberIsOptedOut: false, phoneNumberIsInvalid: false,
        // Link\NotJoinedLoader: the name of every belongsTo link, null without an id.
        campaignName: null, modifiedByName: null, assignedUserName: null, createdByName: 'API',
        emailAddressData: [], phoneNumberData: [], teamsIds: [], teamsNames: {}, versionNumber: 1,
      });
      // A read of the same record has every attribute; the email/phone flags are null there (no address).
      const read = await call('GET', `/Account/${created.json.id}`);
      expect(read.json).toMatchObject({ website: null, type: null, modifiedById: null, originalLeadId: null, emailAddressIsOptedOut: null });
      expect(read.json).not.toHaveProperty('contactIsInactive');
    });

    it('keeps what was sent (null included) and the primary address derived from the data list', async () => {
      const created = await call('POST', '/Account', {
        name: unique('Sent'),
        website: null,
        type: 'Customer',
        emailAddressData: [{ emailAddress: `${run}.sent@acme.example`, primary: true }],
      });
      expect(created.status).toBe(200);
      expect(created.json).toMatchObject({ website: null, type: 'Customer', emailAddress: `${run}.sent@acme.example` });
      for (const absent of ['industry', 'sicCode', 'description', 'phoneNumber', 'billingAddressCity', 'campaignId', 'assignedUserId', 'modifiedById', 'originalLeadId', 'originalLeadName']) {
        expect(created.json, absent).not.toHaveProperty(absent);
      }
    });

    it('answers a duplicate-skip create with the same shape', async () => {
      const name = unique('Twice');
      expect((await call('POST', '/Account', { name })).status).toBe(200);
      const again = await call('POST', '/Account', { name }, { 'X-Skip-Duplicate-Check': 'true' });
      expect(again.status).toBe(200);
      expect(Object.keys(again.json).sort()).toEqual([...MINIMAL_CREATE_KEYS].sort());
    });
  });

  describe('409 duplicate body and list items', () => {
    it('duplicates carry every selected attribute with originalLeadId/Name, and no isStarred or loaded extras', async () => {
      const name = unique('Existing');
      const first = await call('POST', '/Account', { name });
      const conflict = await call('POST', '/Account', { name });
      expect(conflict.status).toBe(409);
      expect(conflict.reason).toBe('duplicate');
      const [duplicate] = conflict.json;
      expect(duplicate).toMatchObject({ id: first.json.id, name, originalLeadId: null, originalLeadName: null, website: null, modifiedById: null });
      for (const absent of ['isStarred', 'isFollowed', 'emailAddressData', 'phoneNumberData', 'teamsIds', 'followersIds']) {
        expect(duplicate, absent).not.toHaveProperty(absent);
      }
    });

    it('list items without select carry originalLeadId/Name and isStarred', async () => {
      const name = unique('Listed');
      await call('POST', '/Account', { name });
      const page = await call('GET', `/Account?where[0][type]=equals&where[0][attribute]=name&where[0][value]=${encodeURIComponent(name)}`);
      expect(page.json.list).toEqual([expect.objectContaining({ name, originalLeadId: null, originalLeadName: null, isStarred: false })]);
      expect(page.json.list[0]).not.toHaveProperty('emailAddressData');
    });
  });

  describe('related lists with select', () => {
    it('contacts of an account carry accountId/accountName (Contact mandatory attributes) and accountIsInactive', async () => {
      const account = await call('POST', '/Account', { name: unique('Employer') });
      const contact = await call('POST', '/Contact', { lastName: unique('Worker'), accountId: account.json.id });
      expect((await call('POST', `/Account/${account.json.id}/contacts`, { id: contact.json.id })).json).toBe(true);
      const page = await call('GET', `/Account/${account.json.id}/contacts?select=name`);
      expect(page.status).toBe(200);
      expect(page.json.list).toHaveLength(1);
      expect(page.json.list[0]).toMatchObject({ id: contact.json.id, accountId: account.json.id, accountName: account.json.name, accountIsInactive: false });
      expect(page.json.list[0]).not.toHaveProperty('accountRole'); // only when selected
      // The same for every list of contacts with a select (recordDefs.Contact.mandatoryAttributeList).
      const primary = await call('GET', `/Account/${account.json.id}/contactsPrimary?select=lastName`);
      expect(primary.json.list).toEqual([expect.objectContaining({ id: contact.json.id, accountId: account.json.id, accountName: account.json.name })]);
    });
  });

  describe('401', () => {
    it('is an empty text/html answer, for a wrong key and for no credentials', async () => {
      for (const headers of [{ 'X-Api-Key': 'wrong' }, { 'X-Api-Key': '' }]) {
        const answer = await call('GET', '/Account', undefined, headers);
        expect(answer.status).toBe(401);
        expect(answer.contentType).toBe('text/html; charset=UTF-8');
        expect(answer.text).toBe('');
      }
    });
  });

  describe('POST /Note', () => {
    it('accepts a post without text: data {} and no post key', async () => {
      const account = await call('POST', '/Account', { name: unique('Quiet') });
      const note = await call('POST', '/Note', { type: 'Post', parentType: 'Account', parentId: account.json.id });
      expect(note.status).toBe(200);
      expect(note.json).toMatchObject({ type: 'Post', data: {}, parentType: 'Account', parentId: account.json.id, isInternal: false });
      expect(note.json).not.toHaveProperty('post');
      // The stream lists it with every attribute, `post: null` included.
      const stream = await call('GET', `/Account/${account.json.id}/stream`);
      expect(stream.json.list.find((item: { id: string }) => item.id === note.json.id)).toMatchObject({ post: null, number: expect.any(Number) });
    });

    it('lists the attributes a new note has, not the ones the stream adds', async () => {
      const account = await call('POST', '/Account', { name: unique('Chatty') });
      const note = await call('POST', '/Note', { type: 'Post', parentType: 'Account', parentId: account.json.id, post: 'Hello' });
      expect(note.status).toBe(200);
      expect(note.json).toMatchObject({ post: 'Hello', parentName: account.json.name, createdByName: 'API', modifiedByName: null, deleted: false });
      for (const absent of ['number', 'targetType', 'isGlobal', 'isPinned', 'createdByGender', 'modifiedById', 'relatedId', 'relatedType', 'superParentId', 'superParentType']) {
        expect(note.json, absent).not.toHaveProperty(absent);
      }
    });

    it('DELETE /Note/{id}: own posts by their author, any note by an admin; soft, then 404', async () => {
      const admin = { 'Espo-Authorization': Buffer.from(`${server.user.username}:${server.user.password}`).toString('base64') };
      const account = await call('POST', '/Account', { name: unique('Posted') });
      const mine = await call('POST', '/Note', { type: 'Post', parentType: 'Account', parentId: account.json.id, post: 'Mine' });
      const theirs = await call('POST', '/Note', { type: 'Post', parentType: 'Account', parentId: account.json.id, post: 'Theirs' }, admin);
      const createNote = (await call('GET', `/Account/${account.json.id}/stream`)).json.list.find((note: { type: string }) => note.type === 'Create');
      expect(await call('DELETE', `/Note/${mine.json.id}`)).toMatchObject({ status: 200, json: true });
      expect(await call('DELETE', `/Note/${mine.json.id}`)).toMatchObject({ status: 404, reason: `Record ${mine.json.id} not found.` });
      expect(await call('DELETE', `/Note/${theirs.json.id}`)).toMatchObject({ status: 403, reason: 'No delete access.' });
      expect(await call('DELETE', `/Note/${createNote.id}`)).toMatchObject({ status: 403, reason: 'No delete access.' });
      expect(await call('DELETE', `/Note/${createNote.id}`, undefined, admin)).toMatchObject({ status: 200, json: true });
      const ids = (await call('GET', `/Account/${account.json.id}/stream`)).json.list.map((note: { id: string }) => note.id);
      expect(ids).toEqual([theirs.json.id]);
    });

    it('refuses isInternal on an Account note as 10.x does', async () => {
      const account = await call('POST', '/Account', { name: unique('Internal') });
      const note = await call('POST', '/Note', { type: 'Post', parentType: 'Account', parentId: account.json.id, post: 'Secret', isInternal: true });
      expect(note.status).toBe(403);
      expect(note.reason).toBe('Internal note is not allowed.');
    });
  });

  describe('PATCH /Account/{id}', () => {
    it('answers the read shape plus sent link-multiple ids a read does not load (the saved entity\'s value map)', async () => {
      const created = await call('POST', '/Account', { name: unique('Targeted') });
      const updated = await call('PATCH', `/Account/${created.json.id}`, { targetListsIds: [] });
      expect(updated.status).toBe(200);
      expect(updated.json).toMatchObject({ targetListsIds: [], website: null, originalLeadId: null, versionNumber: 2 });
      expect((await call('GET', `/Account/${created.json.id}`)).json).not.toHaveProperty('targetListsIds');
    });
  });

  describe('delete, where and link answers', () => {
    it('a delete stamps modifiedAt and modifiedById but not versionNumber (Repositories\\Database::beforeRemove)', async () => {
      const admin = { 'Espo-Authorization': Buffer.from(`${server.user.username}:${server.user.password}`).toString('base64') };
      const created = await call('POST', '/Account', { name: unique('Doomed') });
      expect((await call('DELETE', `/Account/${created.json.id}`)).json).toBe(true);
      const gone = await call('GET', `/Account/${created.json.id}`, undefined, admin);
      expect(gone.json).toMatchObject({ deleted: true, modifiedById: server.apiUserId, modifiedByName: 'API', versionNumber: 1 });
      expect(gone.json.modifiedAt >= created.json.modifiedAt).toBe(true);
    });

    it.each([
      ['not', '?where[0][type]=not&where[0][value][0][type]=isNull&where[0][value][0][attribute]=website'],
      ['subQueryIn', '?where[0][type]=subQueryIn&where[0][value][0][type]=isNull&where[0][value][0][attribute]=website'],
      ['not in searchParams', `?searchParams=${encodeURIComponent(JSON.stringify({ where: [{ type: 'not', value: [{ type: 'isNull', attribute: 'website' }] }] }))}`],
    ])('%s: 400 with the reason of EspoCRM 10.0 (Where\\Checker::checkItem)', async (_label, query) => {
      const answer = await call('GET', `/Account${query}`);
      expect(answer.status).toBe(400);
      expect(answer.reason).toBe('Sub-queries are forbidden in where.');
    });

    it('cannotLinkAlreadyLinked carries data {} (Error\\Body::encode)', async () => {
      const account = await call('POST', '/Account', { name: unique('Owner') });
      const opportunity = await call('POST', '/Opportunity', { name: unique('Deal'), amount: 1, closeDate: '2027-01-31', accountId: account.json.id });
      const again = await call('POST', `/Account/${account.json.id}/opportunities`, { id: opportunity.json.id });
      expect(again.status).toBe(403);
      expect(again.json).toEqual({ messageTranslation: { label: 'cannotLinkAlreadyLinked', scope: null, data: {} } });
    });

    it('relating a meeting through `meetings` leaves its derived accountId alone (a direct update, no save hooks)', async () => {
      const account = await call('POST', '/Account', { name: unique('Host') });
      const meeting = await call('POST', '/Meeting', { name: unique('Sync'), dateStart: '2027-01-05 10:00:00', dateEnd: '2027-01-05 11:00:00', assignedUserId: server.apiUserId });
      expect((await call('POST', `/Account/${account.json.id}/meetings`, { id: meeting.json.id })).json).toBe(true);
      const related = await call('GET', `/Account/${account.json.id}/meetings`);
      expect(related.json.list).toEqual([expect.objectContaining({ id: meeting.json.id, parentId: account.json.id, parentType: 'Account', accountId: null })]);
      expect((await call('GET', `/Account/${account.json.id}/meetingsPrimary`)).json.total).toBe(0);
    });
  });

  describe('phoneNumber of the wrong type', () => {
    it.each([[{}], [[]], [['+1 555 0100']]])('answers 400 with a reason for %j (EspoCRM: 500)', async (phoneNumber) => {
      const answer = await call('POST', '/Account', { name: unique('Phone'), phoneNumber });
      expect(answer.status).toBe(400);
      expect(answer.reason).toBe('Field validation failure; entityType: Account, field: phoneNumber, type: valid.');
    });
  });
});
