import { BatchWriteCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';

type Key = { pk: string; sk: string };

/** Sort keys of a partition, newest (highest sort key) first unless `ascending`. */
export const queryKeys = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  pk: string,
  options: { skip?: number; ascending?: boolean } = {},
): Promise<Key[]> => {
  const keys: Key[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ProjectionExpression: 'pk, sk',
        ScanIndexForward: options.ascending ?? false,
        ExclusiveStartKey: startKey,
      }),
    );
    keys.push(...((page.Items ?? []) as Key[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return keys.slice(options.skip ?? 0);
};

/** Deletes keys in batches of 25, re-sending what DynamoDB reports as unprocessed. */
export const deleteKeys = async (client: DynamoDBDocumentClient, tableName: string, keys: Key[]) => {
  for (let i = 0; i < keys.length; i += 25) {
    let requests: NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string] =
      keys.slice(i, i + 25).map((key) => ({ DeleteRequest: { Key: { pk: key.pk, sk: key.sk } } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = result.UnprocessedItems?.[tableName] ?? [];
      if (attempt > 8 && requests.length > 0) throw new Error('DynamoDB kept items unprocessed');
    }
  }
};
