/**
 * Typed client for the EspoCRM Account API: openapi-fetch over the generated types, with
 * EspoCRM's wire format and every authentication scheme. Runs unchanged in Node 20+ and browsers.
 */
export {
  createEspoClient,
  openapiFetchClient,
  type EspoClient,
  type EspoMethod,
  type EspoRequestOptions,
} from './espo-client.js';
export { createEspoClientFor, type EspoClientOptions } from './create-client.js';
export type { ApiKeyAuth, EspoAuth, HmacAuth, PasswordAuth } from './auth.js';
export { resolveApiRoot, type ApiRoot } from './base-url.js';
export {
  phpQuerySerializer,
  searchParamsQuerySerializer,
  type QueryParams,
  type QueryStyle,
} from './query-serializer.js';
export {
  classifyErrorBody,
  EspoApiError,
  espoError,
  unwrap,
  type EspoErrorDetail,
  type EspoErrorInfo,
  type FetchResult,
} from './errors.js';
export { MAX_PAGE_SIZE, paginate, type FetchPage, type Page, type PageWindow, type PaginateOptions } from './paginate.js';
export {
  createWhereBuilder,
  type AttributeOf,
  type AttributeOfType,
  type BareWhereItem,
  type BareWhereType,
  type BuiltWhereItem,
  type DateOptions,
  type GroupWhereItem,
  type ValueOf,
  type ValueWhereItem,
  type ValueWhereType,
  type WhereBuilder,
  type WhereBuilderConfig,
  type WhereList,
  type WhereScalar,
} from './where.js';
export {
  accountWhere,
  eachAccount,
  eachLinked,
  type Account,
  type AccountCreate,
  type AccountLink,
  type AccountLinkPath,
  type AccountList,
  type AccountListItem,
  type AccountUpdate,
  type DuplicateList,
  type EachAccountOptions,
  type EachOptions,
  type LinkedRecord,
  type ListAccountsQuery,
  type ListLinkedQuery,
  type MessageTranslation,
  type ModifiedConflict,
  type Note,
  type RelateRequest,
  type SearchParams,
  type ValidationFailure,
  type WhereItem,
  type WhereType,
} from './account.js';
