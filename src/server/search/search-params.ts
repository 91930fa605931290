/**
 * List parameters from a request, as EspoCRM's SearchParamsFetcher + SearchParams::fromRaw read them:
 * either one `searchParams` JSON query parameter, or individual query parameters in PHP bracket syntax
 * (already parsed by `qs` into nested objects/arrays with string leaves).
 */
import { BadRequest, Forbidden } from '../core/errors.js';

export const MAX_SIZE_LIMIT = 200;

export type SortOrder = 'asc' | 'desc';

export interface SearchParams {
  /** Top-level where items (AND-ed); validated by the where compiler. */
  readonly where: readonly unknown[];
  /** Attribute names; null = default list attributes. */
  readonly select: readonly string[] | null;
  readonly maxSize: number;
  readonly offset: number;
  readonly orderBy: string | null;
  readonly order: SortOrder | null;
  readonly textFilter: string | null;
  readonly primaryFilter: string | null;
  readonly boolFilterList: readonly string[];
  /** `q` given as a query parameter: EspoCRM then skips counting (not when `q` is inside searchParams). */
  readonly noTotal: boolean;
}

export const defaultSearchParams: SearchParams = {
  where: [],
  select: null,
  maxSize: MAX_SIZE_LIMIT,
  offset: 0,
  orderBy: null,
  order: null,
  textFilter: null,
  primaryFilter: null,
  boolFilterList: [],
  noTotal: false,
};

type Raw = Record<string, unknown>;

/** From an Express query object (parsed by qs). */
export function parseSearchQuery(query: Raw): SearchParams {
  // FindParamsFetcher looks at the `q` query parameter whichever form carries the search params.
  const noTotal = typeof query.q === 'string' && query.q.trim() !== '';
  if ('searchParams' in query) {
    return { ...parseSearchParamsObject(decodeJson(query.searchParams)), noTotal };
  }
  return finish(fromQueryParameters(query), noTotal);
}

/** From the JSON form (`searchParams` decoded, or a body such as MassAction params). */
export function parseSearchParamsObject(raw: unknown): SearchParams {
  // A JSON array is an empty parameter set for EspoCRM (checked live on 9.2.7).
  if (Array.isArray(raw)) {
    return finish({}, false);
  }
  if (raw === null || typeof raw !== 'object') {
    throw new BadRequest('Invalid search params JSON: should be an object.');
  }
  const params = { ...(raw as Raw) };
  if (params.maxSize !== undefined && params.maxSize !== null && !Number.isInteger(params.maxSize)) {
    throw new BadRequest('maxSize must be integer.');
  }
  if (params.q !== undefined && params.q !== null && typeof params.q !== 'string') {
    throw new BadRequest('q must be string.');
  }
  return finish(params, false);
}

function decodeJson(value: unknown): unknown {
  if (typeof value !== 'string') {
    throw new BadRequest('Invalid search params JSON.');
  }
  try {
    return JSON.parse(value);
  } catch {
    throw new BadRequest('Invalid search params JSON.');
  }
}

/** SearchParamsFetcher::fetchRawMultipleParams. */
function fromQueryParameters(query: Raw): Raw {
  const params: Raw = {};
  const where = query.whereGroup ?? query.where;
  // A non-array `where` (e.g. `where=abc`) is silently ignored by EspoCRM.
  params.where = where !== null && typeof where === 'object' ? where : null;
  params.maxSize = intParam(query.maxSize);
  params.offset = intParam(query.offset);
  params.orderBy = nonEmpty(query.orderBy) ?? nonEmpty(query.sortBy);
  if (nonEmpty(query.order) !== null) {
    params.order = query.order;
  } else if (nonEmpty(query.asc) !== null) {
    params.order = query.asc === 'true' ? 'asc' : 'desc';
  }
  const q = typeof query.q === 'string' ? query.q.trim() : null;
  if (q) params.q = q;
  params.textFilter = nonEmpty(query.textFilter);
  params.primaryFilter = nonEmpty(query.primaryFilter);
  if (query.boolFilterList !== undefined && query.boolFilterList !== '') {
    // PHP's (array) cast: a map contributes its values.
    const list = query.boolFilterList;
    params.boolFilterList = list !== null && typeof list === 'object' ? (listOf(list) ?? Object.values(list)) : [list];
  }
  const select = query.attributeSelect ?? query.select;
  if (typeof select === 'string' && select !== '') {
    params.select = select.split(',');
  } else if (select !== undefined && select !== '') {
    params.select = select;
  }
  return params;
}

/** PHP intval() of a query parameter: leading integer, '' → absent, garbage → 0. */
function intParam(value: unknown): number | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') return Number.NaN; // arrays/objects: reported as not an int
  const match = /^\s*([+-]?\d+)/.exec(value);
  return match ? Number.parseInt(match[1]!, 10) : 0;
}

function nonEmpty(value: unknown): unknown {
  return value === undefined || value === null || value === '' ? null : value;
}

/** qs gives arrays, or objects with numeric keys past its arrayLimit (PHP makes both arrays). */
export function listOf(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value;
  if (value === null || typeof value !== 'object') return null;
  const entries = Object.entries(value);
  if (!entries.every(([key]) => /^(0|[1-9]\d*)$/.test(key))) return null;
  return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, item]) => item);
}

/** SearchParams::fromRaw checks, the maxSize limit and the legacy where items. */
function finish(raw: Raw, noTotal: boolean): SearchParams {
  const where = raw.where === undefined || raw.where === null ? [] : listOf(raw.where);
  if (where === null) throw new BadRequest('where should be array.');
  // EspoCRM requires an array inside searchParams; the documented JS client sends a comma string, which
  // this server accepts too (docs/deviations.md) so that every client's form of one search agrees.
  const select = raw.select === undefined || raw.select === null ? null : typeof raw.select === 'string' ? raw.select.split(',') : listOf(raw.select);
  if (raw.select !== undefined && raw.select !== null && select === null) throw new BadRequest('select should be array.');
  if (select?.some((item) => typeof item !== 'string')) throw new BadRequest('select has non-string item.');
  const params = {
    where,
    select: select as string[] | null,
    maxSize: maxSizeOf(raw.maxSize),
    offset: offsetOf(raw.offset),
    orderBy: stringOrNull(raw.orderBy, 'orderBy should be string.'),
    order: orderOf(raw.order),
    textFilter: stringOrNull(raw.textFilter ?? raw.q, 'textFilter should be string.'),
    primaryFilter: stringOrNull(raw.primaryFilter, 'primaryFilter should be string.'),
    boolFilterList: boolFilterListOf(raw.boolFilterList),
    noTotal,
  };
  return applyLegacyWhereItems(params);
}

function maxSizeOf(value: unknown): number {
  const maxSize = numericParam(value, 'maxSize should be int.');
  if (maxSize === null) return MAX_SIZE_LIMIT;
  if (maxSize < 0) throw new BadRequest('maxSize should not be negative.');
  if (maxSize > MAX_SIZE_LIMIT) {
    throw new Forbidden(`Max size should not exceed ${MAX_SIZE_LIMIT}. Use offset and limit.`);
  }
  return maxSize;
}

function offsetOf(value: unknown): number {
  const offset = numericParam(value, 'offset should be int.');
  if (offset !== null && offset < 0) throw new BadRequest('offset should not be negative.');
  return offset ?? 0;
}

/** Integers, and numeric strings "for bc" as SearchParams::fromRaw. */
function numericParam(value: unknown, message: string): number | null {
  if (value === undefined || value === null) return null;
  const number = typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number)) throw new BadRequest(message);
  return number;
}

function stringOrNull(value: unknown, message: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new BadRequest(message);
  return value;
}

function orderOf(value: unknown): SortOrder | null {
  const order = stringOrNull(value, 'order should be string.');
  if (order === null || order === '') return null;
  const upper = order.toUpperCase();
  if (upper !== 'ASC' && upper !== 'DESC') throw new BadRequest('order value is bad.');
  return upper === 'ASC' ? 'asc' : 'desc';
}

function boolFilterListOf(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = listOf(value);
  if (list === null) throw new BadRequest('boolFilterList should be array.');
  if (list.some((item) => typeof item !== 'string')) throw new BadRequest('boolFilterList has non-string item.');
  return list as string[];
}

/** `{type:'bool'|'primary'|'textFilter'}` top-level items set the filters (SearchParams::adjustParams). */
function applyLegacyWhereItems(params: SearchParams): SearchParams {
  let result = params;
  const where: unknown[] = [];
  for (const item of params.where) {
    const { type, value } = (item !== null && typeof item === 'object' ? item : {}) as Raw;
    const list = listOf(value);
    if (type === 'bool' && list && list.length > 0) {
      result = { ...result, boolFilterList: list.filter((name): name is string => typeof name === 'string') };
    } else if (type === 'textFilter') {
      result = { ...result, textFilter: typeof value === 'string' ? value : null };
    } else if (type === 'primary' && typeof value === 'string' && value !== '') {
      result = { ...result, primaryFilter: value };
    } else {
      where.push(item);
    }
  }
  return { ...result, where };
}
