import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ClosedExportFile, ExportFile, StagedChunk } from '../../domain/export-file.ts';
import type { ExportFileChanges, ExportFiles, ExportStateStore } from '../../domain/ports/exports.ts';
import { queryAll } from './partition.ts';

const OPEN_SK = 'OPEN';
const FILE_SK_PREFIX = 'FILE#';
const DAY_S = 86_400;

const pkOf = (integrationId: string) => `EXPORT#${integrationId}`;

/** Attributes of a record that are not the file's own. */
const KEY_FIELDS = ['pk', 'sk', 'expires_at'] as const;

/**
 * Export bookkeeping in the state table, under `pk = EXPORT#{integration id}`:
 * - `OPEN`: the file being filled (its chunk list, bytes, events, version);
 * - `FILE#{file id}`: a closed file waiting for its upload (attempts, backoff, lease, multipart id).
 * One Query reads both. Every write is conditional, so concurrent batchers and flushers never lose a
 * chunk or close a file twice. Records carry a TTL well past the longest a file can wait (the stop window
 * is at most 30 days): what a deleted integration leaves behind disappears.
 */
export class DynamoExportStateStore implements ExportStateStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ttlDays = 35,
  ) {}

  async load(integrationId: string): Promise<ExportFiles> {
    const files: ExportFiles = { closed: [] };
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pkOf(integrationId) },
      ConsistentRead: true,
    });
    for (const item of items) {
      if (item.sk === OPEN_SK) files.open = toFile(item) as ExportFile;
      else files.closed.push(toFile(item) as ClosedExportFile);
    }
    files.closed.sort((a, b) => a.created_at - b.created_at);
    return files;
  }

  async openFile(integrationId: string): Promise<ExportFile | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: pkOf(integrationId), sk: OPEN_SK },
        ConsistentRead: true,
      }),
    );
    return Item ? (toFile(Item) as ExportFile) : undefined;
  }

  async open(integrationId: string, file: ExportFile): Promise<boolean> {
    return this.conditional(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: pkOf(integrationId), sk: OPEN_SK, ...file, expires_at: this.expiresAt() },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async append(
    integrationId: string,
    fileId: string,
    chunk: StagedChunk,
    limits: { maxFileBytes: number; maxChunks: number },
  ): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: pkOf(integrationId), sk: OPEN_SK },
        UpdateExpression:
          'SET chunks = list_append(chunks, :chunk), bytes = bytes + :bytes, events = events + :events, ' +
          'version = version + :one, expires_at = :expires',
        // DynamoDB conditions cannot add, so "bytes + chunk <= limit" is "bytes <= limit - chunk".
        ConditionExpression: 'file_id = :file AND bytes <= :room AND size(chunks) < :maxChunks',
        ExpressionAttributeValues: {
          ':chunk': [chunk],
          ':bytes': chunk.bytes,
          ':events': chunk.events,
          ':one': 1,
          ':expires': this.expiresAt(),
          ':file': fileId,
          ':room': limits.maxFileBytes - chunk.bytes,
          ':maxChunks': limits.maxChunks,
        },
      }),
    );
  }

  async close(integrationId: string, file: ExportFile): Promise<boolean> {
    const pk = pkOf(integrationId);
    const closed: ClosedExportFile = { ...file, attempts: 0 };
    try {
      // One transaction: the chunks move from the open record to the closed one, never both, never neither.
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.tableName,
                Key: { pk, sk: OPEN_SK },
                ConditionExpression: 'file_id = :file AND version = :version',
                ExpressionAttributeValues: { ':file': file.file_id, ':version': file.version },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { pk, sk: fileSk(file.file_id), ...closed, expires_at: this.expiresAt() },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }

  async lease(
    integrationId: string,
    fileId: string,
    now: number,
    until: number,
  ): Promise<ClosedExportFile | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: pkOf(integrationId), sk: fileSk(fileId) },
          UpdateExpression: 'SET lease_until = :until',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(lease_until) OR lease_until < :now)',
          ExpressionAttributeValues: { ':until': until, ':now': now },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? (toFile(Attributes) as ClosedExportFile) : undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async update(integrationId: string, fileId: string, changes: ExportFileChanges): Promise<void> {
    const set: string[] = [];
    const remove: string[] = [];
    const values: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined) continue;
      if (value === null) {
        remove.push(name);
      } else {
        set.push(`${name} = :${name}`);
        values[`:${name}`] = value;
      }
    }
    if (set.length === 0 && remove.length === 0) return;
    const expression = [
      set.length > 0 ? `SET ${set.join(', ')}` : '',
      remove.length > 0 ? `REMOVE ${remove.join(', ')}` : '',
    ].join(' ');
    await this.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: pkOf(integrationId), sk: fileSk(fileId) },
        UpdateExpression: expression,
        // A record removed meanwhile (given up, or cleaned by another attempt) must not come back half.
        ConditionExpression: 'attribute_exists(pk)',
        ...(Object.keys(values).length > 0 && { ExpressionAttributeValues: values }),
      }),
    );
  }

  async remove(integrationId: string, fileId: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: { pk: pkOf(integrationId), sk: fileSk(fileId) } }),
    );
  }

  async discardOpen(integrationId: string, fileId: string): Promise<void> {
    await this.conditional(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { pk: pkOf(integrationId), sk: OPEN_SK },
        ConditionExpression: 'file_id = :file',
        ExpressionAttributeValues: { ':file': fileId },
      }),
    );
  }

  private expiresAt(): number {
    return Math.floor(Date.now() / 1000) + this.ttlDays * DAY_S;
  }

  /** Runs a conditional write; false when the condition said no. */
  private async conditional(command: PutCommand | UpdateCommand | DeleteCommand): Promise<boolean> {
    try {
      await this.client.send(command as UpdateCommand);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

const fileSk = (fileId: string) => `${FILE_SK_PREFIX}${fileId}`;

const toFile = (item: Record<string, unknown>): ExportFile | ClosedExportFile => {
  const file = { ...item };
  for (const field of KEY_FIELDS) delete file[field];
  return file as unknown as ExportFile;
};
