import * as path from 'path';
import { checkWithCli as checkPath, CliFinding, findingsOf as of, RULE_FIXTURES } from '../support/check-cli';

const fixture = (rule: string, kind: 'violating' | 'compliant', name: string) => path.join(RULE_FIXTURES, rule, name, `${kind}.template.json`);
const open = (findings: CliFinding[], ruleId: string) => of(findings, ruleId).filter((f) => f.severity !== 'info');

describe('a published Kubernetes controller\'s IAM policy (AWS Load Balancer Controller, Karpenter)', () => {
  test('its grants on * are a note, and its pass-role of the node role to EC2 is no escalation', async () => {
    const findings = await checkPath(fixture('NHI-IAM-WILDCARD-RESOURCE', 'compliant', 'published-controller'));
    expect(open(findings, 'NHI-IAM-WILDCARD-RESOURCE')).toEqual([]);
    const notes = of(findings, 'NHI-IAM-WILDCARD-RESOURCE');
    expect(notes.map((f) => f.location).sort()).toEqual(['KarpenterRole', 'LbControllerRole']);
    expect(notes.find((f) => f.location === 'LbControllerRole')!.message).toContain('the AWS Load Balancer Controller');
    expect(of(findings, 'NHI-IAM-PRIVILEGE-ESCALATION')).toEqual([]);
    expect(of(findings, 'NHI-IAM-PASSROLE')).toEqual([]);
    // The trust is CDK's CfnJson condition pinning sub to the controller's service account.
    expect(of(findings, 'NHI-TRUST-OIDC-BROAD-SUBJECT')).toEqual([]);
  });

  test('a grant beyond the published policy, and the same grants on an application\'s role, stay findings', async () => {
    const findings = open(await checkPath(fixture('NHI-IAM-WILDCARD-RESOURCE', 'violating', 'published-controller')), 'NHI-IAM-WILDCARD-RESOURCE');
    expect(findings.map((f) => f.location).sort()).toEqual(['AppRole', 'LbControllerRole']);
    expect(findings.find((f) => f.location === 'LbControllerRole')!.message).toContain('bedrock:InvokeModel');
  });

  test('a controller that may pass any role still escalates', async () => {
    const findings = await checkPath(fixture('NHI-IAM-PRIVILEGE-ESCALATION', 'violating', 'published-controller'));
    expect(of(findings, 'NHI-IAM-PRIVILEGE-ESCALATION').map((f) => f.location)).toEqual(['KarpenterRole']);
    expect(of(await checkPath(fixture('NHI-IAM-PRIVILEGE-ESCALATION', 'compliant', 'published-controller')), 'NHI-IAM-PRIVILEGE-ESCALATION')).toEqual([]);
  });
});

describe('an IRSA trust condition CDK writes as a Custom::AWSCDKCfnJson value', () => {
  test('is read as the condition keys it renders to: sub pinned to one service account', async () => {
    expect(of(await checkPath(fixture('NHI-TRUST-OIDC-BROAD-SUBJECT', 'compliant', 'cfn-json-condition')), 'NHI-TRUST-OIDC-BROAD-SUBJECT')).toEqual([]);
  });

  test('a CfnJson value with aud but no sub is still a trust with no sub condition', async () => {
    const findings = of(await checkPath(fixture('NHI-TRUST-OIDC-BROAD-SUBJECT', 'violating', 'cfn-json-condition')), 'NHI-TRUST-OIDC-BROAD-SUBJECT');
    expect(findings.map((f) => f.location)).toEqual(['AppRole']);
    expect(findings[0].message).toContain('no condition on the sub claim');
  });
});

describe('a role only deploy-time custom-resource providers hold', () => {
  test('its tagging calls on * are a note, not a workload\'s finding', async () => {
    const findings = of(await checkPath(fixture('NHI-IAM-WILDCARD-RESOURCE', 'compliant', 'deploy-time-provider')), 'NHI-IAM-WILDCARD-RESOURCE');
    expect(findings.map((f) => [f.location, f.severity])).toEqual([['TaggingProviderRole', 'info']]);
    expect(findings[0].message).toContain('deploy-time custom resource');
  });

  test('the same function also invoked on a schedule is a workload, and its role is graded as one', async () => {
    const findings = open(await checkPath(fixture('NHI-IAM-WILDCARD-RESOURCE', 'violating', 'deploy-time-provider')), 'NHI-IAM-WILDCARD-RESOURCE');
    expect(findings.map((f) => f.location)).toEqual(['TaggingProviderRole']);
  });

  test('a role a provider assumes through a custom resource\'s RoleArn is not reused, unless something else takes it', async () => {
    expect(of(await checkPath(fixture('NHI-ROLE-REUSE', 'compliant', 'deploy-time-provider')), 'NHI-ROLE-REUSE')).toEqual([]);
    const exported = of(await checkPath(fixture('NHI-ROLE-REUSE', 'violating', 'deploy-time-provider')), 'NHI-ROLE-REUSE');
    expect(exported.map((f) => f.location)).toEqual(['CreationRole']);
  });
});

describe('a literal credential in a fixed request header', () => {
  test('CloudFront origin custom headers and API Gateway static integration headers are read', async () => {
    const findings = of(await checkPath(fixture('NHI-CFN-SECRET-LITERAL', 'violating', 'fixed-headers')), 'NHI-CFN-SECRET-LITERAL');
    expect(findings.map((f) => f.location).sort()).toEqual(['Distribution', 'HttpIntegration', 'ProxyMethod']);
    expect(findings.find((f) => f.location === 'Distribution')!.message).toContain('X-Origin-Verify');
    // The message names the header, never its value.
    expect(findings.map((f) => f.message).join(' ')).not.toContain('shared-origin-check');
  });

  test('a dynamic reference, a header that is no credential, and a mapped request field stay silent', async () => {
    expect(of(await checkPath(fixture('NHI-CFN-SECRET-LITERAL', 'compliant', 'fixed-headers')), 'NHI-CFN-SECRET-LITERAL')).toEqual([]);
  });
});
