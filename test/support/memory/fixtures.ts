import { randomUUID } from 'node:crypto';
import { type LoggedEvent, publishOrderKey } from '../../../lambdas/domain/event.ts';
import type { Integration } from '../../../lambdas/domain/integration.ts';

/** A fresh integration id (unique per test). */
export const newId = (prefix = 'erp'): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A running permanent webhook integration registered at `created_at`. */
export const webhookIntegration = (overrides: Partial<Integration> = {}): Integration => ({
  id: newId(),
  status: 'running',
  integration_type: 'permanent',
  callback_parameters: { callback_url: 'https://erp.example.com/events' },
  created_at: '2026-11-01T00:00:00.000Z',
  updated_at: '2026-11-01T00:00:00.000Z',
  has_secrets: false,
  version: 1,
  ...overrides,
});

/** A running permanent S3 integration. */
export const s3Integration = (overrides: Partial<Integration> = {}): Integration => {
  const { callback_parameters: _, ...base } = webhookIntegration();
  return {
    ...base,
    s3_parameters: { bucket: 'erp-bucket', key_prefix: 'events', aws_region: 'us-east-1' },
    ...overrides,
  };
};

/** An event as the fan-out logs it. */
export const loggedEvent = (receivedAt: string, overrides: Partial<LoggedEvent> = {}): LoggedEvent => ({
  id: randomUUID(),
  tenant: 'acme',
  name: 'order.created',
  published_at: receivedAt,
  payload: { id: randomUUID().slice(0, 8) },
  received_at: receivedAt,
  ...overrides,
});

/** `base` moved by `ms`, as an ISO string. */
export const isoPlus = (base: string | Date, ms: number): string =>
  new Date(new Date(base).getTime() + ms).toISOString();

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Compares two events by publish order (`publishOrderKey`), as a receiver checking order would. */
export const byPublishOrder = (
  a: Pick<LoggedEvent, 'received_at' | 'position' | 'id'>,
  b: Pick<LoggedEvent, 'received_at' | 'position' | 'id'>,
): number => {
  const left = publishOrderKey(a);
  const right = publishOrderKey(b);
  return left < right ? -1 : left > right ? 1 : 0;
};
