import { GatewayValidationError } from '../problems';
import { vaultPolicyNameProblem } from './policy-name';
import { ProblemCollector } from '../problems/problem-collector';
import { rulesToHcl } from './private/hcl';
import { workloadRefusal } from './private/workload-refusals';
import { VaultPolicyRule } from './vault-policy-rule';

/**
 * A Vault ACL policy built from typed rules and rendered as deterministic HCL.
 *
 * `VaultPolicyDocument.forWorkload` refuses what no workload (a router, a service) should ever
 * hold: `sys/` and every sudo-protected path, the `sudo` capability, a wildcard as the first
 * segment, a `*` before the end of a path, token creation, auth-role and identity writes, engine
 * configuration and root rotation. It reports every refused rule at once, in one
 * `GatewayValidationError`.
 */
export class VaultPolicyDocument {
  /**
   * Why a rule may not appear in a workload policy, or undefined when it may.
   */
  public static whyRefused(rule: VaultPolicyRule): string | undefined {
    return workloadRefusal(rule);
  }

  /**
   * A policy exactly as it was written elsewhere (read from Terraform JSON or from a server),
   * to analyse, e.g. with `VaultPolicyMatcher`: neither the name nor the rules are checked, and
   * the workload restrictions of `forWorkload` are not applied, so it may hold anything Vault
   * accepts. Use `forWorkload` to write a policy.
   *
   * @param name the policy's name as written
   * @param rules the policy's rules as written
   */
  public static forAnalysis(name: string, rules: VaultPolicyRule[]): VaultPolicyDocument {
    return new VaultPolicyDocument(name, rules);
  }

  /**
   * A policy for a workload, with the workload restrictions enforced.
   *
   * @param name lower-case letters, digits, `_` and `-`; never `root` or `default`
   * @param rules the rules; each path appears once
   */
  public static forWorkload(name: string, rules: VaultPolicyRule[]): VaultPolicyDocument {
    const c = new ProblemCollector();
    const nameProblem = vaultPolicyNameProblem(name);
    if (nameProblem) c.add('name', name, nameProblem, 'give a lower-case name of your own');
    const seen = new Set<string>();
    rules.forEach((rule, i) => {
      const where = `rules[${i}]`;
      if (seen.has(rule.path)) c.add(where, rule.path, 'repeats a path', 'give each path one rule');
      seen.add(rule.path);
      if (rule.capabilities.length === 0) c.add(where, rule.path, 'grants nothing', 'remove the rule or give it capabilities');
      const refusal = workloadRefusal(rule);
      if (refusal) c.add(where, rule.path, `${refusal}; a workload policy may not have it`, 'remove the rule, or grant only the exact credential paths the workload reads');
    });
    if (c.size > 0) throw new GatewayValidationError(`Vault policy "${name}"`, c.problems);
    return new VaultPolicyDocument(name, rules);
  }

  /** The policy name. */
  public readonly name: string;

  /** The rules, sorted by path. */
  public readonly rules: VaultPolicyRule[];

  private constructor(name: string, rules: VaultPolicyRule[]) {
    this.name = name;
    this.rules = [...rules].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * The policy in HCL. The same rules always give the same text (rules sorted by path,
   * capabilities in Vault's order, parameters sorted), so plans show no spurious changes.
   */
  public toHcl(): string {
    return rulesToHcl(this.rules);
  }
}
