import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Audit } from '@cdktf/provider-vault/lib/audit';
import { AwsSecretBackendRole } from '@cdktf/provider-vault/lib/aws-secret-backend-role';
import { VaultProvider } from '@cdktf/provider-vault/lib/provider';
import * as cdk from 'aws-cdk-lib';
import * as cdktf from 'cdktf';
import { AwsNhiChecker, GatewayAwsPlane, GatewaySpec, NhiFinding, ProviderKeyRotation, VaultNhiChecker, VaultServerIdentity } from '../../src';

const OWNER_TAGS = [
  { Key: 'gateward:owner:policy', Value: 'p' }, { Key: 'gateward:owner:operations', Value: 'o' }, { Key: 'gateward:owner:credential-lifecycle', Value: 'c' },
];

/** A CloudFormation resource with the owner tags (so only what a test adds can fire), and `extra` top-level fields such as Metadata. */
export function resource(type: string, properties: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const tagged = ['AWS::IAM::Role', 'AWS::SecretsManager::Secret', 'AWS::Logs::LogGroup', 'AWS::CloudTrail::Trail', 'AWS::S3::Bucket', 'AWS::Lambda::Function', 'AWS::IAM::User'].includes(type);
  return { Type: type, Properties: { ...(tagged ? { Tags: OWNER_TAGS } : {}), ...properties }, ...extra };
}

/** A role trusted by one exact role, with one managed policy of the given statements. */
export function roleWith(
  statements: unknown[], trust: Record<string, unknown> = {}, roleProps: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    Role: resource('AWS::IAM::Role', {
      RoleName: 'app',
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: 'arn:aws:iam::111122223333:role/caller' }, ...trust }] },
      ...roleProps,
    }, { Metadata: { 'aws:cdk:path': 'Stack/App/Role/Resource' } }),
    Policy: resource('AWS::IAM::ManagedPolicy', { Roles: [{ Ref: 'Role' }], PolicyDocument: { Version: '2012-10-17', Statement: statements } }),
    // A trail, so NHI-NO-AUDIT-TRAIL stays out of every other rule's way.
    Trail: resource('AWS::CloudTrail::Trail', { EnableLogFileValidation: true, IsLogging: true, S3BucketName: 'b' }),
  };
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-check-'));

/** Checks templates (resources by logical id) as one app deployed to 111122223333. */
export function checkAws(...templates: Array<Record<string, unknown>>): NhiFinding[] {
  const dir = tmp();
  try {
    const inputs = templates.map((resources, i) => {
      const file = path.join(dir, `Stack${i || ''}.template.json`);
      const { __metadata, ...rest } = resources as Record<string, unknown> & { __metadata?: unknown };
      fs.writeFileSync(file, JSON.stringify({ Resources: rest, ...(__metadata ? { Metadata: __metadata } : {}) }));
      return { templateFile: file, account: '111122223333', stackPath: `Stack${i || ''}` };
    });
    return new AwsNhiChecker().checkTemplates(inputs);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Two audit devices of different types: the base of every Vault fixture. */
const AUDITED = {
  vault_audit: {
    file: { type: 'file', options: { file_path: '/a', mode: '0600', hmac_accessor: 'false' } },
    socket: { type: 'socket', options: { address: '/run/a.sock', socket_type: 'unix' } },
  },
};

/** Checks one Terraform JSON configuration (resources by type, then name), with the audit pair unless told otherwise. */
export function checkVault(resources: Record<string, Record<string, unknown>>, extra: Record<string, unknown> = {}, audited = true): NhiFinding[] {
  const dir = tmp();
  try {
    const file = path.join(dir, 'cdk.tf.json');
    fs.writeFileSync(file, JSON.stringify({ ...extra, resource: { ...(audited ? AUDITED : {}), ...resources } }));
    return new VaultNhiChecker().checkTerraformFile(file, 'vault-stack');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `[ruleId, location]` of every open finding. */
export function open(findings: NhiFinding[]): Array<[string, string]> {
  return findings.filter((f) => !f.acknowledged).map((f) => [f.ruleId, f.location] as [string, string]).sort();
}

/**
 * A CDKTF app with a Vault AWS role that creates IAM users, and the given number of audit
 * devices (a file device, then a socket device).
 */
export function legacyVaultApp(outdir: string, auditDevices: number): { app: cdktf.App; stack: cdktf.TerraformStack; role: AwsSecretBackendRole } {
  const app = new cdktf.App({ outdir, stackTraces: false });
  const stack = new cdktf.TerraformStack(app, 'vault');
  new VaultProvider(stack, 'vault', { address: 'https://vault.example.com:8200' });
  if (auditDevices >= 1) new Audit(stack, 'file', { type: 'file', options: { file_path: '/vault/audit.log' } });
  if (auditDevices >= 2) new Audit(stack, 'socket', { type: 'socket', options: { address: '/run/audit.sock', socket_type: 'unix' } });
  const role = new AwsSecretBackendRole(stack, 'legacy', { backend: 'aws', name: 'legacy', credentialType: 'iam_user', policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] });
  return { app, stack, role };
}

/** The spec of the README's Usage example, as the README writes it. */
export const README_SPEC: GatewaySpec = {
  name: 'acme-llm',
  aws: { account: '111122223333', region: 'us-east-1' },
  owners: {
    policy: { contact: 'ai-governance@acme.example' },
    operations: { contact: 'llm-platform@acme.example' },
    credentialLifecycle: {
      contact: 'secrets-ops@acme.example',
      roleArn: 'arn:aws:iam::111122223333:role/acme-secrets-rotation',
    },
  },
  tenants: [
    {
      id: 'support',
      workloads: [{ id: 'support-bot', roleArn: 'arn:aws:iam::444455556666:role/support-bot-prod' }],
      foundationModels: ['anthropic.claude-3-5-haiku-20241022-v1:0'],
      providerKeys: [{ id: 'openai', provider: 'openai', rotationPeriodDays: 30 }],
      tools: ['ticket-search'],
    },
  ],
};

/** The README's Usage example wiring in `app`: the AWS plane with the key rotated manually. */
export function buildReadmeAwsPlane(app: cdk.App, spec: GatewaySpec = README_SPEC): GatewayAwsPlane {
  const stack = new cdk.Stack(app, `${spec.name}-aws`, { env: { account: spec.aws.account, region: spec.aws.region } });
  return new GatewayAwsPlane(stack, 'Gateway', {
    spec,
    vaultServer: VaultServerIdentity.fromRoleArn(`arn:aws:iam::${spec.aws.account}:role/acme-vault-server`),
    providerKeyRotation: Object.fromEntries(spec.tenants.flatMap((tenant) =>
      (tenant.providerKeys ?? []).map((key) => [`${tenant.id}/${key.id}`, ProviderKeyRotation.manual()]))),
  });
}
