import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayBlueprint, GatewayNaming, NameKind } from '../../src';
import { specWith, validSpec } from '../fixtures/specs';

/** Every physical name a blueprint derives, with its kind. */
function allNames(blueprint: GatewayBlueprint): Array<{ kind: NameKind; name: string; scope: string }> {
  const n = blueprint.naming;
  const names: Array<{ kind: NameKind; name: string; scope: string }> = [];
  const role = (name: string) => {
    names.push({ kind: NameKind.IAM_ROLE, name, scope: 'account' });
    names.push({ kind: NameKind.IAM_MANAGED_POLICY, name: n.managedPolicyName(name), scope: 'account' });
  };
  role(n.brokerRoleName);
  names.push({ kind: NameKind.LOG_GROUP, name: n.decisionLogGroupName, scope: 'account' });
  names.push({ kind: NameKind.VAULT_MOUNT, name: n.vaultAwsAuthMountPath, scope: 'auth' });
  for (const tenant of blueprint.tenants) {
    if (!tenant.router) continue;
    role(tenant.router.roleName);
    names.push({ kind: NameKind.LAMBDA_FUNCTION, name: tenant.router.functionName, scope: 'account' });
    names.push({ kind: NameKind.VAULT_ROLE, name: tenant.router.vaultAuthRoleName, scope: n.vaultAwsAuthMountPath });
    names.push({ kind: NameKind.VAULT_POLICY, name: tenant.router.vaultPolicyName, scope: 'vault' });
  }
  for (const target of blueprint.targets) {
    role(target.roleName);
    names.push({ kind: NameKind.VAULT_ROLE, name: target.vaultRoleName, scope: target.vaultMountPath });
    if (target.providerKey) names.push({ kind: NameKind.SECRET, name: target.providerKey.secretName, scope: 'account' });
  }
  for (const tenant of blueprint.tenants) {
    if (tenant.targets.length > 0) names.push({ kind: NameKind.VAULT_MOUNT, name: n.vaultAwsSecretsMountPath(tenant.id), scope: 'secrets' });
    if (tenant.dataStores.length > 0) names.push({ kind: NameKind.VAULT_MOUNT, name: n.vaultDatabaseMountPath(tenant.id), scope: 'secrets' });
  }
  for (const store of blueprint.dataStores) {
    names.push({ kind: NameKind.VAULT_ROLE, name: store.vaultRoleName, scope: store.vaultMountPath });
  }
  for (const workload of blueprint.workloads) {
    if (!workload.eksServiceAccount) continue;
    const mount = n.vaultJwtAuthMountPath(workload.eksServiceAccount.oidcIssuerUrl);
    names.push({ kind: NameKind.VAULT_ROLE, name: n.vaultWorkloadAuthRoleName(workload.id), scope: mount });
    names.push({ kind: NameKind.VAULT_POLICY, name: n.vaultWorkloadPolicyName(workload.id), scope: 'vault' });
  }
  return names;
}

describe('names are pure functions of the spec', () => {
  test('the example gateway gets these names', () => {
    const blueprint = GatewayBlueprint.fromSpec(exampleSpec);
    const n = blueprint.naming;
    expect(n.brokerRoleName).toBe('acme-llm-broker');
    // One router cell per tenant with a target: its own role, function, Vault role and policy.
    expect(blueprint.tenants.map((t) => t.router)).toEqual([
      {
        roleName: 'acme-llm-support-router',
        roleArn: 'arn:aws:iam::111122223333:role/acme-llm-support-router',
        functionName: 'acme-llm-support-router',
        vaultAuthRoleName: 'router-support',
        vaultPolicyName: 'acme-llm-support-router',
      },
      {
        roleName: 'acme-llm-research-router',
        roleArn: 'arn:aws:iam::111122223333:role/acme-llm-research-router',
        functionName: 'acme-llm-research-router',
        vaultAuthRoleName: 'router-research',
        vaultPolicyName: 'acme-llm-research-router',
      },
    ]);
    expect(n.tenantRouterRoleNamePattern()).toBe('acme-llm-*-router');
    expect(blueprint.targets.map((t) => [t.roleName, t.vaultCredentialsPath])).toEqual([
      ['acme-llm-support-models', 'acme-llm/support/aws/creds/models'],
      ['acme-llm-research-models', 'acme-llm/research/aws/creds/models'],
      ['acme-llm-research-key-openai', 'acme-llm/research/aws/creds/key-openai'],
    ]);
    expect(blueprint.dataStores.map((s) => s.vaultCredentialsPath)).toEqual(['acme-llm/support/database/creds/kb-vectors']);
    expect(n.providerKeySecretName('research', 'openai')).toBe('gateward/acme-llm/research/openai');
    expect(n.decisionLogGroupName).toBe('/gateward/acme-llm/decisions');
    expect(n.vaultAwsAuthMountPath).toBe('acme-llm/aws');
    expect(n.cedarDatasetId('support', 'kb-vectors')).toBe('support/kb-vectors');
  });

  test('the JWT mount of a cluster is stable across runs and releases', () => {
    // A changed digest would move every workload's auth mount on the next deploy.
    const naming = GatewayNaming.forSpec(exampleSpec);
    const issuer = 'https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
    expect(naming.vaultJwtAuthMountPath(issuer)).toBe('acme-llm/jwt-fad8330b0d');
    expect(naming.vaultJwtAuthMountPath(`${issuer}X`)).not.toBe('acme-llm/jwt-fad8330b0d');
  });

  test('the same spec always gives the same names', () => {
    const first = allNames(GatewayBlueprint.fromSpec(exampleSpec));
    const second = allNames(GatewayBlueprint.fromSpec(JSON.parse(JSON.stringify(exampleSpec))));
    expect(second).toEqual(first);
  });

  test('ARNs follow the partition and account of the spec', () => {
    const naming = GatewayNaming.forSpec(specWith((s) => { s.aws = { account: '210987654321', region: 'us-gov-west-1', partition: 'aws-us-gov' }; }));
    expect(naming.roleArn('x')).toBe('arn:aws-us-gov:iam::210987654321:role/x');
  });

  test('log group, log stream, bucket and account-root ARNs are built in naming, from names', () => {
    const naming = GatewayNaming.forSpec(specWith((s) => { s.aws = { account: '210987654321', region: 'us-gov-west-1', partition: 'aws-us-gov' }; }));
    expect(naming.logGroupArn('/gateward/g/decisions')).toBe('arn:aws-us-gov:logs:us-gov-west-1:210987654321:log-group:/gateward/g/decisions');
    expect(naming.decisionLogGroupArn()).toBe(naming.logGroupArn(naming.decisionLogGroupName));
    expect(naming.logStreamArn('/gateward/g/decisions', '*')).toBe('arn:aws-us-gov:logs:us-gov-west-1:210987654321:log-group:/gateward/g/decisions:log-stream:*');
    expect(naming.bucketArn('b')).toBe('arn:aws-us-gov:s3:::b');
    expect(naming.accountRootArn()).toBe('arn:aws-us-gov:iam::210987654321:root');
    expect(naming.guardrailArn('gr0abc1')).toBe('arn:aws-us-gov:bedrock:us-gov-west-1:210987654321:guardrail/gr0abc1');
  });

  test('the key-age check\'s key alias is derived in naming like every other name', () => {
    expect(GatewayNaming.forSpec(exampleSpec).keyAgeCheckKeyAlias).toBe('alias/gateward/acme-llm/key-age-check');
  });
});

describe('every derived name is unique and within its service limits', () => {
  test.each([
    ['the example gateway', exampleSpec],
    ['the test fixture', validSpec()],
    // The longest ids validation lets through still fit.
    ['a spec at the length limits', specWith((s) => {
      s.name = 'g'.repeat(20);
      s.tenants[1].id = 't'.repeat(20);
      s.tenants[1].providerKeys[0].id = 'k'.repeat(18);
    })],
  ])('%s', (_name, spec) => {
    const names = allNames(GatewayBlueprint.fromSpec(spec));
    for (const { kind, name } of names) {
      const limit = GatewayNaming.limit(kind);
      expect({ kind, name, fits: name.length <= limit.maxLength && new RegExp(limit.pattern).test(name) }).toEqual({ kind, name, fits: true });
    }
    const keys = names.map((n) => `${n.kind}|${n.scope}|${n.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('the validator checks every gateway-wide name GatewayNaming derives', () => {
    const naming = GatewayNaming.forSpec(exampleSpec);
    const checked = new Set(naming._derivedNames({ path: 'name', literalEnvironment: true, tenants: [] }).map((d) => `${d.kind}|${d.name}`));
    // Every derived name property (the gateway name itself is the input, not a derived name).
    const properties = Object.entries(naming).filter(([key, value]) => typeof value === 'string' && /(Name|Alias|MountPath)$/.test(key) && key !== 'gatewayName');
    // Each name property with the service limits its kind has; API Gateway limits neither the
    // characters nor the uniqueness of REST API names, so the API's name has none to check.
    const kinds: Record<string, NameKind | undefined> = {
      brokerRoleName: NameKind.IAM_ROLE,
      vaultAuthVerifierRoleName: NameKind.IAM_ROLE,
      auditReplicationRoleName: NameKind.IAM_ROLE,
      trailDeliveryRoleName: NameKind.IAM_ROLE,
      keyAgeCheckRoleName: NameKind.IAM_ROLE,
      apiDeployerRoleName: NameKind.IAM_ROLE,
      apiDeployerLogGroupName: NameKind.LOG_GROUP,
      decisionLogGroupName: NameKind.LOG_GROUP,
      trailLogGroupName: NameKind.LOG_GROUP,
      keyAgeCheckLogGroupName: NameKind.LOG_GROUP,
      wafLogGroupName: NameKind.LOG_GROUP,
      trailName: NameKind.TRAIL,
      auditKeyAlias: NameKind.KMS_ALIAS,
      keyAgeCheckKeyAlias: NameKind.KMS_ALIAS,
      apiName: undefined,
      webAclName: NameKind.WEB_ACL,
      auditBucketName: NameKind.S3_BUCKET,
      auditReplicaBucketName: NameKind.S3_BUCKET,
      accessLogBucketName: NameKind.S3_BUCKET,
      vaultAwsAuthMountPath: NameKind.VAULT_MOUNT,
    };
    expect(properties.map(([key]) => key).sort()).toEqual(Object.keys(kinds).sort());
    for (const [key, name] of properties) {
      const kind = kinds[key];
      expect({ key, checked: kind !== undefined && checked.has(`${kind}|${name as string}`) }).toEqual({ key, checked: kind !== undefined });
    }
  });

  test('the validator checks the names of every tenant router cell', () => {
    const naming = GatewayNaming.forSpec(exampleSpec);
    const tenants = [{ id: 'support', path: 'tenants[0]', hasBedrock: true, keys: [], stores: [], workloads: [] }];
    const checked = naming._derivedNames({ path: 'name', literalEnvironment: true, tenants }).filter((d) => d.path === 'tenants[0]');
    expect(checked.map((d) => `${d.kind}|${d.name}`)).toEqual(expect.arrayContaining([
      `${NameKind.IAM_ROLE}|acme-llm-support-router`,
      `${NameKind.LAMBDA_FUNCTION}|acme-llm-support-router`,
      `${NameKind.VAULT_ROLE}|router-support`,
      `${NameKind.VAULT_POLICY}|acme-llm-support-router`,
    ]));
  });

  test('a tenant id that makes its router role name collide with another tenant\'s target role is refused', () => {
    // Tenant "a-key-x" would own role <gateway>-a-key-x-router, the role of tenant "a"'s key "x-router".
    const spec = specWith((s) => {
      s.tenants[1].providerKeys[0].id = 'x-router';
      s.tenants[0].id = `${s.tenants[1].id}-key-x`;
    });
    expect(() => GatewayBlueprint.fromSpec(spec)).toThrow(/the IAM role name "test-gw-beta-key-x-router" is also derived from tenants\[0\]\.id/);
  });

  test('one character more than the limit is refused up front', () => {
    const spec = specWith((s) => {
      s.name = 'g'.repeat(20);
      s.tenants[1].id = 't'.repeat(20);
      s.tenants[1].providerKeys[0].id = 'k'.repeat(19);
    });
    expect(() => GatewayBlueprint.fromSpec(spec)).toThrow(/would be 65 characters; the limit is 64/);
  });

  test('every tenant\'s credentials sit under its own lease prefix', () => {
    const blueprint = GatewayBlueprint.fromSpec(exampleSpec);
    for (const tenant of blueprint.tenants) {
      const prefix = blueprint.naming.vaultLeasePrefix(tenant.id);
      const paths = [...tenant.targets.map((t) => t.vaultCredentialsPath), ...tenant.dataStores.map((s) => s.vaultCredentialsPath)];
      expect(paths.length).toBeGreaterThan(0);
      for (const path of paths) expect(path.startsWith(prefix)).toBe(true);
      // No other tenant's credentials fall under this prefix.
      const others = blueprint.tenants.filter((t) => t !== tenant).flatMap((t) => t.targets.map((x) => x.vaultCredentialsPath));
      for (const path of others) expect(path.startsWith(prefix)).toBe(false);
    }
  });
});

describe('the STS endpoint Vault verifies router logins against follows the partition', () => {
  test.each([
    ['aws', 'us-east-1', 'https://sts.us-east-1.amazonaws.com'],
    ['aws-us-gov', 'us-gov-west-1', 'https://sts.us-gov-west-1.amazonaws.com'],
    ['aws-cn', 'cn-north-1', 'https://sts.cn-north-1.amazonaws.com.cn'],
    ['aws-iso', 'us-iso-east-1', 'https://sts.us-iso-east-1.c2s.ic.gov'],
    ['aws-eusc', 'eusc-de-east-1', 'https://sts.eusc-de-east-1.amazonaws.eu'],
  ])('%s %s', (partition, region, endpoint) => {
    expect(new GatewayNaming('gw', { account: '111122223333', region, partition }).stsEndpoint()).toBe(endpoint);
  });
});
