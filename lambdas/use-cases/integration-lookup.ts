import { NotFoundError } from '../domain/errors.ts';
import type { Integration, LogAction } from '../domain/integration.ts';
import { isIntegrationId } from '../domain/integration-id.ts';
import type { IntegrationLog, IntegrationRepository } from '../domain/ports/integrations.ts';

/** The 404 of every route that names an integration. */
export const integrationNotFound = (id: string): NotFoundError =>
  new NotFoundError(`Integration ${id} not found.`);

/** The integration, or a 404 (an id that cannot exist is not looked up). */
export const loadIntegration = async (
  integrations: Pick<IntegrationRepository, 'get'>,
  id: string,
): Promise<Integration> => {
  if (!isIntegrationId(id)) throw integrationNotFound(id);
  const integration = await integrations.get(id);
  if (!integration) throw integrationNotFound(id);
  return integration;
};

/** Appends entries that share one timestamp; the store keeps their order. */
export const appendLog = async (
  logs: Pick<IntegrationLog, 'append'>,
  id: string,
  now: Date,
  entries: readonly [LogAction, string][],
): Promise<void> => {
  const createdAt = now.toISOString();
  await logs.append(
    id,
    entries.map(([action, reason]) => ({ action, reason, created_at: createdAt })),
  );
};
