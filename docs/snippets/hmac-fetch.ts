/**
 * A `fetch` that signs every request with EspoCRM's HMAC header: the per-request signing hook for generated
 * TypeScript clients (each generator takes a custom fetch; see docs/clients.md).
 *
 *   X-Hmac-Authorization: base64(apiKey + ':' + hex(HMAC-SHA256(secretKey, METHOD + ' ' + path)))
 *
 * where path is the URL path after the API root (`/api/v1`), without the query string: `GET /Account`.
 */
import { createHmac } from 'node:crypto';

export function hmacFetch(apiRoot: string, apiKey: string, secretKey: string, base: typeof fetch = globalThis.fetch): typeof fetch {
  const rootPath = new URL(apiRoot).pathname.replace(/\/$/, '');
  return (input, init) => {
    // Some clients pass a path relative to the API root; resolve it first.
    const request = new Request(typeof input === 'string' && input.startsWith('/') ? `${apiRoot}${input}` : input, init);
    const path = new URL(request.url).pathname.slice(rootPath.length);
    const digest = createHmac('sha256', secretKey).update(`${request.method} ${path}`).digest('hex');
    request.headers.set('X-Hmac-Authorization', Buffer.from(`${apiKey}:${digest}`).toString('base64'));
    return base(request);
  };
}
