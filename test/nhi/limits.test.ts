import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { buildAwsPlane } from '../../examples/bedrock-gateway/app';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import {
  AwsNhiChecker, CredentialKind, GatewaySpec, GatewaySpecValidator, NhiChecks, NhiFinding, TtlLimit, TtlLimits, TtlPolicy, VaultNhiChecker,
} from '../../src';
import { buildReadmeAwsPlane, checkAws, checkVault, open, README_SPEC, roleWith } from '../support/check-fixtures';
import { synthesizeVaultPlane } from '../support/vault-example';

/**
 * One set of lifetime limits: the spec validator, both planes and the rule pack all read
 * `TtlLimits`, so every lifetime a valid spec may ask for synthesizes without a finding, and the
 * first second above a ceiling is refused by the validator and flagged by the rule pack.
 */

const policyOf = (pick: (limit: TtlLimit) => { defaultSeconds: number; maxSeconds: number }): TtlPolicy =>
  Object.fromEntries(TtlLimits.all().map((limit) => [limit.kind, pick(limit)])) as TtlPolicy;

const VARIANTS: Array<[string, TtlPolicy | undefined]> = [
  ['the example\'s own TTLs', exampleSpec.ttls],
  ['no TTLs (the defaults)', undefined],
  ['every TTL at its ceiling', policyOf((l) => ({ defaultSeconds: l.ceilingSeconds, maxSeconds: l.ceilingSeconds }))],
  ['every TTL at its floor', policyOf((l) => ({ defaultSeconds: l.floorSeconds, maxSeconds: l.floorSeconds }))],
  ['defaults at the floor, maxima at the ceiling', policyOf((l) => ({ defaultSeconds: l.floorSeconds, maxSeconds: l.ceilingSeconds }))],
];

const withTtls = (spec: GatewaySpec, ttls: TtlPolicy | undefined): GatewaySpec => ({ ...spec, ttls });

let outdir: string;
beforeEach(() => { outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-limits-')); });
afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

/** Synthesizes with the NHI plugin (which fails synthesis on an open finding), then checks the assembly as the CLI does. */
function awsFindings(build: (app: cdk.App) => void): NhiFinding[] {
  const app = new cdk.App({ outdir, analyticsReporting: false, context: { 'aws:cdk:enable-path-metadata': true } });
  cdk.Validations.of(app).addPlugins(new NhiChecks());
  build(app);
  return new AwsNhiChecker().checkCloudAssembly(app.synth().directory);
}

function vaultFindings(spec: GatewaySpec): NhiFinding[] {
  const file = path.join(outdir, 'cdk.tf.json');
  fs.writeFileSync(file, JSON.stringify(synthesizeVaultPlane(spec).config));
  return new VaultNhiChecker().checkTerraformFile(file, `${spec.name}-vault`);
}

describe.each(VARIANTS)('with %s, a valid spec', (_name, ttls) => {
  test('is valid', () => {
    expect(GatewaySpecValidator.problems(withTtls(exampleSpec, ttls))).toEqual([]);
    expect(GatewaySpecValidator.problems(withTtls(README_SPEC, ttls))).toEqual([]);
  });

  test('gives the example\'s AWS plane no open finding, in the plugin or the CLI', () => {
    const spec = withTtls(exampleSpec, ttls);
    expect(open(awsFindings((app) => buildAwsPlane(new cdk.Stack(app, `${spec.name}-aws`, { env: { account: spec.aws.account, region: spec.aws.region } }), spec)))).toEqual([]);
  });

  test('gives the README\'s AWS plane (a manually rotated key) no open finding, in the plugin or the CLI', () => {
    expect(open(awsFindings((app) => buildReadmeAwsPlane(app, withTtls(README_SPEC, ttls))))).toEqual([]);
  });

  test('gives the example\'s Vault plane no open finding', () => {
    expect(open(vaultFindings(withTtls(exampleSpec, ttls)))).toEqual([]);
  });
});

describe('one second above a ceiling is refused by the validator and flagged by the rule pack', () => {
  const above = (kind: CredentialKind) => TtlLimits.all().find((l) => l.kind === kind)!.ceilingSeconds + 1;
  const specAbove = (kind: CredentialKind) => withTtls(exampleSpec, policyOf((l) => (l.kind === kind
    ? { defaultSeconds: l.defaultSeconds, maxSeconds: above(kind) }
    : { defaultSeconds: l.defaultSeconds, maxSeconds: l.maxSeconds })));
  const rulesOf = (findings: NhiFinding[]) => open(findings).map(([rule]) => rule);

  test.each(TtlLimits.all().map((l) => l.kind))('%s', (kind) => {
    expect(GatewaySpecValidator.problems(specAbove(kind)).map((p) => p.path)).toEqual([`ttls.${kind}.maxSeconds`]);
  });

  test('cloud credentials: STS lifetimes of Vault AWS roles and mounts, and role sessions', () => {
    const sts = above(CredentialKind.CLOUD_CREDENTIALS);
    expect(rulesOf(checkVault({ vault_aws_secret_backend_role: { r: { backend: 'aws', name: 'r', credential_type: 'assumed_role', default_sts_ttl: 900, max_sts_ttl: sts } } })))
      .toEqual(['NHI-VAULT-STS-TTL']);
    // A mount is judged on its leases where they bound what it issues (IAM users live until their lease ends).
    const iamUserRole = { backend: 'aws', name: 'r', credential_type: 'iam_user', policy_arns: ['arn:aws:iam::1:policy/p'] };
    expect(rulesOf(checkVault({ vault_aws_secret_backend: { aws: { path: 'aws', default_lease_ttl_seconds: 900, max_lease_ttl_seconds: sts } }, vault_aws_secret_backend_role: { r: iamUserRole } })))
      .toEqual(['NHI-VAULT-IAM-USER', 'NHI-VAULT-LEASE-TTL']);
    expect(rulesOf(checkAws(roleWith([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }], {}, { MaxSessionDuration: sts }))))
      .toEqual(['NHI-IAM-LONG-SESSION']);
  });

  test('Vault tokens: token_ttl, token_max_ttl and token_explicit_max_ttl', () => {
    const token = above(CredentialKind.VAULT_TOKENS);
    const role = (extra: Record<string, unknown>) => checkVault({
      vault_jwt_auth_backend_role: {
        // Its tokens carry a policy: a role whose tokens open nothing is not judged on their lifetime.
        app: { role_name: 'app', role_type: 'jwt', user_claim: 'sub', bound_audiences: ['vault'], bound_subject: 'system:serviceaccount:a:b', token_policies: ['app-read'], token_ttl: 900, token_max_ttl: 900, ...extra },
      },
    });
    expect(rulesOf(role({}))).toEqual([]);
    expect(rulesOf(role({ token_ttl: token }))).toEqual(['NHI-VAULT-TOKEN-TTL']);
    expect(rulesOf(role({ token_max_ttl: token }))).toEqual(['NHI-VAULT-TOKEN-TTL']);
    expect(rulesOf(role({ token_explicit_max_ttl: token }))).toEqual(['NHI-VAULT-TOKEN-TTL']);
  });

  test('database credentials: dynamic roles and database mounts', () => {
    const db = above(CredentialKind.DATABASE_CREDENTIALS);
    const dbRole = (ttl: number) => checkVault({ vault_database_secret_backend_role: { kb: { backend: 'db', name: 'kb', db_name: 'c', creation_statements: ['x'], default_ttl: ttl, max_ttl: ttl } } });
    expect(rulesOf(dbRole(db - 1))).toEqual([]);
    expect(rulesOf(dbRole(db))).toEqual(['NHI-VAULT-DB-ROLE-TTL']);
    // A role on a backend that cannot be read here may be on the mount, which then bounds it.
    const withinRole = { kb: { backend: '${var.db_path}', name: 'kb', db_name: 'c', creation_statements: ['x'], default_ttl: 900, max_ttl: 3600 } };
    expect(rulesOf(checkVault({ vault_mount: { db: { path: 'db', type: 'database', default_lease_ttl_seconds: 900, max_lease_ttl_seconds: db } }, vault_database_secret_backend_role: withinRole })))
      .toEqual(['NHI-VAULT-LEASE-TTL']);
  });
});
