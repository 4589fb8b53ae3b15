import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { appSettingsFromContext } from '../../lib/app-context.ts';
import { EventStreamStack } from '../../lib/event-stream-stack.ts';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const cdkJsonContext = JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')).context as Record<
  string,
  unknown
>;

export type Resource = { Type: string; Properties: Record<string, unknown> };
export type Resources = Record<string, Resource>;
export type Statement = Record<string, unknown>;

export interface Synthesized {
  app: App;
  template: Template;
  stack: EventStreamStack;
  resources: Resources;
}

/** Synthesizes the stack exactly as bin/app.ts would from this context (without bundling: not under test here). */
export const synth = (context: Record<string, unknown> = {}): Synthesized => {
  const app = new App({ context: { ...cdkJsonContext, ...context, 'aws:cdk:bundling-stacks': [] } });
  const { stackName, props } = appSettingsFromContext(app.node);
  const stack = new EventStreamStack(app, stackName, props);
  const template = Template.fromStack(stack);
  return { app, template, stack, resources: template.toJSON().Resources as Resources };
};

/**
 * Every context option that adds resources or grants: an external issuer instead of Cognito, an event
 * bus (its rule and DLQ), an alarm email (the SNS topic), customer export buckets, the OpenTelemetry layer,
 * another stack name.
 */
export const FULL_CONTEXT = {
  stackName: 'Acme',
  issuer: 'https://idp.example.com/',
  audience: 'api://eventstream',
  eventBusName: 'orders',
  alarmEmail: 'ops@example.com',
  exportBuckets: ['bucket-a', 'logs.example.com'],
  openTelemetry: true,
} as const;
