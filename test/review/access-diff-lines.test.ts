import { diffReviews } from '../../src/review/diff/access-diff';
import { AccessReviewModel, PolicyLine } from '../../src/review/model/review-model';

// The diff's rules for policy statements and lifetimes, on small hand-made reviews: which change
// of a grant, a denial or a TTL widens access and which narrows it.

function review(lines: PolicyLine[], ttls: AccessReviewModel['ttls'] = []): AccessReviewModel {
  return {
    format: 'gateward-access-review/1',
    inputs: [],
    gateways: [],
    accounts: [],
    tenants: [],
    identities: [],
    credentials: [],
    matrix: [],
    blastRadius: [],
    answers: { providerKeys: [], models: [], routers: [] },
    owners: [],
    suspended: [],
    guardrails: { given: false, documents: [] },
    acknowledgedFindings: [],
    openFindings: [],
    graph: { nodes: [], edges: [] },
    policyLines: lines,
    ttls,
    limits: [],
  };
}

const role = 'arn:aws:iam::111122223333:role/acme-llm-support-models';
const grant = (target: string, conditions: PolicyLine['conditions'] = [], action = 'bedrock:InvokeModel'): PolicyLine => ({
  policy: 'identity policy', resource: 'acme-llm-support-models', principal: role, effect: 'Allow', action, target, conditions, evidence: 'template#Policy',
});
const deny = (exempt: string[]): PolicyLine => ({
  policy: 'secret policy',
  resource: 'gateward/acme-llm/research/openai',
  principal: '*',
  effect: 'Deny',
  action: 'secretsmanager:GetSecretValue',
  target: '*',
  conditions: [{ operator: 'ArnNotEquals', key: 'aws:PrincipalArn', values: exempt }],
  evidence: 'template#SecretPolicy',
});
const model = 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0';
const region = [{ operator: 'StringEquals', key: 'aws:RequestedRegion', values: ['us-east-1'] }];

test.each([
  ['an exact model widened to every model', [grant(model, region)], [grant('arn:aws:bedrock:us-east-1::foundation-model/*', region)], 1, 0],
  ['every model narrowed to one', [grant('arn:aws:bedrock:us-east-1::foundation-model/*', region)], [grant(model, region)], 0, 1],
  ['a condition dropped from a grant', [grant(model, region)], [grant(model)], 1, 0],
  ['a condition added to a grant', [grant(model)], [grant(model, region)], 0, 1],
  ['another region allowed by a grant\'s condition', [grant(model, region)], [grant(model, [{ ...region[0], values: ['us-east-1', 'us-west-2'] }])], 1, 0],
  ['an action added', [grant(model, region)], [grant(model, region), grant(model, region, 'bedrock:InvokeModelWithResponseStream')], 1, 0],
  ['an action covered by a wildcard already granted', [grant(model, region, 'bedrock:Invoke*')], [grant(model, region, 'bedrock:Invoke*'), grant(model, region)], 0, 0],
  ['a principal exempted from a denial', [deny(['a'])], [deny(['a', 'b'])], 1, 0],
  ['an exemption from a denial removed', [deny(['a', 'b'])], [deny(['a'])], 0, 1],
  ['a denial removed', [deny(['a'])], [], 1, 0],
  ['a denial added', [], [deny(['a'])], 0, 1],
])('%s', (_name, before, after, widened, narrowed) => {
  const diff = diffReviews(review(before), review(after));
  expect(diff.widened).toHaveLength(widened);
  expect(diff.narrowed).toHaveLength(narrowed);
  for (const line of [...diff.widened, ...diff.narrowed]) expect(line.category).toBe('grant');
});

test('an exemption says who is exempted, from what', () => {
  const diff = diffReviews(review([deny(['a'])]), review([deny(['a', 'arn:aws:iam::111122223333:role/intruder'])]));
  expect(diff.widened.map((l) => l.text)).toEqual([
    'secret policy of gateward/acme-llm/research/openai: Deny * secretsmanager:GetSecretValue on *: aws:PrincipalArn ArnNotEquals now also arn:aws:iam::111122223333:role/intruder (exempt from the denial)',
  ]);
});

test('lifetimes: raised widens, lowered narrows, a new one is no change', () => {
  const ttl = (seconds: number) => [{ key: 'cred-max:acme-llm/support/aws/creds/models', label: 'maximum STS TTL of acme-llm/support/aws/creds/models', seconds }];
  expect(diffReviews(review([], ttl(900)), review([], ttl(3600))).widened.map((l) => l.text)).toEqual(['maximum STS TTL of acme-llm/support/aws/creds/models raised from 15 min to 1 h']);
  expect(diffReviews(review([], ttl(3600)), review([], ttl(900))).narrowed.map((l) => l.text)).toEqual(['maximum STS TTL of acme-llm/support/aws/creds/models lowered from 1 h to 15 min']);
  expect(diffReviews(review([], []), review([], ttl(900)))).toEqual({ widened: [], narrowed: [], changed: [] });
});
