import { vaultPolicyNameProblem } from './policy-name';
import { rulesToHcl } from './private/hcl';
import { workloadRefusal } from './private/workload-refusals';
import { VaultPolicyRule } from './vault-policy-rule';

/**
 * A Vault ACL policy built from typed rules and rendered as deterministic HCL.
 *
 * `VaultPolicyDocument.forWorkload` refuses what no workload (a router, a service) should ever
 * hold: `sys/` and every sudo-protected path, the `sudo` capability, a wildcard as the first
 * segment, a `*` before the end of a path, token creation, auth-role and identity writes, engine
 * configuration and root rotation. It reports every refused rule at once.
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
    const problems: string[] = [];
    const nameProblem = vaultPolicyNameProblem(name);
    if (nameProblem) problems.push(nameProblem);
    const seen = new Set<string>();
    rules.forEach((rule, i) => {
      const where = `rules[${i}] (path "${rule.path}")`;
      if (seen.has(rule.path)) problems.push(`${where} repeats a path; give each path one rule`);
      seen.add(rule.path);
      if (rule.capabilities.length === 0) problems.push(`${where} grants nothing; remove it or give it capabilities`);
      const refusal = workloadRefusal(rule);
      if (refusal) problems.push(`${where} ${refusal}; a workload policy may not have it`);
    });
    if (problems.length > 0) {
      throw new Error(`Vault policy "${name}" is refused (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    }
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
