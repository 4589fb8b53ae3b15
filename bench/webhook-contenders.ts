import http from 'node:http';
import type { SQSEvent } from 'aws-lambda';
import { USER_AGENT } from '../lambdas/shared/version.ts';
import type { CountingReceiver } from './receiver.ts';
import { invocationContext, runPool } from './webhook-fixtures.ts';

/** One POST the bare loop sends: the same path, body and header set as the delivery of that message. */
export interface BarePost {
  path: string;
  body: string;
  headers: Record<string, string>;
}

export type DeliveryHandler = (
  event: SQSEvent,
  context: ReturnType<typeof invocationContext>,
) => Promise<unknown>;

/** Wall time of one run, and the CPU this process spent on it (handler or loop, plus the receiver). */
export interface Run {
  ms: number;
  cpuMs: number;
}

/** The dispatcher's header set; the signature is a placeholder of the real length (no signing in the loop). */
export const bareHeaders = (eventId: string, apiKey: string): Record<string, string> => ({
  'content-type': 'application/json',
  'user-agent': USER_AGENT,
  'webhook-id': eventId,
  'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
  'webhook-signature': `v1,${'A'.repeat(43)}=`,
  authorization: `Bearer ${apiKey}`,
});

/**
 * The two contenders, each timed over a whole run; after each run the receiver must have got exactly one
 * correctly authorized request per delivery, or the bench fails (a fast run that lost requests is no win).
 */
export const contenders = (
  receiver: CountingReceiver,
  concurrency: number,
  invocations: number,
  handler: DeliveryHandler,
) => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const timed = async (what: string, expected: number, work: () => Promise<void>): Promise<Run> => {
    receiver.reset();
    const cpu = process.cpuUsage();
    const started = performance.now();
    await work();
    const ms = performance.now() - started;
    const { user, system } = process.cpuUsage(cpu);
    const got = receiver.counts();
    if (got.requests !== expected || got.authorized !== expected)
      throw new Error(
        `webhook bench: ${what} should have reached the receiver ${expected} times with the right Authorization; got ${got.requests} requests, ${got.authorized} authorized`,
      );
    return { ms, cpuMs: (user + system) / 1000 };
  };
  return {
    bare: (posts: readonly BarePost[]): Promise<Run> =>
      timed('the bare loop', posts.length, () =>
        runPool(posts.length, concurrency, (i) => {
          const bare = posts[i] as BarePost;
          return post(agent, receiver.url(bare.path), bare);
        }),
      ),
    delivered: (batches: readonly SQSEvent[]): Promise<Run> =>
      timed(
        'the delivery handler',
        batches.reduce((sum, batch) => sum + batch.Records.length, 0),
        () =>
          runPool(batches.length, invocations, async (i) => {
            const response = (await handler(batches[i] as SQSEvent, invocationContext())) as {
              batchItemFailures?: unknown[];
            };
            if (response.batchItemFailures?.length)
              throw new Error(
                `webhook bench: the handler reported failed records: ${JSON.stringify(response)}`,
              );
          }),
      ),
    close: () => agent.destroy(),
  };
};

/** A plain keep-alive POST, response drained: the least any webhook sender has to do. */
export const post = (agent: http.Agent, url: string, { body, headers }: BarePost): Promise<void> =>
  new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST',
      agent,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    });
    request.on('response', (response) => {
      response.resume();
      response.on('end', () =>
        response.statusCode === 200
          ? resolve()
          : reject(new Error(`bare POST answered ${response.statusCode}`)),
      );
    });
    request.on('error', reject);
    request.end(body);
  });
