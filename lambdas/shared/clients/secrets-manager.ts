import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type AwsClientOptions, clientConfig, clientOf } from '../clients.ts';

/** Secrets Manager, where every integration's credentials live. */
export const secretsManagerClient = (options: AwsClientOptions): SecretsManagerClient =>
  clientOf(
    options,
    'secretsmanager',
    () => new SecretsManagerClient(clientConfig(options, 'secretsmanager')),
  );
