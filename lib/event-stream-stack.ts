import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Api } from './api.ts';
import { Auth, type ExternalIssuer } from './auth.ts';
import { secretNamePrefix } from './resource-definitions.ts';
import { Storage } from './storage.ts';

export interface EventStreamStackProps extends StackProps {
  /** Tenant name stamped on every event and used in S3 export keys. */
  tenant: string;
  /** How many integrations the deployment accepts (register answers 400 above it). */
  maxIntegrations: number;
  /** Use this IdP instead of creating a Cognito user pool. */
  externalIssuer?: ExternalIssuer;
  /** Days events stay replayable; default 30. */
  eventRetentionDays?: number;
}

/**
 * One deployment of the event stream. The stack name names the deployment: secrets live under
 * `secretNamePrefix(stackName)`, so two stacks in one account stay apart.
 */
export class EventStreamStack extends Stack {
  readonly storage: Storage;
  readonly auth: Auth;
  readonly api: Api;

  constructor(scope: Construct, id: string, props: EventStreamStackProps) {
    super(scope, id, props);
    const secretPrefix = secretNamePrefix(this.stackName);

    this.storage = new Storage(this, 'Storage');
    this.auth = new Auth(this, 'Auth', props.externalIssuer ? { external: props.externalIssuer } : {});
    this.api = new Api(this, 'Api', {
      stateTable: this.storage.stateTable,
      secretNamePrefix: secretPrefix,
      issuer: this.auth.issuer,
      audience: this.auth.audience,
      environment: {
        ...this.storage.tableEnvironment(),
        SECRET_NAME_PREFIX: secretPrefix,
        TENANT: props.tenant,
        MAX_INTEGRATIONS: String(props.maxIntegrations),
        ALLOW_INSECURE_CALLBACKS: 'false',
        EVENT_RETENTION_DAYS: String(props.eventRetentionDays ?? 30),
      },
    });
  }
}
