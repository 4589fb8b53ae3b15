import { ValidationError } from './errors.ts';
import type { CallbackParameters, RegisterIntegrationRequest } from './integration-schema.ts';
import { isLocalHostName, nonPublicReason } from './network-address.ts';
import { retentionWindowStart } from './retention.ts';

/** Settings the registration rules depend on. */
export interface IntegrationPolicy {
  retentionDays: number;
  /** Local runtime only: http:// and loopback or private callback hosts. */
  allowInsecureCallbacks: boolean;
  maxIntegrations: number;
}

/** Client clocks run a little ahead; a `starts_at` of "now" must not be refused for that. */
const CLOCK_SKEW_MS = 60_000;

/**
 * Checks the time rules of a registration and returns log notes for what was accepted with an
 * adjustment (a `starts_at` older than the event log is clamped to the window, as NewStore's own
 * samples register integrations starting years back).
 */
export const checkRegistrationTimes = (
  request: RegisterIntegrationRequest,
  now: Date,
  policy: Pick<IntegrationPolicy, 'retentionDays'>,
): { notes: string[] } => {
  const notes: string[] = [];
  const startsAt = request.starts_at === undefined ? undefined : new Date(request.starts_at);
  const endsAt = request.ends_at === undefined ? undefined : new Date(request.ends_at);
  if (startsAt && startsAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    throw new ValidationError('starts_at: must not be in the future', 'starts_at');
  }
  if (request.integration_type === 'permanent' && endsAt) {
    throw new ValidationError(
      'ends_at: is not available for permanent integrations (register a temporary one to replay a range)',
      'ends_at',
    );
  }
  if (request.integration_type === 'temporary') {
    if (!startsAt)
      throw new ValidationError('starts_at: is required for temporary integrations', 'starts_at');
    if (!endsAt) throw new ValidationError('ends_at: is required for temporary integrations', 'ends_at');
    if (endsAt.getTime() <= startsAt.getTime()) {
      throw new ValidationError('ends_at: must be after starts_at', 'ends_at');
    }
  }
  const windowStart = retentionWindowStart(now, policy.retentionDays);
  if (endsAt && endsAt.getTime() < windowStart.getTime()) {
    throw new ValidationError(
      `ends_at: the whole range lies before the ${policy.retentionDays}-day event window (events since ${windowStart.toISOString()} are kept)`,
      'ends_at',
    );
  }
  if (startsAt && startsAt.getTime() < windowStart.getTime()) {
    notes.push(
      `starts_at ${request.starts_at} is older than the ${policy.retentionDays}-day event window; events are delivered from ${windowStart.toISOString()} on.`,
    );
  }
  return { notes };
};

/**
 * Refuses callback URLs a deployed stack must not call: plain http, and hosts that are loopback,
 * private, link-local or reserved when written as literal addresses. Names resolving to such
 * addresses are refused again at connect time by the sender (DNS can change after registration).
 */
export const checkCallbackTarget = (
  params: CallbackParameters,
  policy: Pick<IntegrationPolicy, 'allowInsecureCallbacks'>,
): void => {
  checkUrl(params.callback_url, 'callback_parameters.callback_url', policy);
  if (params.oauth) checkUrl(params.oauth.token_url, 'callback_parameters.oauth.token_url', policy);
};

const checkUrl = (raw: string, field: string, policy: Pick<IntegrationPolicy, 'allowInsecureCallbacks'>) => {
  if (policy.allowInsecureCallbacks) return;
  const url = new URL(raw);
  if (url.protocol !== 'https:') throw new ValidationError(`${field}: must be an https URL`, field);
  if (url.username || url.password) {
    throw new ValidationError(`${field}: must not carry credentials; use api_key, oauth or jwt`, field);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isLocalHostName(host)) {
    throw new ValidationError(`${field}: must not point at this machine (${host})`, field);
  }
  const reason = /^[\d.]+$|:/.test(host) ? nonPublicReason(host) : undefined;
  if (reason) throw new ValidationError(`${field}: ${reason}`, field);
};
