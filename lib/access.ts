import { Aws, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Buckets } from './buckets.ts';
import { integrationSecretsArn } from './integration-secrets.ts';
import { acknowledgeWildcardResource } from './nag.ts';
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

/**
 * Why each wildcard resource the functions are granted is needed (cdk-nag AwsSolutions-IAM5). Each is
 * acknowledged where it is granted, on that function's role, for that ARN only.
 */
export const WILDCARD_REASONS = {
  secrets:
    'Integration secrets are created at runtime, one per integration, under the deployment prefix; the ' +
    'grant names that prefix (no other secret of the account) and Secrets Manager appends a random ' +
    'suffix to every secret ARN, so even a single known secret needs a trailing wildcard',
  stagingObjects:
    'Staged export chunks are objects created at runtime under keys made of integration ids and UUIDs; ' +
    "the grant covers this stack's staging bucket only, with object-level actions only",
  customerRoles:
    "Customers' role_arn values are given at runtime through the API and live in their accounts; only " +
    'sts:AssumeRole is granted, and each role must trust this role and require the integration external id',
  tableIndexes:
    "CDK's table grants cover the table's global secondary indexes as {table ARN}/index/*: the indexes of " +
    'this one table (defined with it), with the same actions as on the table',
  exportBucketObjects:
    'Export files go to keys chosen at runtime (the integration prefix, dates, sequence numbers) in a ' +
    'bucket the operator listed in context exportBuckets; only PutObject and AbortMultipartUpload',
} as const;

/** Acknowledges IAM5 for `resource` on the role of `fn` (where the grant's policy lives). */
const acknowledgeGrant = (fn: GrantTarget, resource: string, reason: string): void =>
  acknowledgeWildcardResource(fn.role ?? fn, resource, reason);

/** Grants `actions` on the objects of a bucket of the stack (`bucket/*`), with its acknowledgement. */
export const grantStagingObjects = (fn: GrantTarget, bucket: IBucket, actions: readonly string[]): void => {
  const objects = bucket.arnForObjects('*');
  fn.addToRolePolicy(new PolicyStatement({ actions: [...actions], resources: [objects] }));
  acknowledgeGrant(fn, objects, WILDCARD_REASONS.stagingObjects);
};

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
  /** Roles that may assume customers' export roles: what a customer's trust policy names. */
  readonly exportRoleArns: string[] = [];

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

  /**
   * Acknowledges the `{table ARN}/index/*` that CDK's table grants (grant, grantReadData, ...) add for a
   * table with indexes, on `fn`'s role and for the tables its policy names that way; called once per
   * function, after its grants.
   */
  acknowledgeTableIndexes(fn: GrantTarget): void {
    const stack = Stack.of(fn);
    const policy = fn.role?.node.tryFindChild('DefaultPolicy') as Policy | undefined;
    const document = JSON.stringify(stack.resolve(policy?.document));
    for (const table of this.props.storage.tables.values()) {
      const indexes = `${table.tableArn}/index/*`;
      if (document.includes(JSON.stringify(stack.resolve(indexes)))) {
        acknowledgeGrant(fn, indexes, WILDCARD_REASONS.tableIndexes);
      }
    }
  }

  /** One statement with every given action on this deployment's integration secrets, and no others. */
  grantSecrets(fn: GrantTarget, ...actionLists: ReadonlyArray<readonly string[]>): void {
    const actions = [...new Set(actionLists.flat())].sort();
    const secrets = integrationSecretsArn(fn, this.props.secretNamePrefix);
    fn.addToRolePolicy(new PolicyStatement({ actions, resources: [secrets] }));
    acknowledgeGrant(fn, secrets, WILDCARD_REASONS.secrets);
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
    grantStagingObjects(fn, this.bucket(EXPORT_STAGING_BUCKET), STAGING_FLUSH_ACTIONS);
    fn.addToRolePolicy(new PolicyStatement({ actions: ['sts:AssumeRole'], resources: [customerRolesArn()] }));
    acknowledgeGrant(fn, customerRolesArn(), WILDCARD_REASONS.customerRoles);
    if (fn.role) this.exportRoleArns.push(fn.role.roleArn);
    if (this.props.exportBuckets.length > 0) {
      const objects = this.props.exportBuckets.map(exportBucketObjectsArn);
      fn.addToRolePolicy(new PolicyStatement({ actions: [...EXPORT_WRITE_ACTIONS], resources: objects }));
      for (const arn of objects) acknowledgeGrant(fn, arn, WILDCARD_REASONS.exportBucketObjects);
    }
  }
}
