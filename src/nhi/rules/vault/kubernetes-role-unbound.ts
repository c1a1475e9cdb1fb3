import { NhiSeverity, OwaspNhi } from '../../finding';
import { VAULT_FIXTURES, vaultRule, VaultHit } from '../rule';
import { DEFAULT_ACCOUNT_REACH, describe, isUnknown } from '../support/vault';

const BINDINGS = ['bound_service_account_names', 'bound_service_account_namespaces'] as const;

export const VaultKubernetesRoleUnbound = vaultRule({
  id: 'NHI-VAULT-K8S-ROLE-UNBOUND',
  title: 'A Kubernetes auth role accepts service accounts of any name or any namespace',
  nhi: OwaspNhi.NHI4,
  nist: ['IA-9', 'AC-3'],
  severity: NhiSeverity.HIGH,
  fix: 'bind the role to the workload\'s exact service account names and namespaces, never "*"',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => ctx.resources.filter((r) => r.type === 'vault_kubernetes_auth_backend_role').flatMap((r): VaultHit[] => {
    const problems = BINDINGS.flatMap((key) => {
      const value = r.props[key];
      if (isUnknown(value)) return [];
      const list = Array.isArray(value) ? value : [];
      if (list.length === 0) return [`${key} is ${describe(value)}`];
      return list.some((v) => v === '*') ? [`${key} is ["*"]: any ${key.endsWith('namespaces') ? 'namespace' : 'service account name'} is accepted`] : [];
    });
    // Every pod of the default namespace that names no service account runs as its `default` one.
    const names = r.props.bound_service_account_names;
    const namespaces = r.props.bound_service_account_namespaces;
    if (Array.isArray(names) && names.includes('default') && Array.isArray(namespaces) && namespaces.includes('default')) {
      problems.push(`binds the default service account of the default namespace: ${DEFAULT_ACCOUNT_REACH}`);
    }
    return problems.length > 0 ? [{ address: r.address, message: problems.join('; ') }] : [];
  }),
});
