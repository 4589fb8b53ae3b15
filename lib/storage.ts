import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  type ITable,
  ProjectionType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { type KeyAttribute, STATE_TABLE, TABLES, type TableDefinition } from './resource-definitions.ts';

const attribute = (key: KeyAttribute) => ({
  name: key.name,
  type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

/**
 * The DynamoDB tables, built from `TABLES` so the local runtime creates the same keys and TTL. On-demand
 * (traffic is bursty and mostly idle), point-in-time recovery and encryption at rest; retained when the
 * stack is deleted, because integrations and their history are the customer's data.
 */
export class Storage extends Construct {
  /** Every table by its definition's `id`. */
  readonly tables: ReadonlyMap<string, ITable>;
  readonly stateTable: ITable;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const tables = new Map<string, ITable>();
    for (const definition of TABLES) {
      tables.set(definition.id, this.createTable(definition));
    }
    this.tables = tables;
    this.stateTable = this.table(STATE_TABLE);
  }

  /** The table built from `definition`. */
  table(definition: TableDefinition): ITable {
    const table = this.tables.get(definition.id);
    if (!table) throw new Error(`No table ${definition.id}: add it to TABLES`);
    return table;
  }

  /** Environment variables naming every table, under each definition's `envVar`. */
  tableEnvironment(): Record<string, string> {
    return Object.fromEntries(
      TABLES.map((definition) => [definition.envVar, this.table(definition).tableName]),
    );
  }

  private createTable(definition: TableDefinition): Table {
    const table = new Table(this, definition.id, {
      partitionKey: attribute(definition.partitionKey),
      ...(definition.sortKey ? { sortKey: attribute(definition.sortKey) } : {}),
      ...(definition.timeToLiveAttribute ? { timeToLiveAttribute: definition.timeToLiveAttribute } : {}),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of definition.globalSecondaryIndexes ?? []) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
        projectionType: ProjectionType.KEYS_ONLY,
      });
    }
    return table;
  }
}
