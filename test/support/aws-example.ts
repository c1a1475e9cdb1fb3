import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildAwsPlane } from '../../examples/bedrock-gateway/app';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayAwsPlane, GatewaySpec } from '../../src';

export interface SynthesizedPlane {
  readonly app: cdk.App;
  readonly stack: cdk.Stack;
  readonly plane: GatewayAwsPlane;
  /**
   * The gateway's stacks (the shared stack and every cell stack) seen as one template: resources,
   * outputs and rules together, each `Fn::ImportValue` replaced by the value its export names, so
   * references read as they do within one stack.
   */
  readonly template: Template;
  /** Each of the gateway's stacks on its own, shared stack first. */
  readonly stackTemplates: Record<string, any>;
}

/**
 * The templates of a gateway's stacks merged into one (see `SynthesizedPlane.template`). Logical
 * ids are unique across the stacks (each is a hash of the construct path), which the merge checks.
 */
export function mergedGatewayTemplate(templates: any[]): any {
  const exported = new Map<string, unknown>();
  for (const template of templates) {
    for (const output of Object.values((template.Outputs ?? {}) as Record<string, any>)) {
      if (output.Export?.Name) exported.set(output.Export.Name, output.Value);
    }
  }
  const inline = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(inline);
    if (!value || typeof value !== 'object') return value;
    const obj = value as Record<string, unknown>;
    if (typeof obj['Fn::ImportValue'] === 'string' && exported.has(obj['Fn::ImportValue'])) return inline(exported.get(obj['Fn::ImportValue']));
    // A list attribute crosses stacks joined with '||' and is split again on import: the list itself.
    const split = obj['Fn::Split'] as [string, any] | undefined;
    if (Array.isArray(split) && split[0] === '||' && typeof split[1]?.['Fn::ImportValue'] === 'string') {
      const joined = exported.get(split[1]['Fn::ImportValue']) as any;
      if (Array.isArray(joined?.['Fn::Join']) && joined['Fn::Join'][0] === '||') return inline(joined['Fn::Join'][1]);
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, inline(v)]));
  };
  const merged: any = { Resources: {}, Outputs: {}, Rules: {}, Parameters: {}, Conditions: {} };
  templates.forEach((original, index) => {
    // Each cell stack has the same per-stack resources (its API, its stage): the later ones get
    // the stack's index appended, with their references renamed to match.
    const renames = new Map<string, string>();
    for (const id of Object.keys(original.Resources ?? {})) {
      if (merged.Resources[id]) renames.set(id, `${id}S${index}`);
    }
    const template = renames.size === 0 ? original : renamed(original, renames);
    for (const section of Object.keys(merged)) {
      for (const [id, value] of Object.entries((template[section] ?? {}) as Record<string, unknown>)) {
        if (section === 'Outputs' && (value as any).Export?.Name?.includes(':ExportsOutput')) continue;
        if (section === 'Rules' && merged.Rules[id]) continue;
        merged[section][id] = inline(value);
      }
    }
  });
  return merged;
}

/** A template with some logical ids renamed, in its resources and in every reference to them. */
function renamed(template: any, renames: Map<string, string>): any {
  const rename = (id: string) => renames.get(id) ?? id;
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (!value || typeof value !== 'object') return value;
    const obj = value as Record<string, unknown>;
    if (typeof obj.Ref === 'string') return { Ref: rename(obj.Ref) };
    if (Array.isArray(obj['Fn::GetAtt'])) return { 'Fn::GetAtt': [rename(String(obj['Fn::GetAtt'][0])), ...obj['Fn::GetAtt'].slice(1)] };
    if (typeof obj['Fn::Sub'] === 'string') {
      return { 'Fn::Sub': obj['Fn::Sub'].replace(/\$\{([A-Za-z0-9]+)([.}])/g, (_m, id: string, end: string) => `\${${rename(id)}${end}`) };
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, walk(v)]));
  };
  const resources = Object.fromEntries(Object.entries(template.Resources ?? {}).map(([id, resource]: [string, any]) => {
    const next = walk(resource) as any;
    if (resource.DependsOn) next.DependsOn = [resource.DependsOn].flat().map(rename);
    return [rename(id), next];
  }));
  return { ...template, Resources: resources, Outputs: walk(template.Outputs ?? {}) };
}

/** The synthesized templates of the plane's stack and its cell stacks, by stack name. */
export function gatewayStackTemplates(app: cdk.App, plane: GatewayAwsPlane): Record<string, any> {
  const assembly = app.synth();
  const names = [cdk.Stack.of(plane).stackName, ...plane.cellStacks.map((s) => s.stackName)];
  return Object.fromEntries(names.map((name) => [name, assembly.getStackByName(name).template]));
}

/**
 * The example's AWS plane in a plain app (no rule packs, so it is fast). `build` replaces the
 * example's wiring when a test needs other props.
 */
export function synthesizeAwsPlane(
  spec: GatewaySpec = exampleSpec,
  build: (stack: cdk.Stack, spec: GatewaySpec) => GatewayAwsPlane = buildAwsPlane,
): SynthesizedPlane {
  const app = new cdk.App({ analyticsReporting: false, context: { 'aws:cdk:enable-path-metadata': true } });
  const stack = new cdk.Stack(app, `${spec.name}-aws`, { env: { account: spec.aws.account, region: spec.aws.region } });
  const plane = build(stack, spec);
  const stackTemplates = gatewayStackTemplates(app, plane);
  return { app, stack, plane, template: Template.fromJSON(mergedGatewayTemplate(Object.values(stackTemplates))), stackTemplates };
}

/** One router cell's function as synthesized: its properties, and the directory of its code asset. */
export interface RouterDeployment {
  readonly tenantId: string;
  readonly properties: any;
  readonly codeDirectory: string;
}

/**
 * The router function of one tenant's cell (by default the first tenant with one), with its code
 * asset in the app's cloud assembly.
 */
export function routerDeployment(synthesized: SynthesizedPlane, tenantId?: string): RouterDeployment {
  const tenant = synthesized.plane.blueprint.tenants.find((t) => t.router && (tenantId === undefined || t.id === tenantId));
  if (!tenant) throw new Error(`no router cell of tenant ${tenantId}`);
  const name = tenant.router!.functionName;
  const found = Object.values(synthesized.template.findResources('AWS::Lambda::Function', { Properties: { FunctionName: name } })) as any[];
  if (found.length !== 1) throw new Error(`expected one function ${name}, found ${found.length}`);
  const properties = found[0].Properties;
  const assetKey = String(properties.Code.S3Key).replace(/\.zip$/, '');
  return { tenantId: tenant.id, properties, codeDirectory: path.join(synthesized.app.synth().directory, `asset.${assetKey}`) };
}
