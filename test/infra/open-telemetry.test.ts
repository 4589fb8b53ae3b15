import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { ALL_FUNCTIONS } from '../../bench/functions.ts';
import { appSettingsFromContext } from '../../lib/app-context.ts';
import { ADOT_EXEC_WRAPPER, adotNodejsLayerArn } from '../../lib/app-function.ts';
import { cdkJsonContext, type Resources, synth } from './synth.ts';

/** Every Lambda function of a synthesized stack: its layers and environment variables. */
const functionsOf = (resources: Resources) =>
  Object.entries(resources)
    .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
    .map(([id, { Properties }]) => ({
      id,
      layers: Properties.Layers,
      tracing: Properties.TracingConfig,
      variables: (Properties.Environment as { Variables: Record<string, unknown> }).Variables,
    }));

const settings = (context: Record<string, unknown>) =>
  appSettingsFromContext(new App({ context: { ...cdkJsonContext, ...context } }).node).props;

describe('tracing', () => {
  it('by default: Lambda active tracing on every function, no OpenTelemetry layer nor wrapper', () => {
    const functions = functionsOf(synth().resources);
    expect(functions).toHaveLength(ALL_FUNCTIONS.length);
    for (const fn of functions) {
      expect(fn.tracing, fn.id).toEqual({ Mode: 'Active' });
      expect(fn.layers, fn.id).toBeUndefined();
      expect(fn.variables, fn.id).not.toHaveProperty('AWS_LAMBDA_EXEC_WRAPPER');
    }
  });

  it('with openTelemetry=true: the ADOT Node.js arm64 layer of the stack’s region and its wrapper on every function', () => {
    const functions = functionsOf(synth({ openTelemetry: 'true' }).resources);
    expect(functions).toHaveLength(ALL_FUNCTIONS.length);
    const regionLayer = {
      'Fn::Join': [
        '',
        ['arn:aws:lambda:', { Ref: 'AWS::Region' }, ':901920570463:layer:aws-otel-nodejs-arm64-ver-1-30-1:1'],
      ],
    };
    for (const fn of functions) {
      expect(fn.layers, fn.id).toEqual([regionLayer]);
      expect(fn.variables.AWS_LAMBDA_EXEC_WRAPPER, fn.id).toBe('/opt/otel-handler');
      expect(fn.tracing, fn.id).toEqual({ Mode: 'Active' });
    }
    expect(adotNodejsLayerArn('eu-west-1')).toBe(
      'arn:aws:lambda:eu-west-1:901920570463:layer:aws-otel-nodejs-arm64-ver-1-30-1:1',
    );
    expect(ADOT_EXEC_WRAPPER).toBe('/opt/otel-handler');
  });

  it('with openTelemetryLayerArn: that layer on every function instead', () => {
    const layerArn = 'arn:aws:lambda:eu-west-1:901920570463:layer:aws-otel-nodejs-arm64-ver-1-32-0:2';
    const functions = functionsOf(synth({ openTelemetry: true, openTelemetryLayerArn: layerArn }).resources);
    expect(functions).toHaveLength(ALL_FUNCTIONS.length);
    for (const fn of functions) {
      expect(fn.layers, fn.id).toEqual([layerArn]);
      expect(fn.variables.AWS_LAMBDA_EXEC_WRAPPER, fn.id).toBe('/opt/otel-handler');
    }
  });

  it('reads the switch from cdk.json or -c, and refuses what it cannot use', () => {
    expect(settings({}).openTelemetry).toBeUndefined();
    expect(settings({ openTelemetry: false }).openTelemetry).toBeUndefined();
    expect(settings({ openTelemetry: 'false' }).openTelemetry).toBeUndefined();
    expect(settings({ openTelemetry: true }).openTelemetry).toEqual({});
    expect(settings({ openTelemetry: 'true' }).openTelemetry).toEqual({});
    expect(() => settings({ openTelemetry: 'yes' })).toThrow(/openTelemetry.*true or false/);
    expect(() => settings({ openTelemetry: 'true', openTelemetryLayerArn: 'aws-otel-nodejs' })).toThrow(
      /openTelemetryLayerArn.*layer version ARN/,
    );
    // A layer without its version number is not one Lambda can attach.
    expect(() =>
      settings({
        openTelemetry: 'true',
        openTelemetryLayerArn: 'arn:aws:lambda:eu-west-1:901920570463:layer:aws-otel-nodejs-arm64-ver-1-30-1',
      }),
    ).toThrow(/openTelemetryLayerArn/);
    expect(() =>
      settings({ openTelemetryLayerArn: 'arn:aws:lambda:eu-west-1:123456789012:layer:otel:3' }),
    ).toThrow(/needs "openTelemetry=true"/);
  });
});
