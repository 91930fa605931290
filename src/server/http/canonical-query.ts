import type { RequestHandler } from 'express';

/** Decodes one query component the way PHP does: `+` is a space; a broken escape stays as sent. */
function decode(component: string): string {
  try {
    return decodeURIComponent(component.replace(/\+/g, ' '));
  } catch {
    return component;
  }
}

/** `encodeURIComponent` leaves `!'()*` alone; the validator counts them as reserved. */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Rewrites the query string with every key and value percent-encoded, before contract validation.
 * Real clients leave characters raw that express-openapi-validator refuses in a value ("must be url
 * encoded"): PHP's `http_build_query` and the Python client send a space as `+`, and the JS client's
 * `querystring` leaves `*()!'` unencoded inside `searchParams`. Decoding and re-encoding keeps the meaning
 * (`qs` reads both forms the same), so the validator sees one canonical form.
 */
export const canonicalQuery: RequestHandler = (req, _res, next) => {
  const at = req.url.indexOf('?');
  if (at >= 0) {
    const query = req.url
      .slice(at + 1)
      .split('&')
      .filter((pair) => pair !== '')
      .map((pair) => {
        const eq = pair.indexOf('=');
        const key = eq < 0 ? pair : pair.slice(0, eq);
        const value = eq < 0 ? undefined : pair.slice(eq + 1);
        return value === undefined ? encode(decode(key)) : `${encode(decode(key))}=${encode(decode(value))}`;
      })
      .join('&');
    const path = req.url.slice(0, at);
    req.url = `${path}?${query}`;
    const originalAt = req.originalUrl.indexOf('?');
    req.originalUrl = `${originalAt < 0 ? req.originalUrl : req.originalUrl.slice(0, originalAt)}?${query}`;
  }
  next();
};
