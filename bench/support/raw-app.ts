import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AssemblyModel, AssemblyStack, Template } from './assembly';

/**
 * A CDK app with the same stacks as a synthesized assembly (same stack names, environments,
 * stages and nesting) in which every resource is written by hand as a raw L1:
 * `new CfnResource(stack, logicalId, { type, properties })` with its logical id, dependencies,
 * condition, metadata and policies, and the template's parameters, conditions, mappings, rules and
 * outputs as their L1 elements. What the floor of synthesis costs for the same output.
 *
 * Reads the whole model before it builds: only building and synthesizing count.
 */
export function rawApp(model: AssemblyModel, props: { readonly outdir: string; readonly context?: Record<string, unknown> }): cdk.App {
  // Path metadata is not added: each resource carries the original's metadata, construct paths included.
  const app = new cdk.App({ outdir: props.outdir, analyticsReporting: false, context: props.context });
  const scopes = new Map<string, { scope: Construct; path: string }>([['', { scope: app, path: '' }]]);
  for (const stage of model.stages) {
    const parent = scopes.get(stage.parentDir)!;
    const segments = relativeSegments(stage.displayName, parent.path);
    const scope = new cdk.Stage(chain(parent.scope, segments.slice(0, -1)), segments[segments.length - 1]);
    scopes.set(stage.assemblyDir, { scope, path: stage.displayName });
  }

  const stacks = new Map<string, cdk.Stack>();
  const nestedByKey = new Map(model.stacks.filter((s) => s.parent).map((s) => [s.key, s]));
  for (const stack of model.stacks) {
    if (!stack.parent) {
      const { scope, path } = scopes.get(stack.assemblyDir)!;
      const segments = relativeSegments(stack.displayName, path);
      stacks.set(stack.key, new cdk.Stack(chain(scope, segments.slice(0, -1)), segments[segments.length - 1], {
        stackName: stack.stackName,
        env: { account: stack.account, region: stack.region },
        description: stack.template.Description,
        tags: stack.tags,
        terminationProtection: stack.terminationProtection,
        analyticsReporting: false,
      }));
    }
    // Parents come before their nested stacks, which writing the parent creates.
    writeTemplate(stacks.get(stack.key)!, stack, nestedByKey, stacks);
  }
  for (const stack of model.stacks) {
    for (const dependency of stack.dependencies) {
      const other = stacks.get(dependency);
      if (other) stacks.get(stack.key)!.addStackDependency(other);
    }
  }
  return app;
}

/**
 * Writes one template's elements into its raw stack, section by section in the template's own
 * order (CDK writes sections in the order their first element was created, and a nested stack's
 * template URL is the hash of its bytes).
 */
function writeTemplate(target: cdk.Stack, source: AssemblyStack, nestedByKey: Map<string, AssemblyStack>, stacks: Map<string, cdk.Stack>): void {
  const template: Template = source.template;
  const conditions = new Map<string, cdk.CfnCondition>();
  const created = new Map<string, cdk.CfnResource>();
  const outputs = new Map<string, cdk.CfnOutput>();
  const entries = <T>(section: string) => Object.entries((template[section] ?? {}) as Record<string, T>);
  for (const section of Object.keys(template)) {
    switch (section) {
      case 'Description':
        break; // a stack prop
      case 'AWSTemplateFormatVersion':
        target.templateOptions.templateFormatVersion = template.AWSTemplateFormatVersion;
        break;
      case 'Metadata':
        target.templateOptions.metadata = template.Metadata;
        break;
      case 'Transform':
        for (const transform of [template.Transform].flat()) target.addTransform(transform);
        break;
      case 'Parameters':
        for (const [name, p] of entries<Record<string, unknown>>(section)) new cdk.CfnParameter(target, name, parameterProps(name, p));
        break;
      case 'Conditions':
        for (const [name, expression] of entries<unknown>(section)) {
          const condition = new cdk.CfnCondition(target, name, { expression: cdk.Token.asAny(expression) });
          condition.overrideLogicalId(name);
          conditions.set(name, condition);
        }
        break;
      case 'Mappings':
        for (const [name, mapping] of entries<Record<string, Record<string, unknown>>>(section)) {
          new cdk.CfnMapping(target, name, { mapping }).overrideLogicalId(name);
        }
        break;
      case 'Rules':
        for (const [name, rule] of entries<any>(section)) {
          new cdk.CfnRule(target, name, {
            ruleCondition: rule.RuleCondition === undefined ? undefined : cdk.Token.asAny(rule.RuleCondition) as cdk.ICfnRuleConditionExpression,
            assertions: (rule.Assertions ?? []).map((a: any) => ({
              assert: cdk.Token.asAny(a.Assert) as cdk.ICfnRuleConditionExpression,
              assertDescription: a.AssertDescription,
            })),
          }).overrideLogicalId(name);
        }
        break;
      case 'Resources':
        for (const [logicalId, resource] of entries<any>(section)) {
          const nested = nestedByKey.get(`${source.key}/${logicalId}`);
          created.set(logicalId, nested ? nestedStack(target, logicalId, resource, nested, stacks) : rawResource(target, logicalId, resource));
        }
        break;
      case 'Outputs':
        for (const [name, output] of entries<any>(section)) {
          const cfn = new cdk.CfnOutput(target, name, {
            value: asString(output.Value),
            description: output.Description,
            exportName: output.Export ? asString(output.Export.Name) : undefined,
          });
          cfn.overrideLogicalId(name);
          outputs.set(name, cfn);
        }
        break;
      default:
        new RawSection(target, `Section-${section}`, { [section]: template[section] });
    }
  }

  // Then what refers to other elements: dependencies, conditions, metadata and resource policies.
  for (const [logicalId, resource] of entries<any>('Resources')) {
    const cfn = created.get(logicalId)!;
    for (const [attribute, value] of Object.entries(resource as Record<string, any>)) {
      switch (attribute) {
        case 'Type':
        case 'Properties':
          break;
        case 'DependsOn':
          for (const dependency of [value].flat()) {
            const other = created.get(String(dependency));
            if (other) cfn.addResourceDependency(other);
            else cfn.addOverride('DependsOn', value);
          }
          break;
        case 'Condition':
          if (conditions.has(value)) cfn.cfnOptions.condition = conditions.get(value);
          else cfn.addOverride('Condition', value);
          break;
        case 'Metadata':
          for (const [key, entry] of Object.entries(value as Record<string, unknown>)) cfn.addMetadata(key, entry);
          break;
        case 'DeletionPolicy':
          cfn.cfnOptions.deletionPolicy = value as cdk.CfnDeletionPolicy;
          break;
        case 'UpdateReplacePolicy':
          cfn.cfnOptions.updateReplacePolicy = value as cdk.CfnDeletionPolicy;
          break;
        default:
          cfn.addOverride(attribute, value);
      }
    }
  }
  for (const [name, output] of entries<any>('Outputs')) {
    if (output.Condition) outputs.get(name)!.condition = conditions.get(output.Condition);
  }
}

function rawResource(target: cdk.Stack, logicalId: string, resource: any): cdk.CfnResource {
  const cfn = new cdk.CfnResource(target, logicalId, { type: resource.Type, properties: resource.Properties });
  cfn.overrideLogicalId(logicalId);
  return cfn;
}

/** A nested stack's resource: CDK's NestedStack, given the parameters and other properties the original passes. */
function nestedStack(target: cdk.Stack, logicalId: string, resource: any, nested: AssemblyStack, stacks: Map<string, cdk.Stack>): cdk.CfnResource {
  const parameters: Record<string, string> = {};
  for (const [name, value] of Object.entries((resource.Properties?.Parameters ?? {}) as Record<string, unknown>)) parameters[name] = asString(value);
  const stack = new cdk.NestedStack(target, logicalId, { parameters, description: nested.template.Description });
  const cfn = stack.nestedStackResource!;
  cfn.overrideLogicalId(logicalId);
  for (const [key, value] of Object.entries((resource.Properties ?? {}) as Record<string, unknown>)) {
    if (key !== 'TemplateURL' && key !== 'Parameters') cfn.addPropertyOverride(key, value);
  }
  stacks.set(nested.key, stack);
  return cfn;
}

const PARAMETER_PROPS: Record<string, keyof cdk.CfnParameterProps> = {
  Type: 'type',
  Default: 'default',
  AllowedValues: 'allowedValues',
  AllowedPattern: 'allowedPattern',
  ConstraintDescription: 'constraintDescription',
  Description: 'description',
  MaxLength: 'maxLength',
  MaxValue: 'maxValue',
  MinLength: 'minLength',
  MinValue: 'minValue',
  NoEcho: 'noEcho',
};

function parameterProps(name: string, parameter: Record<string, unknown>): cdk.CfnParameterProps {
  const props: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parameter)) {
    const prop = PARAMETER_PROPS[key];
    if (!prop) throw new Error(`parameter ${name}: unknown attribute ${key}`);
    props[prop] = value;
  }
  return props as cdk.CfnParameterProps;
}

/** A template section CDK has no L1 element for, written as it was. */
class RawSection extends cdk.CfnElement {
  constructor(scope: Construct, id: string, private readonly fragment: Record<string, unknown>) {
    super(scope, id);
  }

  /** @internal */
  public _toCloudFormation(): object {
    return this.fragment;
  }
}

function asString(value: unknown): string {
  return typeof value === 'string' ? value : cdk.Token.asString(cdk.Token.asAny(value));
}

/** The construct ids from `base` to `path` (construct paths are `/`-separated). */
function relativeSegments(path: string, base: string): string[] {
  const relative = base && path.startsWith(`${base}/`) ? path.slice(base.length + 1) : path;
  return relative.split('/');
}

/** Plain constructs along `segments` under `scope`, reused when they exist. */
function chain(scope: Construct, segments: string[]): Construct {
  let current = scope;
  for (const segment of segments) current = current.node.tryFindChild(segment) as Construct | undefined ?? new Construct(current, segment);
  return current;
}
