import { describe, expect, it } from 'vitest';
import { readMerged, type ShardCursor, type ShardReader } from '../../lambdas/domain/sharded-merge.ts';

/** An in-memory stand-in for DynamoDB queries: `Limit` counts evaluated items, the filter runs after. */
const fakeShards = (data: string[][], keep: (sk: string) => boolean = () => true, descending = false) => {
  const reader: ShardReader<string> = async (shard, afterSk, limit) => {
    const sorted = [...(data[shard] ?? [])].sort();
    if (descending) sorted.reverse();
    const start =
      afterSk === undefined ? 0 : sorted.findIndex((sk) => (descending ? sk < afterSk : sk > afterSk));
    const evaluated = start < 0 ? [] : sorted.slice(start, start + limit);
    const more = start >= 0 && start + limit < sorted.length;
    return {
      items: evaluated.filter(keep).map((sk) => ({ sk, item: sk })),
      ...(more ? { lastEvaluatedSk: evaluated.at(-1) } : {}),
    };
  };
  return reader;
};

const readAll = async (reader: ShardReader<string>, shards: number, limit: number, descending = false) => {
  const pages: string[][] = [];
  let cursor: ShardCursor | undefined;
  do {
    const page = await readMerged(shards, reader, cursor, limit, descending);
    pages.push(page.items);
    cursor = page.cursor;
    // A round-tripped token must work like the original.
    cursor = cursor && JSON.parse(JSON.stringify(cursor));
  } while (cursor && pages.length < 1000);
  return pages;
};

const data = [
  ['a01', 'a05', 'a09', 'a13', 'a17'],
  ['a02', 'a06', 'a10'],
  [],
  ['a03', 'a04', 'a07', 'a08', 'a11', 'a12', 'a14', 'a15', 'a16', 'a18', 'a19', 'a20'],
];
const all = data.flat().sort();

describe('merged sharded reads', () => {
  it.each([1, 2, 3, 7, 50])('returns every item once, in order, with pages of %i', async (limit) => {
    const pages = await readAll(fakeShards(data), 4, limit);
    expect(pages.flat()).toEqual(all);
    expect(pages.every((page) => page.length <= limit)).toBe(true);
    expect(pages.slice(0, -1).every((page) => page.length === limit)).toBe(true);
  });

  it('reads newest first', async () => {
    const pages = await readAll(fakeShards(data, undefined, true), 4, 4, true);
    expect(pages.flat()).toEqual([...all].reverse());
  });

  it('keeps the order when a filter makes shards come back short', async () => {
    const even = (sk: string) => Number(sk.slice(1)) % 2 === 0;
    const pages = await readAll(fakeShards(data, even), 4, 3);
    expect(pages.flat()).toEqual(all.filter(even));
  });

  it('ends at once on an empty range', async () => {
    expect(await readMerged(3, fakeShards([[], [], []]), undefined, 10)).toEqual({ items: [] });
  });
});
