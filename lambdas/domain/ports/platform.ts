/** Queues, the clock and telemetry: what every use case may be given, whatever its aggregate. */

/** An SQS queue seen as a place to put message bodies; batching is the adapter's business. */
export interface MessageQueue {
  /** Sends all bodies (in as few requests as the service allows); rejects if any could not be sent. */
  sendAll(bodies: string[]): Promise<void>;
  /**
   * Sends one body, batched with others sent in the same tick; bodies of the same `group` go into the same
   * requests where they can, so a consumer's batches tend to hold one group (one integration's deliveries:
   * one configuration read and one history write per batch instead of one per integration).
   */
  send(body: string, group?: string): Promise<void>;
  /** Sends one body that becomes visible after `delaySeconds` (at most 900). */
  sendDelayed(body: string, delaySeconds: number): Promise<void>;
  /**
   * Hands a received message out again after `seconds` instead of at its visibility timeout: a retry's
   * backoff, a replay's next page. The consumer then reports the message failed, so it is not deleted.
   */
  retryIn(receiptHandle: string, seconds: number): Promise<void>;
}

/** Counters and timings for dashboards and alarms. */
export interface Metrics {
  count(name: string, value?: number): void;
  /** A duration in milliseconds (e.g. ingest-to-delivery latency). */
  duration(name: string, milliseconds: number): void;
}

/** Structured log lines; every line of a delivery names its integration and event. */
export interface OperationLog {
  debug(message: string, fields: Record<string, unknown>): void;
  info(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
