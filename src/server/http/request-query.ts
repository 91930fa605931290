import type { Request, RequestHandler } from 'express';
import { parseQuery } from './query-parser.js';

/** The query string as PHP's `$_GET` holds it: nested objects and arrays with string leaves. */
export type RawQuery = Readonly<Record<string, unknown>>;

const RAW_QUERIES = new WeakMap<Request, RawQuery>();

/**
 * Parses the (canonical) query string of an API request once, with PHP's rules (query-parser.ts), for two
 * readers that need it in different states:
 * - the contract validator reads `req.query` and rewrites it in place before checking it (`maxSize` to a
 *   number, `select=id,name` split into a list, `searchParams` decoded from JSON);
 * - EspoCRM's own rules (search/search-params.ts, stream/stream-query.ts) read the values as the client
 *   wrote them: `intval` of `maxSize`, `searchParams` as JSON text (400 when it is not JSON), `select`
 *   as one comma string, `q` present as a query parameter (which turns counting off), …
 * So the result stays as parsed for the second reader (`rawQueryOf`) and the first gets a copy as
 * `req.query`, an own property, so that Express's `req.query` getter never parses the string again.
 */
export const parseRequestQuery: RequestHandler = (req, _res, next) => {
  const at = req.url.indexOf('?');
  const raw = at < 0 ? {} : parseQuery(req.url.slice(at + 1));
  RAW_QUERIES.set(req, raw);
  Object.defineProperty(req, 'query', { value: structuredClone(raw), writable: true, configurable: true, enumerable: true });
  next();
};

/** The query of a request as `parseRequestQuery` parsed it, before validation touched `req.query`. */
export function rawQueryOf(req: Request): RawQuery {
  const raw = RAW_QUERIES.get(req);
  if (!raw) throw new Error('parseRequestQuery did not run for this request');
  return raw;
}
