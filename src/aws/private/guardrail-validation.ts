import { Token } from 'aws-cdk-lib';
import { join, ProblemCollector } from '../../problems/problem-collector';
import { GatewaySpec, GatewaySpecValidator } from '../../spec';

/** An IAM role's ARN: partition, 12-digit account, optional path, name. */
const ROLE_ARN = /^arn:([a-z-]+):iam::(\d{12}):role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
/** The three kinds of target an organization policy attaches to. */
const TARGET_ID = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|\d{12})$/;

/**
 * Checks one exempted or protected role ARN: a literal, an exact IAM role ARN in the spec's
 * partition, no wildcard (a pattern would exempt every role it matches, including roles an
 * administrator creates to match it).
 */
export function checkRoleArn(c: ProblemCollector, path: string, value: unknown, partition: string, what: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    c.add(path, value, `${what} must be an IAM role ARN`, 'give the exact ARN, e.g. "arn:aws:iam::111122223333:role/deploy"');
    return;
  }
  if (Token.isUnresolved(value)) {
    c.add(path, value, 'is an unresolved token, but the guardrail documents are measured and written at synth', 'give the literal role ARN');
    return;
  }
  if (/[*?]/.test(value)) {
    c.add(path, value, `${what} must be one exact role: a wildcard would exempt every role it matches, including one an administrator creates to match it`,
      'list each role by its exact ARN');
    return;
  }
  const match = ROLE_ARN.exec(value);
  if (!match) {
    const hint = value.includes(':assumed-role/') ? ' (this is a session; give the role it belongs to)' : '';
    c.add(path, value, `${what} must be an IAM role ARN, arn:<partition>:iam::<12-digit account>:role/<name>${hint}`,
      'give the role\'s ARN as IAM shows it');
    return;
  }
  if (match[1] !== partition) {
    c.add(path, value, `is in partition ${match[1]}, but the gateway is in ${partition}`, `give a role of partition ${partition}`);
  }
}

/** Checks a list of role ARNs; `required` refuses an empty or missing list. */
export function checkRoleArns(c: ProblemCollector, path: string, values: unknown, partition: string, what: string, required: boolean): void {
  if (values === undefined && !required) return;
  if (!Array.isArray(values) || (required && values.length === 0)) {
    c.add(path, values, `must list at least one ${what}`, `give ${what} ARNs, e.g. ["arn:aws:iam::111122223333:role/deploy"]`);
    return;
  }
  values.forEach((value, i) => checkRoleArn(c, join(path, i), value, partition, what));
}

/** Checks the ids the policies are attached to, and that one of them can reach the gateway's account. */
export function checkTargetIds(c: ProblemCollector, path: string, values: unknown, gatewayAccount: string | undefined): void {
  if (!Array.isArray(values) || values.length === 0) {
    c.add(path, values, 'must list where the policies are attached: the gateway account or an OU or root above it',
      'give the gateway\'s 12-digit account id, its OU id (ou-...) or the root id (r-...), or set createPolicies: false to write the documents only');
    return;
  }
  const seen = new Set<string>();
  values.forEach((value, i) => {
    const at = join(path, i);
    if (typeof value !== 'string' || Token.isUnresolved(value) || !TARGET_ID.test(value)) {
      c.add(at, value, 'is not a root id (r-...), an OU id (ou-<root>-<ou>) or a 12-digit account id',
        'copy the id from AWS Organizations (aws organizations list-roots, list-organizational-units-for-parent, list-accounts)');
    } else if (seen.has(value)) {
      c.add(at, value, 'is listed twice', 'list each target once');
    }
    if (typeof value === 'string') seen.add(value);
  });
  const accounts = values.filter((v): v is string => typeof v === 'string' && /^\d{12}$/.test(v));
  if (gatewayAccount && accounts.length === values.length && !accounts.includes(gatewayAccount)) {
    c.add(path, values, `names accounts only, and not the gateway's account ${gatewayAccount}: the guardrails would bind no principal or resource of the gateway`,
      `add "${gatewayAccount}", or the OU or root it is in`);
  }
}

/** Problems of the spec itself, nested under `spec`, and literal-ness of what names derive from. */
export function checkGuardrailSpec(c: ProblemCollector, spec: GatewaySpec | undefined): void {
  for (const problem of GatewaySpecValidator.problems(spec as GatewaySpec)) c.addNested('spec', problem);
  for (const field of ['account', 'region', 'partition'] as const) {
    const value = spec?.aws?.[field];
    if (Token.isUnresolved(value)) {
      c.add(`spec.aws.${field}`, value, 'is an unresolved token, but every ARN in the guardrails is derived from the spec at synth',
        `give the literal ${field}`);
    }
  }
}
