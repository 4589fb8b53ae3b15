/**
 * Reading a sharded range in order. The event log and the delivery history spread one stream over
 * several partition keys; a page in time order is a k-way merge of per-shard queries. DynamoDB's
 * `Limit` counts items evaluated before a filter, so a shard may come back short yet unfinished: only
 * items up to the least advanced shard's frontier are safe to emit, the rest wait for the next round.
 */

export interface ShardItem<T> {
  sk: string;
  item: T;
}

export interface ShardPage<T> {
  /** Matching items after `afterSk`, in the read direction. */
  items: ShardItem<T>[];
  /** The last sort key evaluated; undefined when the shard has nothing more in the range. */
  lastEvaluatedSk?: string;
}

export type ShardReader<T> = (
  shard: number,
  afterSk: string | undefined,
  limit: number,
) => Promise<ShardPage<T>>;

/** Per shard: the last sort key consumed, or `null` once the shard is exhausted. */
export type ShardCursor = Record<string, string | null>;

interface ShardState<T> {
  after: string | undefined;
  exhausted: boolean;
  buffer: ShardItem<T>[];
  frontier: string | undefined;
  fetched: boolean;
}

const MAX_ROUNDS = 20;

/**
 * The next `limit` items of the merged range after `cursor`, and the cursor to continue from (undefined
 * when the range is done). Ascending by sort key unless `descending`. With a cursor comes `position`: one
 * key before which (in the read's direction) every shard has consumed everything, so a reader whose keys
 * are unique across shards can continue every shard from it, a cursor whose size does not grow with the
 * number of shards.
 */
export const readMerged = async <T>(
  shards: number,
  read: ShardReader<T>,
  cursor: ShardCursor | undefined,
  limit: number,
  descending = false,
): Promise<{ items: T[]; cursor?: ShardCursor; position?: string }> => {
  const before = (a: string, b: string) => (descending ? a > b : a < b);
  const state: ShardState<T>[] = Array.from({ length: shards }, (_, shard) => {
    const position = cursor?.[shard];
    return {
      after: position ?? undefined,
      exhausted: position === null,
      buffer: [],
      frontier: undefined,
      fetched: false,
    };
  });
  const taken: T[] = [];
  for (let round = 0; round < MAX_ROUNDS && taken.length < limit; round++) {
    await Promise.all(
      state.map(async (shard, index) => {
        if (shard.exhausted || shard.buffer.length > 0) return;
        const page = await read(index, shard.after, limit);
        shard.fetched = true;
        shard.buffer = page.items;
        shard.frontier = page.lastEvaluatedSk;
        if (page.lastEvaluatedSk === undefined) shard.exhausted = true;
      }),
    );
    // Shards not exhausted bound what may be emitted: their unread items lie beyond their frontier.
    let bound: string | undefined;
    for (const shard of state) {
      if (shard.exhausted || shard.frontier === undefined) continue;
      if (bound === undefined || before(shard.frontier, bound)) bound = shard.frontier;
    }
    const candidates = state
      .flatMap((shard, index) => shard.buffer.map((entry) => ({ ...entry, index })))
      .filter((entry) => bound === undefined || !before(bound, entry.sk))
      .sort((a, b) => (a.sk === b.sk ? 0 : before(a.sk, b.sk) ? -1 : 1))
      .slice(0, limit - taken.length);
    for (const entry of candidates) {
      const shard = state[entry.index] as ShardState<T>;
      shard.buffer.shift();
      shard.after = entry.sk;
      taken.push(entry.item);
    }
    for (const shard of state) {
      // Everything up to the frontier was either emitted or filtered out by the query.
      if (shard.buffer.length === 0 && !shard.exhausted && shard.frontier !== undefined)
        shard.after = shard.frontier;
    }
    if (state.every((shard) => shard.exhausted && shard.buffer.length === 0)) {
      return { items: taken };
    }
  }
  const next: ShardCursor = {};
  let position: string | undefined;
  state.forEach((shard, index) => {
    if (shard.exhausted && shard.buffer.length === 0) {
      next[index] = null;
      return;
    }
    if (shard.after !== undefined) next[index] = shard.after;
    // Everything of this shard before this key (in the read's direction) is consumed.
    const head = shard.buffer[0]?.sk;
    const consumed = head !== undefined ? (descending ? `${head}\u0000` : head.slice(0, -1)) : shard.after;
    if (consumed !== undefined && (position === undefined || before(consumed, position))) position = consumed;
  });
  return { items: taken, cursor: next, ...(position !== undefined && { position }) };
};

/**
 * Where one shard's read of `range` starts, from the cursor a page handed out: `'done'` when nothing is left
 * (an inverted range, or a cursor at or past the range's far end). A cursor from a page read while the range
 * was different (an open range moves with the window) may lie before its near end: it is dropped, and the
 * read starts at the range's edge (DynamoDB refuses a start key outside the key condition).
 */
export const shardReadStart = (
  range: { from: string; to: string; descending?: boolean },
  afterSk: string | undefined,
): { afterSk: string | undefined } | 'done' => {
  if (range.from > range.to) return 'done';
  if (afterSk === undefined) return { afterSk };
  const upper = `${range.to}\uffff`;
  if (range.descending ? afterSk > upper : afterSk < range.from) return { afterSk: undefined };
  if (range.descending ? afterSk <= range.from : afterSk >= upper) return 'done';
  return { afterSk };
};
