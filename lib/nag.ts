import {
  type App,
  type IPolicyValidationContext,
  type IPolicyValidationPlugin,
  type PolicyValidationPluginReport,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag (AwsSolutions pack) on the stack, and the acknowledgements of what it reports but this design
 * needs. Every acknowledgement is made by the construct that creates the resource or the grant, on that
 * construct only, with its reason: a grant and the acknowledgement of its wildcard cannot drift apart, and
 * a new resource of the same kind elsewhere is still checked.
 */

/**
 * cdk-nag's report fails the synth on any finding, warnings included. This wrapper fails it on errors
 * only: warnings are still printed by `cdk synth` (and listed by the nag test), but a reviewed warning need
 * not be acknowledged to deploy. Errors must be fixed or acknowledged with a reason.
 */
export class AwsSolutionsErrorsOnly implements IPolicyValidationPlugin {
  readonly name = 'AwsSolutions';
  readonly version: string | undefined;
  private readonly checks: AwsSolutionsChecks;

  constructor(scope?: IConstruct) {
    this.checks = new AwsSolutionsChecks(scope);
    this.version = this.checks.version;
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    return this.failOnErrors(this.checks.validate(context));
  }

  /** The report for the construct tree under `scope` (what `validate` does during a synth), for tests. */
  validateScope(scope: IConstruct): PolicyValidationPluginReport {
    return this.failOnErrors(this.checks.validateScope(scope));
  }

  private failOnErrors(report: PolicyValidationPluginReport): PolicyValidationPluginReport {
    return { ...report, success: !report.violations.some((violation) => violation.severity === 'error') };
  }
}

/** Registers the checks on every stack of `app`; they run when the app is synthesized. */
export const addNagChecks = (app: App): AwsSolutionsErrorsOnly => {
  const plugin = new AwsSolutionsErrorsOnly(app);
  Validations.of(app).addPlugins(plugin);
  return plugin;
};

/** Acknowledges the AwsSolutions rule (or one finding of it, `Rule[finding]`) on `scope` and below. */
export const acknowledge = (scope: IConstruct, rule: string, reason: string): void => {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-${rule}`, reason });
};

/**
 * A CloudFormation value as cdk-nag spells it in a finding: `Fn::Join` joined, `Ref` and `Fn::GetAtt` as
 * `<Name>` and `<LogicalId.Attribute>` (cdk-nag's own flattening, which it does not export).
 */
export const flattenReference = (value: unknown): string => {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof value === 'object' && value !== null) {
    const node = value as Record<string, unknown>;
    if (Array.isArray(node['Fn::Join'])) {
      const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
      return items.map(flattenReference).join(delimiter);
    }
    if (node['Fn::Sub'] !== undefined) return flattenReference(node['Fn::Sub']);
    if (Array.isArray(node['Fn::GetAtt'])) {
      const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
      return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
    }
    if (node['Fn::ImportValue'] !== undefined) return flattenReference(node['Fn::ImportValue']);
    if (node.Ref !== undefined) return `<${flattenReference(node.Ref)}>`;
  }
  return JSON.stringify(value);
};

/**
 * Acknowledges the IAM5 finding of one wildcard resource (an ARN, tokens allowed) on `scope`: that resource
 * only, never IAM5 as a whole, so any other wildcard granted under `scope` is still reported.
 */
export const acknowledgeWildcardResource = (scope: IConstruct, resource: string, reason: string): void => {
  acknowledge(scope, `IAM5[Resource::${flattenReference(Stack.of(scope).resolve(resource))}]`, reason);
};
