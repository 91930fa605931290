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
 * path after `/api/v1` with its leading slash and without the query string: `GET /Account`.
 */
export function hmacMessage(method: string, resourcePath: string): string {
  return `${method.toUpperCase()} ${resourcePath}`;
}
