import { NhiSeverity, OwaspNhi } from '../../finding';
import { asList, StatementJson } from '../../private/cfn-template';
import { isUnresolved, unresolvedExpression } from '../../private/unresolved';
import { VAULT_FIXTURES, vaultRule, VaultHit } from '../rule';
import { TerraformResource } from '../support/vault';

const ADMIN_POLICIES = ['AdministratorAccess', 'PowerUserAccess', 'IAMFullAccess'];

/** The policy document a Vault AWS role hands out, parsed, or undefined when it is not literal JSON. */
function documentOf(value: unknown): { Statement?: StatementJson | StatementJson[] } | undefined {
  if (value && typeof value === 'object' && !isUnresolved(value)) return value as { Statement?: StatementJson[] };
  if (typeof value !== 'string') return undefined;
  try {
    return JSON.parse(value) as { Statement?: StatementJson[] };
  } catch {
    return undefined;
  }
}

/** What in one statement hands out administration: `*`, `iam:*`, or any action on every resource. */
function adminGrants(statement: StatementJson): string[] {
  if (statement.Effect !== 'Allow') return [];
  const actions = asList(statement.Action).map(String);
  const resources = asList(statement.Resource).map(String);
  const grants = actions.filter((a) => a === '*' || a === '*:*' || /^iam:\*$/i.test(a));
  if (statement.NotAction !== undefined) grants.push(`NotAction ${JSON.stringify(statement.NotAction)}`);
  const everyResource = resources.includes('*');
  if (grants.length === 0 && everyResource && actions.some((a) => /:\*$/.test(a))) grants.push(`${actions.filter((a) => /:\*$/.test(a)).join(', ')} on *`);
  return grants;
}

/**
 * The managed policies of the configuration the role hands out by ARN (`aws_iam_policy.app.arn`,
 * `values(aws_iam_policy.apps)[*].arn`): every instance of each policy the expression names.
 */
function configuredPoliciesOf(role: TerraformResource, resources: TerraformResource[]): TerraformResource[] {
  const text = [role.props.policy_arns, role.props.policy_arn].map((v) => unresolvedExpression(v) ?? JSON.stringify(v ?? null)).join(' ');
  const names = new Set([...text.matchAll(/\baws_iam_policy\.([A-Za-z0-9_-]+)/g)].map((m) => m[1]));
  return resources.filter((r) => r.type === 'aws_iam_policy' && names.has(r.address.replace(/^(module\.[^.]+\.)*aws_iam_policy\./, '').replace(/\[.*$/, '')));
}

export const VaultAwsRolePolicy = vaultRule({
  id: 'NHI-VAULT-AWS-ROLE-POLICY',
  title: 'A Vault AWS role hands out credentials with administrator or IAM-wide permissions',
  nhi: OwaspNhi.NHI5,
  nist: ['AC-6', 'AC-6(10)'],
  severity: NhiSeverity.CRITICAL,
  fix: 'give the role a policy_document (or role_arns) of the exact actions and resources its workload needs; never iam:* or * on *',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => ctx.resources.filter((r) => r.type === 'vault_aws_secret_backend_role').flatMap((r) => {
    const hits: VaultHit[] = [];
    // `policy` is the provider's legacy name of the same document.
    const document = documentOf(r.props.policy_document ?? r.props.policy);
    const grants = asList(document?.Statement).filter(Boolean).flatMap(adminGrants);
    if (grants.length > 0) hits.push({ address: r.address, message: `hands out a policy document that allows ${[...new Set(grants)].join('; ')}` });
    // The configuration's own managed policies it hands out are judged as its document is, in one finding.
    const handedOut = configuredPoliciesOf(r, ctx.resources).flatMap((policy) => {
      const granted = asList(documentOf(policy.props.policy)?.Statement).filter(Boolean).flatMap(adminGrants);
      return granted.length > 0 ? [`${policy.address}, which allows ${[...new Set(granted)].join('; ')}`] : [];
    });
    if (handedOut.length > 0) hits.push({ address: r.address, message: `hands out ${handedOut.join('; ')}` });
    for (const arn of [...asList(r.props.policy_arns as string[] | undefined), ...asList(r.props.policy_arn as string | undefined)].map(String)) {
      const admin = ADMIN_POLICIES.find((name) => arn.endsWith(`:iam::aws:policy/${name}`));
      if (admin) hits.push({ address: r.address, message: `hands out the AWS-managed policy ${admin}` });
    }
    return hits;
  }),
});
