import type { RateLimiterStore } from '../../../lambdas/domain/ports/rate-limits.ts';
import type { RateState } from '../../../lambdas/domain/rate-limit.ts';

/** The limiter state in memory: every update is atomic, as the DynamoDB compare-and-set makes it. */
export class MemoryRateLimiterStore implements RateLimiterStore {
  readonly states = new Map<string, RateState>();
  /** How many writes were made: what a rate-limited integration pays. */
  writes = 0;

  async get(integrationId: string): Promise<RateState | undefined> {
    return this.states.get(integrationId);
  }

  async update<T>(
    integrationId: string,
    change: (current: RateState | undefined) => { state: RateState; result: T },
  ): Promise<T> {
    const { state, result } = change(this.states.get(integrationId));
    this.states.set(integrationId, structuredClone(state));
    this.writes += 1;
    return result;
  }
}
