import type { IncomingHttpHeaders } from 'node:http';
import { BadRequest } from '../errors.js';

/** What a request offers to prove who it is, in EspoCRM's order of precedence. */
export type Credentials =
  | { kind: 'password'; userName: string; password: string }
  | { kind: 'apiKey'; apiKey: string }
  | { kind: 'hmac'; apiKey: string; signature: string }
  | { kind: 'none' };

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `user:password` from base64; only the first colon separates them (passwords may contain colons). */
function userAndPassword(encoded: string): { userName: string; password: string } {
  const decoded = Buffer.from(encoded.trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new BadRequest('Auth: Bad authorization string provided.');
  return { userName: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * EspoCRM checks `Espo-Authorization` (and HTTP Basic, which PHP hands over the same way) first, then the
 * API-user headers `X-Api-Key` and `X-Hmac-Authorization`.
 */
export function readCredentials(headers: IncomingHttpHeaders): Credentials {
  const espo = header(headers, 'espo-authorization');
  if (espo) return { kind: 'password', ...userAndPassword(espo) };

  const authorization = header(headers, 'authorization');
  const basic = authorization && /^Basic\s+(.+)$/i.exec(authorization);
  if (basic?.[1]) return { kind: 'password', ...userAndPassword(basic[1]) };

  const apiKey = header(headers, 'x-api-key');
  if (apiKey) return { kind: 'apiKey', apiKey };

  const hmac = header(headers, 'x-hmac-authorization');
  if (hmac) {
    const decoded = Buffer.from(hmac.trim(), 'base64').toString('latin1');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { kind: 'hmac', apiKey: decoded.slice(0, colon), signature: decoded.slice(colon + 1) };
  }
  return { kind: 'none' };
}
