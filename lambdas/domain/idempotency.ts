import { createHash } from 'node:crypto';
import * as z from 'zod';
import { DomainError, ValidationError } from './errors.ts';
import { lazy } from './lazy.ts';
import type { PublishedEvent } from './published-event.ts';

/**
 * Idempotent publishing: a publish request named by a key (the producer's `Idempotency-Key`, or one
 * derived from the ids it gave every event) is stored once, with the ids it was answered and the instant
 * its events were received at. A repeat within the window is answered the same ids and puts its events on
 * the ingest queue again under the same ids and instant: the event log then changes nothing and the
 * delivery path skips what its records say was delivered, so a crash between storing the key and queueing
 * loses nothing and a repeat delivers nothing twice.
 */

/** The request header producers name a publish request with (HTTP headers are case-insensitive). */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** How long a key is remembered: a repeat after that is a new publish. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/**
 * How long after the first request's receipt a repeat's events may be queued again. Until then the first
 * request may still be queueing them (the API Lambda's timeout is 29 s), and a copy queued alongside could
 * be delivered at the same moment as the original, before either is recorded. Queued this much later, a
 * copy finds the original's delivery recorded (the delivery path reads the record of any message sent this
 * long after its event's receipt, FRESH_MESSAGE_MS) unless the receiver is still being retried.
 */
export const REPEAT_SETTLE_MS = 30_000;

/** What is stored per publish request for the window. */
export interface PublishRecord {
  /** Digest of the canonical body: a repeat with another body is refused (or, keyed by ids, not delivered). */
  body_hash: string;
  /** The ids answered, in request order. */
  ids: string[];
  /** The instant every event of the request was received at. */
  received_at: string;
}

/** Which key names a request: the producer's own, or the one derived from its events' ids. */
export type RequestKey = { kind: 'explicit'; key: string } | { kind: 'implicit'; key: string };

/** The same key sent again with another body (422, as the IETF Idempotency-Key draft answers it). */
export class IdempotencyKeyReusedError extends DomainError {
  constructor() {
    super(
      422,
      'idempotency_key_reused',
      `${IDEMPOTENCY_KEY_HEADER}: this key was used within the last 24 hours for a request with another body; use a new key for a new request.`,
      IDEMPOTENCY_KEY_HEADER,
    );
  }
}

/** The `Idempotency-Key` header: what the API checks and the OpenAPI document describes. */
export const idempotencyKeySchema = /* @__PURE__ */ lazy(() =>
  z
    .string()
    .min(1)
    .max(MAX_IDEMPOTENCY_KEY_LENGTH)
    .regex(PRINTABLE_ASCII)
    .meta({
      description:
        'Names this publish request for 24 hours (1..255 printable ASCII characters, a UUID say): a repeat ' +
        'with the same body is answered the first ids and delivers nothing twice; the same key with another ' +
        'body is refused with 422.',
      example: '9b2d4c1e-5f0a-4e8b-a6d3-7c1f2e9b0a45',
    }),
);

/** The `Idempotency-Key` header's value, checked: undefined when absent, 400 naming the header when bad. */
export const parseIdempotencyKey = (raw: string | undefined): string | undefined => {
  if (raw === undefined) return undefined;
  if (!idempotencyKeySchema().safeParse(raw).success) {
    throw new ValidationError(
      `${IDEMPOTENCY_KEY_HEADER}: must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters`,
      IDEMPOTENCY_KEY_HEADER,
    );
  }
  return raw;
};

const sha256 = (text: string): string => createHash('sha256').update(text).digest('base64url');

/**
 * The key a request is remembered by: the producer's, else (every event carrying its own id) one derived
 * from the tenant and the sorted ids, so the same events sent again in any order are the same request.
 * Undefined when some id is ours to fill: such a request cannot repeat an earlier one by its ids.
 */
export const requestKeyOf = (
  explicit: string | undefined,
  tenant: string,
  events: readonly PublishedEvent[],
): RequestKey | undefined => {
  if (explicit !== undefined) return { kind: 'explicit', key: explicit };
  const ids = events.map((event) => event.id);
  if (ids.some((id) => id === undefined)) return undefined;
  return { kind: 'implicit', key: sha256([tenant, ...(ids as string[]).sort()].join('\n')) };
};

/**
 * JSON with every object's keys sorted: the same events written with their fields in another order are
 * the same body.
 */
const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

/**
 * Digest of a request's events as validated (one event and a batch of that one event are the same body;
 * fields the API fills are not part of it, so a repeat matches whatever was filled the first time).
 */
export const bodyHashOf = (events: readonly PublishedEvent[]): string => sha256(canonicalJson(events));

/**
 * The first event whose id an earlier event of the same request already has, as `[earlier, later]`
 * indexes: two events with one id in one request are refused rather than made one.
 */
export const repeatedIdIn = (events: readonly PublishedEvent[]): [number, number] | undefined => {
  const seen = new Map<string, number>();
  for (const [index, event] of events.entries()) {
    if (event.id === undefined) continue;
    const earlier = seen.get(event.id);
    if (earlier !== undefined) return [earlier, index];
    seen.set(event.id, index);
  }
  return undefined;
};
