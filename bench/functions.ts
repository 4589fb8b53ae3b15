/**
 * The Lambda entry points the benchmark bundles, one per deployed function. Add a line here when the stack
 * gains a function (same entry path as in `lib/`).
 */
export interface BenchFunction {
  name: string;
  /** Path from the repository root. */
  entry: string;
}

export const FUNCTIONS: readonly BenchFunction[] = [{ name: 'api', entry: 'lambdas/handlers/api/index.ts' }];

/**
 * What every function is compared with: the smallest useful Lambda of this stack, a bundled DynamoDB
 * client. A ratio near 1 means our code and libraries add little on top of the SDK we cannot avoid.
 */
export const BASELINE_SOURCE = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
export const client = new DynamoDBClient({});
export const handler = async () => client.config.region();
`;

/** Environment the functions' module-scope config parse needs, as the stack would set it. */
export const FUNCTION_ENV: Record<string, string> = {
  STATE_TABLE_NAME: 'x',
  SECRET_NAME_PREFIX: 'x/',
  AWS_REGION: 'us-east-1',
  POWERTOOLS_SERVICE_NAME: 'event-stream',
  NODE_OPTIONS: '--enable-source-maps',
};
