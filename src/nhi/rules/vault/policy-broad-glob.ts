import { NhiSeverity, OwaspNhi } from '../../finding';
import { VAULT_FIXTURES, vaultRule } from '../rule';
import { isBroadGlob, judgedPolicyRules } from '../support/vault-policies';

export const VaultPolicyBroadGlob = vaultRule({
  id: 'NHI-VAULT-POLICY-BROAD-GLOB',
  title: 'A workload\'s policy uses a glob that covers whole mounts',
  nhi: OwaspNhi.NHI5,
  nist: ['AC-6'],
  severity: NhiSeverity.HIGH,
  fix: 'list exact paths, or a glob under one role\'s credentials',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => {
    // One finding per policy and path, naming every holder.
    const found = new Map<string, { address: string; path: string; holders: string[] }>();
    for (const { policy, rule, holder } of judgedPolicyRules(ctx).filter((j) => isBroadGlob(j.rule.path))) {
      const key = `${policy.address}\n${rule.path}`;
      const entry = found.get(key) ?? { address: policy.address, path: rule.path, holders: [] };
      if (!entry.holders.includes(holder)) entry.holders.push(holder);
      found.set(key, entry);
    }
    return [...found.values()].map((e) => ({ address: e.address, message: `path "${e.path}" (${e.holders.join('; ')}) covers whole mounts` }));
  },
});
