import * as fs from 'fs';
import * as path from 'path';
import { parseCloudFormationYaml } from '../../../src/nhi/inputs/cloudformation-yaml';
import { pathModel } from '../../../src/nhi/private/cfn-template';
import { main } from '../../../src/review/cli';

const TEMPLATE = path.join(__dirname, '..', '..', 'fixtures', 'inputs', 'sam', 'template.yaml');

describe('SAM templates are read as the CloudFormation they deploy', () => {
  const model = pathModel(parseCloudFormationYaml(TEMPLATE, fs.readFileSync(TEMPLATE, 'utf-8')) as any);

  test('a function becomes a Lambda function and its implicit <Fn>Role, with managed, template and inline policies', () => {
    expect(model.resources.ProxyFunction.Type).toBe('AWS::Lambda::Function');
    const role = model.roles().find((r) => r.logicalId === 'ProxyFunctionRole')!;
    expect(role.trust.Statement[0].Principal).toEqual({ Service: ['lambda.amazonaws.com'] });
    expect(role.externalManagedPolicyArns).toEqual(expect.arrayContaining([
      'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      'arn:${AWS::Partition}:iam::aws:policy/AmazonBedrockFullAccess',
    ]));
    const statements = role.policies.flatMap((p) => p.document.Statement);
    expect(statements).toContainEqual(expect.objectContaining({
      Action: ['ssm:GetParameters', 'ssm:GetParameter', 'ssm:GetParametersByPath'],
      Resource: 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/gateway/keys',
    }));
    expect(statements).toContainEqual(expect.objectContaining({ Action: 'iam:*', Resource: '*' }));
  });

  test('Globals are merged into the function; the implicit API and a simple table are generated', () => {
    expect((model.resources.ProxyFunction.Properties as any).Environment.Variables).toEqual({
      LOG_LEVEL: 'info', DATABASE_URL: expect.stringMatching(/^postgres:/),
    });
    expect(model.resources.ServerlessRestApiProdStage.Type).toBe('AWS::ApiGateway::Stage');
    expect(model.resources.Sessions.Type).toBe('AWS::DynamoDB::Table');
  });

  test('the AWS rules judge the expanded resources, each once', async () => {
    const out: string[] = [];
    const code = await main(['check', TEMPLATE, '--json', '-'], { out: (t) => out.push(t), err: () => undefined });
    expect(code).toBe(1);
    const findings: Array<{ ruleId: string; location: string }> = JSON.parse(out.join('\n')).findings;
    const at = (ruleId: string) => findings.filter((f) => f.ruleId === ruleId).map((f) => f.location);
    expect(at('NHI-IAM-ADMIN-POLICY')).toEqual(['ProxyFunctionRole']);
    expect(at('NHI-ENTRY-POINT-NO-ACCESS-LOG')).toEqual(['ServerlessRestApiProdStage']);
    expect(at('NHI-CFN-SECRET-LITERAL')).toContain('ProxyFunction');
    expect(findings.filter((f) => f.ruleId === 'NHI-IAM-WILDCARD-ACTION' && f.location === 'ProxyFunctionRole').length).toBeGreaterThan(0);
  });
});
