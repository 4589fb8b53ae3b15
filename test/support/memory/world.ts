import type { IntegrationPolicy } from '../../../lambdas/domain/integration-rules.ts';
import { PayloadValidators } from '../../../lambdas/domain/payload-schema.ts';
import { DeliveryRouter } from '../../../lambdas/use-cases/delivery-router.ts';
import { EntityQueuePlaces } from '../../../lambdas/use-cases/entity-queue-places.ts';
import { EventTypeNotes } from '../../../lambdas/use-cases/event-type-notes.ts';
import { FanOut } from '../../../lambdas/use-cases/fan-out.ts';
import { HistoryQueries } from '../../../lambdas/use-cases/history-queries.ts';
import { IntegrationRemover } from '../../../lambdas/use-cases/integration-remover.ts';
import { IntegrationStopper } from '../../../lambdas/use-cases/integration-stopper.ts';
import { PayloadSchemas } from '../../../lambdas/use-cases/payload-schemas.ts';
import { PublishEvents } from '../../../lambdas/use-cases/publish-events.ts';
import { ReplayJobs } from '../../../lambdas/use-cases/replay-jobs.ts';
import { WebhookDispatcher } from '../../../lambdas/use-cases/webhook-dispatcher.ts';
import {
  ApiKeyAuthorizer,
  FakeHttpSender,
  MemoryDeliveryHistory,
  MemoryDeliveryStateStore,
} from './deliveries.ts';
import { MemoryEventCatalogStore } from './event-types.ts';
import { MemoryEntityIndex, MemoryEventIdClaims, MemoryEventLog } from './events.ts';
import {
  MemoryExportDestinations,
  MemoryExportStateStore,
  MemoryStagingStore,
  RecordingExportFlusher,
} from './exports.ts';
import {
  MemoryIntegrationLog,
  MemoryIntegrationRepository,
  MemoryRejectedEventStore,
  MemorySecretStore,
} from './integrations.ts';
import { MemoryEntityQueues } from './ordering.ts';
import { MemoryClock, MemoryMetrics, MemoryOperationLog, MemoryQueue } from './platform.ts';
import { MemoryPublishRequestStore } from './publish-requests.ts';
import { MemoryRateLimiterStore } from './rate-limits.ts';
import { MemoryReplayStore } from './replays.ts';

export const RETENTION_DAYS = 30;
export const SETTLE_MS = 60_000;
export const TENANT = 'acme';

/**
 * Every in-memory adapter of one deployment, and the small use cases others are composed on, wired as the
 * functions in lambdas/functions wire them. Each test builds its own.
 */
export const memoryWorld = (start: string | Date = '2026-11-30T12:00:00.000Z') => {
  const clock = new MemoryClock(start);
  const integrations = new MemoryIntegrationRepository();
  const logs = new MemoryIntegrationLog();
  const rejected = new MemoryRejectedEventStore();
  const secrets = new MemorySecretStore();
  const eventLog = new MemoryEventLog(clock, RETENTION_DAYS);
  /** As a deployment that deduplicates producer ids keeps them. */
  const idClaims = new MemoryEventIdClaims();
  /** As a deployment with the entity index keeps it. */
  const entityIndex = new MemoryEntityIndex(eventLog);
  const deliveryState = new MemoryDeliveryStateStore();
  const rateLimits = new MemoryRateLimiterStore();
  const entityQueues = new MemoryEntityQueues();
  const history = new MemoryDeliveryHistory(clock, RETENTION_DAYS);
  const replayStore = new MemoryReplayStore();
  const exportState = new MemoryExportStateStore();
  const staging = new MemoryStagingStore();
  const destinations = new MemoryExportDestinations();
  const exportFlusher = new RecordingExportFlusher();
  const publishRequests = new MemoryPublishRequestStore();
  const queues = {
    ingest: new MemoryQueue(),
    webhook: new MemoryQueue(),
    export: new MemoryQueue(),
    replay: new MemoryQueue(),
  };
  const sender = new FakeHttpSender();
  const metrics = new MemoryMetrics();
  const operationLog = new MemoryOperationLog();
  const policy: IntegrationPolicy = {
    retentionDays: RETENTION_DAYS,
    allowInsecureCallbacks: false,
    maxIntegrations: 10,
  };
  const stopper = new IntegrationStopper({ integrations, logs, clock });
  const remover = new IntegrationRemover({
    integrations,
    logs,
    rejected,
    deliveryState,
    replayJobs: replayStore,
    secrets,
  });
  const eventCatalog = new MemoryEventCatalogStore(clock, RETENTION_DAYS);
  const eventTypeNotes = new EventTypeNotes({ sightings: eventCatalog, clock, log: operationLog });
  const payloadSchemas = new PayloadSchemas({ store: eventCatalog, validators: new PayloadValidators() });
  const replayJobs = new ReplayJobs({
    replays: replayStore,
    replayQueue: queues.replay,
    logs,
    clock,
    settleMs: SETTLE_MS,
  });
  const places = new EntityQueuePlaces({ entityQueues, integrations, clock, metrics });
  const router = new DeliveryRouter({
    history,
    places,
    webhookQueue: queues.webhook,
    exportQueue: queues.export,
  });
  const fanOut = new FanOut({
    integrations,
    eventLog,
    idClaims,
    router,
    deliveryState,
    eventTypes: eventTypeNotes,
    tenant: TENANT,
  });
  const dispatcher = new WebhookDispatcher({
    secrets,
    sender,
    authorizer: new ApiKeyAuthorizer(),
    clock,
    userAgent: 'event-stream-test',
  });
  const publisher = new PublishEvents({
    ingestQueue: queues.ingest,
    requests: publishRequests,
    eventLog,
    clock,
    tenant: TENANT,
    payloadSchemas,
    places,
    log: operationLog,
  });
  const queries = new HistoryQueries({
    integrations,
    eventLog,
    entityEvents: entityIndex,
    history,
    dispatcher,
    clock,
    retentionDays: RETENTION_DAYS,
    tokenKey: 'test-token-key',
  });
  return {
    clock,
    integrations,
    logs,
    rejected,
    secrets,
    eventLog,
    idClaims,
    entityIndex,
    deliveryState,
    rateLimits,
    entityQueues,
    places,
    history,
    replayStore,
    exportState,
    staging,
    destinations,
    exportFlusher,
    publishRequests,
    queues,
    sender,
    metrics,
    operationLog,
    policy,
    stopper,
    remover,
    replayJobs,
    router,
    dispatcher,
    eventCatalog,
    eventTypeNotes,
    payloadSchemas,
    fanOut,
    /** The history views, on the entity index. */
    queries,
    publisher,
  };
};

export type MemoryWorld = ReturnType<typeof memoryWorld>;
