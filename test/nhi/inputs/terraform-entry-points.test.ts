import * as path from 'path';
import { main } from '../../../src/review/cli';

const FIXTURE = path.join(__dirname, '..', '..', 'fixtures', 'inputs', 'tf-entry');

describe('Terraform entry points and environments are read by the AWS rules', () => {
  let findings: Array<{ ruleId: string; location: string; message: string }>;
  beforeAll(async () => {
    const out: string[] = [];
    expect(await main(['check', FIXTURE, '--json', '-'], { out: (t) => out.push(t), err: () => undefined })).toBe(1);
    findings = JSON.parse(out.join('\n')).findings;
  });
  const at = (ruleId: string) => findings.filter((f) => f.ruleId === ruleId).map((f) => f.location).sort();

  test('an HTTP listener on an internet-facing aws_lb is found; one that redirects to HTTPS is not', () => {
    expect(at('NHI-HTTP-LISTENER')).toEqual(['aws_lb_listener.http']);
  });

  test('access logs: a load balancer and an API stage without them are found, those with them are not', () => {
    expect(at('NHI-ENTRY-POINT-NO-ACCESS-LOG')).toEqual(['aws_api_gateway_stage.prod', 'aws_lb.public']);
  });

  test('a password in a Lambda or ECS container environment is a literal secret', () => {
    expect(at('NHI-CFN-SECRET-LITERAL')).toEqual(['aws_ecs_task_definition.proxy', 'aws_lambda_function.proxy']);
    expect(JSON.stringify(findings)).not.toContain('hunter2hunter2');
    expect(JSON.stringify(findings)).not.toContain('s3cr3tpassw0rd');
  });
});
