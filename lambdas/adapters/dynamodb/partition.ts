import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  paginateQuery,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { eventLogPartition, logShardOf } from '../../domain/event.ts';

type Key = { pk: string; sk: string };
type WriteRequest = NonNullable<
  ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']
>[string][number];

const MAX_ATTEMPTS = 8;
const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));

/** Every item a query matches, page after page. */
export const queryAll = async (
  client: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateQuery({ client }, { ...input })) items.push(...(page.Items ?? []));
  return items;
};

/** Sort keys of a partition, newest (highest sort key) first unless `ascending`. */
export const queryKeys = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  pk: string,
  options: { skip?: number; ascending?: boolean } = {},
): Promise<Key[]> => {
  const keys = (await queryAll(client, {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': pk },
    ProjectionExpression: 'pk, sk',
    ScanIndexForward: options.ascending ?? false,
  })) as Key[];
  return keys.slice(options.skip ?? 0);
};

/**
 * Runs write requests in BatchWriteItem calls of 25 (in parallel), re-sending with backoff what DynamoDB
 * reports as unprocessed; throws if some stay unprocessed.
 */
export const writeAll = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: WriteRequest[],
): Promise<void> => {
  const chunks = Array.from({ length: Math.ceil(requests.length / 25) }, (_, i) =>
    requests.slice(i * 25, i * 25 + 25),
  );
  await Promise.all(
    chunks.map(async (chunk) => {
      let pending = chunk;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt >= MAX_ATTEMPTS)
          throw new Error(`DynamoDB left ${pending.length} writes to ${tableName} unprocessed`);
        if (attempt > 0) await backoff(attempt);
        const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
        pending = result.UnprocessedItems?.[tableName] ?? [];
      }
    }),
  );
};

/**
 * The items of `keys` that exist, read 100 to a BatchGetItem (the requests in parallel), unprocessed keys
 * asked for again with backoff. `projection` names attributes (`#status` style names go in `names`).
 */
export const getAll = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Record<string, unknown>[],
  options: { consistent?: boolean; projection?: string; names?: Record<string, string> } = {},
): Promise<Record<string, unknown>[]> => {
  const chunks = Array.from({ length: Math.ceil(keys.length / 100) }, (_, i) =>
    keys.slice(i * 100, i * 100 + 100),
  );
  const pages = await Promise.all(
    chunks.map(async (chunk) => {
      const items: Record<string, unknown>[] = [];
      let pending: Record<string, unknown>[] = [...chunk];
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt >= MAX_ATTEMPTS)
          throw new Error(`DynamoDB left ${pending.length} reads of ${tableName} unprocessed`);
        if (attempt > 0) await backoff(attempt);
        const result = await client.send(
          new BatchGetCommand({
            RequestItems: {
              [tableName]: {
                Keys: pending,
                ...(options.consistent && { ConsistentRead: true }),
                ...(options.projection && { ProjectionExpression: options.projection }),
                ...(options.names && { ExpressionAttributeNames: options.names }),
              },
            },
          }),
        );
        items.push(...(result.Responses?.[tableName] ?? []));
        pending = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
      }
      return items;
    }),
  );
  return pages.flat();
};

/** Puts items, 25 to a request. */
export const putAll = (client: DynamoDBDocumentClient, tableName: string, items: Record<string, unknown>[]) =>
  writeAll(
    client,
    tableName,
    items.map((Item) => ({ PutRequest: { Item } })),
  );

/** Deletes keys, 25 to a request. */
export const deleteKeys = (client: DynamoDBDocumentClient, tableName: string, keys: Key[]) =>
  writeAll(
    client,
    tableName,
    keys.map((key) => ({ DeleteRequest: { Key: { pk: key.pk, sk: key.sk } } })),
  );

/** The key of an event log chunk: the events of one instant (or part of them), see DynamoEventLog. */
export const eventLogChunkKey = (tenant: string, receivedAt: string, chunk: string): Key => ({
  pk: eventLogPartition(tenant, logShardOf(receivedAt)),
  sk: `${receivedAt}#${chunk}`,
});

/** `{instant}#{rest}` → `{instant}`: the instant a sort key belongs to. */
export const instantOf = (sk: string): string => {
  const hash = sk.indexOf('#');
  return hash === -1 ? sk : sk.slice(0, hash);
};

export interface InstantRange {
  tableName: string;
  pk: string;
  /** Inclusive bounds of the instants read (RFC 3339 strings). */
  from: string;
  to: string;
  /** A virtual sort key (`{instant}#{id}`) or frontier the previous read of this partition ended at. */
  afterSk?: string;
  descending?: boolean;
  consistent?: boolean;
  /** Items per Query page. */
  limit: number;
}

/**
 * Reads a partition whose items are keyed `{instant}#{item id}`, several items to an instant (the events,
 * or the delivery outcomes, written together), and returns only instants it has read whole: those of an
 * instant may continue on the next page, and what they hold must be merged before it is sorted. `open` is
 * the instant cut off by the page, where the next read starts (undefined when the range is done). Reads
 * from the cursor's instant on, since entries of that instant sort by their own ids, not by item.
 */
export const readWholeInstants = async (
  client: DynamoDBDocumentClient,
  range: InstantRange,
): Promise<{ items: Record<string, unknown>[]; open?: string }> => {
  const { afterSk, descending } = range;
  const lower = afterSk !== undefined && !descending ? instantOf(afterSk) : range.from;
  const upper = afterSk !== undefined && descending ? `${instantOf(afterSk)}#\uffff` : `${range.to}\uffff`;
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  let open: string | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: range.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': range.pk, ':from': lower, ':to': upper },
        ...(startKey && { ExclusiveStartKey: startKey }),
        ...(range.consistent && { ConsistentRead: true }),
        ScanIndexForward: !descending,
        Limit: range.limit,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
    open = startKey ? instantOf(startKey.sk as string) : undefined;
  } while (open !== undefined && items.every((item) => instantOf(item.sk as string) === open));
  return {
    items: items.filter((item) => instantOf(item.sk as string) !== open),
    ...(open !== undefined && { open }),
  };
};

/** The `lastEvaluatedSk` of a page cut at instant `open`: everything before it (in the read's direction) is read. */
export const frontierOf = (open: string, descending?: boolean): string =>
  descending ? `${open}#\uffff` : open;

/** The TTL (`expires_at`, epoch seconds) of an item kept `retentionDays` from the instant `from`. */
export const expiresAtOf = (from: string, retentionDays: number): number =>
  Math.floor(Date.parse(from) / 1000) + retentionDays * 86_400;

/** Whether an item's TTL has passed: DynamoDB deletes expired items up to days late, so reads skip them. */
export const isExpired = (item: Record<string, unknown>, now: Date): boolean =>
  typeof item.expires_at === 'number' && item.expires_at <= Math.floor(now.getTime() / 1000);
