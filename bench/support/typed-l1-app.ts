import * as cdk from 'aws-cdk-lib';
import * as cfninc from 'aws-cdk-lib/cloudformation-include';
import { AssemblyModel } from './assembly';

/**
 * A CDK app with the same stacks as a synthesized assembly in which each template is read back
 * with CDK's own `cloudformation-include`: every resource becomes its typed L1 class (`CfnRole`,
 * `CfnFunction`, ...) with its properties parsed into typed props, and every `Ref` and `Fn::GetAtt`
 * between resources becomes a CDK reference again. Synthesizing it is what the same output costs
 * when it is written with CDK's typed L1 classes and nothing else: the floor of any construct
 * library built from them, between the raw app (`raw-app.ts`, untyped `CfnResource`s with literal
 * properties) and the gateway. Only its synthesis phase compares: building it parses every
 * template, which no hand-written app does.
 *
 * The gateway's assembly has top-level stacks only; stages and nested stacks are refused.
 */
export function typedL1App(model: AssemblyModel, props: { readonly outdir: string; readonly context?: Record<string, unknown> }): cdk.App {
  if (model.stages.length > 0 || model.stacks.some((s) => s.parent)) {
    throw new Error('typedL1App reads assemblies of top-level stacks only (no stages, no nested stacks)');
  }
  const app = new cdk.App({ outdir: props.outdir, analyticsReporting: false, context: props.context });
  const stacks = new Map<string, cdk.Stack>();
  for (const source of model.stacks) {
    const stack = new cdk.Stack(app, source.displayName, {
      stackName: source.stackName,
      env: { account: source.account, region: source.region },
      tags: source.tags,
      terminationProtection: source.terminationProtection,
      analyticsReporting: false,
      // The template already holds its description, the bootstrap version parameter and its rule.
      synthesizer: new cdk.DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
    });
    new cfninc.CfnInclude(stack, 'Template', { templateFile: source.templateFile });
    stacks.set(source.key, stack);
  }
  for (const source of model.stacks) {
    for (const dependency of source.dependencies) {
      const other = stacks.get(dependency);
      if (other) stacks.get(source.key)!.addStackDependency(other);
    }
  }
  return app;
}
