import * as cdk from 'aws-cdk-lib';
import { GatewayGuardrails, GatewaySpec } from '../../src';

/** The example organization's management account, where organization policies are made. */
export const MANAGEMENT_ACCOUNT = '999988887777';

/** The exact roles the example's guardrails exempt or protect, in the gateway's account. */
export interface ExampleGuardrailRoles {
  /** CloudFormation's execution role from `cdk bootstrap`: the identity that makes every change to the gateway. */
  readonly deploymentRoleArn: string;
  /** CDK's deploy role from `cdk bootstrap`, which starts each deployment and passes the execution role to CloudFormation. */
  readonly cdkDeployRoleArn: string;
  /** The execution role of the team's OpenAI key rotation function (see `buildAwsPlane`). */
  readonly rotationRoleArn: string;
  /** The Vault server's role, which the broker and verifier trust (see `buildAwsPlane`). */
  readonly vaultServerRoleArn: string;
}

/** The roles of the example's gateway account that its guardrails name. */
export function exampleGuardrailRoles(spec: GatewaySpec): ExampleGuardrailRoles {
  const { account, region } = spec.aws;
  const partition = spec.aws.partition ?? 'aws';
  const role = (name: string) => `arn:${partition}:iam::${account}:role/${name}`;
  return {
    deploymentRoleArn: role(`cdk-hnb659fds-cfn-exec-role-${account}-${region}`),
    cdkDeployRoleArn: role(`cdk-hnb659fds-deploy-role-${account}-${region}`),
    rotationRoleArn: role('acme-openai-key-rotation'),
    vaultServerRoleArn: role('acme-vault-server'),
  };
}

/**
 * The example gateway's organization guardrails in a stack of its own: SCPs and RCPs attached to
 * the gateway's account, deployed from the organization's management account. The credential-
 * lifecycle owner is the spec's. Only CDK's deployment roles change the gateway.
 */
export function buildGuardrails(stack: cdk.Stack, spec: GatewaySpec): GatewayGuardrails {
  const roles = exampleGuardrailRoles(spec);
  return new GatewayGuardrails(stack, 'Guardrails', {
    spec,
    deploymentRoleArns: [roles.deploymentRoleArn, roles.cdkDeployRoleArn],
    rotationRoleArns: [roles.rotationRoleArn],
    protectedRoleArns: [roles.vaultServerRoleArn],
    targetIds: [spec.aws.account],
  });
}

/**
 * Adds the (empty) stack of the example's guardrails to an app: `<gateway>-guardrails`, in the
 * management account. Organizations is a global service whose endpoint is in us-east-1.
 */
export function addGuardrailsStack(app: cdk.App, spec: GatewaySpec): cdk.Stack {
  return new cdk.Stack(app, `${spec.name}-guardrails`, {
    env: { account: MANAGEMENT_ACCOUNT, region: 'us-east-1' },
    description: `gateward ${spec.name}: organization guardrails (SCPs and RCPs) for the gateway's account ${spec.aws.account}`,
  });
}
