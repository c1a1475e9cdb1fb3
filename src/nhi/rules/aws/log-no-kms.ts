import { NhiSeverity, OwaspNhi } from '../../finding';
import { AWS_FIXTURES, awsRule } from '../rule';

export const LogNoKms = awsRule({
  id: 'NHI-LOG-NO-KMS',
  title: 'A log group is not encrypted with a customer-managed key',
  nhi: OwaspNhi.NHI2,
  nist: ['AU-9', 'SC-28'],
  // INFO: a log group on the service key is encrypted at rest and readable only through IAM; the
  // key says nothing about an identity or a secret (a secret written to a log is its own problem).
  severity: NhiSeverity.INFO,
  fix: 'set KmsKeyId to a customer-managed key',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => ctx.model.ofType('AWS::Logs::LogGroup')
    .filter(([, group]) => group.Properties?.KmsKeyId === undefined)
    .map(([logicalId]) => ({ logicalId, message: 'is encrypted with the service key only' })),
});
