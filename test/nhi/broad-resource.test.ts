import { isBroadResource } from '../../src/nhi/private/iam-catalog';

// Which policy resources cover every resource of a type, judged against AWS's own ARN templates.
// A literal leading path segment names a parent for the services whose names are paths.

test.each([
  ['arn:aws:iam::111122223333:role/gateward/acme-llm/targets/*', false],
  ['arn:aws:iam::111122223333:role/*', true],
  ['arn:aws:iam::111122223333:role/acme-*', true],
  // The users one system creates under its own name prefix (Vault's AWS engine); every user is broad.
  ['arn:aws:iam::111122223333:user/vault-token-*', false],
  ['arn:aws:iam::111122223333:user/*', true],
  ['arn:aws:secretsmanager:us-east-1:111122223333:secret:gateward/acme-llm/*/*', false],
  ['arn:aws:secretsmanager:us-east-1:111122223333:secret:rds!db-*', true],
  ['arn:aws:secretsmanager:us-east-1:111122223333:secret:*', true],
  ['arn:aws:ssm:us-east-1:111122223333:parameter/gateward/acme-llm/key-age/*', false],
  ['arn:aws:ssm:us-east-1:111122223333:parameter/*', true],
  ['arn:aws:bedrock:us-east-1::foundation-model/*', true],
  ['*', true],
  // Pseudo parameters hold `::`; the ARN is split around them, not through them.
  ['arn:aws:ssm:${AWS::Region}:${AWS::AccountId}:parameter/bedrock-openai-proxy/*', false],
  ['arn:aws:ssm:${AWS::Region}:${AWS::AccountId}:parameter/*', true],
  ['arn:aws:bedrock:${AWS::Region}::foundation-model/*', true],
  ['arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:${Prefix}/*', false],
  // One log group and its streams, in the form AWS documents; every group is still broad.
  ['arn:aws:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/rotate:*', false],
  ['arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/rotate:*', false],
  ['arn:aws:logs:us-east-1:111122223333:log-group:*', true],
  ['arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/*', true],
  // Names a service derives from one resource of the configuration; a prefix anyone may choose is still broad.
  ['arn:aws:codebuild:us-east-1:${AWS::AccountId}:report-group/${BuildProject48A6230E}-*', false],
  ['arn:aws:codebuild:us-east-1:${AWS::AccountId}:report-group/${AppStack/Frontend/Build/Project}-*', false],
  ['arn:aws:secretsmanager:us-east-1:111122223333:secret:${aws_secretsmanager_secret.db.name}-*', false],
  ['arn:aws:codebuild:us-east-1:${AWS::AccountId}:report-group/${AWS::StackName}-*', true],
  ['arn:aws:codebuild:us-east-1:111122223333:report-group/${module.label.id}-*', true],
  ['arn:aws:codebuild:us-east-1:111122223333:report-group/app-*', true],
  ['arn:aws:secretsmanager:us-east-1:111122223333:secret:${var.name}-*', true],
  ['arn:aws:ssm:us-east-1:111122223333:parameter/${terraform.workspace}-*', true],
  ['arn:aws:iam::111122223333:role/${Role}-*', true],
])('%s is broad: %s', (resource, broad) => {
  expect(isBroadResource(resource)).toBe(broad);
});
