import { NhiSeverity, OwaspNhi } from '../../finding';
import { isUnresolved } from '../../private/unresolved';
import { VAULT_FIXTURES, vaultRule, VaultHit } from '../rule';

/** GCP roles that own or administer what they are bound on: every permission, or the right to grant any. */
const GCP_ADMIN_ROLE = /^roles\/(owner|editor|iam\.securityAdmin|iam\.serviceAccountAdmin|iam\.serviceAccountKeyAdmin|iam\.serviceAccountTokenCreator|resourcemanager\.(projectIamAdmin|folderAdmin|organizationAdmin))$/;
/** Azure built-in roles that own or administer their scope. */
const AZURE_ADMIN_ROLE = /^(owner|contributor|user access administrator|role based access control administrator)$/i;

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);

/** A service's predefined administrator role (`roles/storage.admin`): full control of that service where it is bound, as AWS's `*FullAccess` policies. */
const GCP_SERVICE_ADMIN_ROLE = /^roles\/[A-Za-z]+\.admin$/;

/** The roles a GCP roleset or static account binds, each with where: `binding { resource roles = [...] }`, in any of its written forms. */
function gcpBindings(props: Record<string, unknown>): Array<{ role: string; resource: unknown }> {
  return asArray(props.binding).flatMap((b) => {
    if (!b || typeof b !== 'object' || isUnresolved(b)) return [];
    const { roles, resource } = b as { roles?: unknown; resource?: unknown };
    return asArray(roles).filter((role): role is string => typeof role === 'string').map((role) => ({ role, resource }));
  });
}

/** A binding on a whole project, folder or organization (or on a resource the files cannot tell), rather than on one resource. */
const onWholeContainer = (resource: unknown) => typeof resource !== 'string'
  || /cloudresourcemanager\.googleapis\.com\/(projects|folders|organizations)\/[^/]+$/.test(resource) || resource.includes('${');

/** The admin roles an Azure role assigns: `azure_roles { role_name ... }`. */
function azureAdminRoles(props: Record<string, unknown>): string[] {
  return asArray(props.azure_roles).flatMap((r) => {
    const name = r && typeof r === 'object' ? (r as { role_name?: unknown }).role_name : undefined;
    return typeof name === 'string' && AZURE_ADMIN_ROLE.test(name) ? [name] : [];
  });
}

/** Consul's built-in policy that administers the whole cluster. */
const CONSUL_ADMIN_POLICY = 'global-management';

/**
 * Why a Consul engine role hands out administrator tokens: `consul_policies` (or the deprecated
 * `policies`) holding `global-management`, or the legacy `token_type = "management"`.
 */
function consulAdminGrant(props: Record<string, unknown>): string | undefined {
  const policies = [...asArray(props.consul_policies), ...asArray(props.policies)];
  if (policies.includes(CONSUL_ADMIN_POLICY)) return `Consul's ${CONSUL_ADMIN_POLICY} policy`;
  return props.token_type === 'management' ? 'Consul management tokens' : undefined;
}

/** A Nomad engine role of `type = "management"` hands out tokens that bypass every Nomad ACL policy. */
function nomadAdminGrant(props: Record<string, unknown>): string | undefined {
  return props.type === 'management' ? 'Nomad management tokens' : undefined;
}

export const VaultCloudRoleAdmin = vaultRule({
  id: 'NHI-VAULT-CLOUD-ROLE-ADMIN',
  title: 'A Vault GCP, Azure, Consul or Nomad role hands out owner or administrator credentials',
  nhi: OwaspNhi.NHI5,
  nist: ['AC-6', 'AC-6(10)'],
  severity: NhiSeverity.CRITICAL,
  fix: 'bind the roleset, static account or Azure role to the narrow predefined or custom roles its workload needs, on the resources it uses; never roles/owner, roles/editor, Owner or Contributor; give Consul and Nomad roles ACL policies scoped to the workload instead of global-management or management tokens',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => ctx.resources.flatMap((r): VaultHit[] => {
    const bound = ['vault_gcp_secret_roleset', 'vault_gcp_secret_static_account'].includes(r.type) ? gcpBindings(r.props) : [];
    const azure = r.type === 'vault_azure_secret_backend_role' ? azureAdminRoles(r.props) : [];
    const roles = [...new Set([...bound.map((b) => b.role).filter((role) => GCP_ADMIN_ROLE.test(role)), ...azure])];
    if (roles.length > 0) return [{ address: r.address, message: `hands out credentials bound to ${roles.join(', ')}: every holder of a lease administers what the role is bound on` }];
    // A service's administrator role on a whole project is high; on one resource (a bucket), medium.
    const serviceAdmin = bound.filter((b) => GCP_SERVICE_ADMIN_ROLE.test(b.role));
    if (serviceAdmin.length > 0) {
      const wide = serviceAdmin.some((b) => onWholeContainer(b.resource));
      return [{
        address: r.address,
        severity: wide ? NhiSeverity.HIGH : NhiSeverity.MEDIUM,
        message: `hands out credentials bound to ${[...new Set(serviceAdmin.map((b) => b.role))].join(', ')}: full control of the service (its data and its own access policies) `
          + (wide ? 'across the project, folder or organization it is bound on' : 'on the resources it is bound on'),
      }];
    }
    const grant = r.type === 'vault_consul_secret_backend_role' ? consulAdminGrant(r.props)
      : r.type === 'vault_nomad_secret_role' ? nomadAdminGrant(r.props) : undefined;
    return grant ? [{ address: r.address, message: `hands out ${grant}: every holder of a lease administers the whole cluster` }] : [];
  }),
});
