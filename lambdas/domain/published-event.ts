import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { type EventEnvelope, MAX_ENTITY_ID_LENGTH, MAX_PAYLOAD_BYTES, resolveEntityId } from './event.ts';
import { EVENT_NAME_PATTERN, MAX_NAME_LENGTH } from './event-names.ts';
import { lazy } from './lazy.ts';

/** An entity id as producers give it (and as queries filter by it). */
export const entityIdSchema = () =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(MAX_ENTITY_ID_LENGTH, `must be at most ${MAX_ENTITY_ID_LENGTH} characters`);

/** One event as producers publish it; `id` and `published_at` are filled when absent. */
export const publishedEventSchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    id: z.uuid({ message: 'must be a UUID' }).optional(),
    name: z
      .string()
      .max(MAX_NAME_LENGTH)
      .regex(EVENT_NAME_PATTERN, 'must be a lowercase entity.event name such as order.created'),
    published_at: z.iso.datetime({ offset: true, message: 'must be an RFC 3339 date-time' }).optional(),
    entity_id: entityIdSchema().optional(),
    payload: z
      .record(z.string(), z.unknown(), { message: 'must be a JSON object' })
      .refine((payload) => Buffer.byteLength(JSON.stringify(payload)) <= MAX_PAYLOAD_BYTES, {
        message: `must be at most ${MAX_PAYLOAD_BYTES} bytes serialized`,
      }),
  }),
);

export type PublishedEvent = z.infer<ReturnType<typeof publishedEventSchema>>;

/** Completes a published event into the envelope receivers get. */
export const toEnvelope = (event: PublishedEvent, tenant: string, now: Date): EventEnvelope => {
  const entityId = resolveEntityId(event.entity_id, event.payload);
  return {
    id: event.id ?? randomUUID(),
    tenant,
    name: event.name,
    published_at: event.published_at ?? now.toISOString(),
    payload: event.payload,
    ...(entityId !== undefined && { entity_id: entityId }),
  };
};
