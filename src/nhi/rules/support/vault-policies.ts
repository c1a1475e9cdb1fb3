import { PolicyResource, policiesOf, unattachedPolicies, VaultCheckContext, workloadAuthRoles, workloadIdentities } from './vault';
import { VaultPolicyRule } from '../../../vault-acl';

/** One rule of a policy, with who holds the policy, for messages. */
export interface JudgedRule {
  readonly policy: PolicyResource;
  readonly rule: VaultPolicyRule;
  /** `attached to <role>`, or `attached to no role in this configuration`. */
  readonly holder: string;
}

/**
 * Every rule of the policies a workload may hold: those its auth roles attach, those identity
 * entities and groups attach when workloads log in as them (their aliases sit on a workload auth
 * method), and those nothing in the configuration attaches (whatever attaches them is unseen,
 * so they are judged anyway). Policies attached only to people's groups and entities, or to
 * tokens, belong to people or operators, not workloads.
 */
export function judgedPolicyRules(ctx: VaultCheckContext): JudgedRule[] {
  const judged: JudgedRule[] = [];
  for (const role of workloadAuthRoles(ctx)) {
    for (const policy of policiesOf(ctx, role.props)) {
      for (const rule of policy.rules ?? []) judged.push({ policy, rule, holder: `attached to ${role.address}` });
    }
  }
  for (const { resource, mounts } of workloadIdentities(ctx)) {
    for (const policy of policiesOf(ctx, resource.props)) {
      for (const rule of policy.rules ?? []) judged.push({ policy, rule, holder: `held by ${resource.address}, which logs in through ${mounts.join(', ')}` });
    }
  }
  for (const policy of unattachedPolicies(ctx)) {
    for (const rule of policy.rules ?? []) judged.push({ policy, rule, holder: 'attached to no role in this configuration' });
  }
  return judged;
}

/** KV version 2's API segments: `kv/data/*` names every secret of the mount, as `kv/*` does. */
const KV2_API_SEGMENTS = ['data', 'metadata', 'delete', 'undelete', 'destroy', 'subkeys'];

/** True when a path's glob or `+` covers whole mounts (`aws/*`, `+/creds/x`, `secret/data/*`). */
export function isBroadGlob(path: string): boolean {
  const segments = path.replace(/^\/+/, '').split('/');
  if (segments.slice(0, 2).some((s) => s === '+')) return true;
  if (!path.endsWith('*')) return false;
  const named = path.replace(/^\/+/, '').slice(0, -1).split('/').filter((s) => s !== '');
  // The API segment after a KV v2 mount does not narrow the path.
  const meaningful = named.length >= 2 && KV2_API_SEGMENTS.includes(named[1]) ? named.length - 1 : named.length;
  return meaningful < 2;
}
