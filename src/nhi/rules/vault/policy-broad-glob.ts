import { VaultCapability } from '../../../vault-acl';
import { NhiSeverity, OwaspNhi } from '../../finding';
import { VAULT_FIXTURES, vaultRule } from '../rule';
import { gcpEngineMounts, isBroadGlob, judgedPolicyRules, onWorkloadHoldersOfPeoplesPolicies, syncOperatorRead } from '../support/vault-policies';

/**
 * True when a rule grants nothing but `list` (or denies): listing returns the names of the keys
 * under a path, never a secret's value or a credential, so a glob of it reaches no secret.
 */
function namesOnly(capabilities: readonly string[]): boolean {
  return capabilities.length > 0 && capabilities.every((c) => c === VaultCapability.LIST || c === VaultCapability.DENY);
}

export const VaultPolicyBroadGlob = vaultRule({
  id: 'NHI-VAULT-POLICY-BROAD-GLOB',
  title: 'A workload\'s policy uses a glob that covers whole mounts',
  nhi: OwaspNhi.NHI5,
  nist: ['AC-6'],
  severity: NhiSeverity.HIGH,
  fix: 'list exact paths, or a glob under one role\'s credentials',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => {
    // One hit per policy and path, naming every holder (the paths of one policy become one finding).
    const found = new Map<string, { address: string; path: string; holders: string[] }>();
    // A secret-sync operator reading the mount it syncs is its job; the policy's other holders are still named.
    const gcpMounts = gcpEngineMounts(ctx);
    const judged = judgedPolicyRules(ctx)
      .filter((j) => isBroadGlob(j.rule.path, gcpMounts) && !namesOnly(j.rule.capabilities) && !syncOperatorRead(j));
    for (const { policy, rule, holder } of judged) {
      const key = `${policy.address}\n${rule.path}`;
      const entry = found.get(key) ?? { address: policy.address, path: rule.path, holders: [] };
      if (!entry.holders.includes(holder)) entry.holders.push(holder);
      found.set(key, entry);
    }
    return onWorkloadHoldersOfPeoplesPolicies(ctx, [...found.values()].map((e) => ({ address: e.address, message: `path "${e.path}" (${e.holders.join('; ')}) covers whole mounts` })));
  },
});
