import { execFileSync } from 'node:child_process';
import querystring from 'node:querystring';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  phpNumber,
  phpQuerySerializer,
  phpUrlencode,
  searchParamsQuerySerializer,
} from '../../src/client/query-serializer.js';
import { CAPTURE_SCALARS, CAPTURE_SEARCH, capturedQuery } from '../support/wire-captures.js';

describe('phpQuerySerializer (PHP client capture)', () => {
  it('list + where equals the PHP capture byte for byte', () => {
    expect(phpQuerySerializer(CAPTURE_SEARCH)).toBe(capturedQuery('phpListWhere'));
  });

  it('select given as an array becomes the same comma list (`id%2Cname%2Ctype`)', () => {
    const query = { ...CAPTURE_SEARCH, select: ['id', 'name', 'type'] };
    expect(phpQuerySerializer(query)).toBe(capturedQuery('phpListWhere'));
    expect(phpQuerySerializer({ attributeSelect: ['id', 'name'] })).toBe('attributeSelect=id%2Cname');
  });

  it('scalars: true → 1, false → 0, null dropped, empty string kept, lists indexed', () => {
    expect(phpQuerySerializer(CAPTURE_SCALARS)).toBe(capturedQuery('phpScalars'));
  });

  it('a single parameter and no parameters', () => {
    expect(phpQuerySerializer({ maxSize: 1 })).toBe(capturedQuery('phpBasic'));
    expect(phpQuerySerializer({})).toBe(capturedQuery('phpNoParams'));
  });

  it('drops undefined, empty lists and empty select; keeps array holes out', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(phpQuerySerializer({ a: undefined, b: [], select: [], c: ['x', , 'z'], d: {} })).toBe('c%5B0%5D=x&c%5B2%5D=z');
  });

  it('sends skipOwn as the literal true/false the stream compares with', () => {
    expect(phpQuerySerializer({ skipOwn: true })).toBe('skipOwn=true');
    expect(phpQuerySerializer({ skipOwn: false, other: true })).toBe('skipOwn=false&other=1');
    expect(phpQuerySerializer({ skipOwn: '1' })).toBe('skipOwn=1');
  });

  it('encodes keys inside brackets like PHP', () => {
    expect(phpQuerySerializer({ 'a b': { 'c&d': 'e' } })).toBe('a+b%5Bc%26d%5D=e');
  });
});

describe('phpUrlencode', () => {
  it('encodes everything but A-Za-z0-9-_. and turns spaces into +', () => {
    expect(phpUrlencode("Acme & Co ~!*'()")).toBe('Acme+%26+Co+%7E%21%2A%27%28%29');
    expect(phpUrlencode('a-b_c.d')).toBe('a-b_c.d');
    expect(phpUrlencode('ü€')).toBe('%C3%BC%E2%82%AC');
  });
});

describe('phpNumber', () => {
  // Outputs of PHP 8.2 (`php -r 'echo …;'`, default precision 14).
  it.each([
    [0, '0'],
    [5, '5'],
    [-12, '-12'],
    [1e15, '1000000000000000'],
    [2 ** 60, '1152921504606847000'],
    [1e19, '1.0E+19'],
    [1.5, '1.5'],
    [0.1 + 0.2, '0.3'],
    [0.0001, '0.0001'],
    [0.00001, '1.0E-5'],
    [-1.5e-7, '-1.5E-7'],
    [123456789.123456789, '123456789.12346'],
    [1e21, '1.0E+21'],
    [123456789012345.6, '1.2345678901235E+14'],
    [Number.NaN, 'NAN'],
    [Number.POSITIVE_INFINITY, 'INF'],
    [Number.NEGATIVE_INFINITY, '-INF'],
  ])('%d → %s', (value, php) => {
    expect(phpNumber(value)).toBe(php);
  });
});

describe('searchParamsQuerySerializer (JS client capture)', () => {
  it('list + where equals the JS capture byte for byte', () => {
    expect(searchParamsQuerySerializer(CAPTURE_SEARCH)).toBe(capturedQuery('jsListWhere'));
  });

  it('scalars keep their JSON types, null included', () => {
    expect(searchParamsQuerySerializer(CAPTURE_SCALARS)).toBe(capturedQuery('jsScalars'));
  });

  it('sends nothing for no parameters', () => {
    expect(searchParamsQuerySerializer({})).toBe(capturedQuery('jsNoParams'));
    expect(searchParamsQuerySerializer({ maxSize: undefined })).toBe('');
  });

  it('renames the bracket-form aliases to the keys EspoCRM reads from JSON', () => {
    const query = searchParamsQuerySerializer({ attributeSelect: ['id'], whereGroup: [{ type: 'isNull', attribute: 'website' }] });
    expect(JSON.parse(querystring.parse(query)['searchParams'] as string)).toEqual({
      select: ['id'],
      where: [{ type: 'isNull', attribute: 'website' }],
    });
  });

  it('keeps parameters EspoCRM reads outside searchParams in the bracket form', () => {
    expect(searchParamsQuerySerializer({ maxSize: 5, after: '2026-01-01 00:00:00', skipOwn: true, filter: 'posts' })).toBe(
      'searchParams=%7B%22maxSize%22%3A5%7D&after=2026-01-01+00%3A00%3A00&skipOwn=true&filter=posts',
    );
  });

  it('sends a caller-made searchParams string as it is', () => {
    expect(searchParamsQuerySerializer({ searchParams: '{"maxSize":1}', maxSize: 9 })).toBe('searchParams=%7B%22maxSize%22%3A1%7D');
  });
});

// JSON values as a decoded query could hold them; lone surrogates excluded (neither client can send them).
const text = fc.string({ unit: 'grapheme', maxLength: 12 });
const key = fc.oneof(
  text.filter((k) => k !== '' && k !== '__proto__'),
  fc.constantFrom('where', 'value', 'a b', '0', '-1', '1.5', '[x]', 'toString', 'constructor'),
);
const leaf = fc.oneof(
  text,
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.double({ min: -1e25, max: 1e25, noNaN: true }),
  fc.boolean(),
  fc.constant(null),
);
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('tree'), { maxLength: 4 }), fc.dictionary(key, tie('tree'), { maxKeys: 4 })),
}));
const queries = fc.dictionary(key, tree, { maxKeys: 6 });

// Keys the serializer deliberately keeps outside the JSON or renames.
const NOT_PLAIN_JSON_KEYS = new Set(['searchParams', 'after', 'filter', 'skipOwn', 'beforeNumber', 'attributeSelect', 'whereGroup']);

describe('property: the JSON form', () => {
  it('equals Node querystring over JSON.stringify, which the JS client uses', () => {
    fc.assert(
      fc.property(queries, (query) => {
        const searchOnly = Object.fromEntries(Object.entries(query).filter(([k]) => !NOT_PLAIN_JSON_KEYS.has(k)));
        const json = JSON.stringify(searchOnly);
        const expected = Object.keys(searchOnly).length ? querystring.stringify({ searchParams: json }) : '';
        expect(searchParamsQuerySerializer(searchOnly)).toBe(expected);
      }),
    );
  });
});

function hasPhp(): boolean {
  try {
    execFileSync('php', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('property: the bracket form', () => {
  // Differential test against PHP itself (Debian php-cli); skipped where PHP is not installed.
  it.skipIf(!hasPhp())('equals PHP http_build_query of the same JSON-decoded data', () => {
    const samples = fc.sample(queries, { numRuns: 300, seed: 20261127 });
    const script = '$all = json_decode(stream_get_contents(STDIN), true); foreach ($all as $q) { echo http_build_query($q), "\\n"; }';
    // JSON objects, so that PHP decodes arrays-as-objects the same way (keys kept as sent).
    const php = execFileSync('php', ['-r', script], { input: JSON.stringify(samples), encoding: 'utf8' }).split('\n');
    samples.forEach((query, i) => {
      expect(phpQuerySerializer(query), JSON.stringify(query)).toBe(php[i]);
    });
  });
});

describe('phpNumber and flags at their edges', () => {
  it('2^63 is past PHP_INT_MAX: PHP prints it as a float', () => {
    expect(phpNumber(2 ** 63)).toBe('9.2233720368548E+18');
    expect(phpNumber(-(2 ** 63))).toBe('-9.2233720368548E+18');
    expect(phpNumber(2 ** 62)).toBe(String(2 ** 62));
  });

  it('skipOwn sends booleans as true/false, and other values as they are', () => {
    expect(phpQuerySerializer({ skipOwn: true })).toBe('skipOwn=true');
    expect(phpQuerySerializer({ skipOwn: 1 })).toBe('skipOwn=1');
    expect(phpQuerySerializer({ other: true })).toBe('other=1');
  });

  it('bigint values are printed in full; null, undefined and functions are skipped', () => {
    expect(phpQuerySerializer({ big: 12345678901234567890n })).toBe('big=12345678901234567890');
    expect(phpQuerySerializer({ a: null, b: undefined, c: () => 1, d: 'x' })).toBe('d=x');
  });
});
