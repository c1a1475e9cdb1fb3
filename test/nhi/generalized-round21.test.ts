import { checkWithCli, fixtureCase, findingsOf, locationsOf as locations, templateCase } from '../support/check-cli';

/** Runs `gateward check` on one side of a fixture case; returns its findings. */
const checkCase = (...which: Parameters<typeof fixtureCase>) => checkWithCli(fixtureCase(...which));

const broad = ['NHI-VAULT-POLICY-FORBIDDEN', 'NHI-VAULT-POLICY-BROAD-GLOB'];

describe('node groups of the registry\'s EKS module', () => {
  test('a node role holding an application\'s managed policy is reported on the module, naming the group', async () => {
    const findings = await checkCase('NHI-ROLE-REUSE', 'eks-registry-node-group', 'violating');
    expect(locations(findings, 'NHI-ROLE-REUSE')).toEqual(['module.eks']);
    expect(findingsOf(findings, 'NHI-ROLE-REUSE')[0].message).toContain('AmazonBedrockFullAccess');
    expect(findingsOf(findings, 'NHI-ROLE-REUSE')[0].message).toContain('managed node group general');
    expect(locations(findings, 'NHI-IAM-ADMIN-POLICY')).toEqual(['module.eks']);
  });

  test('so is the role of the nodes its Karpenter module launches', async () => {
    const findings = await checkCase('NHI-ROLE-REUSE', 'eks-karpenter-nodes', 'violating');
    expect(locations(findings, 'NHI-ROLE-REUSE')).toEqual(['module.karpenter']);
    expect(findingsOf(findings, 'NHI-ROLE-REUSE')[0].message).toContain('AmazonS3FullAccess');
    expect(locations(await checkCase('NHI-ROLE-REUSE', 'eks-karpenter-nodes', 'compliant'), 'NHI-ROLE-REUSE')).toEqual([]);
  });

  test('the configuration\'s own policies handed to a node group are judged on its role, whatever the defaults say of `create`', async () => {
    const findings = await checkCase('NHI-ROLE-REUSE', 'eks-registry-customer-policy', 'violating');
    expect(locations(findings, 'NHI-ROLE-REUSE')).toEqual(['module.eks']);
    expect(findingsOf(findings, 'NHI-ROLE-REUSE')[0].message).toContain('s3:GetObject');
    expect(findingsOf(findings, 'NHI-ROLE-REUSE')[0].message).toContain('AmazonEC2ContainerRegistryFullAccess');
    expect(locations(findings, 'NHI-IAM-WILDCARD-RESOURCE')).toEqual(['module.eks']);
    expect(locations(await checkCase('NHI-ROLE-REUSE', 'eks-registry-customer-policy', 'compliant'), 'NHI-ROLE-REUSE')).toEqual([]);
  });

  test('a self-managed group\'s role exists only with the instance profile the module creates', async () => {
    expect(locations(await checkCase('NHI-ROLE-REUSE', 'eks-self-managed-profile', 'violating'), 'NHI-ROLE-REUSE')).toEqual(['module.eks']);
    const findings = await checkCase('NHI-ROLE-REUSE', 'eks-self-managed-profile', 'compliant');
    expect(locations(findings, 'NHI-ROLE-REUSE')).toEqual([]);
    expect(locations(findings, 'NHI-IAM-ADMIN-POLICY')).toEqual([]);
  });

  test('node roles with AWS\'s node policies alone are not', async () => {
    const findings = await checkCase('NHI-ROLE-REUSE', 'eks-registry-node-group', 'compliant');
    expect(locations(findings, 'NHI-ROLE-REUSE')).toEqual([]);
    expect(locations(findings, 'NHI-IAM-ADMIN-POLICY')).toEqual([]);
  });
});

describe('a policy attached to the role an unread module creates', () => {
  test('is judged as that role\'s', async () => {
    const findings = await checkCase('NHI-IAM-WILDCARD-RESOURCE', 'module-role-attachment', 'violating');
    expect(locations(findings, 'NHI-IAM-WILDCARD-RESOURCE')).toEqual(['aws_iam_policy.add_tags']);
    expect(findingsOf(findings, 'NHI-IAM-WILDCARD-RESOURCE')[0].message).toContain('module.lb_controller_irsa');
  });

  test('scoped to named resources, or attached through an output that names no role, it is not reported', async () => {
    expect(locations(await checkCase('NHI-IAM-WILDCARD-RESOURCE', 'module-role-attachment', 'compliant'), 'NHI-IAM-WILDCARD-RESOURCE')).toEqual([]);
  });
});

describe('audit devices of a configuration that creates the namespaces it mounts into', () => {
  test('it manages the Vault from the root: no audit device is a finding', async () => {
    expect(locations(await checkCase('NHI-VAULT-AUDIT-DEVICES', 'namespaces-created-here', 'violating'), 'NHI-VAULT-AUDIT-DEVICES')).toEqual(['violating']);
  });

  test('mounts inside namespaces created elsewhere are a tenant\'s: no finding', async () => {
    expect(locations(await checkCase('NHI-VAULT-AUDIT-DEVICES', 'namespaces-created-here', 'compliant'), 'NHI-VAULT-AUDIT-DEVICES')).toEqual([]);
  });

  test('each instance of a for_each is a namespace of its own', async () => {
    expect(locations(await checkCase('NHI-VAULT-AUDIT-DEVICES', 'namespaces-for-each', 'violating'), 'NHI-VAULT-AUDIT-DEVICES')).toEqual(['violating']);
  });

  test('one namespace created and filled is a tenant\'s module', async () => {
    expect(locations(await checkCase('NHI-VAULT-AUDIT-DEVICES', 'namespaces-for-each', 'compliant'), 'NHI-VAULT-AUDIT-DEVICES')).toEqual([]);
  });
});

describe('HashiCorp\'s namespace administrator policy', () => {
  test('given to a person\'s login, it is the vendor pattern', async () => {
    const findings = await checkCase('NHI-VAULT-POLICY-FORBIDDEN', 'namespace-admin', 'compliant');
    for (const rule of broad) expect(locations(findings, rule)).toEqual([]);
  });

  test('held by a workload\'s AppRole, it is refused', async () => {
    const findings = await checkCase('NHI-VAULT-POLICY-FORBIDDEN', 'namespace-admin', 'violating');
    expect(locations(findings, 'NHI-VAULT-POLICY-FORBIDDEN').length).toBeGreaterThan(0);
    expect(findingsOf(findings, 'NHI-VAULT-POLICY-FORBIDDEN').map((f) => f.message).join(' ')).toContain('sys/namespaces/*');
  });
});

describe('GCP rolesets bound to a service\'s administrator role', () => {
  test('roles/storage.admin is full control of the service', async () => {
    const findings = await checkCase('NHI-VAULT-CLOUD-ROLE-ADMIN', 'service-admin-role', 'violating');
    expect(locations(findings, 'NHI-VAULT-CLOUD-ROLE-ADMIN')).toEqual(['vault_gcp_secret_roleset.web']);
    expect(findingsOf(findings, 'NHI-VAULT-CLOUD-ROLE-ADMIN')[0].severity).toBe('high');
  });

  test('a viewer role on one bucket is not', async () => {
    expect(locations(await checkCase('NHI-VAULT-CLOUD-ROLE-ADMIN', 'service-admin-role', 'compliant'), 'NHI-VAULT-CLOUD-ROLE-ADMIN')).toEqual([]);
  });
});

describe('the GCP engine\'s short key and token endpoints', () => {
  test('gcp/key/* and gcp/token/+ reach every roleset', async () => {
    expect(locations(await checkCase('NHI-VAULT-POLICY-BROAD-GLOB', 'gcp-key-glob', 'violating'), 'NHI-VAULT-POLICY-BROAD-GLOB')).toEqual(['vault_policy.any_token', 'vault_policy.reader']);
  });

  test('one roleset\'s key, and key/* in a KV mount, do not', async () => {
    const findings = await checkCase('NHI-VAULT-POLICY-BROAD-GLOB', 'gcp-key-glob', 'compliant');
    for (const rule of broad) expect(locations(findings, rule)).toEqual([]);
  });
});

describe('a dev server\'s root token in a container\'s environment', () => {
  test('VAULT_DEV_ROOT_TOKEN_ID written literally is a secret, not an id', async () => {
    const findings = await checkCase('NHI-VAULT-SECRET-LITERAL', 'dev-root-token', 'violating');
    expect(locations(findings, 'NHI-VAULT-SECRET-LITERAL')).toEqual(['docker_container.vault']);
    expect(findingsOf(findings, 'NHI-VAULT-SECRET-LITERAL')[0].message).toContain('VAULT_DEV_ROOT_TOKEN_ID');
  });

  test('from a sensitive variable it is not', async () => {
    expect(locations(await checkCase('NHI-VAULT-SECRET-LITERAL', 'dev-root-token', 'compliant'), 'NHI-VAULT-SECRET-LITERAL')).toEqual([]);
  });
});

describe('a proxy\'s master key beside a file database', () => {
  const template = (kind: 'violating' | 'compliant') => templateCase('NHI-SHARED-CALLER-KEY', 'file-database', kind);

  test('a SQLite file in the container keeps no callers\' keys: the master key is what callers share', async () => {
    expect(locations(await checkWithCli(template('violating')), 'NHI-SHARED-CALLER-KEY')).toEqual(['MasterKey']);
  });

  test('beside a network database it is the administrator\'s key', async () => {
    expect(locations(await checkWithCli(template('compliant')), 'NHI-SHARED-CALLER-KEY')).toEqual([]);
  });
});
