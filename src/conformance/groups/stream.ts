/** stream: notes after create, update (audited fields), relate/unrelate (audited links) and post; follow/unfollow. */
import type { CheckContext, Reply } from '../context.js';
import { isObject, SkipCheck } from '../context.js';
import { accountLinks } from './links.js';
import { defineGroup, listBody, missingId, objectBody, show, type Check, type Json } from './group.js';

interface StreamPage {
  reply: Reply;
  total: number;
  list: Json[];
}

async function stream(t: CheckContext, id: string, query: Record<string, unknown> = {}, label?: string): Promise<StreamPage> {
  const reply = await t.call('listAccountStream', { params: { id }, query, expect: 200, ...(label ? { label } : {}) });
  const { total, list } = listBody(t, reply);
  return { reply, total, list };
}

const types = (list: readonly Json[]) => list.map((n) => String(n['type']));

/** The note post made, paged by paging. */
interface StreamState {
  posted?: { account: string; note: string };
}

async function createNote(t: CheckContext): Promise<void> {
  const id = String((await t.fixtures.createAccount(t, 'stream create', {}))['id']);
  const page = await stream(t, id);
  t.expect(page.list.some((n) => n['type'] === 'Create'), page.reply, { message: 'the stream of a new account has no Create note', expected: 'a note of type Create', actual: show(types(page.list)) });
}

async function updateNote(t: CheckContext): Promise<void> {
  const account = await t.fixtures.createAccount(t, 'stream update', { sicCode: '1' });
  const id = String(account['id']);
  const oldName = String(account['name']);
  const newName = t.name('stream update renamed');
  const before = await stream(t, id, {}, 'before');
  await t.call('patchAccount', { params: { id }, json: { sicCode: '2' }, expect: 200, label: 'not audited' });
  const unaudited = await stream(t, id, {}, 'after a change of sicCode');
  t.expect(unaudited.total === before.total, unaudited.reply, { message: 'changing sicCode (not audited) wrote a stream note', pointer: '/total', expected: String(before.total), actual: `${unaudited.total}: ${show(types(unaudited.list))}` });
  await t.call('patchAccount', { params: { id }, json: { name: newName }, expect: 200, label: 'rename' });
  const after = await stream(t, id, {}, 'after rename');
  const note = after.list.find((n) => n['type'] === 'Update');
  t.require(note !== undefined, after.reply, { message: 'renaming an account wrote no Update note', expected: 'a note of type Update', actual: show(types(after.list)) });
  const data = isObject(note!['data']) ? note!['data'] : {};
  const fields = Array.isArray(data['fields']) ? data['fields'] : [];
  const attributes = isObject(data['attributes']) ? data['attributes'] : {};
  const was = isObject(attributes['was']) ? attributes['was'] : {};
  const became = isObject(attributes['became']) ? attributes['became'] : {};
  t.expect(fields.includes('name') && was['name'] === oldName && became['name'] === newName, after.reply, {
    message: 'the Update note does not record the name change',
    pointer: `/list/${after.list.indexOf(note!)}/data`,
    expected: `fields [name], attributes.was.name ${show(oldName)}, attributes.became.name ${show(newName)}`,
    actual: show(data),
  });
  t.expect(note!['parentId'] === id || note!['parentId'] === undefined, after.reply, { message: 'the Update note belongs to another record', pointer: '/parentId', expected: id, actual: show(note!['parentId']) });
}

async function relateNote(t: CheckContext): Promise<void> {
  const audited = accountLinks(t.run).filter((l) => ['documents', 'meetings', 'calls'].includes(l.link));
  let done = false;
  const reasons: string[] = [];
  for (const l of audited) {
    let child: Json;
    try {
      child = await t.fixtures.createRelated(t, l.type as 'Document' | 'Meeting' | 'Call', `stream ${l.link}`);
    } catch (error) {
      if (error instanceof SkipCheck) {
        reasons.push(error.reason);
        continue;
      }
      throw error;
    }
    const id = String((await t.fixtures.createAccount(t, `stream relate ${l.link}`, {}))['id']);
    const childId = String(child['id']);
    await t.call(l.relate, { params: { id }, json: { id: childId }, expect: 200 });
    const related = await stream(t, id, {}, `after relate through ${l.link}`);
    const relate = related.list.find((n) => n['type'] === 'Relate');
    t.expect(relate !== undefined && relate['relatedId'] === childId && relate['relatedType'] === l.type, related.reply, {
      message: `relating through the audited link ${l.link} wrote no Relate note for the record`,
      expected: `a Relate note with relatedId ${childId}, relatedType ${l.type}`,
      actual: show(related.list.map((n) => ({ type: n['type'], relatedId: n['relatedId'], relatedType: n['relatedType'] }))),
    });
    await t.call(l.unrelate, { params: { id }, json: { id: childId }, expect: 200 });
    const unrelated = await stream(t, id, {}, `after unrelate through ${l.link}`);
    const unrelate = unrelated.list.find((n) => n['type'] === 'Unrelate');
    t.expect(unrelate !== undefined && unrelate['relatedId'] === childId, unrelated.reply, {
      message: `unlinking through the audited link ${l.link} wrote no Unrelate note for the record`,
      expected: `an Unrelate note with relatedId ${childId}`,
      actual: show(types(unrelated.list)),
    });
    done = true;
    break;
  }
  if (!done) t.skip(`no audited link could be exercised: ${reasons.join('; ') || 'the contract has none'}`);
}

async function post(t: CheckContext, s: StreamState): Promise<void> {
  const id = String((await t.fixtures.createAccount(t, 'stream post', {}))['id']);
  const text = `${t.run.marker} hello & <stream> "quoted" ünïcode`;
  const reply = await t.call('createNote', { json: { type: 'Post', parentType: 'Account', parentId: id, post: text }, expect: 200 });
  const note = objectBody(t, reply);
  if (typeof note['id'] === 'string') t.fixtures.track('Note', note['id']);
  t.expect(note['type'] === 'Post' && note['post'] === text && note['parentId'] === id, reply, {
    message: 'createNote did not return the posted note',
    expected: `type Post, post ${show(text)}, parentId ${id}`,
    actual: `type ${show(note['type'])}, post ${show(note['post'])}, parentId ${show(note['parentId'])}`,
  });
  const page = await stream(t, id, {}, 'after post');
  t.expect(page.list[0]?.['id'] === note['id'], page.reply, { message: 'the new post is not the first (newest) note of the stream', pointer: '/list/0/id', expected: show(note['id']), actual: show(page.list[0]?.['id']) });
  s.posted = { account: id, note: String(note['id']) };
}

async function postInvalid(t: CheckContext): Promise<void> {
  const id = String((await t.fixtures.createAccount(t, 'stream post invalid', {}))['id']);
  // EspoCRM 9.x and 10.0 accept a Post without `post` and leave the key out of the new note.
  const empty = await t.call('createNote', { json: { type: 'Post', parentType: 'Account', parentId: id }, expect: 200, soft: true, label: 'no post' });
  if (empty.status === 200 && isObject(empty.json) && typeof empty.json['id'] === 'string') {
    t.fixtures.track('Note', empty.json['id']);
    t.expect(!('post' in empty.json), empty, { message: 'a post sent without text came back with a post key', pointer: '/post', expected: 'absent', actual: show(empty.json['post']) });
  }
  const orphan = await t.call('createNote', { json: { type: 'Post', parentType: 'Account', parentId: missingId(t), post: 'orphan' }, expect: 403, soft: true, label: 'parent does not exist' });
  if (orphan.status === 200 && isObject(orphan.json) && typeof orphan.json['id'] === 'string') t.fixtures.track('Note', orphan.json['id']);
}

async function filter(t: CheckContext): Promise<void> {
  const account = await t.fixtures.createAccount(t, 'stream filter', {});
  const id = String(account['id']);
  await t.call('patchAccount', { params: { id }, json: { name: t.name('stream filter renamed') }, expect: 200 });
  const note = objectBody(t, await t.call('createNote', { json: { type: 'Post', parentType: 'Account', parentId: id, post: 'filtered' }, expect: 200 }));
  if (typeof note['id'] === 'string') t.fixtures.track('Note', note['id']);
  const posts = await stream(t, id, { filter: 'posts' }, 'filter=posts');
  t.expect(posts.list.length === 1 && types(posts.list).every((x) => x === 'Post'), posts.reply, { message: 'filter=posts returned other notes', expected: '[Post]', actual: show(types(posts.list)) });
  const updates = await stream(t, id, { filter: 'updates' }, 'filter=updates');
  t.expect(updates.list.length >= 1 && types(updates.list).every((x) => x === 'Update'), updates.reply, { message: 'filter=updates returned other notes', expected: 'only Update notes', actual: show(types(updates.list)) });
}

async function paging(t: CheckContext, s: StreamState): Promise<void> {
  const { account, note } = s.posted ?? t.skip('the post check did not post a note');
  const all = await stream(t, account, {}, 'all');
  t.require(all.total >= 2 && all.total === all.list.length, all.reply, { message: 'the stream total does not count its notes', pointer: '/total', expected: `${all.list.length} (at least 2: Create and Post)`, actual: String(all.total) });
  // The order is checked on what every server gives: the post came after the Create note, so it is first,
  // and createdAt never increases down the list; `number` (where a server sends it) strictly decreases.
  t.expect(all.list[0]?.['id'] === note, all.reply, { message: 'the stream is not newest first: the latest post is not the first note', pointer: '/list/0/id', expected: show(note), actual: show(all.list[0]?.['id']) });
  const created = all.list.map((n) => n['createdAt']);
  t.expect(created.every((c) => typeof c === 'string'), all.reply, { message: 'a note of the stream has no createdAt: its order cannot be checked', pointer: '/list', expected: 'createdAt on every note', actual: show(created) });
  const times = created.filter((c): c is string => typeof c === 'string');
  t.expect(times.every((c, i) => i === 0 || times[i - 1]! >= c), all.reply, { message: 'the stream is not ordered newest first (createdAt increases)', expected: 'createdAt not increasing', actual: show(times) });
  const numbers = all.list.map((n) => n['number']).filter((n): n is number => typeof n === 'number');
  t.expect(numbers.every((n, i) => i === 0 || numbers[i - 1]! > n), all.reply, { message: 'the stream is not ordered newest first (number descending)', expected: 'number strictly decreasing', actual: show(numbers) });
  const first = await stream(t, account, { maxSize: 1 }, 'maxSize=1');
  t.expect(first.list.length === 1 && first.list[0]?.['id'] === all.list[0]?.['id'] && first.total === all.total, first.reply, {
    message: 'maxSize=1 did not return the newest note with the full total',
    expected: `[${show(all.list[0]?.['id'])}], total ${all.total}`,
    actual: `${show(first.list.map((n) => n['id']))}, total ${first.total}`,
  });
  const second = await stream(t, account, { maxSize: 1, offset: 1 }, 'maxSize=1&offset=1');
  t.expect(second.list[0]?.['id'] === all.list[1]?.['id'], second.reply, { message: 'offset=1 did not return the second newest note', pointer: '/list/0/id', expected: show(all.list[1]?.['id']), actual: show(second.list[0]?.['id']) });
}

async function follow(t: CheckContext): Promise<void> {
  const created = await t.fixtures.createAccount(t, 'stream follow', {});
  const id = String(created['id']);
  const me = await t.me();
  const read = async (label: string) => objectBody(t, await t.call('getAccount', { params: { id }, expect: 200, label }));
  const followedIds = async (how: 'primaryFilter' | 'boolFilterList', label: string) => {
    const query = { select: ['id'], where: [{ type: 'equals', attribute: 'id', value: id }], ...(how === 'primaryFilter' ? { primaryFilter: 'followed' } : { boolFilterList: ['followed'] }) };
    const reply = await t.call('listAccounts', { query, expect: 200, label: `${how} followed, ${label}` });
    return { reply, ids: listBody(t, reply).list.map((i) => i['id']) };
  };
  const fresh = await read('new account');
  t.expect(fresh['isFollowed'] === false, undefined, { message: 'a new account is followed by its creator (the contract says creating does not follow)', pointer: '/isFollowed', expected: 'false', actual: show(fresh['isFollowed']) });
  for (const attempt of ['', ' again']) {
    const reply = await t.call('followAccount', { params: { id }, expect: 200, label: `follow${attempt}` });
    t.expect(reply.json === true, reply, { message: `followAccount${attempt} did not answer true`, pointer: '', expected: 'true', actual: reply.response.text });
  }
  const following = await read('after follow');
  t.expect(following['isFollowed'] === true, undefined, { message: 'getAccount after followAccount: isFollowed is not true', pointer: '/isFollowed', expected: 'true', actual: show(following['isFollowed']) });
  if (Array.isArray(following['followersIds'])) {
    t.expect(following['followersIds'].includes(me.id), undefined, { message: 'getAccount after followAccount: followersIds lacks the user', pointer: '/followersIds', expected: `a list containing ${me.id}`, actual: show(following['followersIds']) });
  }
  for (const how of ['primaryFilter', 'boolFilterList'] as const) {
    const found = await followedIds(how, 'after follow');
    t.expect(found.ids.includes(id), found.reply, { message: `${how} followed does not list the followed account`, expected: `[${id}]`, actual: show(found.ids) });
  }
  for (const attempt of ['', ' again']) {
    const reply = await t.call('unfollowAccount', { params: { id }, expect: 200, label: `unfollow${attempt}` });
    t.expect(reply.json === true, reply, { message: `unfollowAccount${attempt} did not answer true`, pointer: '', expected: 'true', actual: reply.response.text });
  }
  const unfollowed = await read('after unfollow');
  t.expect(unfollowed['isFollowed'] === false, undefined, { message: 'getAccount after unfollowAccount: isFollowed is not false', pointer: '/isFollowed', expected: 'false', actual: show(unfollowed['isFollowed']) });
  for (const how of ['primaryFilter', 'boolFilterList'] as const) {
    const found = await followedIds(how, 'after unfollow');
    t.expect(!found.ids.includes(id), found.reply, { message: `${how} followed still lists the unfollowed account`, expected: '[]', actual: show(found.ids) });
  }
}

async function notFound(t: CheckContext): Promise<void> {
  await t.call('listAccountStream', { params: { id: missingId(t) }, expect: 404, soft: true });
  await t.call('followAccount', { params: { id: missingId(t) }, expect: 404, soft: true });
}

export const streamChecks: readonly Check<StreamState>[] = [
  { id: 'create-note', title: 'creating an account writes a Create note to its stream', run: createNote },
  { id: 'update-note', title: 'changing an audited field (name) writes an Update note with the old and new value; other fields do not', run: updateNote },
  { id: 'relate-note', title: 'linking and unlinking through an audited link writes Relate and Unrelate notes', run: relateNote },
  { id: 'post', title: 'createNote posts to the account stream; the post is the newest note', run: post },
  { id: 'post-invalid', title: 'createNote without a message is a post without text (200, no post key); to a parent that does not exist, 403', run: postInvalid },
  { id: 'filter', title: 'filter=posts lists only posts; filter=updates only updates', run: filter },
  { id: 'paging', title: 'the stream is newest first; maxSize and offset page it; total counts every note', run: paging },
  { id: 'follow', title: 'followAccount and unfollowAccount answer true and change isFollowed and the followed filters', run: follow },
  { id: 'not-found', title: 'the stream of, and following, an account that does not exist answer 404', run: notFound },
];

export const streamGroup = defineGroup<StreamState>({
  name: 'stream',
  title: 'Stream and following',
  checks: streamChecks,
  state: () => ({}),
});
