import { describe, expect, it } from 'vitest';
import { runningReplay } from '../../../console/src/replay-progress.ts';
import { sessionFromToken } from '../../../console/src/token-claims.ts';

/** A JWT with these claims and a dummy signature: the console never verifies (the API does). */
const jwt = (claims: Record<string, unknown>) =>
  [{ alg: 'ES256' }, claims, 'signature']
    .map((part) =>
      typeof part === 'string' ? part : Buffer.from(JSON.stringify(part)).toString('base64url'),
    )
    .join('.');

describe('what the console reads from a token (for display; the API enforces)', () => {
  it('offers changes only with the write scope', () => {
    const full = sessionFromToken(jwt({ scope: 'eventstream/read eventstream/write', exp: 4_000_000_000 }));
    const readOnly = sessionFromToken(`Bearer ${jwt({ scope: 'eventstream/read', exp: 4_000_000_000 })}`);
    expect(full).toMatchObject({ canWrite: true, scopes: ['eventstream/read', 'eventstream/write'] });
    expect(readOnly).toMatchObject({ canWrite: false, scopes: ['eventstream/read'] });
  });

  it('refuses what is not a JWT, and an expired one, with a reason to show', () => {
    expect(sessionFromToken('hello')).toEqual({ error: expect.stringContaining('not a JWT') });
    expect(sessionFromToken(jwt({ scope: 'eventstream/read', exp: 1 }))).toEqual({
      error: 'This token has expired.',
    });
  });
});

describe('a running replay, from the log (newest first)', () => {
  const entry = (action: string, created_at: string) => ({ action, reason: action, created_at }) as never;

  it('is running while the newest replay entry is replay_started', () => {
    const started = entry('replay_started', '2026-11-22T12:00:01Z');
    expect(runningReplay([entry('event_rejected', '2026-11-22T12:00:02Z'), started])).toBe(started);
    expect(
      runningReplay([
        entry('replay_completed', '2026-11-22T12:00:03Z'),
        started,
        entry('x', '2026-11-22T12:00:00Z'),
      ]),
    ).toBeUndefined();
    expect(runningReplay([])).toBeUndefined();
  });
});
