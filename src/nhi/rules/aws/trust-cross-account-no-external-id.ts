import { NhiSeverity, OwaspNhi } from '../../finding';
import { AWS_FIXTURES, awsRule } from '../rule';
import { accountOfPrincipal, conditionKeys, principalsOf, rolesOf, trustAllows } from '../support/aws';

export const TrustCrossAccountNoExternalId = awsRule({
  id: 'NHI-TRUST-CROSS-ACCOUNT-NO-EXTERNAL-ID',
  title: 'A role trusts another account without an external id',
  nhi: OwaspNhi.NHI3,
  nist: ['AC-3', 'IA-9'],
  severity: NhiSeverity.HIGH,
  fix: 'require StringEquals sts:ExternalId in the trust statement',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => (ctx.account === undefined ? [] : rolesOf(ctx).flatMap((role) => trustAllows(role)
    .filter((statement) => !conditionKeys(statement).includes('sts:externalid'))
    .flatMap((statement) => principalsOf(statement, 'AWS').flatMap((principal) => {
      const account = accountOfPrincipal(principal);
      return account && account !== 'self' && account !== ctx.account
        ? [{ logicalId: role.logicalId, message: `trusts ${principal} in account ${account} without an external id` }]
        : [];
    })))),
});
