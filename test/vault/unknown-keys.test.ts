import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import {
  AwsCredentialRole, DataAccess, DatabaseCredentialRole, DatabaseStaticRole, GatewayBlueprint, GatewayVaultPlane, GatewayVaultPlaneProps,
  GatewayVaultPolicy, JwtWorkloadRole, PostgresConnection, RouterAuth, TenantAwsSecrets, TenantDatabaseSecrets, VaultAuditDevices,
  VaultPolicyDocument, VaultProviderLogin, WorkloadJwtAuth,
} from '../../src';

const blueprint = GatewayBlueprint.fromSpec(exampleSpec);
const stack = () => new TerraformStack(Testing.app(), 's');
const LOGIN = VaultProviderLogin.aws({ role: 'acme-platform-pipeline' });

describe('unknown keys in construct props are errors, with a did-you-mean', () => {
  test('the plane reports every one at once, each with its path, value and fix (the removed workloadIdentityAudience too)', () => {
    const props = { spec: exampleSpec, providerLogin: LOGIN, workloadIdentityAudience: 'gateward-acme-llm', manageAuditDevice: false, tokenNmae: 'ci-42' };
    expect(() => new GatewayVaultPlane(stack(), 'g', props as GatewayVaultPlaneProps)).toThrow(
      'GatewayVaultPlane "acme-llm" is invalid (3 problems):\n'
      + '  - props.workloadIdentityAudience: is not a field of GatewayVaultPlaneProps (got "workloadIdentityAudience"). Fix: remove it; the fields of GatewayVaultPlaneProps are '
      + 'spec, providerLogin, tokenName, providerTokenTtlSeconds, caCertFile, awsApiEndpoints, databaseTlsCa, manageAuditDevices, secondAuditDevice, auditFilePath, auditSocketPath.\n'
      + '  - props.manageAuditDevice: is not a field of GatewayVaultPlaneProps (got "manageAuditDevice"). Fix: did you mean "manageAuditDevices"? Rename or remove it.\n'
      + '  - props.tokenNmae: is not a field of GatewayVaultPlaneProps (got "tokenNmae"). Fix: did you mean "tokenName"? Rename or remove it.');
  });

  test('every construct of the plane refuses a misspelt field', () => {
    const tenant = blueprint.tenants[0];
    const s = stack();
    const password = new TerraformVariable(s, 'pw', { type: 'string', sensitive: true }).stringValue;
    const cases: Array<[string, (scope: Construct) => unknown, RegExp]> = [
      ['RouterAuth', (sc) => new RouterAuth(sc, 'x', { blueprint, policyName: 'p', endpoint: {} } as any), /props\.endpoint: .*did you mean "endpoints"/],
      ['TenantAwsSecrets', (sc) => new TenantAwsSecrets(sc, 'x', { blueprint, tenant, workloadIdentityAudience: 'a' } as any), /props\.workloadIdentityAudience: is not a field of TenantAwsSecretsProps/],
      ['TenantDatabaseSecrets', (sc) => new TenantDatabaseSecrets(sc, 'x', { blueprint, tenant, tlsCA: {} } as any), /props\.tlsCA: .*did you mean "tlsCa"/],
      ['AwsCredentialRole', (sc) => new AwsCredentialRole(sc, 'x', {
        backend: 'aws', name: 'r', roleArn: 'arn:aws:iam::111122223333:role/r', externalId: 'x', defaultStsTtlSeconds: 900, maxStsTtlSeconds: 3600, sessionTag: {},
      } as any), /props\.sessionTag: .*did you mean "sessionTags"/],
      ['DatabaseCredentialRole', (sc) => new DatabaseCredentialRole(sc, 'x', {
        backend: 'db', name: 'd', connectionName: 'c', schema: 's', access: DataAccess.READ_ONLY, defaultTtlSeconds: 900, maxTtlSeconds: 3600, acess: 'read-write',
      } as any), /props\.acess: .*did you mean "access"/],
      ['DatabaseStaticRole', (sc) => new DatabaseStaticRole(sc, 'x', { backend: 'db', name: 's', connectionName: 'c', username: 'm', rotationPeriodSeconds: 3600, rotationPeriod: 1 } as any),
        /props\.rotationPeriod: .*did you mean "rotationPeriodSeconds"/],
      ['JwtWorkloadRole', (sc) => new JwtWorkloadRole(sc, 'x', {
        backend: 'jwt', roleName: 'app', boundAudiences: ['a'], boundSubject: 'system:serviceaccount:a:b', tokenPolicies: ['p'], tokenTtlSeconds: 900, tokenMaxTtlSeconds: 3600, boundClaims: {},
      } as any), /props\.boundClaims: is not a field of JwtWorkloadRoleProps/],
      ['PostgresConnection', (sc) => new PostgresConnection(sc, 'x', {
        backend: 'db',
        name: 'c',
        host: 'db.example.com',
        port: 5432,
        database: 'd',
        username: 'vault',
        password,
        passwordVersion: 1,
        allowedRoles: ['r'],
        rootRotation: { schedule: '0 3 * * 0', window: 3600 },
      } as any), /props\.rootRotation\.window: .*did you mean "windowSeconds"/],
      ['VaultAuditDevices', (sc) => new VaultAuditDevices(sc, 'x', { blueprint, socket: '/run/x.sock' } as any), /props\.socket: .*did you mean "socketPath"/],
      ['GatewayVaultPolicy', (sc) => new GatewayVaultPolicy(sc, 'x', { document: VaultPolicyDocument.forWorkload('p', []), name: 'p' } as any), /props\.name: is not a field of GatewayVaultPolicyProps/],
      ['WorkloadJwtAuth', (sc) => new WorkloadJwtAuth(sc, 'x', { blueprint, issuerUrl: 'https://oidc.example', workloads: [], policyNames: {}, issuer: 'x' } as any),
        /props\.issuer: .*did you mean "issuerUrl"/],
      ['VaultProviderLogin.aws', () => VaultProviderLogin.aws({ role: 'ci', header: 'vault.example' } as any), /options\.header: .*did you mean "headerValue"/],
      ['VaultProviderLogin.jwt', () => VaultProviderLogin.jwt({ role: 'ci', mount: 'jwt', jwt: password, token: 'x' } as any), /options\.token: is not a field of VaultJwtLoginOptions/],
    ];
    for (const [name, build, message] of cases) {
      expect(() => build(new Construct(s, name))).toThrow(message);
    }
  });

  test('the same props without the misspelt field are accepted', () => {
    const s = stack();
    expect(() => new RouterAuth(s, 'a', { blueprint, policyName: 'p', endpoints: {} })).not.toThrow();
    expect(() => new TenantDatabaseSecrets(s, 'd', { blueprint, tenant: blueprint.tenants[0], tlsCa: {} })).not.toThrow();
    expect(() => VaultProviderLogin.aws({ role: 'ci', headerValue: 'vault.example' })).not.toThrow();
  });
});
