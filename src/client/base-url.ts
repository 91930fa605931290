/** Where the API lives: every request path is appended to `url`, and HMAC signs paths relative to `path`. */
export interface ApiRoot {
  /** The API root without a trailing slash, e.g. `http://127.0.0.1:8080/api/v1`. */
  readonly url: string;
  /** Its path part as it appears on the wire, e.g. `/api/v1`. */
  readonly path: string;
}

const API_SUFFIX = '/api/v1';
// Only used to read the path of a relative base URL (same-origin browser use, e.g. `/crm/api/v1`).
const PLACEHOLDER_ORIGIN = 'http://base.invalid';

/**
 * Accepts the API root (`…/api/v1`, as in the spec's `servers`) or the site URL the official
 * clients take (`http://crm.example`, `http://host/espocrm/`) and returns the API root.
 */
export function resolveApiRoot(baseUrl: string): ApiRoot {
  if (baseUrl.trim() === '') throw new TypeError('baseUrl is empty');
  if (/[?#]/.test(baseUrl)) throw new TypeError(`baseUrl must not contain a query or fragment: ${baseUrl}`);
  const trimmed = baseUrl.replace(/\/+$/, '');
  const url = trimmed.endsWith(API_SUFFIX) ? trimmed : `${trimmed}${API_SUFFIX}`;
  // URL parsing normalises the path (percent-encoding) exactly as fetch will put it on the wire.
  return { url, path: new URL(url, PLACEHOLDER_ORIGIN).pathname };
}

/**
 * The resource path EspoCRM signs and routes on (RequestWrapper::getResourcePath): the request's
 * path after the API root, with its leading slash, without the query string.
 */
export function resourcePath(requestUrl: string, root: ApiRoot): string {
  const { pathname } = new URL(requestUrl, PLACEHOLDER_ORIGIN);
  if (pathname.startsWith(`${root.path}/`)) return pathname.slice(root.path.length);
  // A per-request `baseUrl` may point elsewhere; EspoCRM's own base path is still `/api/v1`.
  const at = pathname.indexOf(`${API_SUFFIX}/`);
  if (at >= 0) return pathname.slice(at + API_SUFFIX.length);
  throw new Error(`Cannot sign ${pathname}: it is not under the API root ${root.path}`);
}
