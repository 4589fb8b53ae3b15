/**
 * Tables, queues and buckets as plain data: the CDK stack builds its resources from these and the local
 * runtime creates the same ones in the emulators, so the two cannot drift apart.
 */

export interface KeyAttribute {
  name: string;
  type: 'S' | 'N';
}

export interface TableDefinition {
  /** Construct id in the stack, and the table name in the local runtime. */
  id: string;
  /** Environment variable through which the Lambdas learn the table's name. */
  envVar: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  timeToLiveAttribute?: string;
}

/**
 * One table for the management state, keyed `pk`/`sk`:
 * - `INTEGRATION` / `{id}`: an integration (all of them in one partition: there are at most a few dozen,
 *   and listing them is one Query); `INTEGRATION` / `#COUNT` holds the count the limit is checked against.
 * - `LOG#{id}` / `{created_at}#{random}`: log entries, newest read first, trimmed to the last 50.
 * - `REJECTED#{id}` / `{event_id}`: rejected events, trimmed to the newest 30.
 */
export const STATE_TABLE: TableDefinition = {
  id: 'StateTable',
  envVar: 'STATE_TABLE_NAME',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  timeToLiveAttribute: 'expires_at',
};

export const TABLES: readonly TableDefinition[] = [STATE_TABLE];

/**
 * Name prefix every integration secret of a deployment is created under; IAM grants are limited to it,
 * so two stacks in one account never read each other's secrets.
 */
export const secretNamePrefix = (deploymentName: string): string => `${deploymentName}/integrations/`;
