import { randomUUID } from 'node:crypto';
import { DestinationUnreachableError, NotFoundError } from '../domain/errors.ts';
import type { EventEnvelope } from '../domain/event.ts';
import { DestinationError } from '../domain/export-file.ts';
import type { Integration } from '../domain/integration.ts';
import { isIntegrationId } from '../domain/integration-id.ts';
import type { ExportDestinations } from '../domain/ports/exports.ts';
import type { IntegrationRepository } from '../domain/ports/integrations.ts';
import type { Clock } from '../domain/ports/platform.ts';
import { receiverRefused, type WebhookDispatcher } from './webhook-dispatcher.ts';

/** The event name of a test delivery: never published, never logged, never in the history. */
export const TEST_EVENT_NAME = 'event_stream.test';

/** Where a test object goes under the integration's prefix: beside, never under, the `{tenant}/` files. */
export const TEST_OBJECT_FOLDER = '_event_stream_test';

export interface IntegrationTestDeps {
  integrations: Pick<IntegrationRepository, 'get'>;
  dispatcher: Pick<WebhookDispatcher, 'dispatch'>;
  destinations: ExportDestinations;
  clock: Clock;
  tenant: string;
}

/** A destination that took the test. */
export interface TestResult {
  ok: true;
  /** The receiver's HTTP status (webhooks). */
  status_code?: number;
  /** The S3 key written (S3 integrations). */
  key?: string;
  duration_ms: number;
}

/**
 * `POST .../{id}/_test`: tries an integration's destination at once with its real credentials, so wrong
 * receiver URLs, keys or buckets show up when they are set rather than in the log of the first delivery.
 * A webhook gets one signed `event_stream.test` event; an S3 bucket one small object under
 * `{key_prefix}/_event_stream_test/`, where no ERP job reading `{key_prefix}/{tenant}/` picks it up.
 * Nothing is logged or counted as a delivery. Works on stopped integrations too (check, then start).
 */
export class IntegrationTest {
  constructor(private readonly deps: IntegrationTestDeps) {}

  async run(id: string): Promise<TestResult> {
    const integration = isIntegrationId(id) ? await this.deps.integrations.get(id) : undefined;
    if (!integration) throw new NotFoundError(`Integration ${id} not found.`);
    return integration.s3_parameters ? this.writeObject(integration) : this.sendEvent(integration);
  }

  private async sendEvent(integration: Integration): Promise<TestResult> {
    const event: EventEnvelope = {
      id: randomUUID(),
      tenant: this.deps.tenant,
      name: TEST_EVENT_NAME,
      published_at: this.deps.clock.now().toISOString(),
      payload: {
        integration_id: integration.id,
        message: 'A test event sent on request; it is not part of the event stream.',
      },
    };
    const { outcome, durationMs } = await this.deps.dispatcher.dispatch(integration, event);
    if (outcome.kind !== 'delivered') throw receiverRefused(event.id, outcome);
    return { ok: true, status_code: outcome.status, duration_ms: durationMs };
  }

  private async writeObject(integration: Integration): Promise<TestResult> {
    const params = integration.s3_parameters;
    if (!params) throw new Error(`Integration ${integration.id} has no s3_parameters`);
    const now = this.deps.clock.now();
    const key = `${params.key_prefix}/${TEST_OBJECT_FOLDER}/${now.getTime()}-${randomUUID()}.json`;
    const body = Buffer.from(
      `${JSON.stringify({ name: TEST_EVENT_NAME, integration_id: integration.id, written_at: now.toISOString() })}\n`,
    );
    const started = Date.now();
    try {
      const destination = await this.deps.destinations.forIntegration(integration);
      await destination.putObject(key, body);
    } catch (error) {
      if (!(error instanceof DestinationError)) throw error;
      throw new DestinationUnreachableError(
        `Could not write s3://${params.bucket}/${key}: ${error.code} (${error.message}).`,
        error.code,
      );
    }
    return { ok: true, key, duration_ms: Date.now() - started };
  }
}
