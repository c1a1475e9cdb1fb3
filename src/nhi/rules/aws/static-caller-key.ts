import { NhiSeverity, OwaspNhi } from '../../finding';
import { AWS_FIXTURES, awsRule } from '../rule';

export const StaticCallerKey = awsRule({
  id: 'NHI-STATIC-CALLER-KEY',
  title: 'Callers authenticate with a static key',
  nhi: OwaspNhi.NHI4,
  nist: ['IA-5(7)', 'IA-9'],
  severity: NhiSeverity.HIGH,
  fix: 'authenticate callers with their own identity (IAM SigV4, OIDC) instead of an API Gateway API key',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => ctx.model.ofType('AWS::ApiGateway::ApiKey')
    .map(([logicalId]) => ({ logicalId, message: 'is an API key: a static bearer key shared by its callers' })),
});
