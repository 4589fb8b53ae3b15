import type { RateState } from '../rate-limit.ts';

/** The shared limiter state of rate-limited webhook integrations (see rate-limit.ts). */
export interface RateLimiterStore {
  get(integrationId: string): Promise<RateState | undefined>;
  /**
   * Applies `change` to the stored state atomically: if another process wrote in between, `change` runs
   * again on what it wrote. What `change` returns with the state it wrote is the answer.
   */
  update<T>(
    integrationId: string,
    change: (current: RateState | undefined) => { state: RateState; result: T },
  ): Promise<T>;
}
