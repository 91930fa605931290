/**
 * The parameters of a record's stream (EspoCRM Controllers\Stream::fetchSearchParams): the list's paging
 * (`maxSize` default 200, above 200 is 403; `offset`), `after` (created after, UTC), `filter`
 * (`posts`, `updates`, `all`) and `skipOwn` (only the literal `true`). Ordering parameters are ignored:
 * a stream is always newest first.
 */
import { formatDateTime, parseDateTime } from '../core/time.js';
import { BadRequest } from '../core/errors.js';
import { parseSearchQuery } from '../search/search-params.js';

export type StreamFilter = 'all' | 'posts' | 'updates';

export interface StreamQuery {
  readonly maxSize: number;
  readonly offset: number;
  /** `YYYY-MM-DD HH:MM:SS` UTC. */
  readonly after: string | null;
  readonly filter: StreamFilter;
  readonly skipOwn: boolean;
}

const FILTERS = new Set<string>(['all', 'posts', 'updates']);

/** From the raw (PHP bracket) query of the request. */
export function parseStreamQuery(query: Record<string, unknown>): StreamQuery {
  const { maxSize, offset } = parseSearchQuery(query);
  return { maxSize, offset, after: afterOf(query.after), filter: filterOf(query.filter), skipOwn: query.skipOwn === 'true' };
}

function afterOf(value: unknown): string | null {
  if (value === undefined || value === '') return null;
  const date = typeof value === 'string' ? parseDateTime(value) : null;
  if (!date) throw new BadRequest('Bad `after` date-time.');
  return formatDateTime(date);
}

function filterOf(value: unknown): StreamFilter {
  if (value === undefined || value === '') return 'all';
  if (typeof value !== 'string' || !FILTERS.has(value)) throw new BadRequest(`No primary filter '${String(value)}' for 'Note'.`);
  return value as StreamFilter;
}
