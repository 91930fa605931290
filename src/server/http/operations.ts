import type { Request, Response, Router } from 'express';
import type { components, operations } from '../../../generated/openapi.js';
import type { Actor } from '../acl/index.js';
import { listOperations, loadBundle, resolveRef, type OperationEntry, type Parameter } from '../../spec/bundle.js';
import { parseSearchQuery, type SearchParams } from '../search/search-params.js';
import { parseStreamQuery, type StreamQuery } from '../stream/stream-query.js';
import { rawQueryOf, type RawQuery } from './request-query.js';
import { sendJson } from './send.js';

/**
 * Handlers are typed per operationId from the generated types, so a spec change that breaks a handler
 * (a renamed parameter, a changed response shape, a new operation without a handler) fails `tsc`.
 */
export type OperationId = keyof operations;

type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : undefined;
type Params<K extends OperationId> = operations[K]['parameters'];

/** The query parameters an operation declares; `never` when it declares none. */
type DeclaredQuery<K extends OperationId> = Params<K> extends { query?: infer Q } ? NonNullable<Q> : never;

/** The operations whose query is an EspoCRM search: those that declare `searchParams` (every list of records). */
export type SearchOperationId = {
  [K in OperationId]: [DeclaredQuery<K>] extends [never] ? never : 'searchParams' extends keyof DeclaredQuery<K> ? K : never;
}[OperationId];

/** The stream list, whose query EspoCRM reads with its own paging and filters (stream/stream-query.ts). */
export const STREAM_OPERATIONS = ['listAccountStream'] as const satisfies readonly OperationId[];
export type StreamOperationId = (typeof STREAM_OPERATIONS)[number];

/**
 * `req.query` once the request validator accepted it: the declared parameters with the validator's
 * coercions (`maxSize` a number, `select` a list), `searchParams` decoded (the validator checks the decoded
 * JSON against `SearchParams`: spec/validator-view.ts). Undeclared parameters may be present too (the
 * contract allows unknown ones). Only the benchmark turns request validation off.
 */
export type QueryOf<K extends OperationId> = [DeclaredQuery<K>] extends [never]
  ? Readonly<Record<string, unknown>>
  : 'searchParams' extends keyof DeclaredQuery<K>
    ? Omit<DeclaredQuery<K>, 'searchParams'> & { searchParams?: components['schemas']['SearchParams'] }
    : DeclaredQuery<K>;

/**
 * The list parameters as EspoCRM reads them from the raw query (not from the validator's coerced view):
 * `SearchParams` for the search operations, `StreamQuery` for the stream, nothing for the others.
 */
export type ListParamsOf<K extends OperationId> = K extends SearchOperationId
  ? SearchParams
  : K extends StreamOperationId
    ? StreamQuery
    : undefined;

export type PathOf<K extends OperationId> = Params<K> extends { path: infer P } ? P : Record<never, never>;
export type RequestBodyOf<K extends OperationId> = operations[K] extends { requestBody?: infer R }
  ? JsonOf<NonNullable<R>>
  : undefined;
export type SuccessBodyOf<K extends OperationId> = operations[K]['responses'] extends { 200: infer R } ? JsonOf<R> : never;

/** What every handler gets whatever its operation: for handlers shared by several operations. */
export interface RequestInput {
  actor: Actor;
  /** The raw request, for what the generated types cannot express (headers such as `X-No-Total`). */
  req: Request;
}

export interface HandlerInput<K extends OperationId> extends RequestInput {
  /** Path parameters as validated. */
  path: PathOf<K>;
  /** The query as validated (see `QueryOf`). */
  query: QueryOf<K>;
  /** The list parameters, read once from the raw query with EspoCRM's rules (see `ListParamsOf`). */
  list: ListParamsOf<K>;
  /** The body as validated (absent when the operation takes none or the client sent none). */
  body: RequestBodyOf<K> | undefined;
}

export type Handler<K extends OperationId> = (input: HandlerInput<K>) => Promise<SuccessBodyOf<K>>;
export type HandlerTable = { [K in OperationId]: Handler<K> };

/** `/Account/{id}/contacts` → `/Account/:id/contacts` */
function expressPath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ':$1');
}

/** The acting user, set by the authentication middleware. */
export function actorOf(res: Response): Actor {
  const actor = res.locals.actor as Actor | undefined;
  if (!actor) throw new Error('no authenticated actor on this request');
  return actor;
}

type ListReader = (raw: RawQuery) => SearchParams | StreamQuery;

/** How EspoCRM reads an operation's raw query: the run-time side of `ListParamsOf`, from the bundle. */
export function listReaderOf(entry: Pick<OperationEntry, 'operationId' | 'operation' | 'pathItem'>): ListReader | undefined {
  if (new Set<string>(STREAM_OPERATIONS).has(entry.operationId)) return parseStreamQuery;
  const parameters = [...(entry.pathItem.parameters ?? []), ...(entry.operation.parameters ?? [])];
  const declaresSearch = parameters.some((parameter) => {
    const resolved = resolveRef<Parameter>(loadBundle(), parameter);
    return resolved.in === 'query' && resolved.name === 'searchParams';
  });
  return declaresSearch ? parseSearchQuery : undefined;
}

/**
 * The handler's input. This is the one place where the request becomes typed: the contract validator ran
 * before every route and accepted the path parameters, the query and the body, so they have the shapes
 * the generated types give them; the list parameters come from `readList`, which is the reader
 * `ListParamsOf<K>` names for this operation (`listReaderOf`). Reading them here, before the handler, keeps
 * EspoCRM's order: a bad search is refused before the user's access is loaded.
 */
function handlerInput<K extends OperationId>(req: Request, res: Response, readList: ListReader | undefined): HandlerInput<K> {
  const input: unknown = {
    actor: actorOf(res),
    path: req.params,
    query: req.query,
    list: readList?.(rawQueryOf(req)),
    body: req.body,
    req,
  };
  return input as HandlerInput<K>;
}

function mountOperation<K extends OperationId>(router: Router, entry: OperationEntry, handler: HandlerTable[K]): void {
  const readList = listReaderOf(entry);
  router[entry.method](expressPath(entry.path), async (req: Request, res: Response) => {
    sendJson(res, await handler(handlerInput<K>(req, res, readList)));
  });
}

function isOperationId(handlers: HandlerTable, operationId: string): operationId is OperationId {
  return Object.hasOwn(handlers, operationId);
}

/**
 * Registers one route per operation of the bundle, so the routes and the spec cannot drift apart; each
 * handler's result becomes a 200 JSON response (EspoCRM answers 200 to every success, create included).
 */
export function mountOperations(router: Router, handlers: HandlerTable): void {
  for (const entry of listOperations()) {
    if (!isOperationId(handlers, entry.operationId)) throw new Error(`No handler for operation ${entry.operationId}`);
    mountOperation<OperationId>(router, entry, handlers[entry.operationId]);
  }
}
