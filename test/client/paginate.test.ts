import { describe, expect, it } from 'vitest';
import { paginate, type FetchPage, type PageWindow } from '../../src/client/paginate.js';

/** A list of `size` numbers served like EspoCRM: `total` counted, or -1/-2 when counting is skipped. */
function serve(size: number, counting: 'count' | 'noTotal' = 'count') {
  const records = Array.from({ length: size }, (_, i) => i);
  const calls: PageWindow[] = [];
  const fetchPage: FetchPage<number> = async (window) => {
    calls.push(window);
    const list = records.slice(window.offset, window.offset + window.maxSize);
    const more = window.offset + list.length < size;
    return { total: counting === 'count' ? size : more ? -1 : -2, list };
  };
  return { fetchPage, calls };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('paginate', () => {
  it('pages through in steps of 200 and stops on the short page', async () => {
    const { fetchPage, calls } = serve(450);
    expect(await collect(paginate(fetchPage))).toEqual(Array.from({ length: 450 }, (_, i) => i));
    expect(calls).toEqual([
      { offset: 0, maxSize: 200 },
      { offset: 200, maxSize: 200 },
      { offset: 400, maxSize: 200 },
    ]);
  });

  it('stops at total without fetching an empty page', async () => {
    const { fetchPage, calls } = serve(400);
    expect(await collect(paginate(fetchPage))).toHaveLength(400);
    expect(calls).toHaveLength(2);
  });

  it('goes on while total is -1 and stops at -2 (X-No-Total)', async () => {
    const { fetchPage, calls } = serve(400, 'noTotal');
    expect(await collect(paginate(fetchPage, { pageSize: 100 }))).toHaveLength(400);
    expect(calls.map((c) => c.offset)).toEqual([0, 100, 200, 300]);
  });

  it('handles an empty list with one request', async () => {
    const { fetchPage, calls } = serve(0);
    expect(await collect(paginate(fetchPage))).toEqual([]);
    expect(calls).toEqual([{ offset: 0, maxSize: 200 }]);
  });

  it('honours offset, pageSize and limit, asking only for what is still needed', async () => {
    const { fetchPage, calls } = serve(1000);
    const items = await collect(paginate(fetchPage, { offset: 10, pageSize: 50, limit: 120 }));
    expect(items).toEqual(Array.from({ length: 120 }, (_, i) => i + 10));
    expect(calls).toEqual([
      { offset: 10, maxSize: 50 },
      { offset: 60, maxSize: 50 },
      { offset: 110, maxSize: 20 },
    ]);
  });

  it('limit 0 sends no request', async () => {
    const { fetchPage, calls } = serve(10);
    expect(await collect(paginate(fetchPage, { limit: 0 }))).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('stops fetching when the loop breaks early', async () => {
    const { fetchPage, calls } = serve(1000);
    for await (const item of paginate(fetchPage, { pageSize: 10 })) {
      if (item === 15) break;
    }
    expect(calls).toHaveLength(2);
  });

  it('does not exceed the limit when a server returns more than asked for', async () => {
    const greedy: FetchPage<number> = async () => ({ total: 1000, list: Array.from({ length: 300 }, (_, i) => i) });
    expect(await collect(paginate(greedy, { limit: 5 }))).toEqual([0, 1, 2, 3, 4]);
  });

  it.each([
    [{ pageSize: 0 }, /pageSize/],
    [{ pageSize: 201 }, /pageSize must be an integer from 1 to 200/],
    [{ pageSize: 1.5 }, /pageSize/],
    [{ offset: -1 }, /offset/],
    [{ limit: -1 }, /limit/],
  ])('rejects %j before any request', async (options, message) => {
    const { fetchPage, calls } = serve(10);
    await expect(collect(paginate(fetchPage, options))).rejects.toThrow(message);
    expect(calls).toEqual([]);
  });

  it('passes errors of a page through to the loop', async () => {
    const failing: FetchPage<number> = async ({ offset }) => {
      if (offset > 0) throw new Error('403 Max size');
      return { total: 500, list: Array.from({ length: 200 }, (_, i) => i) };
    };
    await expect(collect(paginate(failing))).rejects.toThrow('403 Max size');
  });
});

describe('paginate stops as soon as the server says there is no more', () => {
  const counting = (pages: { total: number; list: number[] }[]) => {
    const calls: PageWindow[] = [];
    const fetchPage: FetchPage<number> = async (window) => {
      calls.push(window);
      return pages[calls.length - 1] ?? { total: 0, list: [] };
    };
    return { calls, fetchPage };
  };

  it('after a full page that reaches total, without asking for another', async () => {
    const { calls, fetchPage } = counting([{ total: 4, list: [1, 2] }, { total: 4, list: [3, 4] }]);
    const items: number[] = [];
    for await (const item of paginate(fetchPage, { pageSize: 2 })) items.push(item);
    expect(items).toEqual([1, 2, 3, 4]);
    expect(calls).toHaveLength(2);
  });

  it('after a full page with total -2 (no more)', async () => {
    const { calls, fetchPage } = counting([{ total: -2, list: [1, 2] }]);
    const items: number[] = [];
    for await (const item of paginate(fetchPage, { pageSize: 2 })) items.push(item);
    expect(items).toEqual([1, 2]);
    expect(calls).toHaveLength(1);
  });
});
