import { VaultCapability, VaultPolicyDocument, VaultPolicyMatcher } from '../../../vault-acl';
import { NhiSeverity, OwaspNhi } from '../../finding';
import { VAULT_FIXTURES, vaultRule, VaultHit } from '../rule';
import { policiesOf, workloadAuthRoles } from '../support/vault';
import { isBroadGlob, judgedPolicyRules } from '../support/vault-policies';

/** Paths no workload token may reach, probed with the token's whole policy set. */
function sensitivePaths(mounts: string[]): string[] {
  return [
    'sys/policy/any', 'sys/policies/acl/any', 'sys/audit/any', 'sys/auth/any', 'sys/mounts/any', 'sys/raw/any', 'sys/seal',
    'auth/token/create', 'auth/token/create-orphan', 'identity/entity/id/any',
    ...mounts.flatMap((m) => [`${m}/config/root`, `${m}/rotate-root`, `${m}/roles/any`, `${m}/config/any`]),
  ];
}

export const VaultPolicyForbidden = vaultRule({
  id: 'NHI-VAULT-POLICY-FORBIDDEN',
  title: 'A workload\'s policies reach sys/, root-protected paths, sudo, token or identity writes',
  nhi: OwaspNhi.NHI5,
  nist: ['AC-6(10)', 'AC-6(1)'],
  severity: NhiSeverity.CRITICAL,
  fix: 'grant workloads only the credential paths they read; keep administration in a separate identity',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => {
    const hits: VaultHit[] = [];
    for (const { policy, rule, holder } of judgedPolicyRules(ctx)) {
      const refusal = isBroadGlob(rule.path) ? undefined : VaultPolicyDocument.whyRefused(rule);
      if (refusal) hits.push({ address: policy.address, message: `path "${rule.path}" (${holder}) ${refusal}` });
    }
    // What each role's tokens reach with all their policies together, judged with Vault's matcher.
    for (const role of workloadAuthRoles(ctx)) {
      const attached = policiesOf(ctx, role.props).filter((a) => a.rules);
      const matcher = new VaultPolicyMatcher(attached.map((a) => VaultPolicyDocument.forAnalysis(a.name, a.rules!)));
      const reached = sensitivePaths(ctx.mounts).filter((path) => matcher.capabilitiesAt(path).some((c) => c !== VaultCapability.DENY));
      if (reached.length > 0) {
        hits.push({
          address: role.address,
          message: `its tokens' policies together reach ${reached.slice(0, 4).join(', ')}${reached.length > 4 ? ` and ${reached.length - 4} more` : ''}`,
        });
      }
    }
    return hits;
  },
});
