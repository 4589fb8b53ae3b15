import { registrationReplay } from '../domain/catch-up.ts';
import { ConflictError, ValidationError } from '../domain/errors.ts';
import {
  type Integration,
  type IntegrationView,
  type LogAction,
  type LogEntry,
  toView,
} from '../domain/integration.ts';
import {
  checkCallbackTarget,
  checkRegistrationTimes,
  type IntegrationPolicy,
} from '../domain/integration-rules.ts';
import {
  IMMUTABLE_FIELDS,
  registerIntegrationSchema,
  type UpdateIntegrationRequest,
  updateIntegrationSchema,
} from '../domain/integration-schema.ts';
import type { ExportFlusher } from '../domain/ports/exports.ts';
import type { IntegrationLog, IntegrationRepository, SecretStore } from '../domain/ports/integrations.ts';
import type { Clock } from '../domain/ports/platform.ts';
import type { RateLimiterStore } from '../domain/ports/rate-limits.ts';
import { rateView } from '../domain/rate-limit.ts';
import { type SecretValues, separateSecrets, signingPart } from '../domain/secrets.ts';
import { parseRequest } from '../domain/validate.ts';
import { newSigningSecret } from '../domain/webhook-signature.ts';
import { appendLog, loadIntegration } from './integration-lookup.ts';
import { type IntegrationRemover, removeWithExportFiles } from './integration-remover.ts';
import type { ReplayJobs } from './replay-jobs.ts';

export interface IntegrationRegistryDeps {
  integrations: IntegrationRepository;
  logs: Pick<IntegrationLog, 'append' | 'list'>;
  secrets: Pick<SecretStore, 'get' | 'put'>;
  /** The replay of a registration's `starts_at`. */
  replays: Pick<ReplayJobs, 'begin'>;
  remover: Pick<IntegrationRemover, 'remove'>;
  /** A delete writes an S3 integration's open file, then drops what is staged. */
  exportFiles: ExportFlusher;
  /** Where a rate-limited integration stands within its limits (GET shows it). */
  rateLimits: Pick<RateLimiterStore, 'get'>;
  clock: Clock;
  policy: IntegrationPolicy;
}

type Destination = Pick<Integration, 'callback_parameters' | 's3_parameters'>;

/**
 * Registration, update and deletion behind the REST API. Input arrives unvalidated (parsed JSON); every
 * rule of registration and update is enforced here.
 */
export class IntegrationRegistry {
  constructor(private readonly deps: IntegrationRegistryDeps) {}

  async list(): Promise<IntegrationView[]> {
    const integrations = await this.deps.integrations.list();
    return integrations.sort((a, b) => a.id.localeCompare(b.id)).map(toView);
  }

  /** One integration; a rate-limited one with where it stands within its limits (one read more). */
  async get(id: string): Promise<IntegrationView> {
    const integration = await loadIntegration(this.deps.integrations, id);
    const limit = integration.callback_parameters?.rate_limit;
    if (!limit) return toView(integration);
    const stored = await this.deps.rateLimits.get(id);
    const now = this.deps.clock.now().getTime();
    return { ...toView(integration), rate_limit_state: rateView(stored, limit, integration.created_at, now) };
  }

  /** The integration's last 50 log entries, newest first. */
  async logs(id: string): Promise<LogEntry[]> {
    await loadIntegration(this.deps.integrations, id);
    return this.deps.logs.list(id);
  }

  async register(body: unknown): Promise<IntegrationView> {
    const { deps } = this;
    const request = parseRequest(registerIntegrationSchema(), body);
    const now = deps.clock.now();
    const { notes } = checkRegistrationTimes(request, now, deps.policy);
    if (request.callback_parameters) checkCallbackTarget(request.callback_parameters, deps.policy);
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
    await deps.integrations.create(integration, deps.policy.maxIntegrations);
    if (integration.has_secrets) {
      try {
        await deps.secrets.put(integration.id, secrets);
      } catch (error) {
        // Without its credentials the integration would fail every delivery: undo the registration.
        await deps.integrations.delete(integration.id);
        throw error;
      }
    }
    await appendLog(deps.logs, integration.id, now, [
      ['integration_created', `Registered via API (${integration.integration_type}).`],
      ...notes.map((note): [LogAction, string] => ['starts_at_clamped', note]),
      ['integration_started', 'Started via API.'],
    ]);
    const range = registrationReplay(
      integration.starts_at,
      integration.ends_at,
      now,
      deps.policy.retentionDays,
    );
    if (range) {
      await deps.replays.begin(
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
    const { deps } = this;
    const current = await loadIntegration(deps.integrations, id);
    rejectImmutableFields(body);
    const request = parseRequest(updateIntegrationSchema(), body);
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
    if (request.callback_parameters) checkCallbackTarget(request.callback_parameters, deps.policy);
    const now = deps.clock.now();
    const next: Integration = { ...current, updated_at: now.toISOString(), version: current.version + 1 };
    let secrets: SecretValues | undefined;
    if (request.callback_parameters || request.s3_parameters) {
      const currentSecrets = current.has_secrets ? await deps.secrets.get(id) : {};
      const separated = separateDestination(request, current, currentSecrets);
      delete next.callback_parameters;
      delete next.s3_parameters;
      Object.assign(next, separated.masked);
      secrets = { ...signingPart(currentSecrets), ...separated.secrets };
      if (next.callback_parameters && !secrets.signing_secret) secrets.signing_secret = newSigningSecret();
      next.has_secrets = current.has_secrets || Object.keys(secrets).length > 0;
    }
    if (request.filter_conditions) next.filter_conditions = request.filter_conditions;
    await deps.integrations.update(next);
    if (secrets) await deps.secrets.put(id, secrets);
    await appendLog(deps.logs, id, now, [
      ['integration_updated', `Updated via API: ${Object.keys(request).join(', ')}.`],
    ]);
    return toView(next);
  }

  async delete(id: string): Promise<void> {
    const { deps } = this;
    await removeWithExportFiles(await loadIntegration(deps.integrations, id), deps);
  }

  /** Ends a temporary integration whose range has been delivered: deleted with everything it had. */
  async finish(id: string): Promise<void> {
    // Delete flushes an S3 integration's open file itself; a stop first would only flush twice and write a
    // log entry the delete removes at once.
    await this.delete(id);
  }
}

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
