import qs from 'qs';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../src/server/core/errors.js';
import { defaultSearchParams, parseSearchParamsObject, parseSearchQuery } from '../../src/server/search/search-params.js';

/** As the HTTP layer parses query strings (qs with raised limits). */
const query = (text: string) => qs.parse(text, { depth: 20, arrayLimit: 200 }) as Record<string, unknown>;

function failure(run: () => unknown): { status: number; reason: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, reason: error.reason };
    throw error;
  }
  throw new Error('expected a failure');
}

describe('search params from query parameters', () => {
  it('defaults: maxSize 200, offset 0, no order, no filters', () => {
    expect(parseSearchQuery({})).toEqual(defaultSearchParams);
  });

  it('reads the PHP client capture', () => {
    const params = parseSearchQuery(
      query(
        'maxSize=5&offset=0&orderBy=createdAt&order=desc&select=id%2Cname%2Ctype&where%5B0%5D%5Btype%5D=equals&where%5B0%5D%5Battribute%5D=type&where%5B0%5D%5Bvalue%5D=Customer' +
          '&where%5B1%5D%5Btype%5D=or&where%5B1%5D%5Bvalue%5D%5B0%5D%5Btype%5D=contains&where%5B1%5D%5Bvalue%5D%5B0%5D%5Battribute%5D=name&where%5B1%5D%5Bvalue%5D%5B0%5D%5Bvalue%5D=Acme+%26+Co' +
          '&where%5B2%5D%5Btype%5D=equals&where%5B2%5D%5Battribute%5D=emailAddressIsOptedOut&where%5B2%5D%5Bvalue%5D=0',
      ),
    );
    expect(params).toMatchObject({ maxSize: 5, offset: 0, orderBy: 'createdAt', order: 'desc', select: ['id', 'name', 'type'], noTotal: false });
    expect(params.where).toEqual([
      { type: 'equals', attribute: 'type', value: 'Customer' },
      { type: 'or', value: [{ type: 'contains', attribute: 'name', value: 'Acme & Co' }] },
      { type: 'equals', attribute: 'emailAddressIsOptedOut', value: '0' },
    ]);
  });

  it('prefers whereGroup over where and attributeSelect over select', () => {
    const params = parseSearchQuery(query('where[0][type]=isNull&where[0][attribute]=name&whereGroup[0][type]=isNotNull&whereGroup[0][attribute]=website&select=name&attributeSelect=website,type'));
    expect(params.where).toEqual([{ type: 'isNotNull', attribute: 'website' }]);
    expect(params.select).toEqual(['website', 'type']);
  });

  it('accepts select as an array and ignores a non-array where', () => {
    expect(parseSearchQuery(query('select[]=name&select[]=type')).select).toEqual(['name', 'type']);
    expect(parseSearchQuery(query('where=abc')).where).toEqual([]);
  });

  it('reads maxSize and offset like PHP intval', () => {
    expect(parseSearchQuery(query('maxSize=abc')).maxSize).toBe(0);
    expect(parseSearchQuery(query('maxSize=7xyz&offset=3')).maxSize).toBe(7);
    expect(parseSearchQuery(query('maxSize=&offset=')).maxSize).toBe(200);
  });

  it('403 above the limit, 400 when negative', () => {
    expect(failure(() => parseSearchQuery(query('maxSize=201')))).toEqual({ status: 403, reason: 'Max size should not exceed 200. Use offset and limit.' });
    // The limit itself is allowed, in both wire forms (a `>=` in place of `>` would refuse it).
    expect(parseSearchQuery(query('maxSize=200')).maxSize).toBe(200);
    expect(parseSearchQuery(query(`searchParams=${encodeURIComponent('{"maxSize":200}')}`)).maxSize).toBe(200);
    expect(failure(() => parseSearchQuery(query(`searchParams=${encodeURIComponent('{"maxSize":201}')}`))).status).toBe(403);
    expect(failure(() => parseSearchQuery(query('maxSize=-1')))).toEqual({ status: 400, reason: 'maxSize should not be negative.' });
    expect(failure(() => parseSearchQuery(query('offset=-5')))).toEqual({ status: 400, reason: 'offset should not be negative.' });
    expect(failure(() => parseSearchQuery(query('maxSize[]=1')))).toEqual({ status: 400, reason: 'maxSize should be int.' });
  });

  it('orders case-insensitively; legacy sortBy and asc', () => {
    expect(parseSearchQuery(query('orderBy=name&order=DeSc'))).toMatchObject({ orderBy: 'name', order: 'desc' });
    expect(parseSearchQuery(query('sortBy=name&asc=true'))).toMatchObject({ orderBy: 'name', order: 'asc' });
    expect(parseSearchQuery(query('sortBy=name&asc=false'))).toMatchObject({ orderBy: 'name', order: 'desc' });
    expect(failure(() => parseSearchQuery(query('order=up')))).toEqual({ status: 400, reason: 'order value is bad.' });
    expect(failure(() => parseSearchQuery(query('orderBy[]=name')))).toEqual({ status: 400, reason: 'orderBy should be string.' });
  });

  it('q is the text filter fallback and forces no total; textFilter wins', () => {
    expect(parseSearchQuery(query('q=+acme+'))).toMatchObject({ textFilter: 'acme', noTotal: true });
    expect(parseSearchQuery(query('q=acme&textFilter=other'))).toMatchObject({ textFilter: 'other', noTotal: true });
    expect(parseSearchQuery(query('q=+'))).toMatchObject({ textFilter: null, noTotal: false });
  });

  it('boolFilterList as array, indexed array or scalar', () => {
    expect(parseSearchQuery(query('boolFilterList[]=onlyMy&boolFilterList[]=followed')).boolFilterList).toEqual(['onlyMy', 'followed']);
    expect(parseSearchQuery(query('boolFilterList[0]=onlyMy')).boolFilterList).toEqual(['onlyMy']);
    expect(parseSearchQuery(query('boolFilterList=onlyMy')).boolFilterList).toEqual(['onlyMy']);
    expect(parseSearchQuery(query('boolFilterList[a]=onlyMy')).boolFilterList).toEqual(['onlyMy']);
    expect(failure(() => parseSearchQuery(query('boolFilterList[a][b]=x')))).toEqual({ status: 400, reason: 'boolFilterList has non-string item.' });
  });

  it('turns legacy where items into filters', () => {
    const params = parseSearchQuery(
      query('where[0][type]=bool&where[0][value][]=onlyMy&where[1][type]=primary&where[1][value]=customers&where[2][type]=textFilter&where[2][value]=acme&where[3][type]=isNull&where[3][attribute]=website'),
    );
    expect(params).toMatchObject({ boolFilterList: ['onlyMy'], primaryFilter: 'customers', textFilter: 'acme', where: [{ type: 'isNull', attribute: 'website' }] });
  });

  it('keeps nesting of depth 10 and lists of 150 items', () => {
    let text = 'where[0]';
    for (let depth = 0; depth < 10; depth++) text += '[value][0]';
    const deep = parseSearchQuery(query(`${text.replace(/\[value\]\[0\]$/, '')}[type]=isNull&${text.replace(/\[value\]\[0\]$/, '')}[attribute]=name`));
    expect(JSON.stringify(deep.where)).toContain('"type":"isNull"');
    const many = Array.from({ length: 150 }, (_, index) => `where[0][value][${index}]=v${index}`).join('&');
    const list = parseSearchQuery(query(`where[0][type]=in&where[0][attribute]=name&${many}`));
    expect((list.where[0] as { value: unknown[] }).value).toHaveLength(150);
  });
});

describe('search params from the searchParams JSON', () => {
  const json = (value: unknown) => ({ searchParams: JSON.stringify(value) });

  it('reads every key with JSON types', () => {
    const params = parseSearchQuery(
      json({ select: ['name'], where: [{ type: 'isTrue', attribute: 'isLocked' }], maxSize: 10, offset: '20', orderBy: 'name', order: 'asc', primaryFilter: 'customers', boolFilterList: ['onlyMy'], textFilter: 'ac' }),
    );
    expect(params).toEqual({ select: ['name'], where: [{ type: 'isTrue', attribute: 'isLocked' }], maxSize: 10, offset: 20, orderBy: 'name', order: 'asc', primaryFilter: 'customers', boolFilterList: ['onlyMy'], textFilter: 'ac', noTotal: false });
  });

  it('q inside searchParams is a text filter but does not force no-total (checked live on 9.2.7)', () => {
    expect(parseSearchQuery(json({ q: 'acme' }))).toMatchObject({ textFilter: 'acme', noTotal: false });
    // The `q` query parameter itself still does, even next to searchParams (FindParamsFetcher).
    expect(parseSearchQuery({ ...json({ textFilter: 'x' }), q: 'acme' })).toMatchObject({ textFilter: 'x', noTotal: true });
  });

  it('a JSON array is an empty parameter set; scalars and bad JSON are 400', () => {
    expect(parseSearchQuery(json([1, 2]))).toEqual(defaultSearchParams);
    expect(failure(() => parseSearchQuery(json(5)))).toEqual({ status: 400, reason: 'Invalid search params JSON: should be an object.' });
    expect(failure(() => parseSearchQuery({ searchParams: '{bad' }))).toEqual({ status: 400, reason: 'Invalid search params JSON.' });
    expect(failure(() => parseSearchQuery({ searchParams: ['a'] }))).toEqual({ status: 400, reason: 'Invalid search params JSON.' });
  });

  it('accepts select as a comma string too (the JS client sends one; docs/deviations.md)', () => {
    expect(parseSearchParamsObject({ select: 'id,name' }).select).toEqual(['id', 'name']);
  });

  it('reports EspoCRM messages for bad shapes', () => {
    const cases: [unknown, string][] = [
      [{ maxSize: '10' }, 'maxSize must be integer.'],
      [{ maxSize: 1.5 }, 'maxSize must be integer.'],
      [{ select: 3 }, 'select should be array.'],
      [{ select: [1] }, 'select has non-string item.'],
      [{ where: 'x' }, 'where should be array.'],
      [{ where: { a: 1 } }, 'where should be array.'],
      [{ orderBy: 1 }, 'orderBy should be string.'],
      [{ order: true }, 'order should be string.'],
      [{ boolFilterList: 'onlyMy' }, 'boolFilterList should be array.'],
      [{ boolFilterList: [1] }, 'boolFilterList has non-string item.'],
      [{ primaryFilter: [] }, 'primaryFilter should be string.'],
      [{ textFilter: 1 }, 'textFilter should be string.'],
      [{ q: 1 }, 'q must be string.'],
      [{ offset: 'x' }, 'offset should be int.'],
      [{ offset: -1 }, 'offset should not be negative.'],
    ];
    for (const [raw, reason] of cases) {
      expect(failure(() => parseSearchParamsObject(raw)), JSON.stringify(raw)).toEqual({ status: 400, reason });
    }
    expect(failure(() => parseSearchParamsObject({ maxSize: 500 }))).toEqual({ status: 403, reason: 'Max size should not exceed 200. Use offset and limit.' });
  });
});

describe('search params edge cases (each pins a rule that a mutation could break unnoticed)', () => {
  const sp = (json: unknown) => query(`searchParams=${encodeURIComponent(JSON.stringify(json))}`);

  it('searchParams: an array is no parameters; a scalar, a non-integer maxSize or a non-string q is 400', () => {
    expect(parseSearchQuery(sp([{ maxSize: 1 }]))).toEqual(defaultSearchParams);
    expect(failure(() => parseSearchQuery(sp(5))).status).toBe(400);
    expect(failure(() => parseSearchQuery(sp(null))).status).toBe(400);
    expect(failure(() => parseSearchQuery(sp({ maxSize: 1.5 }))).reason).toBe('maxSize must be integer.');
    expect(parseSearchQuery(sp({ maxSize: null })).maxSize).toBe(200);
    expect(failure(() => parseSearchQuery(sp({ q: 5 }))).reason).toBe('q must be string.');
    expect(parseSearchQuery(sp({ q: null })).textFilter).toBeNull();
    expect(failure(() => parseSearchQuery(query('searchParams[a]=1'))).reason).toBe('Invalid search params JSON.');
  });

  it('where: a string is ignored, an object with numeric keys is a list in key order, other objects are 400', () => {
    expect(parseSearchQuery(query('where=abc')).where).toEqual([]);
    expect(parseSearchQuery(sp({ where: { 1: { type: 'isNull', attribute: 'b' }, 0: { type: 'isNull', attribute: 'a' } } })).where).toEqual([
      { type: 'isNull', attribute: 'a' },
      { type: 'isNull', attribute: 'b' },
    ]);
    expect(failure(() => parseSearchQuery(sp({ where: { x: { type: 'isNull', attribute: 'a' } } }))).reason).toBe('where should be array.');
    expect(failure(() => parseSearchQuery(sp({ where: { '01': { type: 'isNull', attribute: 'a' } } }))).reason).toBe('where should be array.');
  });

  it('select: a comma string, an array, or absent; empty means none; non-strings are 400', () => {
    expect(parseSearchQuery(query('select=id,name')).select).toEqual(['id', 'name']);
    expect(parseSearchQuery(query('select=')).select).toBeNull();
    expect(parseSearchQuery(query('select[]=id&select[]=name')).select).toEqual(['id', 'name']);
    expect(parseSearchQuery(query('attributeSelect=id&select=name')).select).toEqual(['id']);
    expect(parseSearchQuery(sp({ select: null })).select).toBeNull();
    expect(failure(() => parseSearchQuery(sp({ select: 5 }))).reason).toBe('select should be array.');
    expect(failure(() => parseSearchQuery(sp({ select: ['id', 5] }))).reason).toBe('select has non-string item.');
  });

  it('offset and numeric strings: negative is 400, numeric strings count, other strings are 400', () => {
    expect(failure(() => parseSearchQuery(sp({ offset: -1 }))).reason).toBe('offset should not be negative.');
    expect(parseSearchQuery(sp({ offset: 0 })).offset).toBe(0);
    // Inside searchParams, offset may be a numeric string "for bc" (SearchParams::fromRaw); maxSize may not.
    expect(parseSearchQuery(sp({ offset: ' 7 ' })).offset).toBe(7);
    expect(parseSearchQuery(sp({ offset: '+3' })).offset).toBe(3);
    expect(failure(() => parseSearchQuery(sp({ offset: 'x7' }))).reason).toBe('offset should be int.');
    expect(failure(() => parseSearchQuery(sp({ offset: '7x' }))).reason).toBe('offset should be int.');
    expect(failure(() => parseSearchQuery(sp({ offset: '+ 7' }))).reason).toBe('offset should be int.');
    expect(failure(() => parseSearchQuery(sp({ offset: 1.5 }))).reason).toBe('offset should be int.');
    expect(parseSearchQuery(query('maxSize=%20%2B5')).maxSize).toBe(5);
  });

  it('order and filters: an empty order is none; boolFilterList as a map, a scalar, or with non-strings', () => {
    expect(parseSearchQuery(sp({ order: '' })).order).toBeNull();
    expect(parseSearchQuery(query('boolFilterList[a]=followed')).boolFilterList).toEqual(['followed']);
    expect(parseSearchQuery(query('boolFilterList=followed')).boolFilterList).toEqual(['followed']);
    expect(parseSearchQuery(query('boolFilterList=')).boolFilterList).toEqual([]);
    expect(failure(() => parseSearchQuery(sp({ boolFilterList: ['followed', 5] }))).reason).toBe('boolFilterList has non-string item.');
    expect(parseSearchQuery(sp({ boolFilterList: null })).boolFilterList).toEqual([]);
  });

  it('legacy where items set the filters: bool (non-empty), textFilter, primary (non-empty)', () => {
    const parsed = parseSearchQuery(sp({ where: [
      { type: 'bool', value: ['followed', 5] },
      { type: 'textFilter', value: 'acme' },
      { type: 'primary', value: 'customers' },
      { type: 'isNull', attribute: 'website' },
    ] }));
    expect(parsed).toMatchObject({ boolFilterList: ['followed'], textFilter: 'acme', primaryFilter: 'customers', where: [{ type: 'isNull', attribute: 'website' }] });
    const kept = parseSearchQuery(sp({ boolFilterList: ['mine'], primaryFilter: 'p', where: [{ type: 'bool', value: [] }, { type: 'primary', value: '' }, { type: 'textFilter', value: 5 }] }));
    expect(kept).toMatchObject({ boolFilterList: ['mine'], primaryFilter: 'p', textFilter: null });
    expect(kept.where).toEqual([{ type: 'bool', value: [] }, { type: 'primary', value: '' }]);
  });
});
