import { describe, expect, it } from 'vitest';
import { earliest, planCatchUp, registrationReplay } from '../../lambdas/domain/catch-up.ts';

const now = new Date('2026-11-22T12:00:00.000Z');

describe('catch-up after a start', () => {
  it('replays from the earliest missed event within the window', () => {
    expect(planCatchUp('2026-11-20T08:00:00.000Z', '2026-11-20T09:00:00.000Z', now, 30)).toEqual({
      replayFrom: '2026-11-20T08:00:00.000Z',
    });
  });

  it('replays nothing and names the lost period when stopped longer than the window', () => {
    expect(planCatchUp('2026-10-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z', now, 30)).toEqual({
      notReplayed: { from: '2026-10-01T00:00:00.000Z', to: '2026-11-22T12:00:00.000Z' },
    });
  });

  it('decides by how long it was stopped, not by how old the earliest missed event is', () => {
    // Stopped a second ago during the first replay of a starts_at clamped to the window: the replay's
    // range began at the window start as it was then, which has moved on since.
    const stoppedAt = '2026-11-22T11:59:59.000Z';
    const missed = '2026-10-23T11:59:58.000Z';
    expect(planCatchUp(missed, stoppedAt, now, 30)).toEqual({
      replayFrom: '2026-10-23T12:00:00.000Z',
      leftWindow: { from: missed, to: '2026-10-23T12:00:00.000Z' },
    });
  });

  it('has nothing to do when nothing was missed', () => {
    expect(planCatchUp(undefined, undefined, now, 30)).toEqual({});
  });

  it('takes the earlier of the stop and the missed events', () => {
    expect(earliest('2026-11-02T00:00:00Z', '2026-11-01T00:00:00Z')).toBe('2026-11-01T00:00:00Z');
    expect(earliest(undefined, '2026-11-01T00:00:00Z')).toBe('2026-11-01T00:00:00Z');
    expect(earliest(undefined, undefined)).toBeUndefined();
  });
});

describe('replay at registration', () => {
  it('clamps starts_at to the window and ends at ends_at or now', () => {
    expect(registrationReplay('2019-01-17T12:00:00.000Z', undefined, now, 30)).toEqual({
      from: '2026-10-23T12:00:00.000Z',
      to: '2026-11-22T12:00:00.000Z',
    });
    expect(registrationReplay('2026-11-21T00:00:00Z', '2026-11-21T06:00:00Z', now, 30)).toEqual({
      from: '2026-11-21T00:00:00.000Z',
      to: '2026-11-21T06:00:00.000Z',
    });
    expect(registrationReplay('2026-11-21T00:00:00Z', '2026-11-30T00:00:00Z', now, 30)?.to).toBe(
      '2026-11-22T12:00:00.000Z',
    );
  });

  it('replays nothing without starts_at', () => {
    expect(registrationReplay(undefined, undefined, now, 30)).toBeUndefined();
  });
});
