/**
 * links: relate, list and unrelate on every Account link of the contract whose related type the kit can
 * create, plus the rules the contract states for some links: moving a child that belongs to another account,
 * opportunities only when not linked yet, contacts setting an empty primary account, relation columns.
 */
import { resolveRef } from '../../spec/bundle.js';
import type { Contract } from '../contract.js';
import type { CheckContext, OperationId, Reply } from '../context.js';
import { isObject } from '../context.js';
import type { RecordType } from '../fixtures.js';
import { defineGroup, ids, listBody, missingId, objectBody, show, type Check, type Json } from './group.js';

type RelatedType = Exclude<RecordType, 'Account' | 'Note'>;

interface LinkRules {
  /** Stored in the related record (parent or accountId): linking takes it away from its previous account. */
  moves?: boolean;
  /** Only records without an account can be linked (`linkOnlyNotLinked`). */
  onlyIfNotLinked?: boolean;
  /** Linking sets the related contact's empty `accountId`; unlinking clears it. */
  setsAccountId?: boolean;
  /** Relation columns each listed record carries. */
  columns?: string[];
  /** The link is the account's `teamsIds`. */
  teamsIds?: boolean;
}

/** What openapi/tag-account-links.md states for each link. */
export const LINK_RULES: Readonly<Record<string, LinkRules>> = {
  calls: { moves: true },
  callsPrimary: { moves: true },
  cases: { moves: true },
  contacts: { setsAccountId: true, columns: ['accountRole', 'accountIsInactive'] },
  contactsPrimary: { moves: true },
  documents: {},
  emails: { moves: true },
  emailsPrimary: { moves: true },
  meetings: { moves: true },
  meetingsPrimary: { moves: true },
  opportunities: { onlyIfNotLinked: true },
  portalUsers: {},
  targetLists: { columns: ['isOptedOut'] },
  tasks: { moves: true },
  tasksPrimary: { moves: true },
  teams: { teamsIds: true },
};

export interface AccountLink {
  link: string;
  /** Related entity type, from the list operation's response schema (`ContactList` → `Contact`). */
  type: string;
  list: OperationId;
  relate: OperationId;
  unrelate: OperationId;
  rules: LinkRules;
}

const CREATABLE: ReadonlySet<string> = new Set<RelatedType>(['Contact', 'Opportunity', 'Case', 'Call', 'Meeting', 'Task', 'Document', 'Email', 'TargetList', 'Team']);

/** Every `/Account/{id}/{link}` of the contract with list, relate and unrelate operations. */
export function accountLinks(t: { contract: CheckContext['contract'] }): AccountLink[] {
  const contract = t.contract;
  const byPath = new Map<string, { get?: OperationId; post?: OperationId; delete?: OperationId }>();
  for (const op of contract.allOperations()) {
    const match = /^\/Account\/\{id\}\/([A-Za-z]+)$/.exec(op.path);
    if (!match) continue;
    const entry = byPath.get(match[1]!) ?? {};
    if (op.method === 'get' || op.method === 'post' || op.method === 'delete') entry[op.method] = op.operationId as OperationId;
    byPath.set(match[1]!, entry);
  }
  const links: AccountLink[] = [];
  for (const [link, ops] of byPath) {
    if (!ops.get || !ops.post || !ops.delete) continue; // stream, subscription
    const schema = contract.operation(ops.get).responses.find((r) => r.key === '200')?.schema as { $ref?: string } | undefined;
    const listSchema = resolveRef<{ properties?: { list?: { items?: { $ref?: string } } } }>(contract.doc, schema);
    const itemRef = listSchema?.properties?.list?.items?.$ref ?? '';
    const type = itemRef.split('/').pop() ?? '';
    links.push({ link, type, list: ops.get, relate: ops.post, unrelate: ops.delete, rules: LINK_RULES[link] ?? {} });
  }
  return links;
}

async function listIds(t: CheckContext, l: AccountLink, accountId: string, label: string): Promise<{ reply: Reply; ids: string[]; total: number }> {
  const reply = await t.call(l.list, { params: { id: accountId }, query: { select: ['id'], maxSize: 200 }, expect: [200, 403], soft: true, label });
  if (reply.status === 403) {
    // EspoCRM answers 403 (often with an empty reason) when the user's role may not read the related type.
    t.refused(`${l.list} answered 403${reply.reason ? ` ${reply.reason}` : ''}: the user may not read ${l.type} (its role needs read access to ${l.type})`, reply);
  }
  const { total, list } = listBody(t, reply);
  return { reply, ids: ids(list), total };
}

function related(t: CheckContext, l: AccountLink, label: string, extra: Json = {}): Promise<Json> {
  if (!CREATABLE.has(l.type)) t.skip(`the contract has no create operation for ${l.type}`);
  return t.fixtures.createRelated(t, l.type as RelatedType, `${l.link} ${label}`, extra);
}

function expectTrue(t: CheckContext, reply: Reply, what: string): boolean {
  return t.expect(reply.json === true, reply, { message: `${reply.operationId} ${what} did not answer true`, pointer: '', expected: 'true', actual: reply.response.text || 'empty body' });
}

function expectFalse(t: CheckContext, reply: Reply, what: string): boolean {
  return t.expect(reply.json === false, reply, { message: `${reply.operationId} ${what} did not answer false`, pointer: '', expected: 'false', actual: reply.response.text || 'empty body' });
}

async function relateListUnrelate(t: CheckContext, l: AccountLink): Promise<void> {
  const account = await t.fixtures.createAccount(t, `links ${l.link}`, {});
  const accountId = String(account['id']);
  const empty = await listIds(t, l, accountId, 'new account');
  const before = empty.ids.length; // a new account may get the user's default team
  const record = await related(t, l, 'one');
  const relatedId = String(record['id']);
  expectTrue(t, await t.call(l.relate, { params: { id: accountId }, json: { id: relatedId }, expect: 200 }), '{id}');
  const after = await t.call(l.list, { params: { id: accountId }, query: { select: ['id'], maxSize: 200 }, headers: { 'X-No-Total': 'true' }, expect: 200, label: 'after relate, X-No-Total' });
  const { total, list } = listBody(t, after);
  t.expect(ids(list).includes(relatedId), after, { message: `${l.list} does not list the record just related`, expected: `a list containing ${relatedId}`, actual: show(ids(list)) });
  t.expect(total === list.length && total === before + 1, after, {
    message: `${l.list}: total must count the related records (link lists ignore X-No-Total)`,
    pointer: '/total',
    expected: String(before + 1),
    actual: String(total),
  });
  expectTrue(t, await t.call(l.unrelate, { params: { id: accountId }, json: { id: relatedId }, expect: 200 }), '{id}');
  const gone = await listIds(t, l, accountId, 'after unrelate');
  t.expect(!gone.ids.includes(relatedId), gone.reply, { message: `${l.list} still lists the record after unrelate`, expected: `no ${relatedId}`, actual: show(gone.ids) });
}

async function relateIds(t: CheckContext, l: AccountLink): Promise<void> {
  const account = await t.fixtures.createAccount(t, `links ${l.link} ids`, {});
  const accountId = String(account['id']);
  const before = (await listIds(t, l, accountId, 'before')).ids;
  const first = String((await related(t, l, 'ids 1'))['id']);
  const second = String((await related(t, l, 'ids 2'))['id']);
  expectTrue(t, await t.call(l.relate, { params: { id: accountId }, json: { ids: [first, second] }, expect: 200 }), '{ids}');
  const listed = await listIds(t, l, accountId, 'after relate ids');
  t.expect(listed.ids.includes(first) && listed.ids.includes(second) && listed.ids.length === before.length + 2, listed.reply, {
    message: `${l.list} does not list both records related by ids`,
    expected: show([...before, first, second]),
    actual: show(listed.ids),
  });
  if (!l.rules.onlyIfNotLinked) {
    expectTrue(t, await t.call(l.relate, { params: { id: accountId }, json: { id: first }, expect: 200, label: 'already linked' }), 'of an already linked record');
  }
  expectTrue(t, await t.call(l.unrelate, { params: { id: accountId }, json: { ids: [first, second] }, expect: 200 }), '{ids}');
  const after = await listIds(t, l, accountId, 'after unrelate ids');
  t.expect(!after.ids.includes(first) && !after.ids.includes(second), after.reply, { message: `${l.list} still lists records unrelated by ids`, expected: show(before), actual: show(after.ids) });
}

async function nothingToDo(t: CheckContext, l: AccountLink): Promise<void> {
  const account = await t.fixtures.createAccount(t, `links ${l.link} empty`, {});
  const accountId = String(account['id']);
  expectFalse(t, await t.call(l.relate, { params: { id: accountId }, json: {}, expect: 200 }), 'with {}');
  expectFalse(t, await t.call(l.unrelate, { params: { id: accountId }, json: {}, expect: 200 }), 'with {}');
}

async function notFound(t: CheckContext, l: AccountLink): Promise<void> {
  const account = await t.fixtures.createAccount(t, `links ${l.link} 404`, {});
  const accountId = String(account['id']);
  await t.call(l.relate, { params: { id: accountId }, json: { id: missingId(t) }, expect: 404, soft: true, label: 'related record does not exist' });
  await t.call(l.list, { params: { id: missingId(t) }, expect: 404, soft: true, label: 'account does not exist' });
  const record = await related(t, l, '404');
  await t.call(l.relate, { params: { id: missingId(t) }, json: { id: String(record['id']) }, expect: 404, soft: true, label: 'account does not exist' });
  await t.call(l.unrelate, { params: { id: missingId(t) }, json: { id: String(record['id']) }, expect: 404, soft: true, label: 'account does not exist' });
}
/** The contract cannot create the related type (portal users): list a new account's records, which must be none. */
async function listEmpty(t: CheckContext, l: AccountLink): Promise<void> {
  const account = await t.fixtures.createAccount(t, `links ${l.link}`, {});
  const { reply, ids: found, total } = await listIds(t, l, String(account['id']), 'new account');
  t.expect(found.length === 0 && total === 0, reply, { message: `${l.list} of a new account is not empty`, expected: 'an empty list, total 0', actual: `total ${total}, ${show(found)}` });
}

async function movesChild(t: CheckContext, l: AccountLink): Promise<void> {
  const first = String((await t.fixtures.createAccount(t, `links ${l.link} move from`, {}))['id']);
  const second = String((await t.fixtures.createAccount(t, `links ${l.link} move to`, {}))['id']);
  const child = String((await related(t, l, 'moved'))['id']);
  expectTrue(t, await t.call(l.relate, { params: { id: first }, json: { id: child }, expect: 200, label: 'to the first account' }), '');
  expectTrue(t, await t.call(l.relate, { params: { id: second }, json: { id: child }, expect: 200, label: 'to the second account' }), '');
  const from = await listIds(t, l, first, 'first account');
  const to = await listIds(t, l, second, 'second account');
  t.expect(!from.ids.includes(child), from.reply, { message: `${l.link}: the moved record is still linked to its previous account`, expected: `no ${child}`, actual: show(from.ids) });
  t.expect(to.ids.includes(child), to.reply, { message: `${l.link}: the moved record is not linked to the new account`, expected: `a list containing ${child}`, actual: show(to.ids) });
}

async function onlyIfNotLinked(t: CheckContext, l: AccountLink): Promise<void> {
  const first = String((await t.fixtures.createAccount(t, `links ${l.link} owner`, {}))['id']);
  const second = String((await t.fixtures.createAccount(t, `links ${l.link} other`, {}))['id']);
  const child = String((await related(t, l, 'linked once'))['id']);
  expectTrue(t, await t.call(l.relate, { params: { id: first }, json: { id: child }, expect: 200, label: 'not linked yet' }), '');
  for (const [target, label] of [[second, 'to another account'], [first, 'to the same account again']] as const) {
    const reply = await t.call(l.relate, { params: { id: target }, json: { id: child }, expect: 403, soft: true, label });
    if (reply.status === 403 && reply.response.text !== '') {
      const translation = isObject(reply.json) ? reply.json['messageTranslation'] : undefined;
      t.expect(isObject(translation) && translation['label'] === 'cannotLinkAlreadyLinked', reply, {
        message: `${l.relate} (${label}): the 403 body does not say cannotLinkAlreadyLinked`,
        pointer: '/messageTranslation/label',
        expected: '"cannotLinkAlreadyLinked"',
        actual: show(isObject(translation) ? translation['label'] : translation),
      });
    }
  }
  const other = await listIds(t, l, second, 'other account');
  t.expect(!other.ids.includes(child), other.reply, { message: `${l.link}: a refused link still linked the record`, expected: `no ${child}`, actual: show(other.ids) });
  expectTrue(t, await t.call(l.unrelate, { params: { id: first }, json: { id: child }, expect: 200 }), '');
  expectTrue(t, await t.call(l.relate, { params: { id: second }, json: { id: child }, expect: 200, label: 'after unlinking' }), 'after unlinking');
}

async function setsAccountId(t: CheckContext, l: AccountLink): Promise<void> {
  const account = String((await t.fixtures.createAccount(t, `links ${l.link} primary`, {}))['id']);
  const other = String((await t.fixtures.createAccount(t, `links ${l.link} primary other`, {}))['id']);
  const fresh = String((await related(t, l, 'no account'))['id']);
  expectTrue(t, await t.call(l.relate, { params: { id: account }, json: { id: fresh }, expect: 200 }), '');
  const get = `get${l.type}` as OperationId;
  const linked = await t.call(get, { params: { id: fresh }, expect: 200 });
  t.expect(objectBody(t, linked)['accountId'] === account, linked, { message: `linking through ${l.link} did not set the empty accountId`, pointer: '/accountId', expected: show(account), actual: show(objectBody(t, linked)['accountId']) });
  expectTrue(t, await t.call(l.unrelate, { params: { id: account }, json: { id: fresh }, expect: 200 }), '');
  const unlinked = await t.call(get, { params: { id: fresh }, expect: 200, label: 'after unlink' });
  const after = objectBody(t, unlinked)['accountId'];
  t.expect(after === null || after === undefined, unlinked, { message: `unlinking through ${l.link} did not clear accountId`, pointer: '/accountId', expected: 'null', actual: show(after) });
  const owned = String((await related(t, l, 'has account', { accountId: other }))['id']);
  expectTrue(t, await t.call(l.relate, { params: { id: account }, json: { id: owned }, expect: 200, label: 'record with an account' }), '');
  const kept = await t.call(get, { params: { id: owned }, expect: 200, label: 'record with an account' });
  t.expect(objectBody(t, kept)['accountId'] === other, kept, { message: `linking through ${l.link} replaced an existing accountId`, pointer: '/accountId', expected: show(other), actual: show(objectBody(t, kept)['accountId']) });
}

async function relationColumns(t: CheckContext, l: AccountLink): Promise<void> {
  const columns = l.rules.columns ?? [];
  const account = String((await t.fixtures.createAccount(t, `links ${l.link} columns`, {}))['id']);
  const child = String((await related(t, l, 'columns'))['id']);
  expectTrue(t, await t.call(l.relate, { params: { id: account }, json: { id: child }, expect: 200 }), '');
  const reply = await t.call(l.list, { params: { id: account }, query: { select: ['name', ...columns] }, expect: 200, label: `select name,${columns.join(',')}` });
  const item = listBody(t, reply).list.find((i) => i['id'] === child);
  t.require(item !== undefined, reply, { message: `${l.list} does not list the related record`, expected: child, actual: reply.response.text.slice(0, 200) });
  for (const column of columns) {
    t.expect(column in item!, reply, { message: `${l.list}: the listed record has no relation column ${column}`, pointer: `/list/0/${column}`, expected: `${column} present`, actual: show(item) });
  }
}

async function teamsIds(t: CheckContext, l: AccountLink): Promise<void> {
  const account = String((await t.fixtures.createAccount(t, `links ${l.link} teamsIds`, {}))['id']);
  const team = String((await related(t, l, 'teamsIds'))['id']);
  expectTrue(t, await t.call(l.relate, { params: { id: account }, json: { id: team }, expect: 200 }), '');
  const read = await t.call('getAccount', { params: { id: account }, expect: 200 });
  const teamsIds = objectBody(t, read)['teamsIds'];
  t.expect(Array.isArray(teamsIds) && teamsIds.includes(team), read, { message: 'getAccount: teamsIds lacks the team linked through teams', pointer: '/teamsIds', expected: `a list containing ${team}`, actual: show(teamsIds) });
  expectTrue(t, await t.call(l.unrelate, { params: { id: account }, json: { id: team }, expect: 200 }), '');
  const after = objectBody(t, await t.call('getAccount', { params: { id: account }, expect: 200, label: 'after unlink' }))['teamsIds'];
  t.expect(Array.isArray(after) && !after.includes(team), undefined, { message: 'getAccount: teamsIds still has the team unlinked through teams', pointer: '/teamsIds', expected: `no ${team}`, actual: show(after) });
}
async function searchRelated(t: CheckContext): Promise<void> {
  const links = accountLinks(t.run);
  const l = links.find((x) => x.link === 'contacts') ?? links.find((x) => CREATABLE.has(x.type)) ?? t.skip('no link with a creatable related type');
  const account = String((await t.fixtures.createAccount(t, `links search`, {}))['id']);
  const names: string[] = [];
  const records: string[] = [];
  for (const label of ['search b', 'search a', 'search c']) {
    const record = await related(t, l, label);
    records.push(String(record['id']));
    names.push(String(record[l.type === 'Contact' ? 'lastName' : 'name']));
  }
  expectTrue(t, await t.call(l.relate, { params: { id: account }, json: { ids: records }, expect: 200 }), '{ids}');
  const nameAttribute = l.type === 'Contact' ? 'lastName' : 'name';
  const page = await t.call(l.list, { params: { id: account }, query: { select: ['id', nameAttribute], orderBy: nameAttribute, order: 'asc', maxSize: 2, offset: 1 }, expect: 200, label: 'ordered page' });
  const { total, list } = listBody(t, page);
  const ordered = records.map((id, i) => ({ id, name: names[i]! })).sort((a, b) => (a.name < b.name ? -1 : 1)).map((r) => r.id);
  t.expect(total === 3 && JSON.stringify(ids(list)) === JSON.stringify(ordered.slice(1, 3)), page, {
    message: `${l.list} with orderBy ${nameAttribute}, maxSize 2, offset 1: wrong page`,
    expected: `total 3, ${show(ordered.slice(1, 3))}`,
    actual: `total ${total}, ${show(ids(list))}`,
  });
  const filtered = await t.call(l.list, { params: { id: account }, query: { select: ['id'], where: [{ type: 'equals', attribute: nameAttribute, value: names[1] }] }, expect: 200, label: 'where equals' });
  const found = ids(listBody(t, filtered).list);
  t.expect(found.length === 1 && found[0] === records[1], filtered, { message: `${l.list} with a where item: wrong records`, expected: show([records[1]]), actual: show(found) });
}

/** The checks of one link: relate, list, unrelate, and the rules the contract states for it. */
function linkChecks(l: AccountLink): Check[] {
  const check = (id: string, title: string, run: (t: CheckContext, l: AccountLink) => Promise<void>): Check => ({ id: `${l.link}.${id}`, title: `${l.link}: ${title}`, run: (t) => run(t, l) });
  if (!CREATABLE.has(l.type)) return [check('list-empty', `a new account lists no ${l.type} records (total 0)`, listEmpty)];
  const columns = l.rules.columns;
  return [
    check('relate-list-unrelate', 'relate by id, list it (always counted), unrelate it', relateListUnrelate),
    check('relate-ids', `relate several by ids${l.rules.onlyIfNotLinked ? '' : '; relating again succeeds'}`, relateIds),
    check('nothing-to-do', 'relate and unrelate without id or ids answer false', nothingToDo),
    check('not-found', 'an account or related record that does not exist answers 404', notFound),
    ...(l.rules.moves ? [check('moves-child', 'relating a record that belongs to another account moves it', movesChild)] : []),
    ...(l.rules.onlyIfNotLinked ? [check('only-if-not-linked', 'a record that has an account (even this one) cannot be linked: 403 cannotLinkAlreadyLinked', onlyIfNotLinked)] : []),
    ...(l.rules.setsAccountId ? [check('sets-account-id', `linking a ${l.type} without an account sets its accountId; unlinking clears it`, setsAccountId)] : []),
    ...(columns ? [check('relation-columns', `listed records carry the relation columns (${columns.join(', ')})`, relationColumns)] : []),
    ...(l.rules.teamsIds ? [check('teams-ids', "linking a team adds it to the account's teamsIds", teamsIds)] : []),
  ];
}

/** Every link's checks, in the contract's order, then the search parameters of link lists. */
export function linksChecks(contract: Contract): readonly Check[] {
  return [
    ...accountLinks({ contract }).flatMap(linkChecks),
    { id: 'search-related', title: 'link lists take the search parameters (where, order, paging, select)', run: searchRelated },
  ];
}

export const linksGroup = defineGroup({
  name: 'links',
  title: 'Account links',
  checks: linksChecks,
});
