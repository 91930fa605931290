import type { Client, ClientPathsWithMethod, FetchOptions, FetchResponse, Middleware } from 'openapi-fetch';
import type { paths } from '../../generated/openapi.js';
import { createEspoClientFor, type EspoClientOptions } from './create-client.js';

type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';
type JsonMedia = `${string}/${string}`;

/** The operation at a path and method (`never` where the spec has none). */
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;

/** The options of one call: typed by the operation alone, so object literals get excess-property checks. */
export type EspoRequestOptions<P extends keyof paths, M extends Method> = Omit<FetchOptions<Operation<P, M>>, 'parseAs'>;

/** `init` may be left out when the operation has no required parameter or body. */
type InitArgs<O> = {} extends O ? [init?: O] : [init: O];

/**
 * A method of openapi-fetch's client with the request options fixed by the path instead of
 * inferred from the call. openapi-fetch infers them (to support `parseAs`), which lets a body with
 * a misspelt or unknown field compile; here it fails, like every other mistake.
 */
export type EspoMethod<M extends Method> = <P extends ClientPathsWithMethod<Client<paths>, M>>(
  url: P,
  ...init: InitArgs<EspoRequestOptions<P, M>>
) => Promise<FetchResponse<Operation<P, M>, {}, JsonMedia>>;

/**
 * The openapi-fetch client for the Account API, typed by `generated/openapi.ts`. Only the methods
 * the spec uses are exposed; `openapiFetchClient` gives the same object with openapi-fetch's own
 * types (e.g. for `parseAs` or libraries that take a `Client`).
 */
export interface EspoClient {
  readonly GET: EspoMethod<'get'>;
  readonly POST: EspoMethod<'post'>;
  readonly PUT: EspoMethod<'put'>;
  readonly PATCH: EspoMethod<'patch'>;
  readonly DELETE: EspoMethod<'delete'>;
  use(...middleware: Middleware[]): void;
  eject(...middleware: Middleware[]): void;
}

/**
 * Creates a client for the EspoCRM Account API. Every path, parameter, body and result is checked
 * against the spec at compile time; the query string and credentials are what the official
 * clients send.
 *
 * @example
 * const api = createEspoClient({ baseUrl: 'https://crm.example', auth: { apiKey: 'key' } });
 * const { data, error, response } = await api.GET('/Account/{id}', { params: { path: { id } } });
 */
export function createEspoClient(options: EspoClientOptions): EspoClient {
  // The same object; only the call signatures are stricter (see EspoMethod).
  return createEspoClientFor<paths>(options) as unknown as EspoClient;
}

/** The client behind an `EspoClient`, with openapi-fetch's own (looser) types. */
export function openapiFetchClient(client: EspoClient): Client<paths> {
  return client as unknown as Client<paths>;
}
