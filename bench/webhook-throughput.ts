import { type DeliveryMessage, inlineEventOf } from '../lambdas/domain/messages.ts';
import { eventLogWriter } from '../lambdas/functions/parts/stores.ts';
import { dynamoDocumentClient } from '../lambdas/shared/clients/dynamodb.ts';
import { secretsManagerClient } from '../lambdas/shared/clients/secrets-manager.ts';
import { sqsClient } from '../lambdas/shared/clients/sqs.ts';
import { destroyClients } from '../lambdas/shared/clients.ts';
import { parseConfig } from '../lambdas/shared/config.ts';
import { startEmulators } from '../local/emulators/index.ts';
import { localPlatform } from '../local/platform.ts';
import { createResources, lambdaEnv, localResourceNames } from '../local/resources.ts';
import { countAwsRequests } from './aws-requests.ts';
import { startCountingReceiver } from './receiver.ts';
import { progress, recordResults } from './report.ts';
import {
  type BarePost,
  bareHeaders,
  contenders,
  type DeliveryHandler,
  type Run,
} from './webhook-contenders.ts';
import { benchEvent, SQS_BATCH_SIZE, sqsBatches, webhookBody } from './webhook-fixtures.ts';
import { printWebhookReport } from './webhook-report.ts';

/** Events per publish request, as the cost figures assume. */
const PUBLISH_SIZE = 100;

export interface WebhookBenchOptions {
  /** Events in the log; each goes to every integration. */
  events: number;
  integrations: number;
  /** Requests in flight: the bare loop's sockets; batch size × invocations at a time for the handler. */
  concurrency: number;
  rounds: number;
}

/**
 * Webhook delivery throughput through the real delivery handler (DynamoDB and Secrets Manager emulated,
 * a receiver on loopback) against a bare keep-alive POST loop with the same bodies and concurrency; the
 * median ratios (throughput, CPU per delivery) go to bench/results.json under `webhook`.
 */
export const benchWebhookThroughput = async (options: WebhookBenchOptions): Promise<void> => {
  const { events, integrations, concurrency, rounds } = options;
  if (concurrency % SQS_BATCH_SIZE !== 0)
    throw new Error(`BENCH_CONCURRENCY must be a multiple of the batch size ${SQS_BATCH_SIZE}`);
  progress('webhook: starting emulators (DynamoDB Local, fauxqs, Secrets Manager)');
  const emulators = await startEmulators();
  const apiKeys = new Map<string, string>();
  const receiver = await startCountingReceiver((path, auth) => auth === `Bearer ${apiKeys.get(path)}`);
  const savedEnv = { ...process.env };
  try {
    const names = localResourceNames();
    const created = await createResources(emulators.endpoints, names);
    process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    const env = lambdaEnv(emulators.endpoints, {
      names,
      created,
      overrides: {
        ALLOW_INSECURE_CALLBACKS: 'true', // the receiver is on loopback
        MAX_INTEGRATIONS: String(Math.max(10, integrations)),
      },
    });
    // The delivery function as the stack builds it, and the API's use cases to register integrations with.
    const platform = localPlatform(emulators.endpoints, env);
    const { createWebhookDeliveryHandler, WEBHOOK_DELIVERY_ENTRY } = await import(
      '../lambdas/functions/webhook-delivery.ts'
    );
    const { API_ENTRY, composeApi } = await import('../lambdas/functions/api.ts');
    const config = parseConfig(WEBHOOK_DELIVERY_ENTRY, env);
    const handler = createWebhookDeliveryHandler(config, platform);
    const { registry } = composeApi(parseConfig(API_ENTRY, env), platform);
    // Written as the fan-out writes it.
    const { FANOUT_ENTRY } = await import('../lambdas/functions/fanout.ts');
    const eventLog = eventLogWriter(parseConfig(FANOUT_ENTRY, env), platform);
    const awsCalls = countAwsRequests({
      DynamoDB: dynamoDocumentClient(platform.aws),
      SecretsManager: secretsManagerClient(platform.aws),
      SQS: sqsClient(platform.aws),
    });
    const invocations = concurrency / SQS_BATCH_SIZE;
    const contender = contenders(receiver, concurrency, invocations, handler as unknown as DeliveryHandler);
    try {
      progress(`webhook: registering ${integrations} integrations`);
      const ids: string[] = [];
      for (let i = 1; i <= integrations; i++) {
        const id = `bench-webhook-${i}`;
        const apiKey = `bench-api-key-${i}-${'k'.repeat(32)}`;
        apiKeys.set(`/${id}`, apiKey);
        // An api_key, so every delivery goes through the secret lookup and sets Authorization.
        await registry.register({
          id,
          integration_type: 'permanent',
          callback_parameters: { callback_url: receiver.url(`/${id}`), api_key: apiKey },
        });
        ids.push(id);
      }
      // Every run delivers events of its own: the handler does not send again what the delivery history
      // records as delivered (a message handed out again after a crash), so a second run of the same messages
      // would time those skips instead of deliveries. All are logged up front, before the AWS calls are counted.
      let lastInstant = 0;
      const freshWork = async (count: number) => {
        // Live traffic as producers send it: publishes of 100 events, each stamped with one received_at (an
        // instant of its own), queued just now, so no message looks like a repeat needing a history read.
        const base = Math.max(Date.now(), lastInstant + 1);
        const logged = Array.from({ length: count }, (_, n) =>
          benchEvent(config.TENANT, new Date(base + Math.floor(n / PUBLISH_SIZE))),
        );
        lastInstant = base + Math.ceil(count / PUBLISH_SIZE);
        // The fan-out hands each delivery message the event log chunk it wrote the event into.
        const chunks = await Promise.all(logged.map((event) => eventLog.put(event)));
        // As the fan-out enqueues them: per fan-out batch of 10 events, each integration's messages side by
        // side (SqsMessageQueue groups a tick's sends by integration), so a delivery batch holds one integration.
        const pairs = logged.flatMap((_, n) =>
          n % SQS_BATCH_SIZE !== 0
            ? []
            : ids.flatMap((id) =>
                logged.slice(n, n + SQS_BATCH_SIZE).map((event, k) => ({ event, id, chunk: chunks[n + k] })),
              ),
        );
        const messages = pairs.map(({ event, id, chunk }): DeliveryMessage => {
          // As the router makes them: a small event goes along, a large one is a reference to its chunk.
          const inline = inlineEventOf(event);
          return {
            integration_id: id,
            event_id: event.id,
            received_at: event.received_at,
            ...(inline ? { event: inline } : chunk !== undefined && { chunk }),
          };
        });
        const bare = pairs.map(
          ({ event, id }): BarePost => ({
            path: `/${id}`,
            body: webhookBody(event),
            headers: bareHeaders(event.id, apiKeys.get(`/${id}`) ?? ''),
          }),
        );
        return { bare, batches: sqsBatches(messages) };
      };
      const deliveries = events * integrations;

      progress(`webhook: writing ${events} events to the log per round, half as many for the warm-up`);
      const warmUp = await freshWork(Math.ceil(events / 2));
      const work: Awaited<ReturnType<typeof freshWork>>[] = [];
      for (let round = 1; round <= rounds; round++) work.push(await freshWork(events));

      // Warm-up on half the work: JIT, keep-alive sockets, the secret cache, DynamoDB Local's own JIT.
      progress('webhook: warm-up');
      await contender.bare(warmUp.bare);
      await contender.delivered(warmUp.batches);
      awsCalls.reset();

      const results: { bare: Run; delivered: Run }[] = [];
      for (const [index, { bare, batches }] of work.entries()) {
        const round = index + 1;
        // Which one goes first alternates, so a change in the machine's load does not favour either.
        const runBare = () => contender.bare(bare);
        const runHandler = () => contender.delivered(batches);
        const result =
          round % 2 === 1
            ? { bare: await runBare(), delivered: await runHandler() }
            : { delivered: await runHandler(), bare: await runBare() };
        results.push(result);
        const rate = (run: Run) => ((deliveries * 1000) / run.ms).toFixed(0);
        progress(
          `webhook: round ${round}/${rounds}: bare ${rate(result.bare)}/s, handler ${rate(result.delivered)}/s`,
        );
      }
      const ratios = printWebhookReport({
        events,
        integrations,
        concurrency,
        invocations,
        deliveries,
        batches: Math.ceil(deliveries / SQS_BATCH_SIZE),
        rounds: results,
        requests: awsCalls.snapshot(),
      });
      recordResults('webhook', ratios);
    } finally {
      contender.close();
      destroyClients(platform.aws);
    }
  } finally {
    await receiver.close();
    await emulators.stop();
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  }
};
