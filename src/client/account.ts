import type { components, paths } from '../../generated/openapi.js';
import { unwrap, type FetchResult } from './errors.js';
import type { EspoClient } from './espo-client.js';
import { paginate, type Page, type PaginateOptions } from './paginate.js';
import { createWhereBuilder } from './where.js';

type Schemas = components['schemas'];

export type Account = Schemas['Account'];
export type AccountCreate = Schemas['AccountCreate'];
export type AccountUpdate = Schemas['AccountUpdate'];
export type AccountListItem = Schemas['AccountListItem'];
export type AccountList = Schemas['AccountList'];
export type WhereItem = Schemas['WhereItem'];
export type WhereType = Schemas['WhereType'];
export type SearchParams = Schemas['SearchParams'];
export type Note = Schemas['Note'];
export type ValidationFailure = Schemas['ValidationFailure'];
export type DuplicateList = Schemas['DuplicateList'];
export type ModifiedConflict = Schemas['ModifiedConflict'];
export type MessageTranslation = Schemas['MessageTranslation'];
export type RelateRequest = Schemas['RelateRequest'];

type SubPathOf<P> = P extends `/Account/{id}/${infer Rest}` ? Rest : never;

/** The Account links with their own path (`/Account/{id}/contacts`, …), taken from the spec. */
export type AccountLink = Exclude<SubPathOf<keyof paths>, 'stream' | 'subscription'>;

export type AccountLinkPath<L extends AccountLink> = `/Account/{id}/${L}`;

type LinkListOperation<L extends AccountLink> = paths[AccountLinkPath<L>]['get'];

/** The record type a link lists (`Contact` with `accountRole` for `contacts`, `Team` for `teams`, …). */
export type LinkedRecord<L extends AccountLink> =
  LinkListOperation<L>['responses'][200]['content']['application/json']['list'][number];

export type ListAccountsQuery = NonNullable<paths['/Account']['get']['parameters']['query']>;
export type ListLinkedQuery<L extends AccountLink> = NonNullable<LinkListOperation<L>['parameters']['query']>;

/** Account date-time attributes: date conditions on them get `dateTime: true`. */
const ACCOUNT_DATE_TIMES = ['createdAt', 'modifiedAt', 'streamUpdatedAt'] as const;

/**
 * Where items for accounts, with attribute and link names (and enum values) checked against the
 * Account schema: `accountWhere.equals('type', 'Customer')`, `accountWhere.today('createdAt')`.
 * Groups also take hand-written `WhereItem`s.
 */
export const accountWhere = createWhereBuilder<
  AccountListItem,
  AccountLink,
  (typeof ACCOUNT_DATE_TIMES)[number],
  never,
  WhereItem
>({ dateTimeAttributes: ACCOUNT_DATE_TIMES });

/** Paging options plus the search parameters of each page (the iterator sets `offset` and `maxSize`). */
export interface EachOptions<Q> extends PaginateOptions {
  readonly query?: Omit<Q, 'offset' | 'maxSize' | 'searchParams'>;
}

export interface EachAccountOptions extends EachOptions<ListAccountsQuery> {
  /** Send `X-No-Total: true`: EspoCRM skips counting, which is cheaper on large tables. */
  readonly noTotal?: boolean;
}

/**
 * Every account that matches `query`, fetched in pages of at most 200:
 * `for await (const account of eachAccount(api, { query: { where } })) …`.
 * A failed page throws an `EspoApiError`.
 */
export function eachAccount(
  client: EspoClient,
  options: EachAccountOptions = {},
): AsyncGenerator<AccountListItem, void, undefined> {
  const { query, noTotal, ...paging } = options;
  const header = noTotal ? { 'X-No-Total': 'true' } : undefined;
  return paginate(async (window) => {
    const result = await client.GET('/Account', { params: { query: { ...query, ...window }, header } });
    return unwrap(result);
  }, paging);
}

/**
 * Every record of one link of an account, fetched in pages of at most 200:
 * `for await (const contact of eachLinked(api, id, 'contacts', { query: { select: ['name'] } })) …`.
 */
export function eachLinked<L extends AccountLink>(
  client: EspoClient,
  id: string,
  link: L,
  options: EachOptions<ListLinkedQuery<L>> = {},
): AsyncGenerator<LinkedRecord<L>, void, undefined> {
  const { query, ...paging } = options;
  // openapi-fetch cannot resolve its request options for a path that is generic in `L`. Every link
  // path has the same list operation, so it is called through that shape (the type tests check
  // the public signature per link).
  const listPage = client.GET as unknown as (
    path: AccountLinkPath<L>,
    init: { params: { path: { id: string }; query: object } },
  ) => Promise<FetchResult<Page<LinkedRecord<L>>, unknown>>;
  const path: AccountLinkPath<L> = `/Account/{id}/${link}`;
  return paginate(async (window) => {
    const result = await listPage(path, { params: { path: { id }, query: { ...query, ...window } } });
    return unwrap(result);
  }, paging);
}
