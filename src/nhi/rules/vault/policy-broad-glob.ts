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
  check: (ctx) => judgedPolicyRules(ctx).filter(({ rule }) => isBroadGlob(rule.path))
    .map(({ policy, rule, holder }) => ({ address: policy.address, message: `path "${rule.path}" (${holder}) covers whole mounts` })),
});
