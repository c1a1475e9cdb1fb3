import * as iam from 'aws-cdk-lib/aws-iam';
import { GatewayBlueprint, TenantBlueprint } from '../../spec';

/** The two runtime actions: Converse and ConverseStream are authorized through them. */
export const INVOKE_ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];

/** Foundation models are AWS-owned: their ARNs have an empty account field. */
export function foundationModelArn(partition: string, region: string, modelId: string): string {
  return `arn:${partition}:bedrock:${region}::foundation-model/${modelId}`;
}

/** System-defined inference profiles live in the caller's account and region. */
export function inferenceProfileArn(partition: string, region: string, account: string, profileId: string): string {
  return `arn:${partition}:bedrock:${region}:${account}:inference-profile/${profileId}`;
}

/**
 * Statements that let a tenant's model target invoke exactly the tenant's models:
 * - each foundation model in the gateway's region;
 * - each inference profile in the gateway's region, plus its foundation model in every
 *   destination region, reachable only through that profile (`bedrock:InferenceProfileArn`);
 * - for `global.` profiles, the region-less foundation-model ARN, also only through the profile;
 * - `bedrock:ApplyGuardrail` on exactly the tenant's guardrails, when it has any (Converse applies
 *   a request's guardrail with the caller's rights).
 */
export function modelInvocationStatements(blueprint: GatewayBlueprint, tenant: TenantBlueprint): iam.PolicyStatement[] {
  const { partition, region, account } = blueprint;
  const statements: iam.PolicyStatement[] = [];
  if (tenant.foundationModels.length > 0) {
    statements.push(new iam.PolicyStatement({
      sid: 'InvokeFoundationModels',
      actions: INVOKE_ACTIONS,
      resources: tenant.foundationModels.map((id) => foundationModelArn(partition, region, id)),
      conditions: { StringEquals: { 'aws:RequestedRegion': region } },
    }));
  }
  tenant.inferenceProfiles.forEach((profile, index) => {
    const profileArn = inferenceProfileArn(partition, region, account, profile.id);
    const n = index + 1;
    statements.push(new iam.PolicyStatement({
      sid: `InvokeInferenceProfile${n}`,
      actions: INVOKE_ACTIONS,
      resources: [profileArn],
      conditions: { StringEquals: { 'aws:RequestedRegion': region } },
    }));
    const regions = profile.destinationRegions;
    const throughProfile: Record<string, unknown> = { 'bedrock:InferenceProfileArn': profileArn };
    if (regions.length > 0) {
      // Bedrock authorizes the model in the region that serves the request.
      throughProfile['aws:RequestedRegion'] = [...new Set([region, ...regions])];
    }
    statements.push(new iam.PolicyStatement({
      sid: `InvokeThroughInferenceProfile${n}`,
      actions: INVOKE_ACTIONS,
      // A global profile is authorized against the region-less model ARN.
      resources: regions.length > 0
        ? regions.map((r) => foundationModelArn(partition, r, profile.foundationModelId))
        : [foundationModelArn(partition, '', profile.foundationModelId)],
      conditions: { StringEquals: throughProfile },
    }));
  });
  if (tenant.guardrails.length > 0) {
    statements.push(new iam.PolicyStatement({
      sid: 'ApplyGuardrails',
      actions: ['bedrock:ApplyGuardrail'],
      resources: tenant.guardrails.map((g) => g.arn),
      conditions: { StringEquals: { 'aws:RequestedRegion': region } },
    }));
  }
  return statements;
}
