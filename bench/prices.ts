/**
 * AWS list prices, us-east-1, in USD per ONE billed unit, as the public AWS pricing pages state them (Lambda,
 * SQS, DynamoDB, Secrets Manager, S3, API Gateway, EventBridge). Written down on PRICES_AS_OF from those pages
 * as known then, not fetched: check them against the pricing pages before quoting a figure. An entry that
 * names a later date and a page was confirmed on that page then. Free tiers, data transfer, CloudWatch
 * Logs/metrics and X-Ray are left out (see the cost section's notes).
 */
export const PRICES_AS_OF = '2026-11-22';

export const PRICES = {
  /** SQS standard queue: $0.40 per million requests; each 64 KB chunk of a request's payload is one request. */
  sqsRequest: 0.4 / 1e6,
  /** DynamoDB on-demand: $0.625 per million write request units (1 KB each), after the Nov 2024 reduction. */
  dynamoWriteUnit: 0.625 / 1e6,
  /** DynamoDB on-demand: $0.125 per million read request units (4 KB strongly consistent, 2 eventually). */
  dynamoReadUnit: 0.125 / 1e6,
  /**
   * Secrets Manager: $0.05 per 10,000 API calls. Confirmed 2026-12-01 from the pricing examples of
   * https://aws.amazon.com/secrets-manager/pricing/ as captured 2026-09-20 (its rate table renders client-side).
   */
  secretsManagerCall: 0.05 / 1e4,
  /** S3 Standard: PUT, COPY, POST, LIST at $0.005 per 1,000 (UploadPart, CreateMultipartUpload... included). */
  s3PutOrList: 0.005 / 1e3,
  /** S3 Standard: GET, SELECT and all other requests (HEAD included) at $0.0004 per 1,000; DELETE is free. */
  s3Get: 0.0004 / 1e3,
  /** Lambda: $0.20 per million requests. */
  lambdaRequest: 0.2 / 1e6,
  /** Lambda on arm64 (Graviton), first pricing tier: $0.0000133334 per GB-second. */
  lambdaGbSecondArm: 0.0000133334,
  /**
   * API Gateway HTTP API: $1.00 per million requests (first 300 million, each 512 KB counted as one).
   * Confirmed 2026-12-01: https://docs.aws.amazon.com/whitepapers/latest/best-practices-api-gateway-private-apis-integration/cost-optimization.html
   */
  httpApiRequest: 1.0 / 1e6,
  /** EventBridge: $1.00 per million custom events published with PutEvents (each 64 KB chunk of an entry is one). */
  eventBridgePutEvent: 1.0 / 1e6,
  /** EventBridge API destinations: $0.20 per million invocations. */
  eventBridgeApiDestination: 0.2 / 1e6,
} as const;

/** Memory every function of the stack gets (lib/app-function.ts: memorySize 512). */
export const LAMBDA_MEMORY_GB = 0.5;
