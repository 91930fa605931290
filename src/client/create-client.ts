import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import { createRequestSigner, type EspoAuth } from './auth.js';
import { resolveApiRoot } from './base-url.js';
import { querySerializerFor, type QueryStyle } from './query-serializer.js';

export interface EspoClientOptions extends Omit<ClientOptions, 'baseUrl' | 'fetch' | 'querySerializer'> {
  /** The API root (`http://127.0.0.1:8080/api/v1`) or the site URL (`http://127.0.0.1:8080`). */
  readonly baseUrl: string;
  readonly auth: EspoAuth;
  /**
   * `'php'` (default): bracket parameters byte-identical to the official PHP client.
   * `'searchParams'`: one JSON parameter, as the official JS client sends.
   */
  readonly queryStyle?: QueryStyle;
  /** The fetch to send requests with (default `globalThis.fetch`); authentication is added in front of it. */
  readonly fetch?: (request: Request, init?: RequestInit) => Promise<Response>;
}

/**
 * An openapi-fetch client for EspoCRM, typed by any openapi-typescript `paths`. Credentials are set
 * in a wrapper around `fetch`, i.e. after every middleware has run, so the HMAC signs exactly the
 * URL that goes on the wire. (A per-call `fetch` option therefore bypasses authentication.)
 */
export function createEspoClientFor<Paths extends {}>(options: EspoClientOptions): Client<Paths> {
  const { baseUrl, auth, queryStyle = 'php', fetch: customFetch, ...rest } = options;
  // Looked up per request, so a fetch installed or stubbed later is still used.
  const send = customFetch ?? ((request: Request, init?: RequestInit) => globalThis.fetch(request, init));
  const root = resolveApiRoot(baseUrl);
  const sign = createRequestSigner(auth, root);
  return createClient<Paths>({
    ...rest,
    baseUrl: root.url,
    querySerializer: querySerializerFor(queryStyle),
    // openapi-fetch passes `requestInitExt` (e.g. an undici dispatcher) as the second argument.
    fetch: async (request: Request, init?: RequestInit) => {
      await sign(request);
      return send(request, init);
    },
  });
}
