import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { RateLimiterStore } from '../../domain/ports/rate-limits.ts';
import type { RateState } from '../../domain/rate-limit.ts';
import { rateStateFromItem } from './stored-items.ts';

const keyOf = (integrationId: string) => ({ pk: `RATE#${integrationId}`, sk: 'STATE' });
/** Concurrent writers each win a round; this many rounds lose only under a storm of batches. */
const MAX_ROUNDS = 8;

type Versioned = RateState & { version: number };

/**
 * The limiter state of rate-limited integrations, one small item each in the state table, written with a
 * compare-and-set on its version. This container remembers what it last wrote, so the usual change costs
 * one conditional write and no read; only when another process wrote in between does it read (consistently)
 * and try again.
 */
export class DynamoRateLimiterStore implements RateLimiterStore {
  private readonly lastSeen = new Map<string, Versioned | null>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(integrationId: string): Promise<RateState | undefined> {
    return (await this.read(integrationId)) ?? undefined;
  }

  async update<T>(
    integrationId: string,
    change: (current: RateState | undefined) => { state: RateState; result: T },
  ): Promise<T> {
    let current = this.lastSeen.has(integrationId)
      ? this.lastSeen.get(integrationId)
      : await this.read(integrationId);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const { state, result } = change(current ?? undefined);
      const version = (current?.version ?? 0) + 1;
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...keyOf(integrationId), ...state, version },
            ConditionExpression: current ? 'version = :seen' : 'attribute_not_exists(pk)',
            ...(current && { ExpressionAttributeValues: { ':seen': current.version } }),
          }),
        );
        this.lastSeen.set(integrationId, { ...state, version });
        return result;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        current = await this.read(integrationId);
      }
    }
    throw new Error(`Rate limiter state of ${integrationId}: too many concurrent writers`);
  }

  private async read(integrationId: string): Promise<Versioned | null> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf(integrationId), ConsistentRead: true }),
    );
    const state = Item ? rateStateFromItem(Item) : null;
    this.lastSeen.set(integrationId, state);
    return state;
  }
}
