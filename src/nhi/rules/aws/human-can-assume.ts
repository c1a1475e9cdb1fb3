import { NhiSeverity, OwaspNhi } from '../../finding';
import { asList } from '../../private/cfn-template';
import { AWS_FIXTURES, awsRule, AwsHit } from '../rule';
import { principalsOf, rolesOf, trustAllows } from '../support/aws';

const HUMAN_PRINCIPAL = [/:user\//, /role\/aws-reserved\/sso\.amazonaws\.com\//, /AWSReservedSSO_/];

export const HumanCanAssume = awsRule({
  id: 'NHI-HUMAN-CAN-ASSUME',
  title: 'Human federation or users can assume a workload role',
  nhi: OwaspNhi.NHI10,
  nist: ['AC-2', 'AC-6(2)'],
  severity: NhiSeverity.HIGH,
  fix: 'give people their own roles; trust only the workload\'s identity',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => rolesOf(ctx).flatMap((role) => trustAllows(role).flatMap((statement): AwsHit[] => {
    const hits: AwsHit[] = principalsOf(statement, 'AWS').filter((p) => HUMAN_PRINCIPAL.some((re) => re.test(p)))
      .map((p) => ({ logicalId: role.logicalId, message: `trusts ${p}, a human identity` }));
    const federated = principalsOf(statement, 'Federated');
    if (federated.some((f) => f.includes(':saml-provider/')) || asList(statement.Action).map(String).includes('sts:AssumeRoleWithSAML')) {
      hits.push({ logicalId: role.logicalId, message: `trusts SAML federation (${federated.join(', ') || 'sts:AssumeRoleWithSAML'}), which signs people in` });
    }
    return hits;
  })),
});
