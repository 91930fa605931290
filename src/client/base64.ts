const utf8 = new TextEncoder();

/**
 * Base64 of the UTF-8 bytes of `text`. `btoa` alone only takes Latin-1, and EspoCRM (like curl in
 * the PHP client) decodes credentials as UTF-8 bytes, so non-ASCII passwords must be encoded first.
 */
export function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of utf8.encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
