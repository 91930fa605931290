import type { IncomingHttpHeaders } from 'node:http';
import { BadRequest } from '../core/errors.js';

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

/**
 * `user:password` from base64 (Api\Auth::decodeAuthorizationString): only the first colon separates them
 * (passwords may contain colons), both are trimmed, and a string without a colon is a 400. Without a user
 * name EspoCRM has no credentials at all.
 */
function userAndPassword(encoded: string): Credentials {
  const decoded = Buffer.from(encoded.trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new BadRequest('Auth: Bad authorization string provided.');
  const userName = decoded.slice(0, colon).trim();
  return userName === '' ? { kind: 'none' } : { kind: 'password', userName, password: decoded.slice(colon + 1).trim() };
}

/** `base64(apiKey + ':' + signature)`; decoded as latin1 so the bytes of a raw (legacy) digest survive. */
function hmacCredentials(value: string): Credentials {
  const decoded = Buffer.from(value.trim(), 'base64').toString('latin1');
  const colon = decoded.indexOf(':');
  return colon < 0
    ? { kind: 'hmac', apiKey: decoded, signature: '' }
    : { kind: 'hmac', apiKey: decoded.slice(0, colon), signature: decoded.slice(colon + 1) };
}

/**
 * The order of Api\Auth::process: `Espo-Authorization` first; otherwise the API login methods by their
 * credentials header (`X-Api-Key`, then `X-Hmac-Authorization`, metadata order); only then HTTP Basic,
 * which PHP hands over as server parameters. A header that is present counts even when empty (it then
 * fails to authenticate instead of asking for credentials).
 */
export function readCredentials(headers: IncomingHttpHeaders): Credentials {
  const espo = header(headers, 'espo-authorization');
  if (espo !== undefined) return userAndPassword(espo);

  const apiKey = header(headers, 'x-api-key');
  if (apiKey !== undefined) return { kind: 'apiKey', apiKey };

  const hmac = header(headers, 'x-hmac-authorization');
  if (hmac !== undefined) return hmacCredentials(hmac);

  const basic = /^Basic\s+(.*)$/i.exec(header(headers, 'authorization') ?? '');
  if (basic) return userAndPassword(basic[1] ?? '');

  return { kind: 'none' };
}
