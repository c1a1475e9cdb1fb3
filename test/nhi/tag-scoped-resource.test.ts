import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AwsNhiChecker } from '../../src';
import { resourceTypesOfAction } from '../../src/nhi/private/iam-catalog';

// A wildcard resource narrowed by a resource tag that the action's resource type accepts is
// scoped, for every service: the catalogue names some resource types capitalised in its actions
// (API Gateway's `Deployments`) and in lower case in its resource types.

test('an action\'s resource types carry their ARN templates and condition keys whatever their case', () => {
  const deployments = resourceTypesOfAction('apigateway:POST').find((t) => t.name === 'Deployments');
  expect(deployments?.arnTemplate).toContain('/restapis/${RestApiId}/deployments');
  expect(deployments?.conditionKeys).toContain('aws:ResourceTag/${TagKey}');
});

function findings(condition?: Record<string, unknown>): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-tag-scope-'));
  const templateFile = path.join(dir, 'stack.template.json');
  fs.writeFileSync(templateFile, JSON.stringify({
    Resources: {
      Deployer: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
          Policies: [{
            PolicyName: 'deploy',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: 'apigateway:POST', Resource: 'arn:aws:apigateway:us-east-1::/restapis/*/deployments', ...(condition ? { Condition: condition } : {}) }],
            },
          }],
        },
      },
    },
  }));
  try {
    return new AwsNhiChecker().checkTemplates([{ templateFile }]).filter((f) => f.ruleId === 'NHI-IAM-WILDCARD-RESOURCE').map((f) => f.message);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('deployments of every REST API are a wildcard; of the APIs carrying one tag value, scoped', () => {
  expect(findings()).toEqual([expect.stringContaining('apigateway:POST on arn:aws:apigateway:us-east-1::/restapis/*/deployments')]);
  expect(findings({ StringEquals: { 'aws:ResourceTag/gateward:gateway': 'acme-llm' } })).toEqual([]);
  // A pattern for the tag's value narrows nothing.
  expect(findings({ StringLike: { 'aws:ResourceTag/gateward:gateway': '*' } })).toHaveLength(1);
});
