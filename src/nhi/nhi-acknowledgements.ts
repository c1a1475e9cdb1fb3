import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { acknowledgementRecord } from './private/acknowledgements';
import { NhiRules } from './rules';

/**
 * Acknowledges findings of the NHI rule pack in a CDK app: one rule, on one resource, with a
 * reason. The acknowledgement is written into the synthesized template (the resource's
 * `Metadata`), so the plugin, the CLI and a reviewer all see it; one that no longer matches a
 * finding is reported as stale.
 */
export class NhiAcknowledgements {
  /**
   * Acknowledges one rule on one resource: a CloudFormation resource, an L2 construct (its main
   * resource), or a stack (for findings about the whole stack).
   *
   * @param scope the resource, construct or stack
   * @param ruleId the rule, e.g. `NHI-SECRET-NO-ROTATION`
   * @param reason why the finding is acceptable here (at least 20 characters)
   */
  public static acknowledge(scope: IConstruct, ruleId: string, reason: string): void {
    const record = acknowledgementRecord(scope.node.path, ruleId, reason);
    if (Stack.isStack(scope)) {
      const metadata = { ...scope.templateOptions.metadata };
      metadata[NhiRules.ACKNOWLEDGEMENTS_KEY] = [...(metadata[NhiRules.ACKNOWLEDGEMENTS_KEY] ?? []), record];
      scope.templateOptions.metadata = metadata;
      return;
    }
    const resource = CfnResource.isCfnResource(scope) ? scope : scope.node.defaultChild;
    if (!resource || !CfnResource.isCfnResource(resource)) {
      throw new Error(`${scope.node.path} is not a CloudFormation resource and has no main resource; acknowledge ${record.rule} on the resource it is about.`);
    }
    const existing = (resource.getMetadata(NhiRules.ACKNOWLEDGEMENTS_KEY) ?? []) as Array<typeof record>;
    resource.addMetadata(NhiRules.ACKNOWLEDGEMENTS_KEY, [...existing, record]);
  }

  private constructor() {}
}
