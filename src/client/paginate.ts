/** EspoCRM's default `recordListMaxSizeLimit`: a larger `maxSize` is answered with 403. */
export const MAX_PAGE_SIZE = 200;

/** `total` when counting was skipped (`X-No-Total`, `q`) and nothing follows this page (Collection::TOTAL_HAS_NO_MORE). */
const TOTAL_HAS_NO_MORE = -2;

export interface Page<T> {
  readonly total: number;
  readonly list: readonly T[];
}

/** The slice of a list to fetch: EspoCRM's `offset` and `maxSize`. */
export interface PageWindow {
  readonly offset: number;
  readonly maxSize: number;
}

export type FetchPage<T> = (window: PageWindow) => Promise<Page<T>>;

export interface PaginateOptions {
  /** Records per request, 1–200 (default 200). */
  readonly pageSize?: number;
  /** Where to start (default 0). */
  readonly offset?: number;
  /** Stop after this many records (default: all). */
  readonly limit?: number;
}

function checkCount(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
}

/**
 * Yields every record of a list, fetching pages of at most `pageSize` with increasing `offset`.
 * It stops on a short page, at `total`, or on `total = -2`; `total = -1` (more, uncounted) goes on.
 * Offset paging is not a snapshot: records created or deleted meanwhile can shift the pages.
 */
export async function* paginate<T>(fetchPage: FetchPage<T>, options: PaginateOptions = {}): AsyncGenerator<T, void, undefined> {
  const { pageSize = MAX_PAGE_SIZE, offset: start = 0, limit } = options;
  checkCount('pageSize', pageSize, 1, MAX_PAGE_SIZE);
  checkCount('offset', start, 0);
  if (limit !== undefined) checkCount('limit', limit, 0);

  let offset = start;
  let remaining = limit ?? Number.POSITIVE_INFINITY;
  while (remaining > 0) {
    const maxSize = Math.min(pageSize, remaining);
    const { total, list } = await fetchPage({ offset, maxSize });
    // A server that returns more than asked for must not push the caller past `limit`.
    const items = list.slice(0, maxSize);
    for (const item of items) yield item;
    offset += items.length;
    remaining -= items.length;
    if (list.length < maxSize || total === TOTAL_HAS_NO_MORE || (total >= 0 && offset >= total)) return;
  }
}
