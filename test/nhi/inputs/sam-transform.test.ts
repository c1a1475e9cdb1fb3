import * as fs from 'fs';
import * as os from 'os';
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

describe('SAM: function URLs, state machines and HTTP APIs are read as what they deploy', () => {
  const samTemplate = (resources: Record<string, unknown>, globals: Record<string, unknown> = {}) => ({
    Transform: 'AWS::Serverless-2016-10-31', Globals: globals, Resources: resources,
  });
  /** Checks a SAM template (as JSON) with the CLI; returns `[ruleId, location]` of its findings. */
  async function check(template: Record<string, unknown>): Promise<Array<{ ruleId: string; location: string; message: string }>> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-sam-'));
    const file = path.join(dir, 'template.json');
    fs.writeFileSync(file, JSON.stringify(template));
    const out: string[] = [];
    await main(['check', file, '--json', '-'], { out: (t) => out.push(t), err: () => undefined });
    fs.rmSync(dir, { recursive: true, force: true });
    return JSON.parse(out.join('\n')).findings;
  }
  const proxy = (url: Record<string, unknown>) => ({
    Proxy: {
      Type: 'AWS::Serverless::Function',
      Properties: { Handler: 'app.handler', Runtime: 'python3.12', Environment: { Variables: { API_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:key' } }, FunctionUrlConfig: url },
    },
  });

  test('FunctionUrlConfig becomes <Function>Url; AuthType NONE leaves the shared key as the only caller authentication', async () => {
    const model = pathModel(samTemplate(proxy({ AuthType: 'NONE', InvokeMode: 'RESPONSE_STREAM' })) as any);
    expect(model.resources.ProxyUrl).toEqual(expect.objectContaining({ Type: 'AWS::Lambda::Url', Properties: expect.objectContaining({ AuthType: 'NONE', TargetFunctionArn: { Ref: 'Proxy' } }) }));
    expect(model.resources.ProxyUrlPublicPermissions?.Properties?.Principal).toBe('*');
    const open = (await check(samTemplate(proxy({ AuthType: 'NONE' })))).filter((f) => f.ruleId === 'NHI-SHARED-CALLER-KEY');
    expect(open.map((f) => f.location)).toEqual(['Proxy']);
    expect(open[0].message).toContain('its function URL (AuthType NONE) takes requests from anyone');
    // AWS_IAM authenticates each caller by its identity: the key is not the only authentication.
    expect((await check(samTemplate(proxy({ AuthType: 'AWS_IAM' })))).filter((f) => f.ruleId === 'NHI-SHARED-CALLER-KEY')).toEqual([]);
  });

  test('a state machine gets <StateMachine>Role from its Policies, trusted by Step Functions, and its policies are judged', async () => {
    const machine = samTemplate({
      Flow: { Type: 'AWS::Serverless::StateMachine', Properties: { Definition: { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }, Policies: [{ Statement: [{ Effect: 'Allow', Action: 'bedrock:*', Resource: '*' }] }] } },
    });
    const model = pathModel(machine as any);
    expect(model.resources.Flow.Type).toBe('AWS::StepFunctions::StateMachine');
    const role = model.roles().find((r) => r.logicalId === 'FlowRole')!;
    expect(role.trust.Statement[0].Principal).toEqual({ Service: ['states.amazonaws.com'] });
    expect(only(await check(machine), 'NHI-IAM-WILDCARD-ACTION')).toEqual(['FlowRole']);
  });

  test('an HTTP API stage logs access only with AccessLogSettings, from the API or Globals', async () => {
    const fn = { Type: 'AWS::Serverless::Function', Properties: { Handler: 'a.h', Runtime: 'python3.12', Events: { Chat: { Type: 'HttpApi', Properties: { Path: '/v1/chat', Method: 'post' } } } } };
    expect(only(await check(samTemplate({ Chat: fn })), 'NHI-ENTRY-POINT-NO-ACCESS-LOG')).toEqual(['ServerlessHttpApiApiGatewayDefaultStage']);
    const logged = { HttpApi: { AccessLogSettings: { DestinationArn: 'arn:aws:logs:us-east-1:111122223333:log-group:api', Format: '$context.requestId' } } };
    expect(only(await check(samTemplate({ Chat: fn }, logged)), 'NHI-ENTRY-POINT-NO-ACCESS-LOG')).toEqual([]);
  });
});

function only(findings: Array<{ ruleId: string; location: string }>, ruleId: string): string[] {
  return findings.filter((f) => f.ruleId === ruleId).map((f) => f.location);
}
