import type { Node } from 'constructs';
import type { EventStreamStackProps } from './event-stream-stack.ts';

/** The stack a `cdk` command builds: its name and props, read from CDK context (cdk.json or `-c key=value`). */
export interface AppSettings {
  stackName: string;
  props: EventStreamStackProps;
}

const text = (node: Node, key: string): string | undefined => {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`Context "${key}" must be a string`);
  return value;
};

/** `-c audience=a,b` arrives as a string, cdk.json may hold an array. */
const list = (node: Node, key: string): string[] | undefined => {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  const items = Array.isArray(value) ? value : String(value).split(',');
  const strings = items.map((item) => String(item).trim()).filter((item) => item !== '');
  return strings.length > 0 ? strings : undefined;
};

/**
 * Reads and checks the context, failing the synth with a clear message instead of deploying a stack that
 * would reject every token or every registration.
 */
export const appSettingsFromContext = (node: Node): AppSettings => {
  const stackName = text(node, 'stackName') ?? 'EventStream';
  const tenant = text(node, 'tenant') ?? 'default';
  const rawMax: unknown = node.tryGetContext('maxIntegrations') ?? 10;
  const maxIntegrations = Number(rawMax);
  if (!Number.isInteger(maxIntegrations) || maxIntegrations < 1 || maxIntegrations > 1000) {
    throw new Error(
      `Context "maxIntegrations" must be an integer from 1 to 1000, got ${JSON.stringify(rawMax)}`,
    );
  }
  const issuer = text(node, 'issuer');
  const audience = list(node, 'audience');
  if ((issuer === undefined) !== (audience === undefined)) {
    throw new Error(
      'Context "issuer" and "audience" go together: set both to use your IdP, or neither for Cognito',
    );
  }
  if (issuer !== undefined && !issuer.startsWith('https://')) {
    throw new Error(`Context "issuer" must be an https:// URL, got ${issuer}`);
  }
  return {
    stackName,
    props: {
      stackName,
      tenant,
      maxIntegrations,
      ...(issuer && audience ? { externalIssuer: { issuer, audience } } : {}),
      env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
      description: 'Event stream: webhook and S3 integrations for business events',
    },
  };
};
