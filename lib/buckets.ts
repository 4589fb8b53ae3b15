import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from './nag.ts';
import { BUCKETS, type BucketDefinition } from './resource-definitions.ts';

/** Days S3 server access logs are kept: a quarter, to investigate who read or deleted staged events. */
export const ACCESS_LOG_EXPIRATION_DAYS = 90;

/**
 * The feature flag that makes CDK let the S3 logging service write to a log bucket through its bucket
 * policy (scoped to the source buckets and this account) instead of the LogDeliveryWrite ACL, which
 * buckets with ACLs disabled (BucketOwnerEnforced) cannot have. Set on the Buckets construct so it does
 * not depend on cdk.json.
 */
const ACCESS_LOGS_USE_BUCKET_POLICY = '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy';

/** Throws when `bucket` has a lifecycle S3 would refuse or that would expire data before it is used. */
export const checkBucketDefinition = (bucket: BucketDefinition): void => {
  for (const [name, days] of [
    ['abortIncompleteMultipartUploadDays', bucket.abortIncompleteMultipartUploadDays],
    ['expirationDays', bucket.expirationDays],
  ] as const) {
    if (!Number.isInteger(days) || days < 1) {
      throw new Error(`Bucket ${bucket.id}: ${name} must be a positive whole number of days, got ${days}`);
    }
  }
};

export interface BucketsProps {
  /** Defaults to `BUCKETS`; other lists exist for tests only. */
  definitions?: readonly BucketDefinition[];
}

/**
 * The stack's own S3 buckets, built from `BUCKETS` so the local runtime creates the same ones. Private
 * (all public access blocked, ACLs disabled), encrypted with S3-managed keys (no KMS key policy or grant
 * to keep in step with the functions, no per-request KMS cost on chunks written every few seconds),
 * TLS 1.2+ only, unversioned (objects are written once and deleted by the flusher: versions would only keep
 * deleted chunks around), and expiring per the definition.
 *
 * Every request on them is logged (S3 server access logs) to one access-log bucket under `{bucket id}/`:
 * the staging bucket holds customer events between staging and upload, and these logs are the record of
 * who read or deleted them, far cheaper than CloudTrail S3 data events (log delivery is free; a few
 * hundred bytes of storage per request, expiring after ACCESS_LOG_EXPIRATION_DAYS).
 *
 * Retained when the stack is deleted, like the tables: a staged chunk is an event not yet in the customer's
 * bucket. The lifecycle keeps emptying a retained bucket, so it costs nothing after its expiration and can
 * then be deleted by hand. No `autoDeleteObjects`: it needs DESTROY and a custom-resource Lambda of CDK's
 * own (another runtime and architecture, untraced, with s3:DeleteObject* on the bucket) for data that
 * must not silently vanish anyway.
 */
export class Buckets extends Construct {
  readonly definitions: readonly BucketDefinition[];
  private readonly buckets = new Map<string, Bucket>();
  /** Where S3 writes the access logs of every bucket above. */
  readonly accessLogBucket: Bucket;

  constructor(scope: Construct, id: string, props: BucketsProps = {}) {
    super(scope, id);
    this.node.setContext(ACCESS_LOGS_USE_BUCKET_POLICY, true);
    this.definitions = props.definitions ?? BUCKETS;
    for (const definition of this.definitions) checkBucketDefinition(definition);

    // Private, TLS only and S3-encrypted like the others (log delivery cannot use a KMS default key).
    this.accessLogBucket = new Bucket(this, 'AccessLogBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: false,
      lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: Duration.days(ACCESS_LOG_EXPIRATION_DAYS) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.accessLogBucket,
      'S1',
      'This is the access-log bucket: logging it into itself would log its own log deliveries, and into ' +
        'another bucket would only move the finding there; it is written by the S3 logging service alone',
    );

    for (const definition of this.definitions) {
      this.buckets.set(
        definition.id,
        new Bucket(this, definition.id, {
          blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
          objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
          encryption: BucketEncryption.S3_MANAGED,
          enforceSSL: true,
          minimumTLSVersion: 1.2,
          versioned: false,
          serverAccessLogsBucket: this.accessLogBucket,
          serverAccessLogsPrefix: `${definition.id}/`,
          lifecycleRules: [
            {
              id: 'ExpireStagedObjects',
              abortIncompleteMultipartUploadAfter: Duration.days(
                definition.abortIncompleteMultipartUploadDays,
              ),
              expiration: Duration.days(definition.expirationDays),
            },
          ],
          removalPolicy: RemovalPolicy.RETAIN,
        }),
      );
    }
  }

  /** The bucket built from `definition`. */
  bucket(definition: BucketDefinition): IBucket {
    const bucket = this.buckets.get(definition.id);
    if (!bucket) throw new Error(`No bucket ${definition.id}: add it to BUCKETS`);
    return bucket;
  }

  /** Environment variables naming every bucket, under each definition's `envVar`. */
  bucketEnvironment(): Record<string, string> {
    return Object.fromEntries(
      this.definitions.map((definition) => [definition.envVar, this.bucket(definition).bucketName]),
    );
  }
}
