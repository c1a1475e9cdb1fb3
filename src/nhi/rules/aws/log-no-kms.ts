import { NhiSeverity, OwaspNhi } from '../../finding';
import { AWS_FIXTURES, awsRule } from '../rule';

export const LogNoKms = awsRule({
  id: 'NHI-LOG-NO-KMS',
  title: 'A log group is not encrypted with a customer-managed key',
  nhi: OwaspNhi.NHI2,
  nist: ['AU-9', 'SC-28'],
  severity: NhiSeverity.MEDIUM,
  fix: 'set KmsKeyId to a customer-managed key',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => ctx.model.ofType('AWS::Logs::LogGroup')
    .filter(([, group]) => group.Properties?.KmsKeyId === undefined)
    .map(([logicalId]) => ({ logicalId, message: 'is encrypted with the service key only' })),
});
