import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type AwsClientOptions, clientConfig, clientOf } from '../clients.ts';

/** DynamoDB through the document client (plain JS values; attributes set to undefined are left out). */
export const dynamoDocumentClient = (options: AwsClientOptions): DynamoDBDocumentClient =>
  clientOf(options, 'dynamodb', () =>
    DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(options, 'dynamodb')), {
      marshallOptions: { removeUndefinedValues: true },
    }),
  );
