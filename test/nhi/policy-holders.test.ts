import { checkVault } from '../support/check-fixtures';

// Who holds a policy decides whether it is judged as a workload's: the name a role lists means
// the policy of its own namespace, and HashiCorp's administrator policy that no workload holds
// belongs to people.

const locations = (ids: string[]) => (findings: Array<{ ruleId: string; location: string }>) =>
  [...new Set(findings.filter((f) => ids.includes(f.ruleId)).map((f) => f.location))].sort();
const policyFindings = locations(['NHI-VAULT-POLICY-FORBIDDEN', 'NHI-VAULT-POLICY-BROAD-GLOB']);

const ADMIN = [
  'path "auth/*" {\n  capabilities = ["create", "read", "update", "delete", "list", "sudo"]\n}',
  'path "sys/auth/*" {\n  capabilities = ["create", "update", "delete", "sudo"]\n}',
  'path "sys/policies/acl/*" {\n  capabilities = ["create", "read", "update", "delete", "list", "sudo"]\n}',
  'path "sys/mounts/*" {\n  capabilities = ["create", "read", "update", "delete", "list", "sudo"]\n}',
  'path "secret/*" {\n  capabilities = ["create", "read", "update", "delete", "list"]\n}',
].join('\n');
const ROOT = 'path "*" {\n  capabilities = ["create", "read", "update", "delete", "list", "sudo"]\n}\n';
const APP = 'path "secret/data/app/db" {\n  capabilities = ["read"]\n}\n';

const namespaces = { vault_namespace: { team: { path: 'team' } } };

describe('a policy name means the policy of the holder\'s namespace', () => {
  test('an AppRole in a namespace holds that namespace\'s "admins", not the root namespace\'s', () => {
    const resources = {
      ...namespaces,
      vault_policy: {
        admins_root: { name: 'admins', policy: ADMIN },
        admins_team: { name: 'admins', namespace: '${vault_namespace.team.path_fq}', policy: APP },
      },
      vault_auth_backend: { approle: { type: 'approle', namespace: '${vault_namespace.team.path_fq}' } },
      vault_approle_auth_backend_role: {
        ci: { backend: 'approle', namespace: '${vault_namespace.team.path}', role_name: 'ci', token_policies: ['admins'], secret_id_ttl: 600, token_ttl: 600, token_max_ttl: 600 },
      },
    };
    expect(policyFindings(checkVault(resources))).toEqual([]);
    // The namespaced policy is the one judged as the role's.
    const teamAdmin = {
      ...resources,
      vault_policy: { ...resources.vault_policy, admins_team: { ...resources.vault_policy.admins_team, policy: ADMIN } },
    };
    expect(policyFindings(checkVault(teamAdmin))).toEqual(['vault_policy.admins_team']);
  });

  test('with one policy of the name, the name means it wherever the holder is', () => {
    const resources = {
      vault_policy: { admins: { name: 'admins', policy: ADMIN } },
      vault_auth_backend: { approle: { type: 'approle' } },
      vault_approle_auth_backend_role: {
        ci: { backend: 'approle', namespace: 'team', role_name: 'ci', token_policies: ['admins'], secret_id_ttl: 600, token_ttl: 600, token_max_ttl: 600 },
      },
    };
    expect(policyFindings(checkVault(resources))).toEqual(['vault_policy.admins']);
  });
});

describe('HashiCorp\'s administrator policy belongs to people unless a workload holds it', () => {
  test('attached to no role, it is not judged; a root-equivalent "*" still is', () => {
    const resources = { vault_policy: { admins: { name: 'admins', policy: ADMIN }, god: { name: 'god', policy: ROOT } } };
    expect(policyFindings(checkVault(resources))).toEqual(['vault_policy.god']);
  });

  test('held by a workload\'s AppRole, it is', () => {
    const resources = {
      vault_policy: { admins: { name: 'admins', policy: ADMIN } },
      vault_auth_backend: { approle: { type: 'approle' } },
      vault_approle_auth_backend_role: { cert_manager: { backend: '${vault_auth_backend.approle.path}', role_name: 'cert-manager', token_policies: ['admins'] } },
    };
    expect(policyFindings(checkVault(resources))).toEqual(['vault_policy.admins']);
  });
});

describe('the administrator policy of one credential engine belongs to its operators unless a workload holds it', () => {
  const CONSUL_ADMIN = 'path "consul/*" {\n  capabilities = ["create", "read", "update", "delete", "list", "sudo"]\n}\n';
  const KV_ALL = 'path "secret/*" {\n  capabilities = ["create", "read", "update", "delete", "list"]\n}\n';
  const mounts = {
    vault_consul_secret_backend: { consul: { path: 'consul', address: 'consul.internal:8501', scheme: 'https' } },
    vault_mount: { secret: { path: 'secret', type: 'kv-v2' } },
  };

  test('attached to no role, "<engine>/*" is not judged; the same glob over a KV mount, which holds data, still is', () => {
    const resources = { ...mounts, vault_policy: { consul_admin: { name: 'consul-admin', policy: CONSUL_ADMIN }, kv_all: { name: 'kv-all', policy: KV_ALL } } };
    expect(policyFindings(checkVault(resources))).toEqual(['vault_policy.kv_all']);
  });

  test('a glob over a path the configuration mounts no engine at is judged', () => {
    const resources = { vault_policy: { consul_admin: { name: 'consul-admin', policy: CONSUL_ADMIN } } };
    expect(policyFindings(checkVault(resources))).toEqual(['vault_policy.consul_admin']);
  });

  test('held by a workload\'s AppRole, it is', () => {
    const resources = {
      ...mounts,
      vault_policy: { consul_admin: { name: 'consul-admin', policy: CONSUL_ADMIN } },
      vault_auth_backend: { approle: { type: 'approle' } },
      vault_approle_auth_backend_role: { agent: { backend: '${vault_auth_backend.approle.path}', role_name: 'agent', token_policies: ['consul-admin'] } },
    };
    expect(policyFindings(checkVault(resources))).toEqual(['vault_policy.consul_admin']);
  });
});
