/**
 * Query strings in the two forms EspoCRM reads (SearchParamsFetcher): PHP bracket parameters, as the
 * official PHP client sends them, or one `searchParams` JSON parameter, as the official JS client does.
 * openapi-fetch's default serializer cannot encode `where` (nested arrays of objects) at all.
 */

export type QueryParams = Readonly<Record<string, unknown>>;

/** Comma lists in the bracket form: EspoCRM `explode(',')`s them (`select=id%2Cname`). */
const COMMA_LIST_PARAMS: ReadonlySet<string> = new Set(['select', 'attributeSelect']);

/**
 * Flags EspoCRM compares with the string `'true'` (Stream controller: `skipOwn === 'true'`), where
 * PHP's `1` would be silently ignored; a boolean (from untyped callers) is sent as `true`/`false`.
 */
const LITERAL_BOOLEAN_PARAMS: ReadonlySet<string> = new Set(['skipOwn']);

function topLevelValue(key: string, value: unknown): unknown {
  if (COMMA_LIST_PARAMS.has(key) && Array.isArray(value)) return value.length ? value.join(',') : undefined;
  if (LITERAL_BOOLEAN_PARAMS.has(key) && typeof value === 'boolean') return String(value);
  return value;
}

/**
 * PHP's `urlencode` (what `http_build_query` uses by default): every byte except `A-Za-z0-9-_.`
 * is percent-encoded with upper-case hex, and a space becomes `+`. `encodeURIComponent` leaves
 * `!'()*~` alone, so those are encoded here too.
 */
export function phpUrlencode(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

// PHP's `precision` ini default: floats become strings with 14 significant digits (zend_gcvt).
const PHP_PRECISION = 14;
// Integers below 2^63 fit a PHP int; beyond that PHP has a float.
const PHP_INT_LIMIT = 2 ** 63;

/**
 * A number as the PHP client would print it, taking the value as PHP's `json_decode` reads
 * `JSON.stringify(value)`: integers stay plain (in JavaScript's shortest digits, which is what
 * JSON carries); other numbers are rounded to 14 significant digits and use `1.0E-5` notation when
 * the decimal exponent is below -4 or above 14 (`0.1 + 0.2` → `0.3`, `1e21` → `1.0E+21`), as
 * `zend_gcvt` does.
 */
export function phpNumber(value: number): string {
  if (Number.isNaN(value)) return 'NAN';
  if (!Number.isFinite(value)) return value > 0 ? 'INF' : '-INF';
  if (Number.isInteger(value) && Math.abs(value) < PHP_INT_LIMIT) return String(value);
  const [mantissa = '', exponent = '0'] = Math.abs(value).toExponential(PHP_PRECISION - 1).split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '');
  const point = Number(exponent) + 1; // digits before the decimal point (zend_dtoa's decpt)
  const sign = value < 0 ? '-' : '';
  if (point < -3 || point > PHP_PRECISION) {
    const e = point - 1;
    return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${e < 0 ? '-' : '+'}${Math.abs(e)}`;
  }
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function phpScalar(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
      return value ? '1' : '0';
    case 'number':
      return phpNumber(value);
    case 'bigint':
      return value.toString();
    default:
      return undefined; // null, undefined, functions, symbols: http_build_query skips them
  }
}

function appendPhp(parts: string[], encodedKey: string, value: unknown): void {
  if (value !== null && typeof value === 'object') {
    // Arrays keep their indices (`where[0]`); holes are skipped like unset PHP keys.
    const entries = Array.isArray(value) ? [...value.entries()] : Object.entries(value);
    for (const [key, item] of entries) appendPhp(parts, `${encodedKey}%5B${phpUrlencode(String(key))}%5D`, item);
    return;
  }
  const scalar = phpScalar(value);
  if (scalar !== undefined) parts.push(`${encodedKey}=${phpUrlencode(scalar)}`);
}

/**
 * PHP `http_build_query` byte for byte: bracket keys with `%5B`/`%5D`, array indices, space as `+`,
 * `true`/`false` as `1`/`0`, `null` dropped, keys in the caller's order. Two top-level exceptions
 * follow what EspoCRM reads: `select`/`attributeSelect` arrays become a comma list, and `skipOwn`
 * stays `true`/`false`.
 */
export function phpQuerySerializer(query: QueryParams): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) appendPhp(parts, phpUrlencode(key), topLevelValue(key, value));
  return parts.join('&');
}

/**
 * Parameters that EspoCRM reads from the query string itself even when `searchParams` is present
 * (the stream's `Stream::fetchSearchParams`), so they stay outside the JSON.
 */
const OUTSIDE_SEARCH_PARAMS: ReadonlySet<string> = new Set(['searchParams', 'after', 'filter', 'skipOwn', 'beforeNumber']);

/**
 * In JSON EspoCRM reads `select` and `where` only; the 9.0 aliases exist for the bracket form
 * (to get past web firewalls), so they are renamed back here.
 */
const JSON_NAMES: ReadonlyMap<string, string> = new Map([
  ['attributeSelect', 'select'],
  ['whereGroup', 'where'],
]);

/**
 * Everything in one `searchParams=<JSON>` parameter, as the official JS client sends it: JSON types
 * are kept (real booleans, `null`), encoded like Node's `querystring` (space as `%20`). A
 * `searchParams` string given by the caller is sent as it is and wins over the other search keys.
 */
export function searchParamsQuerySerializer(query: QueryParams): string {
  // No prototype: a key such as `__proto__` must stay a plain key.
  const search: Record<string, unknown> = Object.create(null);
  const outside: Record<string, unknown> = Object.create(null);
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (OUTSIDE_SEARCH_PARAMS.has(key)) outside[key] = value;
    else search[JSON_NAMES.get(key) ?? key] = value;
  }
  const explicit = outside['searchParams'];
  delete outside['searchParams'];
  const json = typeof explicit === 'string' ? explicit : Object.keys(search).length ? JSON.stringify(search) : undefined;
  const rest = phpQuerySerializer(outside);
  const head = json === undefined ? '' : `searchParams=${encodeURIComponent(json)}`;
  return head && rest ? `${head}&${rest}` : head || rest;
}

export type QueryStyle = 'php' | 'searchParams';

export function querySerializerFor(style: QueryStyle): (query: QueryParams) => string {
  return style === 'php' ? phpQuerySerializer : searchParamsQuerySerializer;
}
