import { DynamoDeliveryStateStore } from '../adapters/dynamodb/delivery-state-store.ts';
import { DynamoEventLog } from '../adapters/dynamodb/event-log.ts';
import { DynamoFailedDeliveryStore } from '../adapters/dynamodb/failed-delivery-store.ts';
import { DynamoIntegrationLog } from '../adapters/dynamodb/integration-log.ts';
import { DynamoIntegrationRepository } from '../adapters/dynamodb/integration-repository.ts';
import { DynamoRejectedEventStore } from '../adapters/dynamodb/rejected-event-store.ts';
import { GuardedHttpSender } from '../adapters/http/guarded-http-sender.ts';
import { HttpReceiverAuthorizer } from '../adapters/http/receiver-authorizer.ts';
import { CachedSecretStore } from '../adapters/secrets/cached-secret-store.ts';
import { SecretsManagerStore } from '../adapters/secrets/secrets-manager-store.ts';
import { SqsMessageQueue } from '../adapters/sqs/sqs-message-queue.ts';
import { systemClock } from '../domain/ports.ts';
import { IntegrationService } from '../use-cases/integration-service.ts';
import { WebhookDispatcher } from '../use-cases/webhook-dispatcher.ts';
import { dynamoDocumentClient, secretsManagerClient, sqsClient } from './clients.ts';
import { type Config, parseConfig } from './config.ts';
import { logger } from './powertools.ts';
import { USER_AGENT } from './version.ts';

/**
 * The composition root every handler builds from: config parsed once, adapters wired to the module-scope
 * clients. Constructing these does no I/O, so a handler pays nothing at cold start for the ones it
 * does not use.
 */
export const config: Config = parseConfig();
export const clock = systemClock;

const stateTable = config.STATE_TABLE_NAME;
export const integrations = new DynamoIntegrationRepository(dynamoDocumentClient, stateTable);
export const integrationLog = new DynamoIntegrationLog(dynamoDocumentClient, stateTable);
export const rejectedEvents = new DynamoRejectedEventStore(dynamoDocumentClient, stateTable);
export const deliveryState = new DynamoDeliveryStateStore(dynamoDocumentClient, stateTable);
export const failedDeliveries = new DynamoFailedDeliveryStore(
  dynamoDocumentClient,
  stateTable,
  config.EVENT_RETENTION_DAYS,
);
export const secrets = new CachedSecretStore(
  new SecretsManagerStore(secretsManagerClient, config.SECRET_NAME_PREFIX),
  clock,
);
export const eventLog = new DynamoEventLog(
  dynamoDocumentClient,
  config.EVENT_LOG_TABLE_NAME,
  config.TENANT,
  config.EVENT_RETENTION_DAYS,
  clock,
);
export const ingestQueue = new SqsMessageQueue(sqsClient, config.INGEST_QUEUE_URL);
export const webhookQueue = new SqsMessageQueue(sqsClient, config.WEBHOOK_QUEUE_URL);
export const exportQueue = new SqsMessageQueue(sqsClient, config.EXPORT_QUEUE_URL);

export const httpSender = new GuardedHttpSender({
  timeoutMs: config.DELIVERY_TIMEOUT_MS,
  allowPrivateNetworks: config.ALLOW_INSECURE_CALLBACKS,
  onRefused: (url, reason) => logger.warn('Refused a receiver address', { url, reason }),
});

export const dispatcher = new WebhookDispatcher({
  secrets,
  sender: httpSender,
  authorizer: new HttpReceiverAuthorizer(httpSender, clock),
  clock,
  userAgent: USER_AGENT,
});

export const integrationService = new IntegrationService({
  integrations,
  logs: integrationLog,
  rejected: rejectedEvents,
  secrets,
  deliveryState,
  failed: failedDeliveries,
  dispatcher,
  clock,
  policy: {
    maxIntegrations: config.MAX_INTEGRATIONS,
    retentionDays: config.EVENT_RETENTION_DAYS,
    allowInsecureCallbacks: config.ALLOW_INSECURE_CALLBACKS,
  },
});
