import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { addGuardrailsStack, buildGuardrails } from '../../examples/bedrock-gateway/guardrails';
import { GatewayAwsPlane, GatewaySpec, LlmGateway, NhiChecks, VaultConnection, VaultServerIdentity } from '../../src';
import { scaleRotations } from '../../test/support/scale-spec';

/** The rule packs `createAwsApp` adds to the example app, by name. */
export const RULE_PACKS = {
  'cdk-nag AwsSolutions': (app: cdk.App) => new AwsSolutionsChecks(app),
  'cdk-nag NIST 800-53 R5': (app: cdk.App) => new NIST80053R5Checks(app),
  'cfn-guard (Control Tower)': (_app: cdk.App) => new CfnGuardValidator(),
  'NhiChecks': (_app: cdk.App) => new NhiChecks(),
} as const;

export type RulePackName = keyof typeof RULE_PACKS;

/** What a gateway synthesis runs besides building and writing the templates. */
export interface GatewayAppOptions {
  /**
   * CDK's CloudFormation validation, with `@aws-cdk/core:validateAgainstDefaultRules` on (its
   * errors fail synth), or off (replaced by a stand-in: see `withoutCloudFormationValidation`).
   */
  readonly cfnValidation: boolean;
  /** The rule packs to run. */
  readonly rulePacks: readonly RulePackName[];
  /**
   * Whether assets are copied into the assembly (`aws:cdk:disable-asset-staging` off). Their
   * fingerprints are computed either way.
   */
  readonly assetStaging: boolean;
}

/**
 * The context every benchmarked app shares. CDK refuses a stack of more than 500 resources at
 * synth unless `@aws-cdk/core:stackResourceLimit` is 0: the benchmark reports the excess instead.
 */
export function benchContext(cfnValidation: boolean): Record<string, unknown> {
  return { '@aws-cdk/core:validateAgainstDefaultRules': cfnValidation, '@aws-cdk/core:stackResourceLimit': 0 };
}

/**
 * The example gateway's AWS assembly for a scale spec, wired as examples/bedrock-gateway/app.ts
 * wires it (`createAwsApp`, `buildAwsPlane`, the guardrails stack), except that every provider key
 * is rotated manually (`scaleRotations`), so the plane's key-age check runs in the platform VPC, and
 * the rule packs and CloudFormation validation are chosen by `options`. Keep it in step with the
 * example app: it is the one place the benchmark builds a gateway.
 */
export function gatewayApp(spec: GatewaySpec, outdir: string, options: GatewayAppOptions): cdk.App {
  const app = new cdk.App({
    outdir,
    analyticsReporting: false,
    context: {
      ...benchContext(options.cfnValidation),
      'aws:cdk:enable-path-metadata': true,
      ...(options.assetStaging ? {} : { 'aws:cdk:disable-asset-staging': true }),
    },
  });
  if (!options.cfnValidation) withoutCloudFormationValidation(app);
  const packs = options.rulePacks.map((name) => RULE_PACKS[name](app));
  if (packs.length > 0) cdk.Validations.of(app).addPlugins(...packs);
  const stack = new cdk.Stack(app, `${spec.name}-aws`, {
    env: { account: spec.aws.account, region: spec.aws.region },
    description: `gateward ${spec.name}: AWS plane (identity chain, keys, policy store, audit)`,
  });
  const { account, region } = spec.aws;
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'PlatformVpc', {
    vpcId: 'vpc-0a1b2c3d4e5f60718',
    vpcCidrBlock: '10.40.0.0/16',
    availabilityZones: [`${region}a`, `${region}b`],
    privateSubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
    privateSubnetRouteTableIds: ['rtb-0a1b2c3d4e5f60001', 'rtb-0a1b2c3d4e5f60002'],
  });
  const plane = new GatewayAwsPlane(stack, 'Gateway', {
    spec,
    vaultServer: VaultServerIdentity.fromRoleArn(`arn:aws:iam::${account}:role/acme-vault-server`),
    providerKeyRotation: scaleRotations(spec),
    // The key-age check of the manually rotated keys runs in the same private subnets as the router cells.
    vpc,
    serverAccessLogsBucket: s3.Bucket.fromBucketName(stack, 'AccountAccessLogs', `acme-s3-access-logs-${account}-${region}`),
  });
  const gateway = new LlmGateway(stack, 'LlmGateway', {
    plane,
    vpc,
    vaultConnection: VaultConnection.fromPeer(ec2.Peer.ipv4('10.50.0.0/16'), 8200),
  });
  // Where the example puts each tenant's URL: its cell stack when the plane has cell stacks.
  const cellStackOf = (plane as unknown as { cellStackOf?: (tenant: string) => cdk.Stack }).cellStackOf?.bind(plane);
  for (const [tenant, url] of Object.entries(gateway.chatUrls)) {
    new cdk.CfnOutput(cellStackOf ? cellStackOf(tenant) : stack, `ChatUrl-${tenant}`, { value: url, description: `Where tenant ${tenant}'s workloads post chat requests (SigV4, execute-api)` });
  }
  buildGuardrails(addGuardrailsStack(app, spec), spec);
  return app;
}

/**
 * Stands in for CDK's CloudFormation validation, which aws-cdk-lib registers on every app unless
 * the app registers its own instance (the context only decides whether its errors fail synth).
 * Built without the constructor, so its rule engine is never loaded.
 */
export function withoutCloudFormationValidation(app: cdk.App): void {
  const standIn = Object.create(cdk.CloudFormationValidatePlugin.prototype) as cdk.CloudFormationValidatePlugin;
  Object.defineProperties(standIn, {
    name: { value: 'CloudFormation Validate (off)' },
    version: { value: undefined },
    ruleIds: { value: [] },
    validate: { value: () => ({ success: true, violations: [] }) },
  });
  cdk.Validations.of(app).addPlugins(standIn);
}
