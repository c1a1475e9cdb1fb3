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
])('%s is broad: %s', (resource, broad) => {
  expect(isBroadResource(resource)).toBe(broad);
});
