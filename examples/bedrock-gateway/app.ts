import * as fs from 'fs';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import * as cdktf from 'cdktf';
import { addGuardrailsStack, buildGuardrails } from './guardrails';
import {
  GatewayAwsPlane, GatewayBlueprint, GatewaySpec, GatewayVaultPlane, LlmGateway, NhiChecks, NhiFinding, NhiReport, ProviderKeyRotation,
  VaultConnection, VaultNhiChecker, VaultProviderLogin, VaultServerIdentity,
} from '../../src';

/** One synthesized stack, as read back from disk. */
export interface StackSummary {
  readonly plane: 'aws' | 'vault';
  readonly name: string;
  readonly file: string;
  readonly resources: number;
}

/** A rule finding acknowledged on one construct, with its reason. */
export interface Acknowledgement {
  readonly constructPath: string;
  readonly rule: string;
  readonly reason: string;
}

/** What `synthesizeGateway` wrote. */
export interface SynthesisSummary {
  readonly gateway: string;
  readonly awsOutdir: string;
  readonly vaultOutdir: string;
  /** Where the organization guardrails are written as plain JSON, for teams that manage policies elsewhere. */
  readonly guardrailsOutdir: string;
  /** The guardrail documents written there. */
  readonly guardrailFiles: string[];
  readonly stacks: StackSummary[];
  /** Findings of the rule packs acknowledged in the AWS plane (synthesis fails on any other). */
  readonly acknowledgements: Acknowledgement[];
  /** Findings of the NHI rule pack in the Vault plane. */
  readonly vaultFindings: NhiFinding[];
}

/**
 * Synthesizes both planes of a gateway from one spec: the AWS plane as a cloud assembly into
 * `<outdir>/aws` and the Vault plane as CDKTF output into `<outdir>/vault`. Offline: no AWS or
 * Vault credentials, no lookups, no provider downloads.
 */
export function synthesizeGateway(spec: GatewaySpec, outdir: string): SynthesisSummary {
  // Validates the whole spec first and reports every problem at once.
  const blueprint = GatewayBlueprint.fromSpec(spec);
  const awsOutdir = path.join(outdir, 'aws');
  const vaultOutdir = path.join(outdir, 'vault');
  const guardrailsOutdir = path.join(outdir, 'guardrails');
  // Stale stacks from an earlier run would be summarized as if they were current.
  for (const dir of [awsOutdir, vaultOutdir, guardrailsOutdir]) fs.rmSync(dir, { recursive: true, force: true });

  const awsApp = createAwsApp(awsOutdir);
  const awsStack = new cdk.Stack(awsApp, `${blueprint.name}-aws`, {
    env: { account: blueprint.account, region: blueprint.region },
    description: `gateward ${blueprint.name}: AWS plane (identity chain, keys, policy store, audit)`,
  });
  buildAwsPlane(awsStack, spec);
  // The organization guardrails: a stack for the management account, and the same documents as JSON.
  const guardrails = buildGuardrails(addGuardrailsStack(awsApp, spec), spec);
  const assembly = awsApp.synth();
  const guardrailFiles = guardrails.writeDocuments(guardrailsOutdir);

  const vaultApp = new cdktf.App({ outdir: vaultOutdir, stackTraces: false });
  buildVaultPlane(new cdktf.TerraformStack(vaultApp, `${blueprint.name}-vault`), spec);
  vaultApp.synth();
  const vaultFindings = new VaultNhiChecker().checkCdktfOutput(vaultOutdir);
  if (vaultFindings.some((f) => !f.acknowledged)) {
    throw new Error(`The Vault plane has open NHI findings:\n${NhiReport.toText(vaultFindings)}`);
  }

  const stacks: StackSummary[] = [
    ...assembly.stacks.map((stack) => ({
      plane: 'aws' as const,
      name: stack.stackName,
      file: path.join(awsOutdir, stack.templateFile),
      resources: Object.keys(stack.template.Resources ?? {}).length,
    })),
    ...readVaultStacks(vaultOutdir),
  ];
  const acknowledgements = assembly.stacks.flatMap((stack) => Object.entries(stack.metadata)
    .flatMap(([constructPath, entries]) => entries
      .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
      .flatMap((entry) => Object.entries(entry.data as unknown as Record<string, string>)
        .map(([rule, reason]) => ({ constructPath, rule, reason })))));
  return { gateway: blueprint.name, awsOutdir, vaultOutdir, guardrailsOutdir, guardrailFiles, stacks, acknowledgements, vaultFindings };
}

/**
 * A CDK app that holds every AWS plane to the rule packs security reviews use: cdk-nag's
 * AwsSolutions and NIST 800-53 R5 packs, the AWS Control Tower proactive controls (cfn-guard)
 * and gateward's own NHI rule pack. CDK's own CloudFormation validation runs as well. Synthesis
 * fails on any unacknowledged finding.
 */
export function createAwsApp(outdir: string): cdk.App {
  const app = new cdk.App({
    outdir,
    analyticsReporting: false,
    // Construct paths in the template, as the CDK CLI writes them: reviews and snapshots cite them.
    context: { '@aws-cdk/core:validateAgainstDefaultRules': true, 'aws:cdk:enable-path-metadata': true },
  });
  cdk.Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new CfnGuardValidator(), new NhiChecks());
  return app;
}

/**
 * The example's AWS plane and gateway, wired the way a platform team would: Vault runs as an IAM
 * role of its own in a peered network, the OpenAI key is rotated by the team's existing rotation
 * function, S3 access logs go to the account's access-log bucket, and each tenant's router cell
 * runs in the private subnets of the team's existing VPC (imported by id: nothing is looked up).
 */
export function buildAwsPlane(stack: cdk.Stack, spec: GatewaySpec): GatewayAwsPlane {
  const account = spec.aws.account;
  const region = spec.aws.region;
  const openAiRotation = lambda.Function.fromFunctionAttributes(stack, 'OpenAiKeyRotation', {
    functionArn: `arn:aws:lambda:${region}:${account}:function:acme-openai-key-rotation`,
    role: iam.Role.fromRoleArn(stack, 'OpenAiKeyRotationRole', `arn:aws:iam::${account}:role/acme-openai-key-rotation`, { mutable: false }),
    sameEnvironment: true,
  });
  const plane = new GatewayAwsPlane(stack, 'Gateway', {
    spec,
    vaultServer: VaultServerIdentity.fromRoleArn(`arn:aws:iam::${account}:role/acme-vault-server`),
    providerKeyRotation: { 'research/openai': ProviderKeyRotation.withFunction(openAiRotation) },
    serverAccessLogsBucket: s3.Bucket.fromBucketName(stack, 'AccountAccessLogs', `acme-s3-access-logs-${account}-${region}`),
  });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'PlatformVpc', {
    vpcId: 'vpc-0a1b2c3d4e5f60718',
    vpcCidrBlock: '10.40.0.0/16',
    availabilityZones: [`${region}a`, `${region}b`],
    privateSubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
    privateSubnetRouteTableIds: ['rtb-0a1b2c3d4e5f60001', 'rtb-0a1b2c3d4e5f60002'],
  });
  const gateway = new LlmGateway(stack, 'LlmGateway', {
    plane,
    vpc,
    // Vault's listeners, in the peered shared-services VPC.
    vaultConnection: VaultConnection.fromPeer(ec2.Peer.ipv4('10.50.0.0/16'), 8200),
  });
  // Each tenant's workloads call their own tenant's URL: /live/v1/tenants/<tenant>/chat, an
  // output of the tenant's cell stack (where its API is).
  for (const [tenant, url] of Object.entries(gateway.chatUrls)) {
    new cdk.CfnOutput(plane.cellStackOf(tenant), `ChatUrl-${tenant}`, { value: url, description: `Where tenant ${tenant}'s workloads post chat requests (SigV4, execute-api)` });
  }
  return plane;
}

/**
 * The example's Vault plane: the platform pipeline logs in with its AWS identity.
 */
export function buildVaultPlane(stack: cdktf.TerraformStack, spec: GatewaySpec): GatewayVaultPlane {
  // Terraform state holds Vault configuration: keep it in an encrypted, access-logged bucket.
  new cdktf.S3Backend(stack, {
    bucket: `acme-terraform-state-${spec.aws.account}-${spec.aws.region}`,
    key: `gateward/${spec.name}/vault.tfstate`,
    region: spec.aws.region,
    encrypt: true,
    dynamodbTable: 'acme-terraform-locks',
  });
  return new GatewayVaultPlane(stack, 'Gateway', {
    spec,
    providerLogin: VaultProviderLogin.aws({ role: 'acme-platform-pipeline' }),
  });
}

function readVaultStacks(vaultOutdir: string): StackSummary[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(vaultOutdir, 'manifest.json'), 'utf-8'));
  return Object.values(manifest.stacks as Record<string, { name: string; synthesizedStackPath: string }>).map((stack) => {
    const file = path.join(vaultOutdir, stack.synthesizedStackPath);
    const config = JSON.parse(fs.readFileSync(file, 'utf-8'));
    const resources = Object.values((config.resource ?? {}) as Record<string, Record<string, unknown>>)
      .reduce((total, byName) => total + Object.keys(byName).length, 0);
    return { plane: 'vault' as const, name: stack.name, file, resources };
  });
}

/**
 * A short, human-readable account of what was synthesized and where.
 */
export function formatSummary(summary: SynthesisSummary, relativeTo: string = process.cwd()): string {
  const rel = (p: string) => path.relative(relativeTo, p) || '.';
  const stackLines = (plane: StackSummary['plane']) => summary.stacks.filter((s) => s.plane === plane)
    .map((stack) => `    ${stack.name.padEnd(24)} ${String(stack.resources).padStart(4)} resources  ${rel(stack.file)}`);
  const vaultAcknowledged = summary.vaultFindings.filter((f) => f.acknowledged).length;
  const lines = [
    `gateward: synthesized gateway "${summary.gateway}" (offline, no credentials)`,
    `  AWS plane (CDK cloud assembly) -> ${rel(summary.awsOutdir)}/`,
    ...stackLines('aws'),
    `  Rule packs (cdk-nag AwsSolutions, NIST 800-53 R5, Control Tower, OWASP NHI, CloudFormation): no open finding, ${summary.acknowledgements.length} acknowledged`,
    ...summary.acknowledgements.flatMap((ack) => [`    ${ack.rule.replace(/^Annotation::/, '')} on ${ack.constructPath}`, `      ${ack.reason}`]),
    `  Vault plane (CDKTF) -> ${rel(summary.vaultOutdir)}/`,
    ...stackLines('vault'),
    `  Rule pack (OWASP NHI for Vault): no open finding, ${vaultAcknowledged} acknowledged`,
    `  Organization guardrails (SCPs and RCPs for the management account) -> ${rel(summary.guardrailsOutdir)}/`,
    ...summary.guardrailFiles.map((file) => `    ${rel(file)}`),
  ];
  return lines.join('\n');
}
