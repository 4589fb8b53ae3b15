import * as z from 'zod';
import type { EventEnvelope } from './event.ts';

/**
 * The bodies of the pipeline's queue messages. Each is parsed with its schema where it enters a function:
 * a body that does not fit is reported failed (with a log line) and reaches the queue's DLQ through its
 * `maxReceiveCount`, while the rest of its batch goes on.
 */

/** What the ingest queue carries: the completed event and when the stack received it. */
export interface IngestMessage {
  event: Omit<EventEnvelope, 'tenant'> & { tenant?: string };
  /** Absent for events arriving through EventBridge: the queue's SentTimestamp stands in. */
  received_at?: string;
}

/** What the fan-out puts on the webhook or export queue for each (event, integration). */
export const deliveryMessageSchema = z.object({
  integration_id: z.string().min(1),
  /** The integration's `created_at`: a message for an id deleted and registered again is not delivered. */
  generation: z.string().min(1).optional(),
  event_id: z.string().min(1),
  received_at: z.string().min(1),
});
export type DeliveryMessage = z.infer<typeof deliveryMessageSchema>;

/** The message that drives a replay, one page per receive. */
export const replayMessageSchema = z.object({
  integration_id: z.string().min(1),
  job_id: z.string().min(1),
});
export type ReplayMessage = z.infer<typeof replayMessageSchema>;

/** A queue message whose body is not what its queue carries; it can never succeed. */
export class MalformedMessage extends Error {}

/** Parses a message body; throws MalformedMessage saying what is wrong with it. */
export const parseMessage = <T>(schema: z.ZodType<T>, body: string): T => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new MalformedMessage('the body is not JSON');
  }
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new MalformedMessage(`${issue?.path.join('.') || 'body'}: ${issue?.message}`);
};
