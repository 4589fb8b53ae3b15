import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * AWS clients, created once per execution environment. Endpoints come from the SDK's standard
 * resolution, so the local runtime points them at the emulators with AWS_ENDPOINT_URL_* variables.
 */
export const dynamoDocumentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

export const secretsManagerClient = new SecretsManagerClient({});
