import type { EventEnvelope } from './event.ts';
import type { CallbackParameters, FilterConditions, S3Parameters } from './integration-schema.ts';
import type { RateLimitStateView } from './rate-limit.ts';

export type IntegrationStatus = 'running' | 'stopped';
export type IntegrationType = 'permanent' | 'temporary';

/**
 * An integration as stored: secret values are already replaced by their masks (the values themselves
 * live only in the secret store).
 */
export interface Integration {
  id: string;
  status: IntegrationStatus;
  integration_type: IntegrationType;
  starts_at?: string;
  ends_at?: string;
  callback_parameters?: CallbackParameters;
  s3_parameters?: S3Parameters;
  filter_conditions?: FilterConditions;
  created_at: string;
  updated_at: string;
  /** When it was last stopped: where a later start catches up from. */
  stopped_at?: string;
  /** Whether a secret exists for it in the secret store. */
  has_secrets: boolean;
  /** Optimistic-locking counter: every write expects the version it read. */
  version: number;
}

/** What the API shows of an integration: the fields of NewStore's samples, secrets masked. */
export type IntegrationView = Pick<
  Integration,
  | 'id'
  | 'status'
  | 'integration_type'
  | 'starts_at'
  | 'ends_at'
  | 'callback_parameters'
  | 's3_parameters'
  | 'filter_conditions'
> & { rate_limit_state?: RateLimitStateView };

export const toView = (integration: Integration): IntegrationView => {
  const view: IntegrationView = {
    id: integration.id,
    status: integration.status,
    integration_type: integration.integration_type,
  };
  if (integration.starts_at !== undefined) view.starts_at = integration.starts_at;
  if (integration.ends_at !== undefined) view.ends_at = integration.ends_at;
  if (integration.callback_parameters !== undefined)
    view.callback_parameters = integration.callback_parameters;
  if (integration.s3_parameters !== undefined) view.s3_parameters = integration.s3_parameters;
  if (integration.filter_conditions !== undefined) view.filter_conditions = integration.filter_conditions;
  return view;
};

/** What an integration log entry records (the API documents the list: api-responses.ts). */
export const LOG_ACTIONS = [
  'integration_created',
  'integration_started',
  'integration_stopped',
  'integration_updated',
  'starts_at_clamped',
  'retry_triggered',
  'event_rejected',
  'delivery_failed',
  'deliveries_paused',
  'deliveries_resumed',
  'rate_changed',
  'signing_secret_rotated',
  'replay_started',
  'replay_completed',
  'catch_up_skipped',
  'catch_up_trimmed',
  'integration_finished',
  'file_uploaded',
] as const;

export type LogAction = (typeof LOG_ACTIONS)[number];

/** One entry of an integration's log (the API keeps the last 50). */
export interface LogEntry {
  action: LogAction;
  reason: string;
  created_at: string;
}

/** An event a receiver refused with HTTP 400, kept (the newest 30) for inspection and retry. */
export interface RejectedEvent {
  id: string;
  created_at: string;
  event: EventEnvelope;
  /** When the event was received: its key in the event log and the delivery history. */
  received_at?: string;
  /** What the receiver answered, trimmed; helps the integrator see why. */
  status_code?: number;
  response_excerpt?: string;
}

/** Limits of the per-integration stores, as NewStore documents them. */
export const LOG_ENTRY_LIMIT = 50;
export const REJECTED_EVENT_LIMIT = 30;

export type DeliveryStatus = 'pending' | 'delivered' | 'rejected' | 'failed';

/** One try to hand an event to a receiver. */
export interface DeliveryAttempt {
  at: string;
  status_code?: number;
  duration_ms: number;
  error?: string;
  /** S3 integrations: the file the event was staged into (`s3://bucket/key`), uploaded when it closes. */
  file?: string;
}

/** The delivery of one event to one integration, as the history keeps it (30 days). */
export interface DeliveryRecord {
  event_id: string;
  name: string;
  entity_id?: string;
  received_at: string;
  status: DeliveryStatus;
  updated_at: string;
  attempts: DeliveryAttempt[];
}
