import { describe, expectTypeOf, it } from 'vitest';
import type { components } from '../../generated/openapi.js';
import { toAccount, toAccountCreated, toAccountList, toRelatedList, toRelatedRecord } from '../../src/server/http/contract-records.js';
import type { Handler, HandlerInput, HandlerTable, QueryOf, SearchOperationId, SuccessBodyOf } from '../../src/server/http/operations.js';
import type { RecordData } from '../../src/server/read/values.js';
import type { FindResult } from '../../src/server/search/find.js';
import type { SearchParams } from '../../src/server/search/search-params.js';
import type { Services } from '../../src/server/services.js';
import type { StreamQuery } from '../../src/server/stream/stream-query.js';
import { buildHandlers } from '../../src/server/routes/index.js';
import type { AccountLink } from '../../src/server/routes/links.js';

// Type tests only: vitest type-checks this file (typecheck.include) and never runs it.
// Every `@ts-expect-error` must hit an error, so each line proves that a mistake fails to compile.

type Schemas = components['schemas'];
declare const services: Services;
declare const record: RecordData;
declare const page: FindResult;
const handlers = buildHandlers(services);

describe('handler results are the operation responses', () => {
  it('types each handler by its operation', () => {
    expectTypeOf(handlers.getAccount).returns.resolves.toEqualTypeOf<Schemas['Account']>();
    expectTypeOf(handlers.listAccounts).returns.resolves.toEqualTypeOf<Schemas['AccountList']>();
    expectTypeOf(handlers.listAccountCalls).returns.resolves.toEqualTypeOf<Schemas['CallList']>();
    expectTypeOf(handlers.listAccountPortalUsers).returns.resolves.toEqualTypeOf<Schemas['UserList']>();
    expectTypeOf(handlers.getTargetList).returns.resolves.toEqualTypeOf<Schemas['TargetList']>();
    expectTypeOf(handlers.listAccountStream).returns.resolves.toEqualTypeOf<Schemas['NoteList']>();
    expectTypeOf(handlers.relateAccountTeams).returns.resolves.toEqualTypeOf<boolean>();
    expectTypeOf(handlers.deleteAccount).returns.resolves.toEqualTypeOf<true>();
  });

  it('accepts a handler that returns its response through the boundary', () => {
    const getAccount: Handler<'getAccount'> = async () => toAccount(record);
    const listAccounts: Handler<'listAccounts'> = async () => toAccountList(page);
    const listAccountCalls: Handler<'listAccountCalls'> = async () => toRelatedList.Call(page);
    const getCall: Handler<'getCall'> = async () => toRelatedRecord.Call(record);
    expectTypeOf(getAccount).toExtend<HandlerTable['getAccount']>();
    expectTypeOf(listAccounts).toExtend<HandlerTable['listAccounts']>();
    expectTypeOf(listAccountCalls).toExtend<HandlerTable['listAccountCalls']>();
    expectTypeOf(getCall).toExtend<HandlerTable['getCall']>();
  });

  it('refuses a wrong response shape', () => {
    // @ts-expect-error an Account's id is a string, and the required attributes are missing
    const badAccount: Handler<'getAccount'> = async () => ({ id: 1 });
    // @ts-expect-error a list without `total`
    const noTotal: Handler<'listAccounts'> = async () => ({ list: [] });
    // @ts-expect-error one record where the operation answers a page of records
    const recordForList: Handler<'listAccounts'> = async () => toAccount(record);
    // @ts-expect-error a page of accounts where the operation answers one account
    const listForRecord: Handler<'getAccount'> = async () => toAccountList(page);
    // @ts-expect-error relate answers a boolean, not a record
    const relateRecord: Handler<'relateAccountCalls'> = async () => toRelatedRecord.Call(record);
    // @ts-expect-error a Team has a `name` of type string
    const badTeam: Handler<'getTeam'> = async () => ({ id: 'x', name: 5 });
    // @ts-expect-error Calls listed as Contacts (a Contact's `name` is never null)
    const contactsForCalls: Handler<'listAccountCalls'> = async () => toRelatedList.Contact(page);
    // @ts-expect-error a Meeting where a Call is answered
    const meetingForCall: Handler<'getCall'> = async () => toRelatedRecord.Meeting(record);
    void [badAccount, noTotal, recordForList, listForRecord, relateRecord, badTeam, contactsForCalls, meetingForCall];
  });

  it('refuses a table with a handler missing, misspelled or of the wrong operation', () => {
    // @ts-expect-error 'getAcount' is not an operationId of the contract
    type Misspelled = Handler<'getAcount'>;
    const { getUser, ...withoutGetUser } = handlers;
    // @ts-expect-error the table lacks getUser
    const missing: HandlerTable = withoutGetUser;
    // @ts-expect-error an unknown operationId in the table
    const extra: HandlerTable = { ...handlers, getAcount: handlers.getAccount };
    // @ts-expect-error listAccounts' handler answers a page, not one account
    const swapped: HandlerTable = { ...handlers, getAccount: handlers.listAccounts };
    void [getUser, missing, extra, swapped];
  });
});

describe('handler inputs', () => {
  it('types the path parameters', () => {
    const ok: Handler<'getAccount'> = async (input) => {
      expectTypeOf(input.path.id).toEqualTypeOf<string>();
      return toAccount(record);
    };
    const misspelled: Handler<'getAccount'> = async (input) => {
      // @ts-expect-error the path parameter is `id`
      void input.path.accountId;
      return toAccount(record);
    };
    const none: Handler<'createAccount'> = async (input) => {
      // @ts-expect-error createAccount has no path parameters
      void input.path.id.length;
      return toAccountCreated(record);
    };
    void [ok, misspelled, none];
  });

  it('gives the search operations EspoCRM search parameters, the stream its query, others nothing', () => {
    expectTypeOf<SearchOperationId>().toEqualTypeOf<'listAccounts' | `listAccount${Capitalize<AccountLink>}`>();
    expectTypeOf<HandlerInput<'listAccounts'>['list']>().toEqualTypeOf<SearchParams>();
    expectTypeOf<HandlerInput<'listAccountContacts'>['list']>().toEqualTypeOf<SearchParams>();
    expectTypeOf<HandlerInput<'listAccountStream'>['list']>().toEqualTypeOf<StreamQuery>();
    expectTypeOf<HandlerInput<'getAccount'>['list']>().toEqualTypeOf<undefined>();
  });

  it('types the validated query from the contract, with searchParams decoded', () => {
    expectTypeOf<QueryOf<'listAccounts'>['maxSize']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<QueryOf<'listAccounts'>['select']>().toEqualTypeOf<string[] | undefined>();
    expectTypeOf<QueryOf<'listAccounts'>['searchParams']>().toEqualTypeOf<Schemas['SearchParams'] | undefined>();
    expectTypeOf<QueryOf<'listAccountStream'>['filter']>().toEqualTypeOf<'all' | 'posts' | 'updates' | undefined>();
    // @ts-expect-error listAccounts declares no `filter`
    type NoFilter = QueryOf<'listAccounts'>['filter'];
  });

  it('types the body', () => {
    expectTypeOf<HandlerInput<'createAccount'>['body']>().toEqualTypeOf<Schemas['AccountCreate'] | undefined>();
    expectTypeOf<SuccessBodyOf<'createAccount'>>().toEqualTypeOf<Schemas['AccountCreated']>();
  });
});
