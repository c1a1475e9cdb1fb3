import { NhiSeverity, OwaspNhi } from '../../finding';
import { isUnresolved } from '../../private/unresolved';
import { VAULT_FIXTURES, vaultRule, VaultHit } from '../rule';

/** GCP roles that own or administer what they are bound on: every permission, or the right to grant any. */
const GCP_ADMIN_ROLE = /^roles\/(owner|editor|iam\.securityAdmin|iam\.serviceAccountAdmin|iam\.serviceAccountKeyAdmin|iam\.serviceAccountTokenCreator|resourcemanager\.(projectIamAdmin|folderAdmin|organizationAdmin))$/;
/** Azure built-in roles that own or administer their scope. */
const AZURE_ADMIN_ROLE = /^(owner|contributor|user access administrator|role based access control administrator)$/i;

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);

/** The admin roles a GCP roleset or static account binds: `binding { resource roles = [...] }`, in any of its written forms. */
function gcpAdminRoles(props: Record<string, unknown>): string[] {
  return asArray(props.binding).flatMap((b) => (b && typeof b === 'object' && !isUnresolved(b) ? asArray((b as { roles?: unknown }).roles) : []))
    .filter((role): role is string => typeof role === 'string' && GCP_ADMIN_ROLE.test(role));
}

/** The admin roles an Azure role assigns: `azure_roles { role_name ... }`. */
function azureAdminRoles(props: Record<string, unknown>): string[] {
  return asArray(props.azure_roles).flatMap((r) => {
    const name = r && typeof r === 'object' ? (r as { role_name?: unknown }).role_name : undefined;
    return typeof name === 'string' && AZURE_ADMIN_ROLE.test(name) ? [name] : [];
  });
}

export const VaultCloudRoleAdmin = vaultRule({
  id: 'NHI-VAULT-CLOUD-ROLE-ADMIN',
  title: 'A Vault GCP or Azure role hands out owner or administrator credentials',
  nhi: OwaspNhi.NHI5,
  nist: ['AC-6', 'AC-6(10)'],
  severity: NhiSeverity.CRITICAL,
  fix: 'bind the roleset, static account or Azure role to the narrow predefined or custom roles its workload needs, on the resources it uses; never roles/owner, roles/editor, Owner or Contributor',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => ctx.resources.flatMap((r): VaultHit[] => {
    const gcp = ['vault_gcp_secret_roleset', 'vault_gcp_secret_static_account'].includes(r.type) ? gcpAdminRoles(r.props) : [];
    const azure = r.type === 'vault_azure_secret_backend_role' ? azureAdminRoles(r.props) : [];
    const roles = [...new Set([...gcp, ...azure])];
    return roles.length > 0 ? [{ address: r.address, message: `hands out credentials bound to ${roles.join(', ')}: every holder of a lease administers what the role is bound on` }] : [];
  }),
});
