/** crud: create, read, update (PUT and PATCH), delete round trips of accounts. */
import type { CheckContext, Reply } from '../context.js';
import type { Attributes } from '../fixtures.js';
import { defineGroup, listBody, objectBody, show, type Check, type Json } from './group.js';

const digits = (value: unknown) => String(value ?? '').replace(/\D/g, '');

/** Compares the attributes sent with a record; phone numbers by their digits (servers may normalise them). */
function expectAttributes(t: CheckContext, reply: Reply, record: Json, sent: Attributes, what: string): void {
  for (const [key, value] of Object.entries(sent)) {
    const actual = record[key];
    const equal = key === 'phoneNumber' ? digits(actual) === digits(value) : JSON.stringify(actual) === JSON.stringify(value);
    t.expect(equal, reply, {
      message: `${what}: attribute ${key} is not what was sent`,
      pointer: `/${key}`,
      expected: show(value),
      actual: show(actual),
    });
  }
}

/** An update increments `versionNumber` by one. */
function expectVersionIncremented(t: CheckContext, reply: Reply, before: Json, after: Json, operation: string): void {
  t.expect(after['versionNumber'] === Number(before['versionNumber']) + 1, reply, {
    message: `${operation} did not increment versionNumber`,
    pointer: '/versionNumber',
    expected: String(Number(before['versionNumber']) + 1),
    actual: show(after['versionNumber']),
  });
}

export function fullAccount(marker: string, label: string): Attributes {
  return {
    website: 'https://full.conformance.example',
    type: 'Partner',
    industry: 'Software',
    sicCode: '7372',
    billingAddressStreet: '1 Main Street',
    billingAddressCity: 'Springfield',
    billingAddressState: 'Illinois',
    billingAddressCountry: 'United States',
    billingAddressPostalCode: '62701',
    shippingAddressStreet: '2 Dock Road\nUnit 5',
    shippingAddressCity: 'Portsmouth',
    shippingAddressState: 'Hampshire',
    shippingAddressCountry: 'United Kingdom',
    shippingAddressPostalCode: 'PO1 3AX',
    description: 'Created by the conformance kit.\nSecond line.',
    emailAddress: `${label}.${marker}@conformance.example`,
    phoneNumber: '+44 20 7946 0958',
  };
}

/** create-full's record, read back by read and read-ignores-query. */
interface CrudState {
  full?: Json;
}

async function createMinimal(t: CheckContext): Promise<void> {
  const name = t.name('crud minimal');
  const reply = await t.call('createAccount', { json: { name }, expect: 200 });
  t.fixtures.trackReply('Account', reply);
  const record = objectBody(t, reply);
  t.expect(record['name'] === name, reply, { message: 'createAccount: name not stored as sent', pointer: '/name', expected: show(name), actual: show(record['name']) });
  t.expect(record['versionNumber'] === 1, reply, {
    message: 'createAccount: a new record has versionNumber 1',
    pointer: '/versionNumber',
    expected: '1',
    actual: show(record['versionNumber']),
  });
  t.expect(record['deleted'] === false || record['deleted'] === undefined, reply, {
    message: 'createAccount: a new record is not deleted',
    pointer: '/deleted',
    expected: 'false',
    actual: show(record['deleted']),
  });
}

async function createFull(t: CheckContext, s: CrudState): Promise<void> {
  const fullSent = fullAccount(t.run.marker, 'crud-full');
  const reply = await t.call('createAccount', { json: { name: t.name('crud full'), ...fullSent }, expect: 200 });
  t.fixtures.trackReply('Account', reply);
  s.full = objectBody(t, reply);
  expectAttributes(t, reply, s.full, fullSent, 'createAccount');
}

async function read(t: CheckContext, s: CrudState): Promise<void> {
  const created = s.full ?? t.skip('create-full did not create a record');
  const fullSent = fullAccount(t.run.marker, 'crud-full');
  const id = String(created['id']);
  const reply = await t.call('getAccount', { params: { id }, expect: 200 });
  const record = objectBody(t, reply);
  t.expect(record['id'] === id, reply, { message: 'getAccount returned another record', pointer: '/id', expected: id, actual: show(record['id']) });
  expectAttributes(t, reply, record, { name: created['name'], ...fullSent }, 'getAccount');
  for (const key of ['createdAt', 'createdById', 'versionNumber'] as const) {
    t.expect(JSON.stringify(record[key]) === JSON.stringify(created[key]), reply, {
      message: `getAccount: ${key} differs from the create response`,
      pointer: `/${key}`,
      expected: show(created[key]),
      actual: show(record[key]),
    });
  }
  const data = record['emailAddressData'];
  t.expect(Array.isArray(data) && data.some((item) => (item as Json)['emailAddress'] === fullSent['emailAddress'] && (item as Json)['primary'] === true), reply, {
    message: 'getAccount: emailAddressData has no primary entry for emailAddress',
    pointer: '/emailAddressData',
    expected: `an entry {emailAddress: ${show(fullSent['emailAddress'])}, primary: true}`,
    actual: show(data),
  });
}

async function readIgnoresQuery(t: CheckContext, s: CrudState): Promise<void> {
  const created = s.full ?? t.skip('create-full did not create a record');
  const fullSent = fullAccount(t.run.marker, 'crud-full');
  const reply = await t.call('getAccount', { params: { id: String(created['id']) }, rawQuery: 'select=name', expect: 200 });
  const record = objectBody(t, reply);
  t.expect(record['website'] === fullSent['website'], reply, {
    message: 'getAccount?select=name: the read returned only some attributes',
    pointer: '/website',
    expected: show(fullSent['website']),
    actual: show(record['website']),
  });
}

async function createIgnoresReadOnly(t: CheckContext): Promise<void> {
  const sent = { name: t.name('crud read-only'), id: 'conformanceid0001', createdAt: '2001-01-01 00:00:00', versionNumber: 42, deleted: true, createdById: 'conformanceuser01' };
  const reply = await t.call('createAccount', { json: sent, expect: 200 });
  t.fixtures.trackReply('Account', reply);
  const record = objectBody(t, reply);
  t.expect(record['id'] !== sent.id, reply, { message: 'createAccount let the client choose the id', pointer: '/id', expected: 'a server-assigned id', actual: show(record['id']) });
  t.expect(record['createdAt'] !== sent.createdAt, reply, { message: 'createAccount took createdAt from the request', pointer: '/createdAt', expected: 'the time of creation', actual: show(record['createdAt']) });
  t.expect(record['versionNumber'] === 1, reply, { message: 'createAccount took versionNumber from the request', pointer: '/versionNumber', expected: '1', actual: show(record['versionNumber']) });
  t.expect(record['createdById'] !== sent.createdById, reply, { message: 'createAccount took createdById from the request', pointer: '/createdById', expected: 'the acting user', actual: show(record['createdById']) });
  t.expect(record['deleted'] !== true, reply, { message: 'createAccount took deleted from the request', pointer: '/deleted', expected: 'false', actual: show(record['deleted']) });
}

async function createIgnoresUnknown(t: CheckContext): Promise<void> {
  const reply = await t.call('createAccount', { json: { name: t.name('crud unknown'), conformanceBogusAttribute: 'x' }, expect: 200 });
  t.fixtures.trackReply('Account', reply);
  const record = objectBody(t, reply);
  t.expect(!('conformanceBogusAttribute' in record), reply, {
    message: 'createAccount stored an unknown attribute',
    pointer: '/conformanceBogusAttribute',
    expected: 'absent',
    actual: show(record['conformanceBogusAttribute']),
  });
}

async function createTrims(t: CheckContext): Promise<void> {
  const name = t.name('crud trimmed');
  const reply = await t.call('createAccount', { json: { name: `  ${name}  `, website: '', sicCode: '  42  ' }, expect: 200 });
  t.fixtures.trackReply('Account', reply);
  const id = String(objectBody(t, reply)['id']);
  const read = await t.call('getAccount', { params: { id }, expect: 200 });
  const record = objectBody(t, read);
  t.expect(record['name'] === name, read, { message: 'name was not trimmed', pointer: '/name', expected: show(name), actual: show(record['name']) });
  t.expect(record['sicCode'] === '42', read, { message: 'sicCode was not trimmed', pointer: '/sicCode', expected: '"42"', actual: show(record['sicCode']) });
  t.expect(record['website'] === null || record['website'] === undefined, read, {
    message: "website '' was not stored as null",
    pointer: '/website',
    expected: 'null',
    actual: show(record['website']),
  });
}

async function updatePut(t: CheckContext): Promise<void> {
  const created = await t.fixtures.createAccount(t, 'crud put', { website: 'put.conformance.example', sicCode: '1111' });
  const id = String(created['id']);
  const reply = await t.call('updateAccount', { params: { id }, json: { sicCode: '2222' }, expect: 200 });
  const record = objectBody(t, reply);
  t.expect(record['sicCode'] === '2222', reply, { message: 'updateAccount did not change sicCode', pointer: '/sicCode', expected: '"2222"', actual: show(record['sicCode']) });
  t.expect(record['website'] === 'put.conformance.example' && record['name'] === created['name'], reply, {
    message: 'updateAccount (PUT) changed attributes that were not sent (PUT is a partial update in EspoCRM)',
    pointer: '/website',
    expected: `name ${show(created['name'])}, website "put.conformance.example"`,
    actual: `name ${show(record['name'])}, website ${show(record['website'])}`,
  });
  expectVersionIncremented(t, reply, created, record, 'updateAccount');
  const read = objectBody(t, await t.call('getAccount', { params: { id }, expect: 200 }));
  t.expect(read['sicCode'] === '2222', undefined, { message: 'getAccount after updateAccount: the change was not saved', pointer: '/sicCode', expected: '"2222"', actual: show(read['sicCode']) });
}

async function updatePatch(t: CheckContext): Promise<void> {
  const created = await t.fixtures.createAccount(t, 'crud patch', { website: 'patch.conformance.example', description: 'before' });
  const id = String(created['id']);
  const reply = await t.call('patchAccount', { params: { id }, json: { description: 'after' }, expect: 200 });
  const record = objectBody(t, reply);
  t.expect(record['description'] === 'after', reply, { message: 'patchAccount did not change description', pointer: '/description', expected: '"after"', actual: show(record['description']) });
  t.expect(record['website'] === 'patch.conformance.example', reply, {
    message: 'patchAccount changed an attribute that was not sent',
    pointer: '/website',
    expected: '"patch.conformance.example"',
    actual: show(record['website']),
  });
  expectVersionIncremented(t, reply, created, record, 'patchAccount');
  const read = objectBody(t, await t.call('getAccount', { params: { id }, expect: 200 }));
  t.expect(read['description'] === 'after', undefined, { message: 'getAccount after patchAccount: the change was not saved', pointer: '/description', expected: '"after"', actual: show(read['description']) });
}

async function updateEcho(t: CheckContext): Promise<void> {
  const created = await t.fixtures.createAccount(t, 'crud echo', fullAccount(t.run.marker, 'crud-echo'));
  const id = String(created['id']);
  const read = objectBody(t, await t.call('getAccount', { params: { id }, expect: 200 }));
  const reply = await t.call('updateAccount', { params: { id }, json: read, expect: 200 });
  const record = objectBody(t, reply);
  for (const key of ['name', 'website', 'type', 'industry', 'description', 'emailAddress', 'billingAddressCity']) {
    t.expect(JSON.stringify(record[key]) === JSON.stringify(read[key]), reply, {
      message: `updateAccount with the record as read changed ${key}`,
      pointer: `/${key}`,
      expected: show(read[key]),
      actual: show(record[key]),
    });
  }
  t.expect(record['id'] === id, reply, { message: 'updateAccount changed the id', pointer: '/id', expected: id, actual: show(record['id']) });
}

async function updateVersionNumber(t: CheckContext): Promise<void> {
  const created = await t.fixtures.createAccount(t, 'crud version', {});
  const id = String(created['id']);
  const version = Number(created['versionNumber']);
  const reply = await t.call('updateAccount', { params: { id }, json: { sicCode: '3333' }, headers: { 'X-Version-Number': String(version) }, expect: 200 });
  const record = objectBody(t, reply);
  t.expect(record['versionNumber'] === version + 1, reply, { message: 'versionNumber after an update', pointer: '/versionNumber', expected: String(version + 1), actual: show(record['versionNumber']) });
}

async function emailPhoneData(t: CheckContext): Promise<void> {
  const first = `first.${t.run.marker}@conformance.example`;
  const second = `second.${t.run.marker}@conformance.example`;
  const created = await t.fixtures.createAccount(t, 'crud addresses', {
    emailAddressData: [
      { emailAddress: first, primary: false },
      { emailAddress: second, primary: true },
    ],
    phoneNumberData: [
      { phoneNumber: '+44 20 7946 0001', type: 'Office', primary: true },
      { phoneNumber: '+44 20 7946 0002', type: 'Mobile', primary: false },
    ],
  });
  const reply = await t.call('getAccount', { params: { id: String(created['id']) }, expect: 200 });
  const record = objectBody(t, reply);
  t.expect(record['emailAddress'] === second, reply, { message: 'emailAddress is not the primary entry of emailAddressData', pointer: '/emailAddress', expected: show(second), actual: show(record['emailAddress']) });
  const emails = Array.isArray(record['emailAddressData']) ? (record['emailAddressData'] as Json[]).map((e) => e['emailAddress']) : [];
  t.expect(emails.includes(first) && emails.includes(second), reply, { message: 'emailAddressData lost an address', pointer: '/emailAddressData', expected: show([second, first]), actual: show(emails) });
  t.expect(emails[0] === second, reply, { message: 'emailAddressData is not ordered primary first', pointer: '/emailAddressData/0/emailAddress', expected: show(second), actual: show(emails[0]) });
  const phones = Array.isArray(record['phoneNumberData']) ? (record['phoneNumberData'] as Json[]) : [];
  t.expect(phones.length === 2 && digits(record['phoneNumber']) === digits('+44 20 7946 0001'), reply, {
    message: 'phoneNumber/phoneNumberData do not match what was sent',
    pointer: '/phoneNumberData',
    expected: 'two numbers, primary +44 20 7946 0001',
    actual: `phoneNumber ${show(record['phoneNumber'])}, phoneNumberData ${show(phones)}`,
  });
}

async function listFindsCreated(t: CheckContext): Promise<void> {
  const created = await t.fixtures.createAccount(t, 'crud listed', { type: 'Customer', website: 'listed.conformance.example' });
  const id = String(created['id']);
  const reply = await t.call('listAccounts', { query: { where: [{ type: 'equals', attribute: 'id', value: id }] }, expect: 200 });
  const { total, list } = listBody(t, reply);
  t.require(list.length === 1 && list[0]?.['id'] === id && total === 1, reply, {
    message: 'listAccounts with where id equals <new id> did not return exactly the new record',
    expected: `total 1, list [${id}]`,
    actual: `total ${total}, list ${show(list.map((i) => i['id']))}`,
  });
  for (const key of ['name', 'type', 'website', 'createdAt', 'versionNumber']) {
    t.expect(JSON.stringify(list[0]?.[key]) === JSON.stringify(created[key]), reply, {
      message: `listAccounts: ${key} of the listed record differs from the create response`,
      pointer: `/list/0/${key}`,
      expected: show(created[key]),
      actual: show(list[0]?.[key]),
    });
  }
}

async function deleteAccount(t: CheckContext): Promise<void> {
  const created = await t.fixtures.createAccount(t, 'crud delete', {});
  const id = String(created['id']);
  const me = await t.me();
  const reply = await t.call('deleteAccount', { params: { id }, expect: 200 });
  t.expect(reply.json === true, reply, { message: 'deleteAccount did not answer true', pointer: '', expected: 'true', actual: reply.response.text });
  t.fixtures.markDeleted('Account', id);
  // Admins can still read a soft-deleted record (deleted: true); everyone else gets 404.
  const read = await t.call('getAccount', { params: { id }, expect: [200, 404], label: 'after delete' });
  if (read.status === 200) {
    const record = objectBody(t, read);
    if (record['deleted'] !== true) {
      t.failure({
        message: 'deleteAccount answered true, but getAccount still returns the record (deleted is not true): the record was not deleted',
        operationId: 'getAccount',
        request: read.request.display,
        location: 'body /deleted',
        pointer: '/deleted',
        expected: '404 (or, for an admin, 200 with deleted: true)',
        actual: `200 with deleted ${show(record['deleted'])}`,
      }, read);
    } else {
      t.expect(me.type === undefined || me.type === 'admin', read, {
        message: `getAccount returned a soft-deleted record to a user of type ${me.type}; only admins may read deleted records`,
        pointer: '/deleted',
        expected: '404',
        actual: '200 with deleted: true',
      });
    }
  }
  const listed = await t.call('listAccounts', { query: { where: [{ type: 'equals', attribute: 'id', value: id }] }, expect: 200, label: 'after delete' });
  const { list } = listBody(t, listed);
  t.expect(list.length === 0, listed, { message: 'listAccounts still lists the deleted record', expected: 'no record', actual: show(list.map((i) => i['id'])) });
  await t.call('updateAccount', { params: { id }, json: { sicCode: '1' }, expect: 404, soft: true, label: 'after delete' });
  await t.call('deleteAccount', { params: { id }, expect: 404, soft: true, label: 'second delete' });
}

export const crudChecks: readonly Check<CrudState>[] = [
  { id: 'create-minimal', title: 'createAccount with only a name answers 200 and the new record', run: createMinimal },
  { id: 'create-full', title: 'createAccount stores every writable attribute as sent', run: createFull },
  { id: 'read', title: 'getAccount returns what was created, with the read-only attributes the server sets', run: read },
  { id: 'read-ignores-query', title: 'getAccount ignores query parameters (there is no select on read)', run: readIgnoresQuery },
  { id: 'create-ignores-read-only', title: 'createAccount ignores read-only attributes (id, createdAt, versionNumber, deleted)', run: createIgnoresReadOnly },
  { id: 'create-ignores-unknown', title: 'createAccount ignores unknown attributes', run: createIgnoresUnknown },
  { id: 'create-trims', title: 'strings are trimmed and an empty string is stored as null', run: createTrims },
  { id: 'update-put', title: 'updateAccount (PUT) changes only the attributes sent and increments versionNumber', run: updatePut },
  { id: 'update-patch', title: 'patchAccount (PATCH) changes only the attributes sent and increments versionNumber', run: updatePatch },
  { id: 'update-echo', title: 'a record read with getAccount can be sent back unchanged with updateAccount', run: updateEcho },
  { id: 'update-version-number', title: 'updateAccount with the current X-Version-Number succeeds', run: updateVersionNumber },
  { id: 'email-phone-data', title: 'several email addresses and phone numbers; the primary one is emailAddress/phoneNumber', run: emailPhoneData },
  { id: 'list-finds-created', title: 'listAccounts finds a new record by id with the same attributes', run: listFindsCreated },
  { id: 'delete', title: 'deleteAccount answers true; the record is gone from reads, lists and updates; a second delete is 404', run: deleteAccount },
];

export const crudGroup = defineGroup<CrudState>({
  name: 'crud',
  title: 'Create, read, update, delete',
  checks: crudChecks,
  state: () => ({}),
});
