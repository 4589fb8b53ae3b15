/**
 * Examples for the OpenAPI document, taken from NewStore's event stream configuration API samples (the
 * seed this API follows), adapted only where this API answers differently: secrets come back masked, and
 * a temporary integration names its `starts_at` and `ends_at`.
 */

import { schemaVersion } from '../lambdas/domain/payload-schema.ts';

const API_KEY = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9';
const MASKED_API_KEY = '****VCJ9';

export const registerExamples = {
  webhook: {
    summary: 'A webhook with an API key',
    value: {
      id: 'erp-netsuite-integration-002',
      integration_type: 'permanent',
      starts_at: '2019-01-17T12:00:00.000Z',
      callback_parameters: { callback_url: 'https://sap01.example.com/two/events', api_key: API_KEY },
    },
  },
  aws: {
    summary: 'An S3 export with access keys',
    value: {
      id: 's3-integration-01',
      integration_type: 'permanent',
      s3_parameters: {
        aws_access_key_id: 'EXAMPLEACCESSKEYID1',
        aws_secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        aws_region: 'us-west-2',
        bucket: 'company_bucket',
        key_prefix: 'mycompany-integration-1',
      },
    },
  },
  webhookEntityAndEventFilters: {
    summary: 'A webhook for some events and entities',
    value: {
      id: 'erp-netsuite-integration-002',
      integration_type: 'permanent',
      starts_at: '2019-01-17T12:00:00.000Z',
      callback_parameters: { callback_url: 'https://sap01.example.com/two/events', api_key: API_KEY },
      filter_conditions: {
        event_filter: ['order.created', 'refund_request.issued'],
        entity_filter: ['fulfillment_request', 'return'],
      },
    },
  },
  temporaryReplay: {
    summary: 'A temporary integration replaying a period',
    value: {
      id: 'sap-integration-001',
      integration_type: 'temporary',
      starts_at: '2019-01-17T12:00:00.000Z',
      ends_at: '2019-02-21T23:59:00.000Z',
      callback_parameters: { callback_url: 'https://sap01.example.com/two/events', api_key: API_KEY },
    },
  },
};

export const updateExample = {
  callback_parameters: { callback_url: 'https://integrator-api.example.com/v0/events', api_key: API_KEY },
};

export const integrationExample = {
  id: 'sap-integration-001',
  status: 'running',
  integration_type: 'temporary',
  starts_at: '2019-01-17T12:00:00.000Z',
  ends_at: '2019-02-21T23:59:00.000Z',
  callback_parameters: { callback_url: 'https://sap01.example.com/two/events', api_key: MASKED_API_KEY },
};

export const integrationListExample = {
  integrations: [
    {
      id: 'erp-netsuite-integration-001',
      status: 'running',
      integration_type: 'permanent',
      callback_parameters: {
        callback_url: 'https://netsuite.example.com/one/events',
        api_key: MASKED_API_KEY,
      },
    },
    {
      id: 'sap-s3-integration-002',
      status: 'stopped',
      integration_type: 'permanent',
      starts_at: '2019-01-17T12:00:00.000Z',
      s3_parameters: {
        aws_access_key_id: 'EXAMPLEACCESSKEYID1',
        aws_secret_access_key: '****EKEY',
        aws_region: 'us-east-1',
        bucket: 'sap_export',
        key_prefix: 'newstore_integration_002',
      },
    },
  ],
};

export const stoppedExample = {
  id: 'webhook-integration-1',
  status: 'stopped',
  callback_parameters: { callback_url: 'https://example.com/eventSuccessful' },
  integration_type: 'permanent',
  starts_at: '2019-07-07T00:00:00Z',
};

export const logsExample = {
  entries: [
    { action: 'integration_stopped', reason: 'Stopped via API.', created_at: '2019-09-13T08:04:00.000Z' },
    {
      action: 'retry_triggered',
      reason:
        'Request to URL http://example.com/webhook failed. Reason: too many requests (HTTP status code 429).',
      created_at: '2019-09-12T15:21:00.000Z',
    },
    { action: 'integration_started', reason: 'Started via API.', created_at: '2019-09-12T12:00:00.000Z' },
  ],
};

export const rejectedListExample = {
  rejected_events: [
    { created_at: '2019-09-13T08:04:00.000Z', id: '1a8a5052-8741-4daf-982e-e0a12990335a' },
    { created_at: '2019-09-13T08:01:00.000Z', id: '045cb397-9dca-4305-81e5-4ad0b6ad242c' },
  ],
};

export const eventExample = {
  id: '1a8a5052-8741-4daf-982e-e0a12990335a',
  tenant: 'businessname',
  name: 'order.items_cancelled',
  published_at: '2010-01-01T12:00:00.000Z',
  payload: {
    id: '1431b891-c056-4f80-9d34-06479b383417',
    items: [
      { id: '8c2a657e-e8c7-4f1b-b6d5-ab27d2ec87a1', product_id: 'ASDF1000', fulfillment_location_id: 'US01' },
    ],
  },
};

export const publishExamples = {
  one: {
    summary: 'One event',
    value: { name: 'order.created', payload: { id: '1431b891-c056-4f80-9d34-06479b383417', total: 42 } },
  },
  batch: {
    summary: 'A batch (up to 100)',
    value: {
      events: [
        { name: 'order.created', payload: { id: '1431b891-c056-4f80-9d34-06479b383417' } },
        {
          id: '045cb397-9dca-4305-81e5-4ad0b6ad242c',
          name: 'order.items_cancelled',
          published_at: '2019-09-13T08:01:00.000Z',
          payload: { id: '1431b891-c056-4f80-9d34-06479b383417' },
        },
      ],
    },
  },
};

export const validationErrorExample = {
  error_code: 'validation_error',
  message: 'callback_parameters.callback_url: must be an https URL',
  request_id: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  field: 'callback_parameters.callback_url',
};

/** A payload schema for `order.created`: an id, and items that each name a SKU. */
export const orderSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['id', 'items'],
  properties: {
    id: { type: 'string' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['sku', 'quantity'],
        properties: { sku: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } },
      },
    },
  },
};

export const eventSchemaExample = {
  name: 'order.created',
  schema: orderSchema,
  version: schemaVersion(JSON.stringify(orderSchema)),
  updated_at: '2026-11-20T09:30:00.000Z',
};

export const eventTypesExample = {
  event_types: [
    {
      name: 'order.created',
      entity: 'order',
      first_seen: '2026-11-01T08:00:12.000Z',
      last_seen: '2026-11-22T12:00:00.000Z',
      has_schema: true,
      schema_version: eventSchemaExample.version,
    },
    {
      name: 'return.completed',
      entity: 'return',
      first_seen: '2026-11-03T14:21:40.000Z',
      last_seen: '2026-11-22T11:58:31.000Z',
      has_schema: false,
    },
  ],
};
