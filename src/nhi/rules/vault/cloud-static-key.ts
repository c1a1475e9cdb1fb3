import { NhiSeverity, OwaspNhi } from '../../finding';
import { isUnresolved } from '../../private/unresolved';
import { VAULT_FIXTURES, vaultRule } from '../rule';
import { describe, isUnknown, TerraformResource } from '../support/vault';

/**
 * The argument of each Azure and Google Cloud secrets engine and auth method that holds a
 * long-lived cloud key Vault signs in with. Left out, Vault uses the server's own identity (an
 * Azure managed identity, Google's application default credentials) or workload identity
 * federation (`identity_token_audience`), which is what the fix asks for.
 */
const STATIC_KEY_ARGUMENTS: Record<string, { readonly argument: string; readonly key: string }> = {
  vault_azure_secret_backend: { argument: 'client_secret', key: 'a service principal\'s client secret' },
  vault_azure_auth_backend_config: { argument: 'client_secret', key: 'a service principal\'s client secret' },
  vault_gcp_secret_backend: { argument: 'credentials', key: 'a service account key' },
  vault_gcp_auth_backend: { argument: 'credentials', key: 'a service account key' },
};

function staticKeyOf(resource: TerraformResource): string | undefined {
  const spec = STATIC_KEY_ARGUMENTS[resource.type];
  const value = spec ? resource.props[spec.argument] : undefined;
  if (value === undefined || value === null || value === '') return undefined;
  // An optional input left at null sends nothing, so Vault falls back to its own identity.
  if (isUnresolved(value) && value.nullDefault) return undefined;
  const how = typeof value === 'string' && /\$\{(azuread_|azurerm_|google_)/.test(value)
    ? 'created in this configuration, so the key is in Terraform state'
    : `${isUnknown(value) ? describe(value) : 'written in the configuration'}; Terraform passes it to Vault and keeps it in its state in clear`;
  return `signs in to the cloud with ${spec!.key} (${spec!.argument}), ${how}`;
}

export const VaultCloudStaticKey = vaultRule({
  id: 'NHI-VAULT-CLOUD-STATIC-KEY',
  title: 'Vault\'s Azure or Google Cloud secrets engine or auth method runs on a static key',
  nhi: OwaspNhi.NHI7,
  nist: ['IA-5(7)', 'IA-5(f)'],
  severity: NhiSeverity.HIGH,
  fix: 'leave client_secret or credentials out so Vault uses its server\'s identity (Azure managed identity, Google application default credentials) or workload identity federation (identity_token_audience); if a key is unavoidable, rotate it with the engine\'s rotate-root and never pass it through Terraform',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => ctx.resources.flatMap((r) => {
    const problem = staticKeyOf(r);
    return problem ? [{ address: r.address, message: problem }] : [];
  }),
});
