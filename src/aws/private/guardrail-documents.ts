import { ControlPolicyKind, GuardrailRule, ruleStatement } from './guardrail-rules';
import { ProblemCollector } from '../../problems/problem-collector';

/**
 * The largest SCP and RCP AWS Organizations accepts, in characters of the document as stored:
 * every character counts, white space included, so documents are measured minified.
 */
export const MAX_POLICY_CHARACTERS = 5120;

/**
 * How many guardrail documents of one type may be attached to one target. AWS Organizations
 * attaches at most 5 policies of a type directly to a root, OU or account. FullAWSAccess is one of
 * them until it is replaced (every target needs an SCP that allows), and RCPFullAWSAccess is
 * attached to every target and cannot be detached; it is counted against the 5 here too, to be
 * safe. That leaves 4 for the guardrails, fewer if other SCPs or RCPs are attached to the same
 * target (AWS Control Tower attaches its own).
 */
export const MAX_DOCUMENTS_PER_TYPE = 4;

/** One packed document: its statements in order, as a policy. */
export interface PackedDocument {
  readonly kind: ControlPolicyKind;
  readonly statements: Array<Record<string, unknown>>;
  /** The policy, minified: exactly what is measured and deployed. */
  readonly content: string;
}

const KIND_NAMES: Record<ControlPolicyKind, string> = { scp: 'service control policies', rcp: 'resource control policies' };

function policyText(statements: Array<Record<string, unknown>>): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/**
 * Packs the rules of each kind into as few documents as fit the size limit (first fit, in rule
 * order), and reports a statement too large for any document or more documents of a kind than a
 * target takes. Statements grow only with the exempted roles, never with tenants.
 */
export function packDocuments(rules: GuardrailRule[], c: ProblemCollector, path: string): PackedDocument[] {
  const packed: PackedDocument[] = [];
  for (const kind of ['scp', 'rcp'] as ControlPolicyKind[]) {
    const bins: Array<Array<Record<string, unknown>>> = [];
    for (const rule of rules.filter((r) => r.kind === kind)) {
      const statement = ruleStatement(rule);
      const alone = policyText([statement]).length;
      if (alone > MAX_POLICY_CHARACTERS) {
        c.add(path, `${rule.sid}: ${alone} characters`,
          `statement ${rule.sid} alone makes a policy of ${alone} characters, more than the ${MAX_POLICY_CHARACTERS} AWS Organizations accepts; `
          + `it lists ${rule.exempt.length} exempted principals`,
          'exempt fewer roles: list only the roles CloudFormation deploys the gateway with, the credential-lifecycle owner and the rotation functions\' roles');
        continue;
      }
      const bin = bins.find((b) => policyText([...b, statement]).length <= MAX_POLICY_CHARACTERS);
      if (bin) bin.push(statement);
      else bins.push([statement]);
    }
    if (bins.length > MAX_DOCUMENTS_PER_TYPE) {
      c.add(path, `${bins.length} ${KIND_NAMES[kind]}`,
        `the guardrails need ${bins.length} ${KIND_NAMES[kind]} of at most ${MAX_POLICY_CHARACTERS} characters, but a target takes at most `
        + `${MAX_DOCUMENTS_PER_TYPE} besides the one that allows (5 per root, OU or account)`,
        'exempt fewer roles, which every statement lists; the documents do not grow with tenants');
    }
    for (const statements of bins) packed.push({ kind, statements, content: policyText(statements) });
  }
  return packed;
}
