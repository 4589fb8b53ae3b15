import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { SecretStore } from '../../domain/ports/integrations.ts';
import type { SecretValues } from '../../domain/secrets.ts';

/**
 * One Secrets Manager secret per integration, named `{prefix}{integration id}`, holding its credential
 * values as JSON. The prefix scopes the stack's IAM grants.
 */
export class SecretsManagerStore implements SecretStore {
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly namePrefix: string,
  ) {}

  private nameOf(integrationId: string): string {
    return `${this.namePrefix}${integrationId}`;
  }

  async put(integrationId: string, secrets: SecretValues): Promise<void> {
    const SecretString = JSON.stringify(secrets);
    const name = this.nameOf(integrationId);
    try {
      await this.client.send(
        new CreateSecretCommand({
          Name: name,
          SecretString,
          Description: `Receiver credentials of event-stream integration ${integrationId}`,
          Tags: [{ Key: 'event-stream:integration', Value: integrationId }],
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceExistsException)) throw error;
      await this.client.send(new PutSecretValueCommand({ SecretId: name, SecretString }));
    }
  }

  async get(integrationId: string): Promise<SecretValues> {
    try {
      const { SecretString } = await this.client.send(
        new GetSecretValueCommand({ SecretId: this.nameOf(integrationId) }),
      );
      return SecretString ? (JSON.parse(SecretString) as SecretValues) : {};
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return {};
      throw error;
    }
  }

  async delete(integrationId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteSecretCommand({ SecretId: this.nameOf(integrationId), ForceDeleteWithoutRecovery: true }),
      );
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }
}
