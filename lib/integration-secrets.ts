import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/**
 * ARN pattern of every integration secret of a deployment (`{prefix}*`): IAM grants name this and nothing
 * wider, so a function can never read another deployment's secrets or any other secret of the account.
 */
export const integrationSecretsArn = (scope: Construct, secretNamePrefix: string): string =>
  Stack.of(scope).formatArn({
    service: 'secretsmanager',
    resource: 'secret',
    resourceName: `${secretNamePrefix}*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
