import { earliest, planCatchUp, registrationReplay } from '../domain/catch-up.ts';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.ts';
import {
  type Integration,
  type IntegrationView,
  type LogAction,
  type LogEntry,
  type RejectedEvent,
  toView,
} from '../domain/integration.ts';
import {
  checkCallbackTarget,
  checkRegistrationTimes,
  type IntegrationPolicy,
} from '../domain/integration-rules.ts';
import {
  IMMUTABLE_FIELDS,
  integrationIdSchema,
  registerIntegrationSchema,
  type UpdateIntegrationRequest,
  updateIntegrationSchema,
} from '../domain/integration-schema.ts';
import type {
  Clock,
  DeliveryHistory,
  DeliveryStateStore,
  EventLogStore,
  ExportFlusher,
  IntegrationLog,
  IntegrationRepository,
  RejectedEventStore,
  ReplayStore,
  SecretStore,
} from '../domain/ports.ts';
import { type SecretValues, separateSecrets, signingPart } from '../domain/secrets.ts';
import { parseRequest } from '../domain/validate.ts';
import { newSigningSecret } from '../domain/webhook-signature.ts';
import type { Replays } from './replays.ts';
import { receiverRefused, type WebhookDispatcher } from './webhook-dispatcher.ts';

export interface IntegrationServiceDeps {
  integrations: IntegrationRepository;
  logs: IntegrationLog;
  rejected: RejectedEventStore;
  secrets: SecretStore;
  deliveryState: DeliveryStateStore;
  /**
   * Tells a catch-up whether the part of its range that left the window held events, and a retried
   * rejected event where its delivery record is.
   */
  eventLog: Pick<EventLogStore, 'hasEventsReceivedBetween' | 'receivedAtOf'>;
  /** A retried rejected event's attempt goes into its delivery record, as a resent delivery's does. */
  history: Pick<DeliveryHistory, 'recordAttempt'>;
  /** Sends a rejected event again on request; absent where no receiver may be called. */
  dispatcher?: WebhookDispatcher;
  /** Flushes an S3 integration's open file on stop and delete; absent until S3 export is wired in. */
  exportFlusher?: ExportFlusher;
  /** Background replays: catch-up after a start, the range of a temporary integration. */
  replays?: Replays;
  replayJobs?: ReplayStore;
  clock: Clock;
  policy: IntegrationPolicy;
}

/** How long the previous signing secret keeps signing after a rotation. */
const ROTATION_OVERLAP_MS = 24 * 3_600_000;

type Destination = Pick<Integration, 'callback_parameters' | 's3_parameters'>;

/**
 * The integration-management use cases behind the REST API. Input arrives unvalidated (parsed JSON);
 * every rule of registration, update and the start/stop lifecycle is enforced here.
 */
export class IntegrationService {
  constructor(private readonly deps: IntegrationServiceDeps) {}

  async list(): Promise<IntegrationView[]> {
    const integrations = await this.deps.integrations.list();
    return integrations.sort((a, b) => a.id.localeCompare(b.id)).map(toView);
  }

  async get(id: string): Promise<IntegrationView> {
    return toView(await this.load(id));
  }

  async register(body: unknown): Promise<IntegrationView> {
    const request = parseRequest(registerIntegrationSchema, body);
    const now = this.deps.clock.now();
    const { notes } = checkRegistrationTimes(request, now, this.deps.policy);
    if (request.callback_parameters) checkCallbackTarget(request.callback_parameters, this.deps.policy);
    const { masked, secrets } = separateDestination(request);
    if (request.callback_parameters) secrets.signing_secret = newSigningSecret();
    const timestamp = now.toISOString();
    const integration: Integration = {
      id: request.id,
      status: 'running',
      integration_type: request.integration_type,
      ...(request.starts_at !== undefined && { starts_at: request.starts_at }),
      ...(request.ends_at !== undefined && { ends_at: request.ends_at }),
      ...masked,
      ...(request.filter_conditions !== undefined && { filter_conditions: request.filter_conditions }),
      created_at: timestamp,
      updated_at: timestamp,
      has_secrets: Object.keys(secrets).length > 0,
      version: 1,
    };
    await this.deps.integrations.create(integration, this.deps.policy.maxIntegrations);
    if (integration.has_secrets) {
      try {
        await this.deps.secrets.put(integration.id, secrets);
      } catch (error) {
        // Without its credentials the integration would fail every delivery: undo the registration.
        await this.deps.integrations.delete(integration.id);
        throw error;
      }
    }
    await this.log(integration.id, now, [
      ['integration_created', `Registered via API (${integration.integration_type}).`],
      ...notes.map((note): [LogAction, string] => ['starts_at_clamped', note]),
      ['integration_started', 'Started via API.'],
    ]);
    const range = registrationReplay(
      integration.starts_at,
      integration.ends_at,
      now,
      this.deps.policy.retentionDays,
    );
    if (range && this.deps.replays) {
      await this.deps.replays.begin(
        integration,
        range.from,
        range.to,
        `starts_at of a ${integration.integration_type} integration`,
        { settle: false },
      );
    }
    return toView(integration);
  }

  async update(id: string, body: unknown): Promise<IntegrationView> {
    const current = await this.load(id);
    rejectImmutableFields(body);
    const request = parseRequest(updateIntegrationSchema, body);
    if (current.integration_type === 'temporary') {
      throw new ValidationError(
        'Temporary integrations cannot be updated; delete it and register a new one.',
      );
    }
    if (current.status === 'running') {
      throw new ConflictError(
        'integration_running',
        `Integration ${id} is running: stop it first (POST .../${id}/_stop), then update it and start it again.`,
      );
    }
    if (Object.keys(request).length === 0) {
      throw new ValidationError(
        'Nothing to update: give callback_parameters, s3_parameters or filter_conditions.',
      );
    }
    if (request.callback_parameters) checkCallbackTarget(request.callback_parameters, this.deps.policy);
    const now = this.deps.clock.now();
    const next: Integration = { ...current, updated_at: now.toISOString(), version: current.version + 1 };
    let secrets: SecretValues | undefined;
    if (request.callback_parameters || request.s3_parameters) {
      const currentSecrets = current.has_secrets ? await this.deps.secrets.get(id) : {};
      const separated = separateDestination(request, current, currentSecrets);
      delete next.callback_parameters;
      delete next.s3_parameters;
      Object.assign(next, separated.masked);
      secrets = { ...signingPart(currentSecrets), ...separated.secrets };
      if (next.callback_parameters && !secrets.signing_secret) secrets.signing_secret = newSigningSecret();
      next.has_secrets = current.has_secrets || Object.keys(secrets).length > 0;
    }
    if (request.filter_conditions) next.filter_conditions = request.filter_conditions;
    await this.deps.integrations.update(next);
    if (secrets) await this.deps.secrets.put(id, secrets);
    await this.log(id, now, [
      ['integration_updated', `Updated via API: ${Object.keys(request).join(', ')}.`],
    ]);
    return toView(next);
  }

  async delete(id: string): Promise<void> {
    const current = await this.load(id);
    // The open export file goes to the customer's bucket while the credentials to write it still exist.
    if (current.s3_parameters) await this.deps.exportFlusher?.flush(current);
    // Children first: if anything fails midway the integration still exists and a retry finishes the job.
    await Promise.all([
      this.deps.logs.deleteAll(id),
      this.deps.rejected.deleteAll(id),
      this.deps.deliveryState.delete(id),
      this.deps.replayJobs?.delete(id),
      current.s3_parameters ? this.deps.exportFlusher?.discard(id) : undefined,
    ]);
    if (current.has_secrets) await this.deps.secrets.delete(id);
    if (!(await this.deps.integrations.delete(id))) throw notFound(id);
  }

  /** Idempotent: starting a running integration changes nothing and logs nothing. */
  async start(id: string): Promise<IntegrationView> {
    return this.transition(id, 'running', 'integration_started', 'Started via API.');
  }

  /** Idempotent: stopping a stopped integration changes nothing and logs nothing. */
  async stop(id: string, reason = 'Stopped via API.'): Promise<IntegrationView> {
    return this.transition(id, 'stopped', 'integration_stopped', reason);
  }

  /**
   * A stop decided by the pipeline (receiver gone, stop window): an integration deleted or changed
   * meanwhile is left as it is; the next message or run finds out again.
   */
  async stopIfStill(id: string, reason: string): Promise<void> {
    try {
      await this.stop(id, reason);
    } catch (error) {
      if (error instanceof NotFoundError) return;
      if (error instanceof ConflictError && error.errorCode === 'concurrent_modification') return;
      throw error;
    }
  }

  /** Ends a temporary integration whose range has been delivered: deleted with everything it had. */
  async finish(id: string): Promise<void> {
    // Delete flushes an S3 integration's open file itself; a stop first would only flush twice and write a
    // log entry the delete removes at once.
    await this.delete(id);
  }

  /** The Standard Webhooks secret receivers verify signatures with (and the previous one while rotating). */
  async signingSecret(id: string): Promise<Record<string, string>> {
    const integration = await this.load(id);
    requireWebhook(integration);
    const secrets = await this.deps.secrets.get(id);
    return signingView(secrets, this.deps.clock.now());
  }

  /** Makes a new signing secret; the old one keeps signing beside it for 24 hours. */
  async rotateSigningSecret(id: string): Promise<Record<string, string>> {
    const integration = await this.load(id);
    requireWebhook(integration);
    const secrets = await this.deps.secrets.get(id);
    const now = this.deps.clock.now();
    const rotated: SecretValues = { ...secrets, signing_secret: newSigningSecret() };
    if (secrets.signing_secret) {
      rotated.previous_signing_secret = secrets.signing_secret;
      rotated.previous_signing_secret_expires_at = new Date(
        now.getTime() + ROTATION_OVERLAP_MS,
      ).toISOString();
    }
    await this.deps.secrets.put(id, rotated);
    // A new revision tells every cached copy of the old secret to read again.
    await this.deps.integrations.update({
      ...integration,
      updated_at: now.toISOString(),
      version: integration.version + 1,
    });
    await this.log(id, now, [
      ['signing_secret_rotated', 'Signing secret rotated via API; the previous one also signs for 24 hours.'],
    ]);
    return signingView(rotated, now);
  }

  /**
   * Sends a rejected event to the receiver again now: delivered → it leaves the list; any other answer
   * → 502 with what the receiver said (as NewStore's API does).
   */
  async retryRejected(
    id: string,
    eventId: string,
  ): Promise<{ id: string; status: 'delivered'; status_code: number }> {
    const integration = await this.load(id);
    requireWebhook(integration);
    const rejected = await this.deps.rejected.get(id, eventId);
    if (!rejected) throw new NotFoundError(`Rejected event ${eventId} not found for integration ${id}.`);
    if (!this.deps.dispatcher) throw new Error('No webhook dispatcher configured');
    const result = await this.deps.dispatcher.dispatch(integration, rejected.event);
    const { outcome } = result;
    const receivedAt = rejected.received_at ?? (await this.deps.eventLog.receivedAtOf(eventId));
    if (receivedAt) {
      const status = 'status' in outcome ? outcome.status : undefined;
      const delivered = outcome.kind === 'delivered';
      await this.deps.history.recordAttempt(
        integration,
        { id: eventId, name: rejected.event.name, received_at: receivedAt },
        delivered ? 'delivered' : 'rejected',
        {
          at: this.deps.clock.now().toISOString(),
          duration_ms: result.durationMs,
          ...(status !== undefined && { status_code: status }),
          ...(!delivered && {
            error: outcome.kind === 'retry' ? outcome.reason : `HTTP status code ${status}`,
          }),
        },
      );
    }
    if (outcome.kind === 'delivered') {
      await this.deps.rejected.delete(id, eventId);
      return { id: eventId, status: 'delivered', status_code: outcome.status };
    }
    throw receiverRefused(eventId, outcome);
  }

  async logs(id: string): Promise<LogEntry[]> {
    await this.load(id);
    return this.deps.logs.list(id);
  }

  async listRejected(id: string): Promise<Pick<RejectedEvent, 'id' | 'created_at'>[]> {
    await this.load(id);
    const rejected = await this.deps.rejected.list(id);
    return rejected.map(({ id: eventId, created_at }) => ({ created_at, id: eventId }));
  }

  async getRejected(id: string, eventId: string): Promise<RejectedEvent['event']> {
    await this.load(id);
    const rejected = await this.deps.rejected.get(id, eventId);
    if (!rejected) throw new NotFoundError(`Rejected event ${eventId} not found for integration ${id}.`);
    return rejected.event;
  }

  async deleteRejected(id: string, eventId: string): Promise<void> {
    await this.load(id);
    if (!(await this.deps.rejected.delete(id, eventId))) {
      throw new NotFoundError(`Rejected event ${eventId} not found for integration ${id}.`);
    }
  }

  private async transition(
    id: string,
    status: Integration['status'],
    action: LogAction,
    reason: string,
  ): Promise<IntegrationView> {
    const current = await this.load(id);
    if (current.status === status) return toView(current);
    const now = this.deps.clock.now();
    const next: Integration = {
      ...current,
      status,
      updated_at: now.toISOString(),
      version: current.version + 1,
    };
    if (status === 'stopped') next.stopped_at = now.toISOString();
    await this.deps.integrations.update(next);
    await this.log(id, now, [[action, reason]]);
    if (status === 'stopped' && next.s3_parameters) await this.deps.exportFlusher?.flush(next);
    if (status === 'running') await this.catchUp(next, current.stopped_at, now);
    return toView(next);
  }

  /**
   * After a start: replays what the integration missed while stopped, from the earliest event it did not
   * get, if that is within the event window; otherwise says in the log which period is not replayed.
   */
  private async catchUp(integration: Integration, stoppedAt: string | undefined, now: Date): Promise<void> {
    await this.deps.deliveryState.resetHealth(integration.id);
    if (!this.deps.replays) return;
    const noted = (await this.deps.deliveryState.get(integration.id)).catch_up_from;
    const missed = earliest(stoppedAt, noted);
    const days = this.deps.policy.retentionDays;
    const plan = planCatchUp(missed, stoppedAt, now, days);
    if (plan.replayFrom) {
      await this.deps.replays.begin(
        integration,
        plan.replayFrom,
        now.toISOString(),
        'catch-up after a stop',
        {
          settle: true,
        },
      );
      // The replay covers it now; a point noted meanwhile (earlier than this one) stays.
      if (noted) await this.deps.deliveryState.clearCatchUp(integration.id, noted);
      const lost = plan.leftWindow;
      if (lost && (await this.deps.eventLog.hasEventsReceivedBetween(lost.from, lost.to))) {
        await this.log(integration.id, now, [
          [
            'catch_up_trimmed',
            `Events received from ${lost.from} to ${lost.to} left the ${days}-day event window before they could be replayed; every event since ${lost.to} is replayed.`,
          ],
        ]);
      }
    } else if (plan.notReplayed) {
      if (noted) await this.deps.deliveryState.clearCatchUp(integration.id, noted);
      await this.log(integration.id, now, [
        [
          'catch_up_skipped',
          `Stopped since ${stoppedAt ?? plan.notReplayed.from}, more than ${days} days ago: events from ${plan.notReplayed.from} to ${plan.notReplayed.to} are not replayed; events from now on are delivered.`,
        ],
      ]);
    }
  }

  private async load(id: string): Promise<Integration> {
    if (!integrationIdSchema.safeParse(id).success) throw notFound(id);
    const integration = await this.deps.integrations.get(id);
    if (!integration) throw notFound(id);
    return integration;
  }

  private async log(id: string, now: Date, entries: [LogAction, string][]): Promise<void> {
    // Entries of one call share a timestamp; the store keeps their order.
    const createdAt = now.toISOString();
    await this.deps.logs.append(
      id,
      entries.map(([action, reason]) => ({ action, reason, created_at: createdAt })),
    );
  }
}

const notFound = (id: string) => new NotFoundError(`Integration ${id} not found.`);

const requireWebhook = (integration: Integration): void => {
  if (!integration.callback_parameters) {
    throw new ValidationError(
      `Integration ${integration.id} delivers to S3; only webhook integrations are signed and retried.`,
    );
  }
};

const signingView = (secrets: SecretValues, now: Date): Record<string, string> => {
  const view: Record<string, string> = {};
  if (secrets.signing_secret) view.signing_secret = secrets.signing_secret;
  const expiresAt = secrets.previous_signing_secret_expires_at;
  if (secrets.previous_signing_secret && expiresAt && Date.parse(expiresAt) > now.getTime()) {
    view.previous_signing_secret = secrets.previous_signing_secret;
    view.previous_signing_secret_expires_at = expiresAt;
  }
  return view;
};

const rejectImmutableFields = (body: unknown): void => {
  if (body === null || typeof body !== 'object') return;
  for (const field of IMMUTABLE_FIELDS) {
    if (field in body) throw new ValidationError(`${field}: cannot be updated after registration`, field);
  }
};

const separateDestination = (
  request: Destination | UpdateIntegrationRequest,
  current?: Destination,
  currentSecrets: SecretValues = {},
): { masked: Destination; secrets: SecretValues } => {
  const destination: Record<string, unknown> = request.callback_parameters
    ? { callback_parameters: request.callback_parameters }
    : { s3_parameters: request.s3_parameters };
  const { masked, secrets } = separateSecrets(destination, {
    masked: current as Record<string, unknown> | undefined,
    secrets: currentSecrets,
  });
  return { masked: masked as Destination, secrets };
};
