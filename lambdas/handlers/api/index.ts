import {
  clock,
  config,
  deliveryHistory,
  dispatcher,
  eventLog,
  exportDestinations,
  ingestQueue,
  integrationLifecycle,
  integrationRegistry,
  integrations,
  rejectedEventsService,
  signingSecrets,
} from '../../shared/composition.ts';
import { HistoryQueries } from '../../use-cases/history-queries.ts';
import { IntegrationTest } from '../../use-cases/integration-test.ts';
import { PublishEvents } from '../../use-cases/publish-events.ts';
import { createApiHandler } from './handler.ts';

const publisher = new PublishEvents({ ingestQueue, clock, tenant: config.TENANT });

const queries = new HistoryQueries({
  integrations,
  eventLog,
  history: deliveryHistory,
  dispatcher,
  clock,
  retentionDays: config.EVENT_RETENTION_DAYS,
  // Tokens only need to survive as long as a listing; the key only has to be this deployment's.
  tokenKey: `${config.STATE_TABLE_NAME}|${config.EVENT_LOG_TABLE_NAME}`,
});

const tester = new IntegrationTest({
  integrations,
  dispatcher,
  destinations: exportDestinations,
  clock,
  tenant: config.TENANT,
});

/** Entry point of the API Lambda: integration management, event ingest and the history views. */
export const handler = createApiHandler({
  registry: integrationRegistry,
  lifecycle: integrationLifecycle,
  signing: signingSecrets,
  rejected: rejectedEventsService,
  publisher,
  queries,
  tester,
});
