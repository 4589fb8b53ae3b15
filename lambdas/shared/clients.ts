import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * AWS clients, created once per execution environment. Endpoints come from the SDK's standard
 * resolution, so the local runtime points them at the emulators with AWS_ENDPOINT_URL_* variables.
 */
export const dynamoDocumentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

export const secretsManagerClient = new SecretsManagerClient({});

/**
 * Queue URLs name the queue, not the endpoint: the regional endpoint (or AWS_ENDPOINT_URL_SQS locally,
 * where the emulator's URLs name hosts that do not resolve) is used for every call.
 */
export const sqsClient = new SQSClient({ useQueueUrlAsEndpoint: false });

/**
 * The stack's own S3 (the export staging bucket). Path-style addressing only where the local emulator needs
 * it; the config schema validates the same variable.
 */
export const s3Client = new S3Client({ forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true' });
