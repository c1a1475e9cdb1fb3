import { NhiSeverity, OwaspNhi } from '../../finding';
import { AWS_FIXTURES, awsRule } from '../rule';
import { conditionKeys, principalsOf, rolesOf, trustAllows } from '../support/aws';

/** Services that send aws:SourceAccount/aws:SourceArn when they assume a role, and document checking them. */
const SOURCE_SENDING_SERVICES = [
  's3.amazonaws.com', 'scheduler.amazonaws.com', 'config.amazonaws.com', 'iot.amazonaws.com',
  'personalize.amazonaws.com', 'appstream.amazonaws.com', 'transfer.amazonaws.com', 'sns.amazonaws.com',
];
const SOURCE_KEYS = ['aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid'];

export const TrustServiceNoSource = awsRule({
  id: 'NHI-TRUST-SERVICE-NO-SOURCE',
  title: 'A role trusts a service that sends its source, without checking it',
  nhi: OwaspNhi.NHI3,
  nist: ['AC-3'],
  severity: NhiSeverity.MEDIUM,
  fix: 'add aws:SourceAccount and aws:SourceArn conditions to the trust statement',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => rolesOf(ctx).flatMap((role) => trustAllows(role)
    .filter((statement) => !conditionKeys(statement).some((k) => SOURCE_KEYS.includes(k)))
    .flatMap((statement) => principalsOf(statement, 'Service').filter((s) => SOURCE_SENDING_SERVICES.includes(s))
      .map((service) => ({ logicalId: role.logicalId, message: `trusts ${service} without aws:SourceAccount or aws:SourceArn` })))),
});
