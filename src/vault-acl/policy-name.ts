// The rule for a Vault ACL policy name, in one place for the policy document and the spec's
// naming. Not part of the package's public API (src/vault-acl/index.ts does not export it).

/** What a Vault policy name may contain: Vault lower-cases names, so a mixed-case name hides a different policy. */
export const VAULT_POLICY_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;

/** Names Vault reserves (compared after lower-casing and trimming, as Vault does). */
export const VAULT_RESERVED_POLICY_NAMES: readonly string[] = ['root', 'default'];

/** Why `name` cannot name a policy of ours, or undefined when it can. */
export function vaultPolicyNameProblem(name: string): string | undefined {
  const normalized = name.trim().toLowerCase();
  if (VAULT_RESERVED_POLICY_NAMES.includes(normalized)) {
    return `the name "${name}" is Vault's reserved ${normalized} policy; choose a name of your own`;
  }
  if (!VAULT_POLICY_NAME_PATTERN.test(name)) {
    return `the name "${name}" may contain lower-case letters, digits, _ and - only (Vault lower-cases names; a mixed-case name hides a different policy)`;
  }
  return undefined;
}
