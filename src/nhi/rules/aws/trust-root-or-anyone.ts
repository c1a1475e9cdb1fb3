import { NhiSeverity, OwaspNhi } from '../../finding';
import { AWS_FIXTURES, awsRule } from '../rule';
import { AwsCheckContext, accountOfPrincipal, identityAllows, principalsOf, referencedId, resourcesOfTypes, rolesOf, trustAllows } from '../support/aws';

/**
 * Roles that are a Kubernetes cluster's human access: an EKS access entry (or a cluster's
 * `AccessEntries`) names them and they hold no AWS permission of their own. People of the
 * account assume them to reach the cluster, as its access entry allows; that is human access,
 * not a workload trusting a whole account.
 */
function clusterAccessRoles(ctx: AwsCheckContext): Set<string> {
  const named = [
    ...resourcesOfTypes(ctx.model, ['AWS::EKS::AccessEntry']).map(([, r]) => r.Properties?.PrincipalArn),
    ...resourcesOfTypes(ctx.model, ['AWS::EKS::Cluster']).flatMap(([, r]) => {
      const entries = r.Properties?.AccessEntries;
      return Array.isArray(entries) ? entries.map((e: { PrincipalArn?: unknown }) => e?.PrincipalArn) : [];
    }),
  ];
  return new Set(named.map((arn) => referencedId(arn)).filter((id): id is string => id !== undefined));
}

export const TrustRootOrAnyone = awsRule({
  id: 'NHI-TRUST-ROOT-OR-ANYONE',
  title: 'A role trusts anyone, or a whole account',
  nhi: OwaspNhi.NHI5,
  nist: ['AC-3', 'AC-6'],
  severity: NhiSeverity.CRITICAL,
  fix: 'trust the exact role that assumes it, not "*" or an account root',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => rolesOf(ctx).filter((role) => !(clusterAccessRoles(ctx).has(role.logicalId) && identityAllows(role).length === 0))
    .flatMap((role) => trustAllows(role).flatMap((statement) => principalsOf(statement, 'AWS')
      .filter((p) => p === '*' || /:root$/.test(p) || /^\d{12}$/.test(p))
      .map((p) => ({
        logicalId: role.logicalId,
        message: `trusts ${p === '*' ? 'anyone' : `every principal of account ${accountOfPrincipal(p)}`}`,
        severity: p === '*' ? NhiSeverity.CRITICAL : NhiSeverity.HIGH,
      })))),
});
