import { type EntityQueueState, MAX_PENDING_KEYS } from '../../../lambdas/domain/entity-order.ts';
import {
  EntityQueueFull,
  type EntityQueueRef,
  type EntityQueues,
} from '../../../lambdas/domain/ports/ordering.ts';

const refKey = ({ integrationId, generation, entityId }: EntityQueueRef) =>
  `${integrationId}#${generation}#${entityId}`;

/** Entity queues in memory, each change atomic as DynamoDB's set updates are. */
export class MemoryEntityQueues implements EntityQueues {
  readonly queues = new Map<
    string,
    {
      pending: Set<string>;
      dropped: Set<string>;
      lastPosition: number;
      /** By key: one claim per key, as the DynamoDB item holds one attribute per claimed key. */
      claims?: Map<string, { holder: string; until: number }>;
    }
  >();
  writes = 0;
  reads = 0;

  async add(queue: EntityQueueRef, key: string): Promise<void> {
    const state = this.queues.get(refKey(queue)) ?? {
      pending: new Set<string>(),
      dropped: new Set<string>(),
      lastPosition: 0,
    };
    if (state.pending.size >= MAX_PENDING_KEYS) throw new EntityQueueFull(`${refKey(queue)} is full`);
    state.pending.add(key);
    this.queues.set(refKey(queue), state);
    this.writes += 1;
  }

  async get(queue: EntityQueueRef): Promise<EntityQueueState> {
    this.reads += 1;
    const state = this.queues.get(refKey(queue));
    return {
      pending: [...(state?.pending ?? [])].sort(),
      lastPosition: state?.lastPosition ?? 0,
      dropped: [...(state?.dropped ?? [])],
    };
  }

  async finish(queue: EntityQueueRef, key: string, position?: number): Promise<boolean> {
    this.writes += 1;
    const state = this.queues.get(refKey(queue));
    if (!state?.pending.has(key) && !state?.dropped.has(key)) return false;
    state.pending.delete(key);
    state.dropped.delete(key);
    state.claims?.delete(key);
    if (position !== undefined) state.lastPosition = position;
    return true;
  }

  async claim(
    queue: EntityQueueRef,
    key: string,
    holder: string,
    untilMs: number,
    nowMs: number,
  ): Promise<boolean> {
    this.writes += 1;
    const state = this.queues.get(refKey(queue));
    if (!state || (!state.pending.has(key) && !state.dropped.has(key))) return false;
    const claim = state.claims?.get(key);
    if (claim && claim.until >= nowMs && claim.holder !== holder) return false;
    state.claims ??= new Map();
    state.claims.set(key, { holder, until: untilMs });
    return true;
  }

  async release(queue: EntityQueueRef, key: string, holder: string): Promise<void> {
    this.writes += 1;
    const state = this.queues.get(refKey(queue));
    if (state?.claims?.get(key)?.holder === holder) state.claims.delete(key);
  }

  async drop(queue: EntityQueueRef, key: string): Promise<boolean> {
    this.writes += 1;
    const state = this.queues.get(refKey(queue));
    if (!state?.pending.has(key)) return false;
    state.pending.delete(key);
    state.dropped.add(key);
    return true;
  }
}
