import { SecretsManagerStore } from '../../adapters/secrets/secrets-manager-store.ts';
import { secretsManagerClient } from '../../shared/clients/secrets-manager.ts';
import type { Settings } from '../../shared/config.ts';
import { IntegrationRemover } from '../../use-cases/integration-remover.ts';
import { IntegrationStopper } from '../../use-cases/integration-stopper.ts';
import type { Platform } from './platform.ts';
import {
  deliveryStateStore,
  integrationLogStore,
  integrationStore,
  rejectedEventStore,
  replayStore,
  type State,
} from './stores.ts';

/** Stops integrations the pipeline gives up on (no flush: the destination is what failed). */
export const integrationStopper = (config: State, platform: Platform) =>
  new IntegrationStopper({
    integrations: integrationStore(config, platform),
    logs: integrationLogStore(config, platform),
    clock: platform.clock,
  });

/** Deletes an integration's state and secret (export files are the caller's). */
export const integrationRemover = (
  config: State & Pick<Settings, 'SECRET_NAME_PREFIX'>,
  platform: Platform,
) =>
  new IntegrationRemover({
    integrations: integrationStore(config, platform),
    logs: integrationLogStore(config, platform),
    rejected: rejectedEventStore(config, platform),
    deliveryState: deliveryStateStore(config, platform),
    replayJobs: replayStore(config, platform),
    secrets: new SecretsManagerStore(secretsManagerClient(platform.aws), config.SECRET_NAME_PREFIX),
  });
