import type { DeliveryMessage } from '../lambdas/domain/messages.ts';
import { eventLogStore } from '../lambdas/functions/parts/stores.ts';
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
import { progress } from './report.ts';
import {
  type BarePost,
  bareHeaders,
  contenders,
  type DeliveryHandler,
  type Run,
} from './webhook-contenders.ts';
import { benchEvent, SQS_BATCH_SIZE, sqsBatches, webhookBody } from './webhook-fixtures.ts';
import { printWebhookReport } from './webhook-report.ts';

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
 * a receiver on loopback) against a bare keep-alive POST loop with the same bodies and concurrency.
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
    const eventLog = eventLogStore(config, platform);
    const awsCalls = countAwsRequests({
      DynamoDB: dynamoDocumentClient(platform.aws),
      SecretsManager: secretsManagerClient(platform.aws),
      SQS: sqsClient(platform.aws),
    });
    const invocations = concurrency / SQS_BATCH_SIZE;
    const contender = contenders(receiver, concurrency, invocations, handler as unknown as DeliveryHandler);
    try {
      progress(`webhook: registering ${integrations} integrations, writing ${events} events to the log`);
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
      const now = Date.now();
      const logged = Array.from({ length: events }, (_, i) => benchEvent(config.TENANT, new Date(now + i)));
      await Promise.all(logged.map((event) => eventLog.put(event)));
      // Event-major order, as the fan-out enqueues them: a batch mixes the integrations' messages.
      const pairs = logged.flatMap((event) => ids.map((id) => ({ event, id })));
      const messages = pairs.map(
        ({ event, id }): DeliveryMessage => ({
          integration_id: id,
          event_id: event.id,
          received_at: event.received_at,
        }),
      );
      const bare = pairs.map(
        ({ event, id }): BarePost => ({
          path: `/${id}`,
          body: webhookBody(event),
          headers: bareHeaders(event.id, apiKeys.get(`/${id}`) ?? ''),
        }),
      );
      const batches = sqsBatches(messages);

      // Warm-up on half the work: JIT, keep-alive sockets, the secret cache, DynamoDB Local's own JIT.
      progress('webhook: warm-up');
      await contender.bare(bare.slice(0, bare.length / 2));
      await contender.delivered(batches.slice(0, batches.length / 2));
      awsCalls.reset();

      const results: { bare: Run; delivered: Run }[] = [];
      for (let round = 1; round <= rounds; round++) {
        // Which one goes first alternates, so a change in the machine's load does not favour either.
        const runBare = () => contender.bare(bare);
        const runHandler = () => contender.delivered(batches);
        const result =
          round % 2 === 1
            ? { bare: await runBare(), delivered: await runHandler() }
            : { delivered: await runHandler(), bare: await runBare() };
        results.push(result);
        const rate = (run: Run) => ((messages.length * 1000) / run.ms).toFixed(0);
        progress(
          `webhook: round ${round}/${rounds}: bare ${rate(result.bare)}/s, handler ${rate(result.delivered)}/s`,
        );
      }
      printWebhookReport({
        events,
        integrations,
        concurrency,
        invocations,
        deliveries: messages.length,
        batches: batches.length,
        rounds: results,
        requests: awsCalls.snapshot(),
      });
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
