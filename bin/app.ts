import { App } from 'aws-cdk-lib';
import { appSettingsFromContext } from '../lib/app-context.ts';
import { EventStreamStack } from '../lib/event-stream-stack.ts';

const app = new App();
const { stackName, props } = appSettingsFromContext(app.node);
new EventStreamStack(app, stackName, props);
