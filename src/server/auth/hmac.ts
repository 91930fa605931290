import { createHmac, timingSafeEqual } from 'node:crypto';
import { hmacMessage } from '../../client/hmac.js';

/**
 * EspoCRM signs `METHOD + ' ' + resourcePath` (the path after `/api/v1`, with its leading slash and without
 * the query string, normalised as EspoCRM reads it: `'()*!` and other characters outside RFC 3986's path
 * set percent-encoded, see `espoSignedPath`) with HMAC-SHA256 and accepts the digest as lowercase hex
 * (current clients) or as raw bytes (older clients). The signature is compared in constant time in both forms.
 *
 * `signature` is the part after the colon, decoded from base64 as latin1 so raw digest bytes survive.
 */
export function verifyHmac(secretKey: string, method: string, resourcePath: string, signature: string): boolean {
  const digest = createHmac('sha256', secretKey).update(hmacMessage(method, resourcePath)).digest();
  const sent = Buffer.from(signature, 'latin1');
  const hex = Buffer.from(digest.toString('hex'), 'latin1');
  if (sent.length === hex.length) return timingSafeEqual(sent, hex);
  if (sent.length === digest.length) return timingSafeEqual(sent, digest);
  return false;
}

/** Constant-time equality of two secrets of possibly different lengths. */
export function secretsEqual(a: string, b: string): boolean {
  const left = createHmac('sha256', 'compare').update(a).digest();
  const right = createHmac('sha256', 'compare').update(b).digest();
  return timingSafeEqual(left, right);
}
