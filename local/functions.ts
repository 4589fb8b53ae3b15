import type { Context, ScheduledEvent } from 'aws-lambda';
import type { Platform } from '../lambdas/functions/parts/platform.ts';
import { type FunctionEntry, parseConfig } from '../lambdas/shared/config.ts';
import type { ApiHandler } from './api-server.ts';
import type { SqsHandler } from './sqs-poller.ts';

/** A scheduled function's handler, as EventBridge invokes it. */
export type ScheduledHandler = (event: ScheduledEvent, context: Context) => Promise<unknown>;

type Factory = (config: never, platform: Platform) => unknown;

/**
 * Each function's factory by the entry the stack bundles, imported when first needed (the local runtime
 * builds each function as the stack deploys it: its own settings, only the clients it uses).
 */
/**
 * The docs and console functions are served by the local API server itself (see runtime.ts); the Cognito
 * trigger has no local counterpart (local tokens come from `npm run token` with the scopes asked for).
 */
type BuiltEntry = Exclude<
  FunctionEntry,
  | 'lambdas/handlers/docs/index.ts'
  | 'lambdas/handlers/console/index.ts'
  | 'lambdas/handlers/auth/pre-token-generation.ts'
>;

const FACTORIES: Record<BuiltEntry, () => Promise<Factory>> = {
  'lambdas/handlers/api/index.ts': async () => (await import('../lambdas/functions/api.ts')).createApi,
  'lambdas/handlers/sqs/fanout.ts': async () =>
    (await import('../lambdas/functions/fanout.ts')).createFanoutHandler,
  'lambdas/handlers/sqs/deliver-webhook.ts': async () =>
    (await import('../lambdas/functions/webhook-delivery.ts')).createWebhookDeliveryHandler,
  'lambdas/handlers/sqs/export-batcher.ts': async () =>
    (await import('../lambdas/functions/export-batcher.ts')).createExportBatcherHandler,
  'lambdas/handlers/sqs/replay.ts': async () =>
    (await import('../lambdas/functions/replay.ts')).createReplayHandler,
  'lambdas/handlers/schedule/housekeeping.ts': async () =>
    (await import('../lambdas/functions/housekeeping.ts')).createHousekeepingHandler,
  'lambdas/handlers/schedule/export-flusher.ts': async () =>
    (await import('../lambdas/functions/export-flusher.ts')).createExportFlusherHandler,
};

const isFunctionEntry = (entry: string): entry is BuiltEntry => entry in FACTORIES;

/**
 * Builds the function bundled from `entry` with its settings parsed from `env` (failing as its cold start
 * would on a bad one) on `platform`; undefined for an entry that names no function.
 */
export const buildFunction = async <Handler extends ApiHandler | SqsHandler | ScheduledHandler>(
  entry: string,
  env: Record<string, string | undefined>,
  platform: Platform,
): Promise<Handler | undefined> => {
  if (!isFunctionEntry(entry)) return undefined;
  const factory = await FACTORIES[entry]();
  return factory(parseConfig(entry, env) as never, platform) as Handler;
};
