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

/** A whole number within bounds, from cdk.json (number) or `-c key=3` (string). */
const integer = (node: Node, key: string, min: number, max: number): number | undefined => {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === null || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`Context "${key}" must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
};

/** A switch: a boolean in cdk.json, "true" or "false" with `-c key=true`. */
const flag = (node: Node, key: string): boolean | undefined => {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw new Error(`Context "${key}" must be true or false, got ${JSON.stringify(raw)}`);
};

/** A Lambda layer version ARN, as Lambda's API accepts it (GetLayerVersionByArn's pattern). */
const LAYER_VERSION_ARN = /^arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+$/;

/**
 * OpenTelemetry through the ADOT layer (off by default): on with `openTelemetry`, with the default layer of the
 * stack's region unless `openTelemetryLayerArn` names another one.
 */
const openTelemetry = (node: Node): { layerArn?: string } | undefined => {
  const on = flag(node, 'openTelemetry') ?? false;
  const layerArn = text(node, 'openTelemetryLayerArn');
  if (layerArn !== undefined && !LAYER_VERSION_ARN.test(layerArn)) {
    throw new Error(`Context "openTelemetryLayerArn" must be a Lambda layer version ARN, got ${layerArn}`);
  }
  if (layerArn !== undefined && !on) {
    throw new Error(
      'Context "openTelemetryLayerArn" needs "openTelemetry=true": the layer is added only then',
    );
  }
  if (!on) return undefined;
  return layerArn ? { layerArn } : {};
};

/** An EventBridge pattern: an object in cdk.json, a JSON string on the command line. */
const eventPattern = (node: Node): Record<string, unknown> | undefined => {
  const raw: unknown = node.tryGetContext('eventPattern');
  if (raw === undefined || raw === null || raw === '') return undefined;
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new Error(`Context "eventPattern" must be a JSON object, got ${raw}`);
    }
  }
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    Object.keys(value).length === 0
  ) {
    throw new Error(`Context "eventPattern" must be a non-empty JSON object, got ${JSON.stringify(raw)}`);
  }
  return value as Record<string, unknown>;
};

/** S3's bucket naming rules (3 to 63 characters; lowercase letters, digits, dots and hyphens; no IP form). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Customer buckets the stack's own role may write exports to. Names only, no wildcard and no ARN: each one
 * becomes a grant on that bucket's objects, and a pattern would widen it to buckets nobody listed.
 */
const exportBuckets = (node: Node): string[] => {
  const names = list(node, 'exportBuckets') ?? [];
  for (const name of names) {
    if (!BUCKET_NAME.test(name) || name.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(name)) {
      throw new Error(`Context "exportBuckets" must list S3 bucket names, got ${JSON.stringify(name)}`);
    }
  }
  return [...new Set(names)];
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
  const retryBudgetHours = integer(node, 'retryBudgetHours', 1, 24 * 14);
  const stopWindowHours = integer(node, 'stopWindowHours', 1, 24 * 30);
  const eventBusName = text(node, 'eventBusName');
  const pattern = eventPattern(node);
  if (pattern && !eventBusName) {
    throw new Error('Context "eventPattern" needs "eventBusName": the bus the rule listens to');
  }
  const alarmEmail = text(node, 'alarmEmail');
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    throw new Error(`Context "alarmEmail" must be an email address, got ${alarmEmail}`);
  }
  const buckets = exportBuckets(node);
  const telemetry = openTelemetry(node);
  const entityIndex = flag(node, 'entityIndex');
  const dedupEventIds = flag(node, 'dedupEventIds');
  return {
    stackName,
    props: {
      stackName,
      tenant,
      maxIntegrations,
      ...(issuer && audience ? { externalIssuer: { issuer, audience } } : {}),
      ...(retryBudgetHours !== undefined ? { retryBudgetHours } : {}),
      ...(stopWindowHours !== undefined ? { stopWindowHours } : {}),
      ...(eventBusName ? { eventBus: { eventBusName, ...(pattern ? { eventPattern: pattern } : {}) } } : {}),
      ...(alarmEmail ? { alarmEmail } : {}),
      ...(buckets.length > 0 ? { exportBuckets: buckets } : {}),
      ...(telemetry ? { openTelemetry: telemetry } : {}),
      ...(entityIndex !== undefined ? { entityIndex } : {}),
      ...(dedupEventIds !== undefined ? { dedupEventIds } : {}),
      env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
      description: 'Event stream: webhook and S3 integrations for business events',
    },
  };
};
