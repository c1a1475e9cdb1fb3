import * as cdk from 'aws-cdk-lib';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewaySpec, GatewaySpecValidator, SpecProblem } from '../../src';
import { specWith, validSpec } from '../fixtures/specs';

function problemsOf(spec: GatewaySpec): SpecProblem[] {
  return GatewaySpecValidator.problems(spec);
}

function expectOnlyProblem(spec: GatewaySpec, path: string, message: RegExp): SpecProblem {
  const problems = problemsOf(spec);
  expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([expect.stringMatching(new RegExp(`^${escape(path)}: .*${message.source}`))]);
  return problems[0];
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('a valid spec', () => {
  test('the test fixture has no problems', () => {
    expect(problemsOf(validSpec())).toEqual([]);
    expect(() => GatewaySpecValidator.validate(validSpec())).not.toThrow();
  });

  test('the example gateway has no problems', () => {
    expect(problemsOf(exampleSpec)).toEqual([]);
  });
});

describe('every bad input is reported with its path, value and fix', () => {
  const cases: Array<[string, (s: any) => void, string, RegExp]> = [
    // duplicate ids
    ['duplicate tenant id', (s) => { s.tenants[1].id = 'alpha'; }, 'tenants[1].id', /duplicate tenant id \(first defined at tenants\[0\]\.id\)/],
    ['duplicate workload id in a tenant', (s) => { s.tenants[0].workloads[1].id = 'alpha-app'; }, 'tenants[0].workloads[1].id', /duplicate workload id/],
    ['duplicate provider key id', (s) => { s.tenants[1].providerKeys.push({ id: 'openai', provider: 'azure-openai' }); }, 'tenants[1].providerKeys[1].id', /duplicate provider key/],
    ['duplicate data store id', (s) => { s.tenants[0].dataStores.push({ ...s.tenants[0].dataStores[0] }); }, 'tenants[0].dataStores[1].id', /duplicate data store/],
    ['duplicate foundation model', (s) => { s.tenants[0].foundationModels.push('anthropic.claude-3-5-haiku-20241022-v1:0'); }, 'tenants[0].foundationModels[1]', /duplicate foundation model/],
    ['duplicate tool', (s) => { s.tenants[0].tools.push('search'); }, 'tenants[0].tools[1]', /duplicate tool/],
    // malformed ARNs and account ids
    ['account id not 12 digits', (s) => { s.aws.account = '12345'; }, 'aws.account', /an AWS account id is exactly 12 digits/],
    ['role ARN with a short account id', (s) => { s.tenants[0].workloads[0].roleArn = 'arn:aws:iam::12345:role/app'; }, 'tenants[0].workloads[0].roleArn', /has account id "12345", which is not 12 digits/],
    ['role name instead of a role ARN', (s) => { s.tenants[0].workloads[0].roleArn = 'alpha-app'; }, 'tenants[0].workloads[0].roleArn', /is not an IAM role ARN/],
    ['user ARN instead of a role ARN', (s) => { s.tenants[0].workloads[0].roleArn = 'arn:aws:iam::123456789012:user/alice'; }, 'tenants[0].workloads[0].roleArn', /is not an IAM role ARN/],
    ['assumed-role session ARN', (s) => { s.tenants[0].workloads[0].roleArn = 'arn:aws:sts::123456789012:assumed-role/app/session'; }, 'tenants[0].workloads[0].roleArn', /is an assumed-role session ARN/],
    ['owner role ARN malformed', (s) => { s.owners.credentialLifecycle.roleArn = 'arn:aws:iam::123456789012:role/'; }, 'owners.credentialLifecycle.roleArn', /is not an IAM role ARN/],
    // wildcards where an exact value is required
    ['wildcard role ARN', (s) => { s.tenants[0].workloads[0].roleArn = 'arn:aws:iam::123456789012:role/*'; }, 'tenants[0].workloads[0].roleArn', /contains a wildcard, but the workload role must be exact/],
    ['wildcard model id', (s) => { s.tenants[0].foundationModels = ['anthropic.*']; }, 'tenants[0].foundationModels[0]', /contains a wildcard, but the foundation-model id must be exact/],
    ['wildcard inference profile', (s) => { s.tenants[1].inferenceProfiles[0].id = 'us.anthropic.*'; }, 'tenants[1].inferenceProfiles[0].id', /contains a wildcard/],
    ['wildcard service-account namespace', (s) => { s.tenants[0].workloads[1].eksServiceAccount.namespace = '*'; }, 'tenants[0].workloads[1].eksServiceAccount.namespace', /contains a wildcard, but namespace must be exact/],
    ['wildcard database host', (s) => { s.tenants[0].dataStores[0].host = '*.example.com'; }, 'tenants[0].dataStores[0].host', /contains a wildcard/],
    ['wildcard tool', (s) => { s.tenants[0].tools = ['*']; }, 'tenants[0].tools[0]', /contains a wildcard, but a tool grant must name one tool/],
    // unknown partitions
    ['unknown partition', (s) => { s.aws.partition = 'aws-mars'; }, 'aws.partition', /is not a known AWS partition/],
    ['partition that does not hold the region', (s) => { s.aws.region = 'cn-north-1'; s.aws.partition = 'aws'; s.tenants[1].inferenceProfiles = []; }, 'aws.partition', /region "cn-north-1" is in partition "aws-cn", not "aws"/],
    ['role in another partition', (s) => { s.tenants[0].workloads[0].roleArn = 'arn:aws-cn:iam::123456789012:role/app'; }, 'tenants[0].workloads[0].roleArn', /IAM cannot trust across partitions/],
    ['region code malformed', (s) => { s.aws.region = 'US East'; }, 'aws.region', /is not an AWS region code/],
    // TTLs above ceilings, below floors, default above max
    ['cloud credential max above 1 hour', (s) => { s.ttls = { cloudCredentials: { maxSeconds: 7200 } }; }, 'ttls.cloudCredentials.maxSeconds', /is above the cloudCredentials ceiling of 3600 s/],
    ['cloud credential default above 1 hour', (s) => { s.ttls = { cloudCredentials: { defaultSeconds: 3601 } }; }, 'ttls.cloudCredentials.defaultSeconds', /is above the cloudCredentials ceiling of 3600 s/],
    ['vault token max above 1 hour', (s) => { s.ttls = { vaultTokens: { maxSeconds: 3601 } }; }, 'ttls.vaultTokens.maxSeconds', /is above the vaultTokens ceiling of 3600 s/],
    ['database credential max above 24 hours', (s) => { s.ttls = { databaseCredentials: { maxSeconds: 90000 } }; }, 'ttls.databaseCredentials.maxSeconds', /is above the databaseCredentials ceiling of 86400 s/],
    ['cloud credential below the STS minimum', (s) => { s.ttls = { cloudCredentials: { defaultSeconds: 300 } }; }, 'ttls.cloudCredentials.defaultSeconds', /is below the cloudCredentials floor of 900 s/],
    ['default above max', (s) => { s.ttls = { databaseCredentials: { defaultSeconds: 3000, maxSeconds: 1800 } }; }, 'ttls.databaseCredentials.defaultSeconds', /the default \(3000 s\) is above the maximum \(1800 s\)/],
    ['default above the default max', (s) => { s.ttls = { databaseCredentials: { defaultSeconds: 7200 } }; }, 'ttls.databaseCredentials.defaultSeconds', /the default \(7200 s\) is above the maximum \(3600 s\)/],
    ['fractional TTL', (s) => { s.ttls = { vaultTokens: { defaultSeconds: 90.5 } }; }, 'ttls.vaultTokens.defaultSeconds', /must be a whole number of seconds/],
    // missing owners
    ['missing operations owner', (s) => { delete s.owners.operations; }, 'owners.operations', /the operations owner is missing/],
    ['missing credential-lifecycle owner', (s) => { s.owners.credentialLifecycle = undefined; }, 'owners.credentialLifecycle', /the credential-lifecycle owner is missing/],
    ['owner without contact', (s) => { s.owners.policy = {}; }, 'owners.policy.contact', /the policy owner's contact is missing/],
    ['owner contact that cannot be a tag value', (s) => { s.owners.policy.contact = 'policy <team>'; }, 'owners.policy.contact', /becomes a tag value/],
    // names that would overflow a limit
    ['role name over 64 characters', (s) => { s.name = 'gw-with-a-long-name'; s.tenants[1].id = 'research-and-development-department'; }, 'tenants[1].providerKeys[0].id', /the IAM role name "gw-with-a-long-name-research-and-development-department-key-openai" would be 66 characters; the limit is 64/],
    ['bucket name over 63 characters', (s) => { s.name = 'a-very-long-gateway-name-indeed'; }, 'name', /the S3 bucket name "a-very-long-gateway-name-indeed-audit-copy-123456789012-us-east-1" would be 65 characters; the limit is 63/],
    ['two ids that derive the same role name', (s) => { s.tenants[0].id = 'beta-key'; s.tenants[1].providerKeys[0].id = 'models'; }, 'tenants[1].providerKeys[0].id', /the IAM role name "test-gw-beta-key-models" is also derived from tenants\[0\]\.id/],
    ['secret name ending like an ARN suffix', (s) => { s.tenants[1].providerKeys[0].id = 'my-openai'; }, 'tenants[1].providerKeys[0].id', /ends in a hyphen and six characters/],
    // a workload in two tenants
    ['same workload id in two tenants', (s) => { s.tenants[1].workloads[0].id = 'alpha-app'; }, 'tenants[1].workloads[0].id', /workload "alpha-app" is also listed in tenants\[0\]/],
    ['same role in two tenants', (s) => { s.tenants[1].workloads[0].roleArn = 'arn:aws:iam::123456789012:role/alpha-app'; }, 'tenants[1].workloads[0].roleArn', /this identity is also a workload of tenants\[0\]/],
    ['same service account in two tenants', (s) => { s.tenants[1].workloads[0] = { id: 'beta-job', eksServiceAccount: { ...s.tenants[0].workloads[1].eksServiceAccount } }; }, 'tenants[1].workloads[0].eksServiceAccount', /also a workload of tenants\[0\]/],
    ['two workloads sharing one role', (s) => { s.tenants[0].workloads[1] = { id: 'alpha-two', roleArn: 'arn:aws:iam::123456789012:role/alpha-app' }; }, 'tenants[0].workloads[1].roleArn', /is shared with tenants\[0\]\.workloads\[0\]\.roleArn; two workloads may not share one identity/],
    // A role session shows the role's name only, and IAM role names ignore case.
    ['one role name under two paths', (s) => { s.tenants[1].workloads[0].roleArn = 'arn:aws:iam::123456789012:role/team-b/Alpha-App'; }, 'tenants[1].workloads[0].roleArn', /this identity is also a workload of tenants\[0\]/],
    // suspended ids that do not exist
    ['suspended workload that does not exist', (s) => { s.suspended = { workloads: ['alpha-ap'] }; }, 'suspended.workloads[0]', /suspends workload "alpha-ap", which does not exist/],
    ['suspended tenant that does not exist', (s) => { s.suspended = { tenants: ['gamma'] }; }, 'suspended.tenants[0]', /suspends tenant "gamma", which does not exist/],
    // empty tenants
    ['tenant without workloads', (s) => { s.tenants[1].workloads = []; }, 'tenants[1].workloads', /tenant "beta" has no workloads/],
    ['tenant that grants nothing', (s) => { s.tenants[1].inferenceProfiles = []; s.tenants[1].providerKeys = undefined; }, 'tenants[1]', /tenant "beta" grants nothing/],
    ['no tenants', (s) => { s.tenants = []; }, 'tenants', /a gateway needs at least one tenant/],
    // identities
    ['workload with two identities', (s) => { s.tenants[0].workloads[1].roleArn = 'arn:aws:iam::123456789012:role/x'; }, 'tenants[0].workloads[1]', /both roleArn and eksServiceAccount are set/],
    ['workload with no identity', (s) => { delete s.tenants[0].workloads[0].roleArn; }, 'tenants[0].workloads[0]', /the workload has no identity/],
    ['issuer over plain http', (s) => { s.tenants[0].workloads[1].eksServiceAccount.oidcIssuerUrl = 'http://oidc.example.com'; }, 'tenants[0].workloads[1].eksServiceAccount.oidcIssuerUrl', /must be an https:\/\/ URL/],
    ['issuer with a trailing slash', (s) => { s.tenants[0].workloads[1].eksServiceAccount.oidcIssuerUrl += '/'; }, 'tenants[0].workloads[1].eksServiceAccount.oidcIssuerUrl', /no trailing slash/],
    // models
    ['ARN instead of a model id', (s) => { s.tenants[0].foundationModels = ['arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2']; }, 'tenants[0].foundationModels[0]', /is an ARN; the gateway builds ARNs itself/],
    ['inference profile listed as a foundation model', (s) => { s.tenants[0].foundationModels = ['eu.anthropic.claude-v2:1']; }, 'tenants[0].foundationModels[0]', /is an inference-profile id/],
    ['foundation model listed as a profile', (s) => { s.tenants[1].inferenceProfiles[0].id = 'anthropic.claude-v2'; }, 'tenants[1].inferenceProfiles[0].id', /looks like a foundation-model id/],
    ['profile without destination regions', (s) => { delete s.tenants[1].inferenceProfiles[0].destinationRegions; }, 'tenants[1].inferenceProfiles[0].destinationRegions', /destinationRegions is missing/],
    ['destination region outside the geography', (s) => { s.tenants[1].inferenceProfiles[0].destinationRegions = ['us-east-1', 'eu-west-1']; }, 'tenants[1].inferenceProfiles[0].destinationRegions[1]', /is outside the "us" geography/],
    ['profile of another geography', (s) => { s.tenants[1].inferenceProfiles[0] = { id: 'eu.anthropic.claude-v2', destinationRegions: ['eu-west-1'] }; }, 'tenants[1].inferenceProfiles[0].id', /a "eu" profile cannot be invoked from the gateway's region "us-east-1"/],
    ['global profile with regions', (s) => { s.tenants[1].inferenceProfiles[0].id = 'global.anthropic.claude-sonnet-4-20250514-v1:0'; }, 'tenants[1].inferenceProfiles[0].destinationRegions', /a global profile routes to any commercial region/],
    // keys and stores
    ['rotation period above 90 days', (s) => { s.tenants[1].providerKeys[0].rotationPeriodDays = 120; }, 'tenants[1].providerKeys[0].rotationPeriodDays', /must be between 1 and 90 days/],
    ['schema that would inject SQL', (s) => { s.tenants[0].dataStores[0].schema = 'alpha; DROP ROLE vault'; }, 'tenants[0].dataStores[0].schema', /must be a plain lower-case PostgreSQL identifier/],
    ['system schema', (s) => { s.tenants[0].dataStores[0].schema = 'pg_catalog'; }, 'tenants[0].dataStores[0].schema', /names a PostgreSQL system schema/],
    ['host given as a URL', (s) => { s.tenants[0].dataStores[0].host = 'postgres://db.example.com'; }, 'tenants[0].dataStores[0].host', /is a URL/],
    ['port out of range', (s) => { s.tenants[0].dataStores[0].port = 70000; }, 'tenants[0].dataStores[0].port', /must be between 1 and 65535/],
    ['unknown data access', (s) => { s.tenants[0].dataStores[0].access = 'admin'; }, 'tenants[0].dataStores[0].access', /is not a supported access/],
    // the Vault server
    ['a Vault address over plain http', (s) => { s.vault = { address: 'http://vault.example.com:8200' }; }, 'vault.address', /must be an https:\/\/ address/],
    ['a Vault address with a path', (s) => { s.vault = { address: 'https://vault.example.com/v1/' }; }, 'vault.address', /no path or trailing slash/],
    ['a Vault version that is not major.minor.patch', (s) => { s.vault = { address: 'https://vault.example.com', version: '1.19' }; }, 'vault.version', /is not a major.minor.patch version/],
    ['an unknown Vault edition', (s) => { s.vault = { address: 'https://vault.example.com', edition: 'pro' }; }, 'vault.edition', /is not a supported Vault edition/],
    // ids and types from JSON
    ['upper-case tenant id', (s) => { s.tenants[0].id = 'Alpha'; }, 'tenants[0].id', /tenant id may contain lower-case letters/],
    ['gateway name too short', (s) => { s.name = 'gw'; }, 'name', /gateway name is 2 characters; it must be 3 to 32/],
    ['tenants not a list', (s) => { s.tenants = { alpha: {} }; }, 'tenants', /tenants must be a list/],
  ];

  test.each(cases)('%s', (_name, change, path, message) => {
    const problem = expectOnlyProblem(specWith(change), path, message);
    expect(problem.value).not.toEqual('');
    expect(problem.fix.length).toBeGreaterThan(10);
  });
});

describe('one error lists every problem at once', () => {
  test('three unrelated problems are all in the message', () => {
    const spec = specWith((s) => {
      s.aws.account = '1234';
      delete s.owners.policy;
      s.tenants[1].workloads[0].roleArn = 'arn:aws:iam::210987654321:role/*';
    });
    expect(() => GatewaySpecValidator.validate(spec)).toThrow(/GatewaySpec "test-gw" is invalid \(3 problems\)/);
    try {
      GatewaySpecValidator.validate(spec);
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('aws.account: an AWS account id is exactly 12 digits (got "1234")');
      expect(message).toContain('owners.policy: the policy owner is missing');
      expect(message).toContain('tenants[1].workloads[0].roleArn: contains a wildcard');
      expect(message).toMatch(/Fix: /);
      // One line per problem, no stack frames from inside the library.
      expect(message.split('\n')).toHaveLength(4);
    }
  });

  test('a spec that is not an object is reported, not thrown on', () => {
    expect(problemsOf(undefined as any)).toEqual([expect.objectContaining({ path: '', message: 'the gateway spec is missing' })]);
    expect(problemsOf({ name: 42 } as any).map((p) => p.path)).toEqual(['name', 'aws', 'owners', 'tenants']);
  });
});

describe('unresolved CDK tokens are not validated as literals', () => {
  test('token account, region and role ARNs pass', () => {
    const spec = specWith((s) => {
      s.aws.account = cdk.Aws.ACCOUNT_ID;
      s.aws.region = cdk.Lazy.string({ produce: () => 'us-east-1' });
      s.tenants[0].workloads[0].roleArn = `arn:aws:iam::${cdk.Aws.ACCOUNT_ID}:role/alpha-app`;
      s.ttls = { cloudCredentials: { maxSeconds: cdk.Lazy.number({ produce: () => 1800 }) } };
    });
    expect(problemsOf(spec)).toEqual([]);
  });

  test('but ids that physical names are derived from must be literals', () => {
    const spec = specWith((s) => { s.tenants[0].id = cdk.Lazy.string({ produce: () => 'alpha' }); });
    expectOnlyProblem(spec, 'tenants[0].id', /tenant id is an unresolved token, but physical names are derived from it/);
  });

  test('and so must schema names, which are written into SQL', () => {
    const spec = specWith((s) => { s.tenants[0].dataStores[0].schema = cdk.Lazy.string({ produce: () => 'alpha' }); });
    expectOnlyProblem(spec, 'tenants[0].dataStores[0].schema', /is an unresolved token, but it is written into SQL statements/);
  });
});
