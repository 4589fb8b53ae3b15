import { SQSClient } from '@aws-sdk/client-sqs';
import { type AwsClientOptions, clientConfig, clientOf } from '../clients.ts';

/**
 * SQS. Queue URLs name the queue, not the endpoint: the regional endpoint (or the emulator's, whose URLs
 * name hosts that do not resolve) is used for every call.
 */
export const sqsClient = (options: AwsClientOptions): SQSClient =>
  clientOf(
    options,
    'sqs',
    () => new SQSClient({ ...clientConfig(options, 'sqs'), useQueueUrlAsEndpoint: false }),
  );
