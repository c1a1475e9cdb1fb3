import * as fs from 'fs';
import { PolicyDocumentJson } from '../../src/nhi/private/cfn-template';
import { ContextValue, requestContext } from '../../src/review/iam/condition-operators';
import { EvaluationRequest, evaluate, ResourcePolicyKind } from '../../src/review/iam/policy-evaluator';
import { readReviewInputs } from '../../src/review/inputs/review-inputs';
import { buildAccessModel } from '../../src/review/model/build-access-model';
import { IamWorld } from '../support/iam-world';
import { scratch, synthesizeOutput, variant } from './support/review-fixtures';

// The review's own IAM evaluator (src/review/iam) must decide as the offline IAM simulator does.
// The review is run on the example's output with an observer that records every question it asks
// (every principal against every role, key, secret, model, function and API method it considers,
// with and without the guardrails); each question is then put to the simulator with the same
// policies and context.

interface Question {
  readonly request: EvaluationRequest;
  readonly context: Record<string, ContextValue>;
}

function record(paths: string[]): Question[] {
  const seen = new Map<string, Question>();
  buildAccessModel(readReviewInputs(paths), (request, context) => {
    const key = JSON.stringify([request.principal, request.action, request.resource, request.resourcePolicy, request.identityPolicies, context,
      request.serviceControlPolicies?.length, request.resourceControlPolicies?.length]);
    if (!seen.has(key)) seen.set(key, { request, context });
  });
  return [...seen.values()];
}

const world = new IamWorld({ Resources: {} }, { account: '111122223333', region: 'us-east-1' });

/** The simulator's decision for the same question, every context key kept. */
function simulate(q: Question): string {
  const { request } = q;
  const organization = request.serviceControlPolicies || request.resourceControlPolicies
    ? { serviceControlPolicies: request.serviceControlPolicies ?? [], resourceControlPolicies: request.resourceControlPolicies ?? [] } : undefined;
  return world.decideKeepingContext({
    principalArn: request.principal.arn,
    identityPolicies: request.identityPolicies,
    action: request.action,
    resource: request.resource,
    resourceAccount: request.resourceAccount,
    resourcePolicy: request.resourcePolicy,
    context: q.context as Record<string, string | string[]>,
    organization,
  });
}

/** The review's decision, with the facts the output cannot know read as IAM reads absent keys. */
function decide(q: Question): string {
  return evaluate({ ...q.request, unknownKeys: undefined }).decision;
}

let dir: string;
let questions: Question[];
let movedQuestions: Question[];

beforeAll(() => {
  dir = scratch('review-iam');
  const out = synthesizeOutput(`${dir}/example`);
  questions = record([out.aws, out.vault, out.guardrails]);
  // A variant whose resource policies name more principals: a workload moved into the tenant with the key.
  const moved = synthesizeOutput(`${dir}/moved`, variant((spec) => {
    const [bot] = spec.tenants[0].workloads.splice(0, 1);
    spec.tenants[1].workloads.push(bot);
  }));
  movedQuestions = record([moved.aws, moved.vault, moved.guardrails]);
}, 240_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the review\'s IAM evaluator agrees with the IAM simulator', () => {
  test('on every question the review asks of the example\'s output', () => {
    expect(questions.length).toBeGreaterThan(200);
    const kinds = new Set(questions.map((q) => q.request.action));
    // Every kind of credential the review judges was asked about.
    for (const action of ['sts:AssumeRole', 'sts:TagSession', 'secretsmanager:GetSecretValue', 'kms:Decrypt', 'bedrock:InvokeModel', 'lambda:InvokeFunction', 'execute-api:Invoke']) {
      expect(kinds).toContain(action);
    }
    const disagreements = questions.map((q) => ({ q, mine: decide(q), simulator: simulate(q) })).filter((d) => d.mine !== d.simulator)
      .map((d) => `${d.q.request.principal.arn} ${d.q.request.action} ${d.q.request.resource}: review ${d.mine}, simulator ${d.simulator}`);
    expect(disagreements).toEqual([]);
    // Both outcomes occur: the comparison is not of a world where everything is denied.
    const outcomes = new Set(questions.map(decide));
    expect(outcomes).toEqual(new Set(['Allowed', 'ImplicitlyDenied', 'ExplicitlyDenied']));
  });

  test('with and without the guardrails: every question asked under SCPs and RCPs agrees too', () => {
    const guarded = questions.filter((q) => q.request.serviceControlPolicies || q.request.resourceControlPolicies);
    expect(guarded.length).toBeGreaterThan(50);
    const deniedByGuardrails = guarded.filter((q) => evaluate({ ...q.request, unknownKeys: undefined }).deciding.some((d) => d.source === 'scp' || d.source === 'rcp'));
    expect(deniedByGuardrails.length).toBeGreaterThan(5);
    for (const q of guarded) expect(`${q.request.action} ${q.request.resource} ${decide(q)}`).toBe(`${q.request.action} ${q.request.resource} ${simulate(q)}`);
  });

  test('on a variant whose policies name other principals (a workload moved to another tenant)', () => {
    const disagreements = movedQuestions.filter((q) => decide(q) !== simulate(q)).map((q) => `${q.request.principal.arn} ${q.request.action} ${q.request.resource}`);
    expect(disagreements).toEqual([]);
    // The moved workload is now asked about the research tenant's API, and admitted there.
    const admitted = movedQuestions.filter((q) => q.request.action === 'execute-api:Invoke' && q.request.principal.arn.endsWith(':role/support-bot-prod') && decide(q) === 'Allowed');
    expect(admitted.map((q) => q.request.resource)).toEqual([expect.stringMatching(/\/live\/POST\/v1\/tenants\/research\/chat$/)]);
  });
});

describe('IAM\'s rules, case by case, as the simulator decides them', () => {
  const role = 'arn:aws:iam::111122223333:role/caller';
  const other = 'arn:aws:iam::444455556666:role/caller';
  const allow = (extra: object = {}): PolicyDocumentJson => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', ...extra } as any] });
  const resourcePolicy = (statement: object): PolicyDocumentJson => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', ...statement } as any] });
  type Case = Omit<Partial<EvaluationRequest>, 'context'> & { context?: Record<string, ContextValue> };
  const cases: Array<[string, Case, string]> = [
    ['an identity policy allows in its own account', { identityPolicies: [allow()] }, 'Allowed'],
    ['nothing allows', { identityPolicies: [] }, 'ImplicitlyDenied'],
    ['a Deny wins', { identityPolicies: [allow(), { Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] }] }, 'ExplicitlyDenied'],
    ['NotAction excludes the action', { identityPolicies: [{ Statement: [{ Effect: 'Allow', NotAction: 's3:Get*', Resource: '*' }] }] }, 'ImplicitlyDenied'],
    ['NotResource excludes the resource', { identityPolicies: [{ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::bucket/*' }] }] }, 'ImplicitlyDenied'],
    ['StringEquals on a missing key is not met', { identityPolicies: [allow({ Condition: { StringEquals: { 'aws:ResourceTag/team': 'a' } } })] }, 'ImplicitlyDenied'],
    ['StringNotEquals on a missing key is met', { identityPolicies: [allow({ Condition: { StringNotEquals: { 'aws:ResourceTag/team': 'a' } } })] }, 'Allowed'],
    ['IfExists on a missing key is met', { identityPolicies: [allow({ Condition: { StringEqualsIfExists: { 'aws:ResourceTag/team': 'a' } } })] }, 'Allowed'],
    ['ForAllValues on a missing key is met', { identityPolicies: [allow({ Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a'] } } })] }, 'Allowed'],
    ['ForAnyValue on a missing key is not met', { identityPolicies: [allow({ Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a'] } } })] }, 'ImplicitlyDenied'],
    ['ForAnyValue meets one of a set', { identityPolicies: [allow({ Condition: { 'ForAnyValue:StringLike': { 'aws:TagKeys': ['b*'] } } })], context: { 'aws:TagKeys': ['blue', 'bright'] } }, 'Allowed'],
    ['ForAllValues fails on one value of a set outside it', { identityPolicies: [allow({ Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['blue'] } } })], context: { 'aws:TagKeys': ['blue', 'bright'] } }, 'ImplicitlyDenied'],
    ['Null true on a missing key is met', { identityPolicies: [allow({ Condition: { Null: { 'aws:ResourceTag/team': 'true' } } })] }, 'Allowed'],
    ['ArnLike matches part by part', { identityPolicies: [allow({ Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/call*' } } })] }, 'Allowed'],
    ['ArnNotEquals excludes the principal', { identityPolicies: [allow({ Condition: { ArnNotEquals: { 'aws:PrincipalArn': role } } })] }, 'ImplicitlyDenied'],
    ['a policy variable in the resource is the request\'s value', { identityPolicies: [{ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*' }] }], context: { 'aws:PrincipalTag/team': 'blue' }, resource: 'arn:aws:s3:::bucket/blue/key' }, 'Allowed'],
    ['a policy variable of another value does not match', { identityPolicies: [{ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*' }] }], context: { 'aws:PrincipalTag/team': 'red' }, resource: 'arn:aws:s3:::bucket/blue/key' }, 'ImplicitlyDenied'],
    ['a Deny on NotResource with a policy variable denies other paths', { identityPolicies: [allow(), { Statement: [{ Effect: 'Deny', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*' }] }], context: { 'aws:PrincipalTag/team': 'red' }, resource: 'arn:aws:s3:::bucket/blue/key' }, 'ExplicitlyDenied'],
    ['a resource policy naming the principal allows in its account', { identityPolicies: [], resourcePolicy: resourcePolicy({ Principal: { AWS: role } }) }, 'Allowed'],
    ['a resource policy naming only the account needs the identity policy', { identityPolicies: [], resourcePolicy: resourcePolicy({ Principal: { AWS: 'arn:aws:iam::111122223333:root' } }) }, 'ImplicitlyDenied'],
    ['across accounts the resource policy alone is not enough', { principal: { arn: other }, identityPolicies: [], resourcePolicy: resourcePolicy({ Principal: { AWS: other } }) }, 'ImplicitlyDenied'],
    ['across accounts both allow', { principal: { arn: other }, identityPolicies: [allow()], resourcePolicy: resourcePolicy({ Principal: { AWS: 'arn:aws:iam::444455556666:root' } }) }, 'Allowed'],
    ['across accounts the identity policy alone is not enough', { principal: { arn: other }, identityPolicies: [allow()] }, 'ImplicitlyDenied'],
    ['an RCP denies whatever the policies allow', { identityPolicies: [allow()], resourceControlPolicies: [{ Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: '*' } as any] }] }, 'ExplicitlyDenied'],
    ['an SCP denies whatever the policies allow', { identityPolicies: [allow()], serviceControlPolicies: [{ Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/admin' } } }] }] }, 'ExplicitlyDenied'],
    ['an SCP exempting the principal denies nothing', { identityPolicies: [allow()], serviceControlPolicies: [{ Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': role } } }] }] }, 'Allowed'],
  ];
  test.each(cases)('%s', (_name, given, expected) => {
    const principal = given.principal ?? { arn: role };
    const context = { 'aws:PrincipalArn': principal.arn, 'aws:PrincipalAccount': principal.arn.split(':')[4], ...(given.context ?? {}) };
    const q: Question = {
      request: {
        principal,
        action: 's3:GetObject',
        resource: given.resource ?? 'arn:aws:s3:::bucket/key',
        resourceAccount: '111122223333',
        identityPolicies: given.identityPolicies ?? [],
        resourcePolicy: given.resourcePolicy,
        resourcePolicyKind: ResourcePolicyKind.RESOURCE,
        serviceControlPolicies: given.serviceControlPolicies,
        resourceControlPolicies: given.resourceControlPolicies,
        context: requestContext(context),
      },
      context,
    };
    expect(decide(q)).toBe(expected);
    expect(simulate(q)).toBe(expected);
  });
});
