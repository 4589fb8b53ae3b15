import { App } from 'aws-cdk-lib';
import { appSettingsFromContext } from '../lib/app-context.ts';
import { EventStreamStack } from '../lib/event-stream-stack.ts';
import { addNagChecks } from '../lib/nag.ts';

const app = new App();
const { stackName, props } = appSettingsFromContext(app.node);
new EventStreamStack(app, stackName, props);
// cdk-nag (AwsSolutions) on every synth, deploy included: it adds a few seconds to a synth that bundles
// seven functions, and a finding nobody fixed or acknowledged stops the deploy instead of shipping.
addNagChecks(app);
