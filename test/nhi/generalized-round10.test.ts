import * as path from 'path';
import { checkWithCli, CliFinding, findingsOf as of, RULE_FIXTURES as RULES } from '../support/check-cli';

/** Runs `gateward check` on one path; returns its findings that are not informational. */
const checkPath = async (input: string): Promise<CliFinding[]> => (await checkWithCli(input)).filter((f) => f.severity !== 'info');

describe('KMS calls that cannot read what a key protects', () => {
  const cases = path.join(RULES, 'NHI-IAM-WILDCARD-RESOURCE', 'encrypt-only-kms');

  test('kms:Decrypt on every key of an account is a finding that names it', async () => {
    const [finding, ...rest] = of(await checkPath(path.join(cases, 'violating')), 'NHI-IAM-WILDCARD-RESOURCE');
    expect(rest).toEqual([]);
    expect(finding.location).toBe('aws_iam_role.log_delivery');
    expect(finding.message).toContain('where kms:Decrypt accepts specific resources');
    expect(finding.message).not.toContain('kms:GenerateDataKey accepts');
  });

  test('Encrypt, GenerateDataKey* and DescribeKey on key/* are not, under either wildcard rule', async () => {
    const findings = await checkPath(path.join(cases, 'compliant'));
    expect(findings.filter((f) => f.ruleId.startsWith('NHI-IAM-'))).toEqual([]);
  });
});

describe('an action wildcard graded by what it expands to', () => {
  const cases = path.join(RULES, 'NHI-IAM-WILDCARD-ACTION', 'one-kind-of-call');

  test('bedrock:Invoke* (models, agents and flows) is a wildcard action', async () => {
    const findings = of(await checkPath(path.join(cases, 'violating')), 'NHI-IAM-WILDCARD-ACTION');
    expect(findings.map((f) => f.message)).toEqual(['allows bedrock:Invoke*, which covers Write access']);
  });

  test('kms:GenerateDataKey* and s3:GetObject*, one kind of call on one kind of resource each, are not', async () => {
    const findings = await checkPath(path.join(cases, 'compliant'));
    expect(of(findings, 'NHI-IAM-WILDCARD-ACTION')).toEqual([]);
    expect(of(findings, 'NHI-IAM-WILDCARD-RESOURCE')).toEqual([]);
  });
});

describe('log writing on wildcard log-group ARNs', () => {
  const cases = path.join(RULES, 'NHI-IAM-WILDCARD-RESOURCE', 'log-group-wildcard');

  test('is the standard log-writing grant, on log-group:*:* and on the account\'s logs ARN', async () => {
    expect(of(await checkPath(path.join(cases, 'compliant')), 'NHI-IAM-WILDCARD-RESOURCE')).toEqual([]);
  });

  test('an action beyond log writing on the same ARN is still reported, and only that action is named', async () => {
    const findings = of(await checkPath(path.join(cases, 'violating')), 'NHI-IAM-WILDCARD-RESOURCE');
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('where logs:DeleteLogGroup accepts specific resources');
  });
});

describe('one finding per rule and resource', () => {
  const cases = path.join(RULES, 'NHI-IAM-WILDCARD-RESOURCE', 'one-per-resource');

  test('three statements with wildcard resources on one role make one finding that lists each', async () => {
    const findings = of(await checkPath(path.join(cases, 'violating')), 'NHI-IAM-WILDCARD-RESOURCE');
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding.location).toBe('aws_iam_role.worker');
    for (const sid of ['Objects', 'Parameters', 'Monitoring']) expect(finding.message).toContain(`(statement ${sid})`);
    expect(finding.message).toContain('where ecs:DescribeServices accepts specific resources');
    // cloudwatch:PutMetricData accepts no narrower resource: written, but not what has to be narrowed.
    expect(finding.message).not.toContain('where cloudwatch:PutMetricData');
  });

  test('actions that accept no resource narrower than "*" make no finding', async () => {
    expect(of(await checkPath(path.join(cases, 'compliant')), 'NHI-IAM-WILDCARD-RESOURCE')).toEqual([]);
  });
});

describe('a shared caller key known by the SSM parameter that holds it', () => {
  const cases = path.join(RULES, 'NHI-SHARED-CALLER-KEY', 'ssm-parameter');

  test('API_KEY_PARAM_NAME on a public gateway is the one key every caller presents', async () => {
    const findings = of(await checkPath(path.join(cases, 'violating.template.json')), 'NHI-SHARED-CALLER-KEY');
    expect(findings.map((f) => f.location)).toEqual(['Proxy']);
    expect(findings[0].message).toContain('API_KEY_PARAM_NAME = /gateway/api-key');
  });

  test('a provider key\'s parameter, an empty setting and a model parameter are not', async () => {
    expect(of(await checkPath(path.join(cases, 'compliant.template.json')), 'NHI-SHARED-CALLER-KEY')).toEqual([]);
  });
});
