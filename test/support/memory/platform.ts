import type { Clock, MessageQueue, Metrics, OperationLog } from '../../../lambdas/domain/ports/platform.ts';

/** A clock that moves only when told to. */
export class MemoryClock implements Clock {
  private current: number;

  constructor(start: string | Date = '2026-11-30T12:00:00.000Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(at: string | Date): void {
    this.current = new Date(at).getTime();
  }
}

/** One message put on a queue. */
export interface SentMessage {
  body: string;
  delaySeconds: number;
}

/** A queue that records what was sent to it (bodies, delays) and every `retryIn`. */
export class MemoryQueue implements MessageQueue {
  readonly sent: SentMessage[] = [];
  readonly retries: { receiptHandle: string; seconds: number }[] = [];

  async sendAll(bodies: string[]): Promise<void> {
    for (const body of bodies) this.sent.push({ body, delaySeconds: 0 });
  }

  async send(body: string): Promise<void> {
    this.sent.push({ body, delaySeconds: 0 });
  }

  async sendDelayed(body: string, delaySeconds: number): Promise<void> {
    if (delaySeconds > 900) throw new Error(`SQS delays at most 900 s, not ${delaySeconds}`);
    this.sent.push({ body, delaySeconds });
  }

  async retryIn(receiptHandle: string, seconds: number): Promise<void> {
    this.retries.push({ receiptHandle, seconds });
  }

  /** The bodies sent, parsed. */
  bodies<T>(): T[] {
    return this.sent.map((message) => JSON.parse(message.body) as T);
  }
}

/** Counters and durations, summed per name. */
export class MemoryMetrics implements Metrics {
  readonly counts = new Map<string, number>();
  readonly durations: { name: string; milliseconds: number }[] = [];

  count(name: string, value = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + value);
  }

  duration(name: string, milliseconds: number): void {
    this.durations.push({ name, milliseconds });
  }

  counted(name: string): number {
    return this.counts.get(name) ?? 0;
  }
}

/** Log lines, kept for assertions. */
export class MemoryOperationLog implements OperationLog {
  readonly lines: { level: 'debug' | 'info' | 'warn'; message: string; fields: Record<string, unknown> }[] =
    [];

  debug(message: string, fields: Record<string, unknown>): void {
    this.lines.push({ level: 'debug', message, fields });
  }

  info(message: string, fields: Record<string, unknown>): void {
    this.lines.push({ level: 'info', message, fields });
  }

  warn(message: string, fields: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', message, fields });
  }
}
