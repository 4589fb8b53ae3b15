import { PayloadValidators } from '../domain/payload-schema.ts';
import { type ApiUseCases, createApiHandler } from '../handlers/api/handler.ts';
import type { ConfigOf } from '../shared/config.ts';
import { metricsPort, operationLog } from '../shared/powertools.ts';
import { EntityQueuePlaces } from '../use-cases/entity-queue-places.ts';
import { EventCatalog } from '../use-cases/event-catalog.ts';
import { HistoryQueries } from '../use-cases/history-queries.ts';
import { IntegrationLifecycle } from '../use-cases/integration-lifecycle.ts';
import { IntegrationRegistry } from '../use-cases/integration-registry.ts';
import { IntegrationTest } from '../use-cases/integration-test.ts';
import { OrgDeliveries } from '../use-cases/org-deliveries.ts';
import { PayloadSchemas } from '../use-cases/payload-schemas.ts';
import { PublishEvents } from '../use-cases/publish-events.ts';
import { RejectedEvents } from '../use-cases/rejected-events.ts';
import { SigningSecrets } from '../use-cases/signing-secrets.ts';
import { exportDestinations, exportFlush } from './parts/exports.ts';
import { integrationRemover, integrationStopper } from './parts/integrations.ts';
import type { Platform } from './parts/platform.ts';
import { queue } from './parts/queues.ts';
import { replayJobs } from './parts/replays.ts';
import { secretStore } from './parts/secrets.ts';
import {
  deliveryHistoryStore,
  deliveryStateStore,
  entityEvents,
  entityQueueStore,
  eventCatalogStore,
  eventLogStore,
  integrationLogStore,
  integrationStore,
  publishRequestStore,
  rateLimiterStore,
  rejectedEventStore,
} from './parts/stores.ts';
import { webhookDispatcher } from './parts/webhooks.ts';

export const API_ENTRY = 'lambdas/handlers/api/index.ts';

/** The use cases behind the API's routes, built on `platform`. */
export const composeApi = (config: ConfigOf<typeof API_ENTRY>, platform: Platform): ApiUseCases => {
  const { clock } = platform;
  const integrations = integrationStore(config, platform);
  const logs = integrationLogStore(config, platform);
  const secrets = secretStore(config, platform);
  const eventLog = eventLogStore(config, platform);
  const history = deliveryHistoryStore(config, platform);
  const entities = entityEvents(config, platform, eventLog);
  // Tokens only need to survive as long as a listing; the key only has to be this deployment's.
  const tokenKey = `${config.STATE_TABLE_NAME}|${config.EVENT_LOG_TABLE_NAME}`;
  const dispatcher = webhookDispatcher(config, platform);
  const deliveryState = deliveryStateStore(config, platform);
  const replays = replayJobs(config, platform);
  const exportFiles = exportFlush(config, platform);
  const catalog = eventCatalogStore(config, platform);
  return {
    registry: new IntegrationRegistry({
      integrations,
      logs,
      secrets,
      replays,
      remover: integrationRemover(config, platform),
      exportFiles,
      rateLimits: rateLimiterStore(config, platform),
      clock,
      policy: {
        maxIntegrations: config.MAX_INTEGRATIONS,
        retentionDays: config.EVENT_RETENTION_DAYS,
        allowInsecureCallbacks: config.ALLOW_INSECURE_CALLBACKS,
      },
    }),
    lifecycle: new IntegrationLifecycle({
      integrations,
      logs,
      stopper: integrationStopper(config, platform),
      deliveryState,
      eventLog,
      replays,
      exportFiles,
      clock,
      retentionDays: config.EVENT_RETENTION_DAYS,
    }),
    signing: new SigningSecrets({ integrations, secrets, logs, clock }),
    rejected: new RejectedEvents({
      integrations,
      rejected: rejectedEventStore(config, platform),
      dispatcher,
      history,
      clock,
    }),
    publisher: new PublishEvents({
      ingestQueue: queue(config.INGEST_QUEUE_URL, platform),
      requests: publishRequestStore(config, platform),
      eventLog,
      clock,
      tenant: config.TENANT,
      // Composed once per instance, so each schema version is compiled once per instance.
      payloadSchemas: new PayloadSchemas({ store: catalog, validators: new PayloadValidators() }),
      places: new EntityQueuePlaces({
        entityQueues: entityQueueStore(config, platform),
        integrations,
        clock,
        metrics: metricsPort,
      }),
      log: operationLog,
    }),
    catalog: new EventCatalog({ store: catalog, clock, retentionDays: config.EVENT_RETENTION_DAYS }),
    queries: new HistoryQueries({
      integrations,
      eventLog,
      entityEvents: entities,
      history,
      dispatcher,
      clock,
      retentionDays: config.EVENT_RETENTION_DAYS,
      tokenKey,
    }),
    deliveries: new OrgDeliveries({
      integrations,
      history,
      entityEvents: entities,
      clock,
      retentionDays: config.EVENT_RETENTION_DAYS,
      tokenKey,
    }),
    tester: new IntegrationTest({
      integrations,
      dispatcher,
      destinations: exportDestinations(config, platform),
      clock,
      tenant: config.TENANT,
    }),
  };
};

/** The API Lambda: integration management, event ingest, the history views and destination tests. */
export const createApi = (config: ConfigOf<typeof API_ENTRY>, platform: Platform) =>
  createApiHandler(composeApi(config, platform));
