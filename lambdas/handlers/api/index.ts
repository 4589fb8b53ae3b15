import { DynamoIntegrationLog } from '../../adapters/dynamodb/integration-log.ts';
import { DynamoIntegrationRepository } from '../../adapters/dynamodb/integration-repository.ts';
import { DynamoRejectedEventStore } from '../../adapters/dynamodb/rejected-event-store.ts';
import { SecretsManagerStore } from '../../adapters/secrets/secrets-manager-store.ts';
import { systemClock } from '../../domain/ports.ts';
import { dynamoDocumentClient, secretsManagerClient } from '../../shared/clients.ts';
import { parseConfig } from '../../shared/config.ts';
import { IntegrationService } from '../../use-cases/integration-service.ts';
import { createApiHandler } from './handler.ts';

// Composition root: config and adapters are built once per execution environment.
const config = parseConfig();
const table = config.STATE_TABLE_NAME;

const service = new IntegrationService({
  integrations: new DynamoIntegrationRepository(dynamoDocumentClient, table),
  logs: new DynamoIntegrationLog(dynamoDocumentClient, table),
  rejected: new DynamoRejectedEventStore(dynamoDocumentClient, table),
  secrets: new SecretsManagerStore(secretsManagerClient, config.SECRET_NAME_PREFIX),
  clock: systemClock,
  policy: {
    maxIntegrations: config.MAX_INTEGRATIONS,
    retentionDays: config.EVENT_RETENTION_DAYS,
    allowInsecureCallbacks: config.ALLOW_INSECURE_CALLBACKS,
  },
});

/** Entry point of the API Lambda (all integration-management routes). */
export const handler = createApiHandler(service);
