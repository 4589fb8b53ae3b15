import { Aws } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Buckets } from './buckets.ts';
import { integrationSecretsArn } from './integration-secrets.ts';
import type { Queues } from './queues.ts';
import {
  type BucketDefinition,
  EXPORT_STAGING_BUCKET,
  type QueueDefinition,
  STATE_TABLE,
  type TableDefinition,
} from './resource-definitions.ts';
import type { Storage } from './storage.ts';

/**
 * What writing an export file to a customer's bucket takes: PutObject authorizes PutObject,
 * CreateMultipartUpload, UploadPart and CompleteMultipartUpload (conditional `If-None-Match` writes
 * included); AbortMultipartUpload has its own action. Nothing reads, lists or deletes there.
 */
export const EXPORT_WRITE_ACTIONS = ['s3:PutObject', 's3:AbortMultipartUpload'] as const;

/** Flushing reads staged chunks and deletes them once their file is uploaded (DeleteObjects is per key). */
export const STAGING_FLUSH_ACTIONS = ['s3:GetObject', 's3:DeleteObject'] as const;

/** A flush writing with access keys reads the secret access key from the integration's secret. */
export const EXPORT_FLUSH_SECRET_ACTIONS = ['secretsmanager:GetSecretValue'] as const;

/**
 * Every IAM role of every account, for sts:AssumeRole of the customers' `role_arn`s. Those roles are named
 * at runtime through the API and live in the customers' accounts, so no narrower ARN is known at deploy
 * time. What protects them is their trust policy, which must name this stack's role and require the
 * integration's external id; the pattern only keeps the grant to roles (no users, no other STS calls).
 */
export const customerRolesArn = (): string => `arn:${Aws.PARTITION}:iam::*:role/*`;

/** Objects of a customer bucket the functions' own role may write exports to (context `exportBuckets`). */
export const exportBucketObjectsArn = (bucketName: string): string =>
  `arn:${Aws.PARTITION}:s3:::${bucketName}/*`;

/** A function whose role can be extended (AppFunction, or any Lambda function of the stack). */
type GrantTarget = IFunction & { addToRolePolicy(statement: PolicyStatement): void };

export interface FunctionAccessProps {
  storage: Storage;
  queues: Queues;
  buckets: Buckets;
  /** Every integration secret is named under this prefix; no function may touch another secret. */
  secretNamePrefix: string;
  /**
   * Customer buckets an S3 integration without credentials (neither access keys nor `role_arn`) may write
   * to with the functions' own role; empty: that mode fails with AccessDenied, the other two still work.
   */
  exportBuckets: readonly string[];
}

/**
 * The stack's resources as the functions' grants need them, with the grants several functions share.
 * Each function's own list (API, CONSUMER_GRANTS, SCHEDULE_GRANTS) says what it may do, from what its
 * handler's code path calls; this class only keeps those lists short and identical where they overlap.
 */
export class FunctionAccess {
  constructor(readonly props: FunctionAccessProps) {}

  table(definition: TableDefinition): ITable {
    return this.props.storage.table(definition);
  }

  queue(definition: QueueDefinition): IQueue {
    return this.props.queues.queue(definition);
  }

  bucket(definition: BucketDefinition): IBucket {
    return this.props.buckets.bucket(definition);
  }

  /** One statement with every given action on this deployment's integration secrets, and no others. */
  grantSecrets(fn: GrantTarget, ...actionLists: ReadonlyArray<readonly string[]>): void {
    const actions = [...new Set(actionLists.flat())].sort();
    fn.addToRolePolicy(
      new PolicyStatement({
        actions,
        resources: [integrationSecretsArn(fn, this.props.secretNamePrefix)],
      }),
    );
  }

  /**
   * What `ExportFlush` does outside the secrets (add EXPORT_FLUSH_SECRET_ACTIONS to the function's one
   * secrets grant): file records, log entries and delivery state in the state table (stopping an
   * integration whose uploads keep failing included), staged chunks read and deleted, the customers'
   * roles assumed, and the buckets of context `exportBuckets` written with the function's own role.
   * Used by every function that can reach a flush: the API and housekeeping (stop and delete of an S3
   * integration), the export batcher (files it filled) and the export flusher.
   */
  grantExportFlush(fn: GrantTarget): void {
    this.table(STATE_TABLE).grantReadWriteData(fn);
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: [...STAGING_FLUSH_ACTIONS],
        resources: [this.bucket(EXPORT_STAGING_BUCKET).arnForObjects('*')],
      }),
    );
    fn.addToRolePolicy(new PolicyStatement({ actions: ['sts:AssumeRole'], resources: [customerRolesArn()] }));
    if (this.props.exportBuckets.length > 0) {
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: [...EXPORT_WRITE_ACTIONS],
          resources: this.props.exportBuckets.map(exportBucketObjectsArn),
        }),
      );
    }
  }
}
