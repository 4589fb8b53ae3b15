import { CachedSecretStore } from '../../adapters/secrets/cached-secret-store.ts';
import { SecretsManagerStore } from '../../adapters/secrets/secrets-manager-store.ts';
import { secretsManagerClient } from '../../shared/clients/secrets-manager.ts';
import type { Settings } from '../../shared/config.ts';
import type { Platform } from './platform.ts';

/** Integration secrets, cached (revision-checked) for the life of the execution environment. */
export const secretStore = (config: Pick<Settings, 'SECRET_NAME_PREFIX'>, { aws, clock }: Platform) =>
  new CachedSecretStore(new SecretsManagerStore(secretsManagerClient(aws), config.SECRET_NAME_PREFIX), clock);
