import { NhiSeverity, OwaspNhi } from '../../finding';
import { AWS_FIXTURES, awsRule } from '../rule';
import { accountOfPrincipal, principalsOf, rolesOf, trustAllows } from '../support/aws';

export const TrustRootOrAnyone = awsRule({
  id: 'NHI-TRUST-ROOT-OR-ANYONE',
  title: 'A role trusts anyone, or a whole account',
  nhi: OwaspNhi.NHI5,
  nist: ['AC-3', 'AC-6'],
  severity: NhiSeverity.CRITICAL,
  fix: 'trust the exact role that assumes it, not "*" or an account root',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => rolesOf(ctx).flatMap((role) => trustAllows(role).flatMap((statement) => principalsOf(statement, 'AWS')
    .filter((p) => p === '*' || /:root$/.test(p) || /^\d{12}$/.test(p))
    .map((p) => ({
      logicalId: role.logicalId,
      message: `trusts ${p === '*' ? 'anyone' : `every principal of account ${accountOfPrincipal(p)}`}`,
      severity: p === '*' ? NhiSeverity.CRITICAL : NhiSeverity.HIGH,
    })))),
});
