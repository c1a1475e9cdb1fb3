import { NhiSeverity, OwaspNhi } from '../../finding';
import { AWS_FIXTURES, awsRule } from '../rule';

export const SecretNoCmk = awsRule({
  id: 'NHI-SECRET-NO-CMK',
  title: 'A secret is not encrypted with a customer-managed key',
  nhi: OwaspNhi.NHI2,
  nist: ['SC-12', 'SC-28'],
  // INFO: with the AWS-managed key, reading the secret still takes secretsmanager:GetSecretValue,
  // which the IAM and trust rules judge; a customer-managed key adds a second policy to keep in step
  // (and is needed for readers in other accounts), but its absence widens no one's access.
  severity: NhiSeverity.INFO,
  fix: 'encrypt the secret with a customer-managed KMS key whose policy names its readers',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => ctx.model.ofType('AWS::SecretsManager::Secret')
    .filter(([, secret]) => {
      const key = secret.Properties?.KmsKeyId;
      return key === undefined || (typeof key === 'string' && key.includes('aws/secretsmanager'));
    })
    .map(([logicalId]) => ({ logicalId, message: 'uses the AWS-managed key' })),
});
