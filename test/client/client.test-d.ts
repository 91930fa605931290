import type { Client } from 'openapi-fetch';
import { describe, expectTypeOf, it } from 'vitest';
import type { components, paths } from '../../generated/openapi.js';
import {
  accountWhere,
  createEspoClient,
  createWhereBuilder,
  eachAccount,
  eachLinked,
  espoError,
  openapiFetchClient,
  unwrap,
  type Account,
  type AccountLink,
  type AccountListItem,
  type EspoAuth,
  type LinkedRecord,
  type WhereItem,
} from '../../src/client/index.js';

// Type tests only: vitest type-checks this file (typecheck.include) and never runs it.
// Every `@ts-expect-error` must hit an error, so each line proves that a mistake fails to compile.

const api = createEspoClient({ baseUrl: 'http://127.0.0.1:8080', auth: { apiKey: 'key' } });
const id = '6a1b2c3d4e5f60718';

describe('authentication options', () => {
  it('accepts exactly the three schemes', () => {
    expectTypeOf<{ apiKey: string }>().toExtend<EspoAuth>();
    expectTypeOf<{ apiKey: string; secretKey: string }>().toExtend<EspoAuth>();
    expectTypeOf<{ username: string; password: string }>().toExtend<EspoAuth>();
    expectTypeOf<{ username: string; password: string; header: 'Authorization' }>().toExtend<EspoAuth>();
    expectTypeOf<{ apiKey: string; password: string }>().not.toExtend<EspoAuth>();
    expectTypeOf<{ username: string }>().not.toExtend<EspoAuth>();
    expectTypeOf<{ username: string; password: string; header: 'X-Api-Key' }>().not.toExtend<EspoAuth>();
  });
});

describe('paths and link names', () => {
  it('rejects a wrong link name in a path', async () => {
    // @ts-expect-error 'contact' is not a link of Account (it is 'contacts')
    await api.GET('/Account/{id}/contact', { params: { path: { id } } });
    // @ts-expect-error an unknown path
    await api.GET('/Acount');
  });

  it('rejects a wrong link name in the helpers', () => {
    // @ts-expect-error 'contact' is not a link of Account
    eachLinked(api, id, 'contact');
    // @ts-expect-error 'campaign' is a belongsTo link without its own path
    accountWhere.linkedWith('campaign', 'x');
    expectTypeOf<'contacts' | 'teams' | 'callsPrimary'>().toExtend<AccountLink>();
    expectTypeOf<'stream'>().not.toExtend<AccountLink>();
    expectTypeOf<'subscription'>().not.toExtend<AccountLink>();
  });

  it('requires the path parameter', async () => {
    // @ts-expect-error getAccount needs params.path.id
    await api.GET('/Account/{id}');
    // @ts-expect-error the path parameter is `id`
    await api.GET('/Account/{id}', { params: { path: { accountId: id } } });
  });
});

describe('where items', () => {
  it('rejects a wrong where type in a raw item', async () => {
    // @ts-expect-error 'equal' is not a where type
    await api.GET('/Account', { params: { query: { where: [{ type: 'equal', attribute: 'name', value: 'Acme' }] } } });
    // @ts-expect-error sub-queries are forbidden over the API, so the spec leaves them out
    await api.GET('/Account', { params: { query: { whereGroup: [{ type: 'subQueryIn', value: [] }] } } });
  });

  it('has no builder for types the API rejects', () => {
    // @ts-expect-error there is no 'not' builder
    accountWhere.not(accountWhere.isNull('website'));
    // @ts-expect-error there is no 'equal' builder
    accountWhere.equal('name', 'Acme');
  });

  it('rejects a wrong attribute name or value in the builder', () => {
    // @ts-expect-error 'nmae' is not an Account attribute
    accountWhere.equals('nmae', 'Acme');
    // @ts-expect-error 'Customr' is not an option of type
    accountWhere.equals('type', 'Customr');
    // @ts-expect-error 'Fintech' is not an industry
    accountWhere.in('industry', ['Finance', 'Fintech']);
    // @ts-expect-error isTrue needs a boolean attribute
    accountWhere.isTrue('name');
    // @ts-expect-error contains needs a text attribute
    accountWhere.contains('versionNumber', '1');
    // @ts-expect-error date presets need a date attribute
    accountWhere.today('name');
    // @ts-expect-error lastXDays counts days
    accountWhere.lastXDays('createdAt', '7');
    // @ts-expect-error in takes a list
    accountWhere.in('type', 'Customer');
  });

  it('produces items the spec accepts, mixed with hand-written ones', async () => {
    const where = [
      accountWhere.equals('type', 'Customer'),
      accountWhere.or(accountWhere.contains('name', 'Acme'), { type: 'any' } satisfies WhereItem),
      accountWhere.lastXDays('createdAt', 7, { timeZone: 'Europe/Berlin' }),
      accountWhere.linkedWith('teams', ['t1']),
    ];
    expectTypeOf(where).toExtend<components['schemas']['WhereClause']>();
    await api.GET('/Account', { params: { query: { where } } });
  });

  it('checks attributes of any entity with createWhereBuilder', () => {
    const contactWhere = createWhereBuilder<LinkedRecord<'contacts'>>();
    contactWhere.equals('accountRole', 'CEO');
    // @ts-expect-error Contact has no 'industry'
    contactWhere.equals('industry', 'Finance');
  });
});

describe('request bodies', () => {
  it('rejects an unknown or misspelt field', async () => {
    // @ts-expect-error 'nmae' is not an Account attribute
    await api.POST('/Account', { body: { name: 'Acme', nmae: 'Acme' } });
    // @ts-expect-error 'bogus' is not an Account attribute
    await api.PATCH('/Account/{id}', { params: { path: { id } }, body: { bogus: 1 } });
    // @ts-expect-error the relate body has `id` / `ids`
    await api.POST('/Account/{id}/contacts', { params: { path: { id } }, body: { idz: ['c1'] } });
  });

  it('rejects a missing required field and a wrong value type', async () => {
    // @ts-expect-error createAccount requires `name`
    await api.POST('/Account', { body: { website: 'acme.example' } });
    // @ts-expect-error `type` is an enum
    await api.PUT('/Account/{id}', { params: { path: { id } }, body: { type: 'Customr' } });
    // @ts-expect-error the server sets `id`
    await api.POST('/Account', { body: { name: 'Acme', id: 'x' } });
  });

  it('rejects a body where the operation takes none', async () => {
    // @ts-expect-error getAccount has no body
    await api.GET('/Account/{id}', { params: { path: { id } }, body: { name: 'x' } });
  });
});

describe('the client object', () => {
  it('is openapi-fetch’s client, reachable with its own types', async () => {
    expectTypeOf(openapiFetchClient(api)).toEqualTypeOf<Client<paths>>();
    // @ts-expect-error parseAs would change the result type; use openapiFetchClient(api) for it
    await api.GET('/Account', { parseAs: 'text' });
    await openapiFetchClient(api).GET('/Account', { parseAs: 'text' });
  });
});

describe('query parameters and headers', () => {
  it('rejects wrong types and values', async () => {
    // @ts-expect-error maxSize is a number
    await api.GET('/Account', { params: { query: { maxSize: '5' } } });
    // @ts-expect-error order is 'asc' | 'desc'
    await api.GET('/Account', { params: { query: { order: 'ASC' } } });
    // @ts-expect-error select is a list of attributes
    await api.GET('/Account', { params: { query: { select: 'id,name' } } });
    // @ts-expect-error unknown query parameter
    await api.GET('/Account', { params: { query: { limit: 5 } } });
    // @ts-expect-error X-Version-Number is a header: a string of digits (ADR-009A), not a number
    await api.PATCH('/Account/{id}', { params: { path: { id }, header: { 'X-Version-Number': 3 } }, body: {} });
  });
});

describe('results', () => {
  it('types data and error per operation', async () => {
    const read = await api.GET('/Account/{id}', { params: { path: { id } } });
    // openapi-fetch maps the schema through Readable<>, so compare both ways rather than by identity.
    expectTypeOf(read.data).toExtend<Account | undefined>();
    expectTypeOf<Account>().toExtend<NonNullable<typeof read.data>>();
    expectTypeOf(read.data).not.toBeAny();
    const created = await api.POST('/Account', { body: { name: 'Acme' } });
    if (created.error) {
      // validation failure, translated 403 or the duplicate list (openapi-fetch's Readable<> drops `scope: null`)
      expectTypeOf(created.error).not.toBeAny();
      expectTypeOf(created.error).toExtend<AccountListItem[] | { messageTranslation: { label: string } }>();
    }
    const patched = await api.PATCH('/Account/{id}', { params: { path: { id } }, body: {} });
    if (patched.error && 'versionNumber' in patched.error) {
      expectTypeOf(patched.error.versionNumber).toEqualTypeOf<number>();
    }
    expectTypeOf(unwrap(await api.DELETE('/Account/{id}', { params: { path: { id } } }))).toEqualTypeOf<true>();
    expectTypeOf(unwrap(await api.POST('/Account/{id}/teams', { params: { path: { id } }, body: { id: 't1' } }))).toEqualTypeOf<boolean>();
    const failure = espoError(created);
    expectTypeOf(failure?.status).toEqualTypeOf<number | undefined>();
    expectTypeOf(failure?.reason).toEqualTypeOf<string | null | undefined>();
  });

  it('iterators yield the record type of the list', async () => {
    for await (const account of eachAccount(api, { query: { where: [accountWhere.isNull('website')] } })) {
      expectTypeOf(account).toEqualTypeOf<AccountListItem>();
    }
    for await (const contact of eachLinked(api, id, 'contacts', { query: { select: ['name', 'accountRole'] } })) {
      expectTypeOf(contact).toEqualTypeOf<components['schemas']['Contact']>();
      expectTypeOf(contact.accountRole).toEqualTypeOf<string | null | undefined>();
    }
    for await (const team of eachLinked(api, id, 'teams')) {
      expectTypeOf(team).toEqualTypeOf<components['schemas']['Team']>();
    }
    // @ts-expect-error paging is the iterator's job
    eachAccount(api, { query: { offset: 5 } });
    // @ts-expect-error pageSize is a number
    eachAccount(api, { pageSize: '200' });
  });
});
