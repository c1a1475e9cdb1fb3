import { NhiSeverity, OwaspNhi } from '../../finding';
import { asList, StatementJson } from '../../private/cfn-template';
import { isUnresolved } from '../../private/unresolved';
import { AWS_FIXTURES, awsRule, AwsHit } from '../rule';
import { principalsOf, rolesOf, trustAllows } from '../support/aws';

/**
 * The values a trust statement's conditions give one claim, with their operator. The key may be
 * built from an expression (`${replace(var.issuer, "https://", "")}:sub`): its claim is its suffix.
 */
function conditionValues(statement: StatementJson, suffix: string): Array<{ operator: string; value: string }> {
  return Object.entries(statement.Condition ?? {}).flatMap(([operator, byKey]) => Object.entries(byKey ?? {})
    .filter(([key]) => key.toLowerCase().endsWith(suffix))
    .flatMap(([, values]) => asList(values as string | string[]).map((v) => ({ operator, value: knownText(v) }))));
}

/**
 * The text of a condition value, with what the template cannot know kept as written: a
 * `Fn::Sub` whose parameters have defaults for some parts (`repo:${Org}/*:ref:refs/heads/*`,
 * the repository and branch defaulting to `*`) is judged on the parts it does know.
 */
function knownText(value: unknown): string {
  if (!isUnresolved(value)) return String(value);
  const sub = /^Fn::Sub ("(?:[^"\\]|\\.)*")$/.exec(value.expression);
  return sub ? JSON.parse(sub[1]) as string : String(value);
}

/**
 * Why a subject claim pattern lets in more than one workload, or undefined when it names one:
 * GitHub's `repo:<owner>/<repo>:<ref, environment or pull_request>`, Kubernetes'
 * `system:serviceaccount:<namespace>:<name>`, or any other issuer's exact subject.
 */
function broadSubject(issuer: string, subject: string): string | undefined {
  if (!subject.includes('*') && !subject.includes('?')) return undefined;
  if (subject === '*') return 'any subject of the issuer';
  if (/token\.actions\.githubusercontent\.com/.test(issuer)) {
    const match = /^repo:([^/:]+)\/([^:]+)(?::(.*))?$/.exec(subject);
    if (!match || /[*?]/.test(match[1])) return 'any repository on GitHub';
    if (/[*?]/.test(match[2])) return `any repository of ${match[1]}`;
    const qualifier = match[3] ?? '';
    // A wildcard inside a named kind (`ref:refs/heads/release-*`, `environment:prod-*`) stays within it.
    if (/^(ref|environment|job_workflow_ref):[^*?]/.test(qualifier)) return undefined;
    return `any branch, tag, environment or pull request of ${match[1]}/${match[2]}`;
  }
  const serviceAccount = /^system:serviceaccount:([^:]*):(.*)$/.exec(subject);
  if (serviceAccount) {
    if (/[*?]/.test(serviceAccount[1])) return 'any service account of any namespace';
    // Whoever may create a service account in the namespace can name one to match the glob.
    return `any service account of namespace ${serviceAccount[1]} whose name matches ${serviceAccount[2]}`;
  }
  return `every subject matching ${subject}`;
}

export const TrustOidcBroadSubject = awsRule({
  id: 'NHI-TRUST-OIDC-BROAD-SUBJECT',
  title: 'A role trusts an OIDC issuer (GitHub Actions, a Kubernetes cluster) for more than one workload',
  nhi: OwaspNhi.NHI5,
  nist: ['AC-3', 'IA-9', 'AC-6'],
  severity: NhiSeverity.HIGH,
  fix: 'pin the issuer\'s sub claim with StringEquals to the one workload: for GitHub repo:<owner>/<repo>:environment:<name> or :ref:refs/heads/<branch>, for Kubernetes system:serviceaccount:<namespace>:<name>; and pin aud',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => rolesOf(ctx).flatMap((role) => trustAllows(role).flatMap((statement): AwsHit[] => {
    const federated = principalsOf(statement, 'Federated').filter((f) => !f.includes(':saml-provider/') && !/cognito-identity/.test(f));
    const webIdentity = asList(statement.Action).map(String).some((a) => /^sts:AssumeRoleWithWebIdentity$/i.test(a));
    if (federated.length === 0 || !webIdentity) return [];
    const issuer = federated.join(' ');
    const subjects = conditionValues(statement, ':sub');
    if (subjects.length === 0) {
      return [{ logicalId: role.logicalId, message: `trusts ${issuer} with no condition on the sub claim: every workload the issuer signs tokens for may assume it` }];
    }
    // The condition keys name the issuer too (`token.actions.githubusercontent.com:sub`) when the principal is a reference.
    const keys = Object.values(statement.Condition ?? {}).flatMap((byKey) => Object.keys(byKey ?? {}));
    // Only a *Like operator reads `*` and `?` as wildcards; StringEquals compares them literally.
    const globs = subjects.filter((s) => /like/i.test(s.operator) && !/not/i.test(s.operator));
    const broad = globs.map((s) => [s, broadSubject(`${issuer} ${keys.join(' ')}`, s.value)] as const).filter(([, why]) => why !== undefined);
    return broad.map(([subject, why]) => ({ logicalId: role.logicalId, message: `trusts ${issuer} for sub ${subject.value} (${subject.operator} glob): ${why} may assume it` }));
  })),
});
