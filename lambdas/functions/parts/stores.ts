import { DynamoDeliveryHistory } from '../../adapters/dynamodb/delivery-history.ts';
import { DynamoDeliveryStateStore } from '../../adapters/dynamodb/delivery-state-store.ts';
import { DynamoEntityIndex } from '../../adapters/dynamodb/entity-index.ts';
import { DynamoEntityQueues } from '../../adapters/dynamodb/entity-queue-store.ts';
import { DynamoEventCatalogStore } from '../../adapters/dynamodb/event-catalog-store.ts';
import { DynamoEventIdClaims } from '../../adapters/dynamodb/event-id-claims.ts';
import { DynamoEventLog } from '../../adapters/dynamodb/event-log.ts';
import { DynamoEventLogWriter } from '../../adapters/dynamodb/event-log-writer.ts';
import { DynamoIntegrationLog } from '../../adapters/dynamodb/integration-log.ts';
import { DynamoIntegrationRepository } from '../../adapters/dynamodb/integration-repository.ts';
import { DynamoPublishRequestStore } from '../../adapters/dynamodb/publish-request-store.ts';
import { DynamoRateLimiterStore } from '../../adapters/dynamodb/rate-limiter-store.ts';
import { DynamoRejectedEventStore } from '../../adapters/dynamodb/rejected-event-store.ts';
import { DynamoReplayStore } from '../../adapters/dynamodb/replay-store.ts';
import type { EventIdClaims } from '../../domain/ports/events.ts';
import { dynamoDocumentClient } from '../../shared/clients/dynamodb.ts';
import type { Settings } from '../../shared/config.ts';
import { EVERY_ID_FRESH } from '../../use-cases/fan-out.ts';
import { ScannedEntityEvents } from '../../use-cases/scanned-entity-events.ts';
import type { Platform } from './platform.ts';

/*
 * Builders of the DynamoDB stores, each from only the settings it reads. A function's factory imports the
 * builders it needs from the modules of this folder, so its bundle holds nothing it does not use.
 */

export type State = Pick<Settings, 'STATE_TABLE_NAME'>;

export const integrationStore = (config: State, { aws }: Platform) =>
  new DynamoIntegrationRepository(dynamoDocumentClient(aws), config.STATE_TABLE_NAME);

export const integrationLogStore = (config: State, { aws }: Platform) =>
  new DynamoIntegrationLog(dynamoDocumentClient(aws), config.STATE_TABLE_NAME);

export const rejectedEventStore = (config: State, { aws }: Platform) =>
  new DynamoRejectedEventStore(dynamoDocumentClient(aws), config.STATE_TABLE_NAME);

export const deliveryStateStore = (config: State, { aws }: Platform) =>
  new DynamoDeliveryStateStore(dynamoDocumentClient(aws), config.STATE_TABLE_NAME);

export const rateLimiterStore = (config: State, { aws }: Platform) =>
  new DynamoRateLimiterStore(dynamoDocumentClient(aws), config.STATE_TABLE_NAME);

/** The entity queues of ordered integrations (see domain/entity-order.ts). */
export const entityQueueStore = (config: State, { aws, clock }: Platform) =>
  new DynamoEntityQueues(dynamoDocumentClient(aws), config.STATE_TABLE_NAME, clock);

export const replayStore = (config: State, { aws }: Platform) =>
  new DynamoReplayStore(dynamoDocumentClient(aws), config.STATE_TABLE_NAME);

export const publishRequestStore = (config: State, { aws }: Platform) =>
  new DynamoPublishRequestStore(dynamoDocumentClient(aws), config.STATE_TABLE_NAME);

type EventLog = Pick<Settings, 'EVENT_LOG_TABLE_NAME' | 'TENANT'>;

/** The event log as its readers use it (no function but the fan-out writes it). */
export const eventLogStore = (config: EventLog, { aws, clock }: Platform) =>
  new DynamoEventLog(dynamoDocumentClient(aws), config.EVENT_LOG_TABLE_NAME, config.TENANT, clock);

/** The event log as the fan-out writes it: with the entity index where the deployment keeps one. */
export const eventLogWriter = (
  config: EventLog & Pick<Settings, 'EVENT_RETENTION_DAYS' | 'ENTITY_INDEX'>,
  { aws }: Platform,
) =>
  new DynamoEventLogWriter(
    dynamoDocumentClient(aws),
    config.EVENT_LOG_TABLE_NAME,
    config.TENANT,
    config.EVENT_RETENTION_DAYS,
    config.ENTITY_INDEX,
  );

/** Claims of producer ids where the deployment deduplicates them across requests; else none. */
export const eventIdClaims = (
  config: EventLog & Pick<Settings, 'EVENT_RETENTION_DAYS' | 'DEDUP_EVENT_IDS'>,
  { aws, clock }: Platform,
): EventIdClaims =>
  config.DEDUP_EVENT_IDS
    ? new DynamoEventIdClaims(
        dynamoDocumentClient(aws),
        config.EVENT_LOG_TABLE_NAME,
        config.TENANT,
        config.EVENT_RETENTION_DAYS,
        clock,
      )
    : EVERY_ID_FRESH;

/**
 * The events about one entity, read through `eventLog` (the function's own, so their reads share its
 * batching): from the entity index where kept, else from the event log's range.
 */
export const entityEvents = (
  config: EventLog & Pick<Settings, 'ENTITY_INDEX'>,
  platform: Platform,
  eventLog: DynamoEventLog,
) =>
  config.ENTITY_INDEX
    ? new DynamoEntityIndex(
        dynamoDocumentClient(platform.aws),
        config.EVENT_LOG_TABLE_NAME,
        config.TENANT,
        eventLog,
        platform.clock,
      )
    : new ScannedEntityEvents(eventLog);

export const deliveryHistoryStore = (
  config: Pick<Settings, 'DELIVERIES_TABLE_NAME' | 'EVENT_RETENTION_DAYS'>,
  { aws, clock }: Platform,
) =>
  new DynamoDeliveryHistory(
    dynamoDocumentClient(aws),
    config.DELIVERIES_TABLE_NAME,
    config.EVENT_RETENTION_DAYS,
    clock,
  );

/** The event catalog: names seen (noted by the fan-out) and a JSON Schema per name (the API). */
export const eventCatalogStore = (
  config: Pick<Settings, 'STATE_TABLE_NAME' | 'EVENT_RETENTION_DAYS'>,
  { aws, clock }: Platform,
) =>
  new DynamoEventCatalogStore(
    dynamoDocumentClient(aws),
    config.STATE_TABLE_NAME,
    config.EVENT_RETENTION_DAYS,
    clock,
  );
