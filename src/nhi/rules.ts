import { NhiRule } from './finding';
import { RULE_DEFINITIONS } from './rules/registry';

/**
 * The rules of the NHI rule pack for CloudFormation and Vault Terraform, with their OWASP NHI
 * items and NIST SP 800-53 controls. Each rule lives in its own file under `rules/`.
 */
export class NhiRules {
  /**
   * Where acknowledgements of NHI rule findings are stored in synthesized output: the
   * `Metadata` of a CloudFormation resource or template, or the `//` comment of a Terraform
   * resource or configuration.
   */
  public static readonly ACKNOWLEDGEMENTS_KEY = 'gateward:acknowledgements';

  /** Every rule, in a fixed order. */
  public static all(): NhiRule[] {
    return RULE_DEFINITIONS.map(toRule);
  }

  /** The rule with this id. Throws for an unknown id. */
  public static byId(id: string): NhiRule {
    const rule = RULE_DEFINITIONS.find((r) => r.id === id);
    if (!rule) throw new Error(`Unknown NHI rule "${id}"; the rules are ${RULE_DEFINITIONS.map((r) => r.id).join(', ')}.`);
    return toRule(rule);
  }

  private constructor() {}
}

function toRule(definition: (typeof RULE_DEFINITIONS)[number]): NhiRule {
  const { id, title, nhi, nist, severity, plane, fix } = definition;
  return { id, title, nhi, nist: [...nist], severity, ...(plane === undefined ? {} : { plane }), fix };
}
