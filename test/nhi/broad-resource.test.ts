import { isBroadResource } from '../../src/nhi/private/iam-catalog';

// Which policy resources cover every resource of a type, judged against AWS's own ARN templates.
// A literal leading path segment names a parent for the services whose names are paths.

test.each([
  ['arn:aws:iam::111122223333:role/gateward/acme-llm/targets/*', false],
  ['arn:aws:iam::111122223333:role/*', true],
  ['arn:aws:iam::111122223333:role/acme-*', true],
  ['arn:aws:secretsmanager:us-east-1:111122223333:secret:gateward/acme-llm/*/*', false],
  ['arn:aws:secretsmanager:us-east-1:111122223333:secret:rds!db-*', true],
  ['arn:aws:secretsmanager:us-east-1:111122223333:secret:*', true],
  ['arn:aws:ssm:us-east-1:111122223333:parameter/gateward/acme-llm/key-age/*', false],
  ['arn:aws:ssm:us-east-1:111122223333:parameter/*', true],
  ['arn:aws:bedrock:us-east-1::foundation-model/*', true],
  ['*', true],
])('%s is broad: %s', (resource, broad) => {
  expect(isBroadResource(resource)).toBe(broad);
});
