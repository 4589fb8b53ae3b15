import { clock, config, ingestQueue, integrationService } from '../../shared/composition.ts';
import { PublishEvents } from '../../use-cases/publish-events.ts';
import { createApiHandler } from './handler.ts';

const publisher = new PublishEvents({ ingestQueue, clock, tenant: config.TENANT });

/** Entry point of the API Lambda: integration management and event ingest. */
export const handler = createApiHandler(integrationService, publisher);
