import type * as CedarWasm from '@cedar-policy/cedar-wasm/nodejs';
import { CedarPolicyDefinition } from '../../spec';

let engine: typeof CedarWasm | undefined;

/** Loads the Cedar engine on first use: synth pays for it only when a policy store exists. */
function cedar(): typeof CedarWasm {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  engine ??= require('@cedar-policy/cedar-wasm/nodejs') as typeof CedarWasm;
  return engine;
}

/**
 * Validates policies against a schema with the Cedar engine in strict mode, the way Verified
 * Permissions does for a STRICT store, and returns one message per problem.
 */
export function validatePolicies(schemaJson: string, policies: CedarPolicyDefinition[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const policy of policies) {
    if (seen.has(policy.id)) problems.push(`Cedar policy "${policy.id}" is defined twice; policy ids must be unique.`);
    seen.add(policy.id);
    if (policy.description.length > 150) {
      problems.push(`Cedar policy "${policy.id}" has a description of ${policy.description.length} characters; Verified Permissions allows 150.`);
    }
    const parsed = cedar().checkParsePolicySet({ staticPolicies: policy.statement });
    if (parsed.type === 'failure') {
      problems.push(`Cedar policy "${policy.id}" does not parse: ${parsed.errors.map((e) => e.message).join('; ')}`);
    }
  }
  if (problems.length > 0) return problems;

  const answer = cedar().validate({
    schema: JSON.parse(schemaJson),
    policies: { staticPolicies: Object.fromEntries(policies.map((p) => [p.id, p.statement])) },
    validationSettings: { mode: 'strict' },
  });
  if (answer.type === 'failure') {
    return answer.errors.map((e) => `The Cedar policies could not be validated: ${e.message}`);
  }
  return answer.validationErrors.map((e) => `Cedar policy "${e.policyId}" is invalid against the gateway schema: ${e.error.message}${e.error.help ? ` (${e.error.help})` : ''}`);
}
