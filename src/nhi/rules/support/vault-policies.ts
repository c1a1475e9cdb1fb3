import { PolicyResource, policiesOf, unattachedPolicies, VaultCheckContext, workloadAuthRoles } from './vault';
import { VaultPolicyRule } from '../../../vault-acl';

/** One rule of a policy, with who holds the policy, for messages. */
export interface JudgedRule {
  readonly policy: PolicyResource;
  readonly rule: VaultPolicyRule;
  /** `attached to <role>`, or `attached to no role in this configuration`. */
  readonly holder: string;
}

/**
 * Every rule of the policies a workload may hold: those its auth roles attach, and those nothing
 * in the configuration attaches (whatever attaches them is unseen, so they are judged anyway).
 * Policies attached only to groups, entities or tokens belong to people or operators, not workloads.
 */
export function judgedPolicyRules(ctx: VaultCheckContext): JudgedRule[] {
  const judged: JudgedRule[] = [];
  for (const role of workloadAuthRoles(ctx)) {
    for (const policy of policiesOf(ctx, role.props)) {
      for (const rule of policy.rules ?? []) judged.push({ policy, rule, holder: `attached to ${role.address}` });
    }
  }
  for (const policy of unattachedPolicies(ctx)) {
    for (const rule of policy.rules ?? []) judged.push({ policy, rule, holder: 'attached to no role in this configuration' });
  }
  return judged;
}

/** True when a path's glob or `+` covers whole mounts (`aws/*`, `+/creds/x`). */
export function isBroadGlob(path: string): boolean {
  const segments = path.replace(/^\/+/, '').split('/');
  if (segments.slice(0, 2).some((s) => s === '+')) return true;
  if (!path.endsWith('*')) return false;
  return path.replace(/^\/+/, '').slice(0, -1).split('/').filter((s) => s !== '').length < 2;
}
