import * as cdk from 'aws-cdk-lib';
import { GatewaySpec, GatewaySpecValidator } from '../../src';
import { specWith, validSpec } from '../fixtures/specs';

/**
 * One row per bad input: a mutation of the valid fixture, the exact field path the validator must
 * report, and a pattern its message must match. Every row must produce a problem at that path, and
 * every problem must name its value and a fix. Rows are grouped by spec field.
 */
type Row = [name: string, change: (s: any) => void, path: string, message: RegExp];

const OWNER_ROLE = 'owners.credentialLifecycle.roleArn';
const WORKLOAD_ROLE = 'tenants[0].workloads[0].roleArn';
const VAULT = { address: 'https://vault.example.com:8200' };

const rows: Row[] = [
  // ---- unknown keys at every level -----------------------------------------------------------
  ['unknown top-level key', (s) => { s.suspend = { tenants: ['alpha'] }; }, 'suspend', /is not a field of the gateway spec/],
  ['unknown aws key', (s) => { s.aws.accountId = '123456789012'; }, 'aws.accountId', /is not a field of the AWS environment/],
  ['unknown owners key', (s) => { s.owners.finance = { contact: 'fin' }; }, 'owners.finance', /is not a field of the gateway owners/],
  ['unknown owner key', (s) => { s.owners.operations.email = 'ops@example.com'; }, 'owners.operations.email', /is not a field of the operations owner/],
  ['unknown tenant key', (s) => { s.tenants[0].workload = []; }, 'tenants[0].workload', /is not a field of a tenant/],
  ['unknown tenant key foundationModel', (s) => { s.tenants[1].foundationModel = 'anthropic.claude-v2'; }, 'tenants[1].foundationModel', /is not a field of a tenant/],
  ['unknown workload key', (s) => { s.tenants[1].workloads[0].role = 'x'; }, 'tenants[1].workloads[0].role', /is not a field of a workload/],
  ['unknown service-account key', (s) => { s.tenants[0].workloads[1].eksServiceAccount.serviceAccount = 'x'; }, 'tenants[0].workloads[1].eksServiceAccount.serviceAccount', /is not a field of the EKS service account/],
  ['unknown inference-profile key', (s) => { s.tenants[1].inferenceProfiles[0].region = 'us-east-1'; }, 'tenants[1].inferenceProfiles[0].region', /is not a field of an inference profile/],
  ['unknown provider-key key', (s) => { s.tenants[1].providerKeys[0].secret = 'sk-123'; }, 'tenants[1].providerKeys[0].secret', /is not a field of a provider key/],
  ['unknown data-store key', (s) => { s.tenants[0].dataStores[0].password = 'hunter2'; }, 'tenants[0].dataStores[0].password', /is not a field of a data store/],
  ['unknown ttls key', (s) => { s.ttls = { tokens: {} }; }, 'ttls.tokens', /is not a field of the TTL policy/],
  ['unknown TTL bounds key', (s) => { s.ttls = { databaseCredentials: { default: 900 } }; }, 'ttls.databaseCredentials.default', /is not a field of the databaseCredentials TTLs/],
  ['unknown suspended key', (s) => { s.suspended = { workload: ['alpha-app'] }; }, 'suspended.workload', /is not a field of the suspension list/],
  ['unknown vault key', (s) => { s.vault = { ...VAULT, token: 's.abc' }; }, 'vault.token', /is not a field of the Vault server/],

  // ---- region ------------------------------------------------------------------------------
  ['region that does not exist', (s) => { s.aws.region = 'us-east-7'; }, 'aws.region', /is not an AWS region/],
  ['region of the right shape, made up', (s) => { s.aws.region = 'eu-middle-1'; }, 'aws.region', /is not an AWS region/],
  ['destination region that does not exist', (s) => { s.tenants[1].inferenceProfiles[0].destinationRegions = ['us-east-1', 'us-west-9']; }, 'tenants[1].inferenceProfiles[0].destinationRegions[1]', /is not an AWS region/],

  // ---- role ARNs ---------------------------------------------------------------------------
  ['owner role is the account root', (s) => { s.owners.credentialLifecycle.roleArn = 'arn:aws:iam::123456789012:root'; }, OWNER_ROLE, /names the account root/],
  ['workload role is the account root', (s) => { s.tenants[0].workloads[0].roleArn = 'arn:aws:iam::123456789012:root'; }, WORKLOAD_ROLE, /names the account root/],
  ['workload role is a bare account id', (s) => { s.tenants[0].workloads[0].roleArn = '123456789012'; }, WORKLOAD_ROLE, /names the account root/],
  ['workload role is *', (s) => { s.tenants[0].workloads[0].roleArn = '*'; }, WORKLOAD_ROLE, /contains a wildcard/],
  ['role ARN with : in its path', (s) => { s.tenants[0].workloads[0].roleArn = 'arn:aws:iam::123456789012:role/team:a/alpha-app'; }, WORKLOAD_ROLE, /has a ":" in its role path/],
  ['owner role ARN with : in its path', (s) => { s.owners.policy.roleArn = 'arn:aws:iam::123456789012:role/a:b/'; }, 'owners.policy.roleArn', /has a ":" in its role path/],

  // ---- separation of duties ------------------------------------------------------------------
  ['credential owner is a target role', (s) => { s.owners.credentialLifecycle.roleArn = 'arn:aws:iam::123456789012:role/test-gw-beta-key-openai'; }, OWNER_ROLE, /is the gateway's own role "test-gw-beta-key-openai"/],
  ['credential owner is the models target role', (s) => { s.owners.credentialLifecycle.roleArn = 'arn:aws:iam::123456789012:role/ops/TEST-GW-ALPHA-MODELS'; }, OWNER_ROLE, /is the gateway's own role "test-gw-alpha-models"/],
  ['credential owner is the router role', (s) => { s.owners.credentialLifecycle.roleArn = 'arn:aws:iam::123456789012:role/test-gw-router'; }, OWNER_ROLE, /is the gateway's own role "test-gw-router"/],
  ['credential owner is the broker role', (s) => { s.owners.credentialLifecycle.roleArn = 'arn:aws:iam::123456789012:role/test-gw-broker'; }, OWNER_ROLE, /is the gateway's own role "test-gw-broker"/],
  ['credential owner is a workload role', (s) => { s.owners.credentialLifecycle.roleArn = 'arn:aws:iam::123456789012:role/alpha-app'; }, OWNER_ROLE, /is also the workload role at tenants\[0\]\.workloads\[0\]\.roleArn/],
  ['credential owner is a workload role under another path and case', (s) => { s.owners.credentialLifecycle.roleArn = 'arn:aws:iam::210987654321:role/x/BETA-APP'; }, OWNER_ROLE, /is also the workload role at tenants\[1\]\.workloads\[0\]\.roleArn/],
  ['workload role is the router role', (s) => { s.tenants[0].workloads[0].roleArn = 'arn:aws:iam::123456789012:role/test-gw-router'; }, WORKLOAD_ROLE, /is the gateway's own role "test-gw-router"/],
  ['workload role is the broker role', (s) => { s.tenants[0].workloads[0].roleArn = 'arn:aws:iam::123456789012:role/Test-Gw-Broker'; }, WORKLOAD_ROLE, /is the gateway's own role "test-gw-broker"/],
  ['workload role is another tenant\'s target role', (s) => { s.tenants[0].workloads[0].roleArn = 'arn:aws:iam::123456789012:role/test-gw-beta-key-openai'; }, WORKLOAD_ROLE, /is the gateway's own role/],

  // ---- the Vault server ------------------------------------------------------------------------
  ['Vault address with port 99999', (s) => { s.vault = { address: 'https://vault.example.com:99999' }; }, 'vault.address', /has the port "99999", which is not a TCP port/],
  ['Vault address with port 0', (s) => { s.vault = { address: 'https://vault.example.com:0' }; }, 'vault.address', /has the port "0"/],
  ['Vault address with an empty port', (s) => { s.vault = { address: 'https://vault.example.com:' }; }, 'vault.address', /has the port ""/],
  ['Vault address with credentials', (s) => { s.vault = { address: 'https://root:token@vault.example.com' }; }, 'vault.address', /holds user information/],
  ['Vault address with a query', (s) => { s.vault = { address: 'https://vault.example.com?x=1' }; }, 'vault.address', /no path or trailing slash/],
  ['Vault address without a host', (s) => { s.vault = { address: 'https://:8200' }; }, 'vault.address', /is not a valid host name/],
  ['Vault address with a bad host', (s) => { s.vault = { address: 'https://vault_1.example.com' }; }, 'vault.address', /is not a valid host name/],
  ['Vault address that is not a URL', (s) => { s.vault = { address: 'vault.example.com' }; }, 'vault.address', /must be an https:\/\/ address/],
  ['header value with CR LF', (s) => { s.vault = { ...VAULT, iamServerIdHeaderValue: 'vault.example.com\r\nX-Evil: 1' }; }, 'vault.iamServerIdHeaderValue', /contains a line break \(CR or LF\)/],
  ['header value with LF', (s) => { s.vault = { ...VAULT, iamServerIdHeaderValue: 'vault\n' }; }, 'vault.iamServerIdHeaderValue', /contains a line break/],
  ['header value with a control character', (s) => { s.vault = { ...VAULT, iamServerIdHeaderValue: 'vault\u0000' }; }, 'vault.iamServerIdHeaderValue', /contains a control character/],
  ['header value with surrounding space', (s) => { s.vault = { ...VAULT, iamServerIdHeaderValue: ' vault.example.com' }; }, 'vault.iamServerIdHeaderValue', /white space/],
  ['token address without a header value', (s) => { s.vault = { address: cdk.Lazy.string({ produce: () => 'https://v' }) }; }, 'vault.iamServerIdHeaderValue', /vault\.address is an unresolved token/],

  // ---- data stores ---------------------------------------------------------------------------
  ['the public schema', (s) => { s.tenants[0].dataStores[0].schema = 'public'; }, 'tenants[0].dataStores[0].schema', /shared default schema/],
  ['two tenants on one schema', (s) => { s.tenants[1].dataStores = [{ id: 'docs', host: 'DB.internal.example.com', port: 5432, database: 'docs', schema: 'alpha' }]; }, 'tenants[1].dataStores[0].schema', /is the same database schema as tenants\[0\]\.dataStores\[0\]\.schema of tenants\[0\]/],
];

describe('every bad input is refused at its field path', () => {
  test.each(rows)('%s', (_name, change, path, message) => {
    const problems = GatewaySpecValidator.problems(specWith(change));
    const atPath = problems.filter((p) => p.path === path);
    expect({ paths: problems.map((p) => p.path), matched: atPath.some((p) => message.test(p.message)) })
      .toEqual({ paths: expect.arrayContaining([path]), matched: true });
    for (const problem of problems) {
      expect(problem.value.length).toBeGreaterThan(0);
      expect(problem.fix.length).toBeGreaterThan(10);
    }
  });

  test('the table covers distinct inputs', () => {
    const names = rows.map(([name]) => name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('the same fields, valid', () => {
  const valid: Array<[string, (s: any) => void]> = [
    ['a new region in the list', (s) => { s.aws.region = 'mx-central-1'; s.tenants[1].inferenceProfiles = []; }],
    ['a token region', (s) => { s.aws.region = cdk.Aws.REGION; }],
    ['a role with a path', (s) => { s.tenants[0].workloads[0].roleArn = 'arn:aws:iam::123456789012:role/team/a/alpha-app'; }],
    ['an owner role named like the gateway in another account', (s) => { s.owners.credentialLifecycle.roleArn = 'arn:aws:iam::999999999999:role/test-gw-router'; }],
    ['a Vault address with the highest port', (s) => { s.vault = { address: 'https://vault.example.com:65535' }; }],
    ['a token address with a header value', (s) => { s.vault = { address: cdk.Lazy.string({ produce: () => 'https://v' }), iamServerIdHeaderValue: 'v' }; }],
    ['two tenants on one database, different schemas', (s) => { s.tenants[1].dataStores = [{ id: 'docs', host: 'db.internal.example.com', database: 'docs', schema: 'beta' }]; }],
    ['one tenant with two stores on one schema', (s) => { s.tenants[0].dataStores.push({ id: 'docs-rw', host: 'db.internal.example.com', database: 'docs', schema: 'alpha', access: 'read-write' }); }],
  ];
  test.each(valid)('%s', (_name, change) => {
    expect(GatewaySpecValidator.problems(specWith(change))).toEqual([]);
  });

  test('the fixture itself', () => {
    const spec: GatewaySpec = validSpec();
    expect(GatewaySpecValidator.problems(spec)).toEqual([]);
  });
});
