const utf8 = new TextEncoder();

/**
 * Web Crypto, so the same code signs in Node 20 and in browsers. Browsers expose it only in secure
 * contexts (https, localhost); fail with a clear message instead of "cannot read 'importKey'".
 */
function subtleCrypto(): SubtleCrypto {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    throw new Error('HMAC authentication needs Web Crypto (globalThis.crypto.subtle): use a secure context (https) or Node 20+');
  }
  return subtle;
}

/** Imports an HMAC-SHA256 signing key once; reuse it for every request of a client. */
export function importHmacKey(secretKey: string): Promise<CryptoKey> {
  return subtleCrypto().importKey('raw', utf8.encode(secretKey), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

/** Lower-case hex HMAC-SHA256, the digest EspoCRM compares since 8.4.1 (it also takes the legacy raw digest). */
export async function hmacSha256Hex(key: CryptoKey, message: string): Promise<string> {
  const signature = new Uint8Array(await subtleCrypto().sign('HMAC', key, utf8.encode(message)));
  let hex = '';
  for (const byte of signature) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/**
 * The string EspoCRM signs (Logins/Hmac.php): method, a space, and the resource path, i.e. the URL
 * path after `/api/v1` with its leading slash and without the query string: `GET /Account`. The path is
 * the one EspoCRM sees, so it is normalised first (`espoSignedPath`).
 */
export function hmacMessage(method: string, resourcePath: string): string {
  return `${method.toUpperCase()} ${espoSignedPath(resourcePath)}`;
}

// Characters Slim's PSR-7 Uri::filterPath keeps as they are; `%` only when two hex digits follow.
const PATH_KEPT = /[^A-Za-z0-9_\-.~:@&=+$,/;%]+|%(?![A-Fa-f0-9]{2})/g;

/** PHP's rawurlencode: every UTF-8 byte except `A-Z a-z 0-9 - _ . ~` as `%XX` (upper-case hex). */
function rawUrlEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The request path as EspoCRM reads it, which is what it verifies an HMAC signature against. EspoCRM builds
 * its request from Slim's PSR-7 factory, whose `Uri` percent-encodes (PHP `rawurlencode`) every character
 * of the raw path outside `A-Z a-z 0-9 - _ . ~ : @ & = + $ , / ;` and `%XX`, and a `%` not followed by two
 * hex digits. `fetch` and `encodeURIComponent` leave `' ( ) * !` (and `[ ] | ^`) as they are, so
 * `/Account/O'Brien(1)` goes on the wire as it is but is verified as `/Account/O%27Brien%281%29`.
 * Existing `%XX` sequences are kept (no decoding, no change of case), so the function is idempotent.
 */
export function espoSignedPath(path: string): string {
  return path.replace(PATH_KEPT, rawUrlEncode);
}
