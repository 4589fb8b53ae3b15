import { describe, expect, it } from 'vitest';
import { entityQueueKey, orderTurn, replayHoldsBack } from '../../lambdas/domain/entity-order.ts';
import type { ReplayJob } from '../../lambdas/domain/ports/replays.ts';

const key = (receivedAt: string, position: number, name = 'order.updated') =>
  entityQueueKey({
    received_at: receivedAt,
    position,
    id: `00000000-0000-4000-8000-00000000000${position}`,
    name,
  });

const everything = { windowStart: '2026-11-01T00:00:00.000Z', wantsName: () => true };

describe('entity order', () => {
  it('orders keys by received time, then position in the publish request, as strings', () => {
    const keys = [
      key('2026-11-30T12:00:00.001Z', 0),
      key('2026-11-30T12:00:00.000Z', 12),
      key('2026-11-30T12:00:00.000Z', 2),
    ];
    expect([...keys].sort()).toEqual([keys[2], keys[1], keys[0]]);
  });

  it('lets only the oldest pending key go, numbered after the last finished one', () => {
    const older = key('2026-11-30T12:00:00.000Z', 0);
    const newer = key('2026-11-30T12:00:00.000Z', 1);
    const state = { pending: [older, newer], lastPosition: 4, dropped: [] };
    expect(orderTurn(state, older, everything)).toEqual({ go: true, position: 5 });
    expect(orderTurn(state, newer, everything)).toMatchObject({ go: false, finished: false });
    expect(orderTurn({ pending: [newer], lastPosition: 5, dropped: [] }, older, everything)).toEqual({
      go: false,
      finished: true,
    });
  });

  it('is not held back by keys that cannot come any more: expired, or filtered out since', () => {
    const expired = key('2026-10-01T00:00:00.000Z', 0);
    const cancelled = key('2026-11-30T12:00:00.000Z', 0, 'order.cancelled');
    const mine = key('2026-11-30T12:00:00.000Z', 1);
    const state = { pending: [expired, cancelled, mine], lastPosition: 0, dropped: [] };
    expect(
      orderTurn(state, mine, { ...everything, wantsName: (name) => name !== 'order.cancelled' }),
    ).toEqual({
      go: true,
      position: 1,
    });
    expect(orderTurn(state, mine, everything)).toMatchObject({ go: false });
  });

  it('holds back messages from a running replay’s range on, until it completes', () => {
    const job = {
      range_from: '2026-11-30T10:00:00.000Z',
      from: '2026-11-30T10:00:00.000Z',
      to: '2026-11-30T11:00:00.000Z',
    } as ReplayJob;
    expect(replayHoldsBack(job, key('2026-11-30T09:59:59.999Z', 0))).toBe(false);
    expect(replayHoldsBack(job, key('2026-11-30T10:30:00.000Z', 0))).toBe(true);
    expect(replayHoldsBack(job, key('2026-11-30T12:00:00.000Z', 0))).toBe(true);
    expect(
      replayHoldsBack(
        { ...job, completed_at: '2026-11-30T12:00:00.000Z' },
        key('2026-11-30T12:00:00.000Z', 0),
      ),
    ).toBe(false);
  });
});
