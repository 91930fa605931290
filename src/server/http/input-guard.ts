/**
 * Input no storage engine accepts is refused before it reaches SQL: PostgreSQL cannot hold a NUL character
 * (`\u0000`) in text, so a NUL anywhere in the path, the query string (including the JSON of
 * `searchParams`) or the JSON body, keys included, is a 400 with the place in `X-Status-Reason`. EspoCRM on
 * MySQL would store or compare it; refusing it everywhere keeps both engines (and every request) alike.
 */
import type { RequestHandler } from 'express';
import { BadRequest } from '../core/errors.js';

export function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\0');
  if (value === null || typeof value !== 'object' || depth > 100) return false;
  if (Array.isArray(value)) return value.some((item) => containsNul(item, depth + 1));
  return Object.entries(value).some(([key, item]) => key.includes('\0') || containsNul(item, depth + 1));
}

/** `searchParams` is JSON inside the query string: its strings are checked once decoded. */
function searchParamsContainNul(query: unknown): boolean {
  const raw = (query as { searchParams?: unknown } | null)?.searchParams;
  if (typeof raw !== 'string') return false;
  try {
    return containsNul(JSON.parse(raw));
  } catch {
    return false; // malformed JSON is refused by the search parameter parser
  }
}

export const refuseNul: RequestHandler = (req, _res, next) => {
  const path = req.originalUrl.split('?')[0] ?? '';
  if (/%00/i.test(path) || path.includes('\0')) return next(new BadRequest('NUL character in the path.'));
  if (containsNul(req.query) || searchParamsContainNul(req.query)) return next(new BadRequest('NUL character in the query string.'));
  if (containsNul(req.body)) return next(new BadRequest('NUL character in the request body.'));
  next();
};
