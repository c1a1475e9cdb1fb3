import * as fs from 'fs';
import * as path from 'path';
import { editTemplates, scratch, SynthesizedOutput, synthesizeOutput, variant } from './support/review-fixtures';
import { readReviewInputs } from '../../src/review/inputs/review-inputs';
import { buildAccessModel } from '../../src/review/model/build-access-model';
import { AccessReviewModel } from '../../src/review/model/review-model';

// The three questions of the access review, answered from the example's synthesized output and
// from variants of it: who can read provider key X, which workloads can invoke model Y, and what
// a compromise of the router cell of tenant T reaches.

const KEY = 'gateward/acme-llm/research/openai';
const HAIKU = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const SONNET = 'us.anthropic.claude-sonnet-4-20250514-v1:0';

let dir: string;
let example: SynthesizedOutput;
let review: AccessReviewModel;
let moved: AccessReviewModel;

const reviewOf = (out: SynthesizedOutput) => buildAccessModel(readReviewInputs([out.aws, out.vault, out.guardrails]));
const keyAnswer = (m: AccessReviewModel) => m.answers.providerKeys.find((k) => k.key === KEY)!;
const modelAnswer = (m: AccessReviewModel, id: string) => m.answers.models.find((a) => a.model === id)!;
const routerAnswer = (m: AccessReviewModel, tenant: string) => m.answers.routers.find((a) => a.tenant === tenant)!;

/** A copy of the example's output, changed by `edit`. */
function copyOf(name: string, edit: (out: SynthesizedOutput) => void): SynthesizedOutput {
  const root = path.join(dir, name);
  fs.cpSync(example.root, root, { recursive: true });
  const out = { root, aws: path.join(root, 'aws'), vault: path.join(root, 'vault'), guardrails: path.join(root, 'guardrails') };
  edit(out);
  return out;
}

/** Adds a principal to the key's secret policy: to its Allow of GetSecretValue, and (when `exempt`) to the Deny's exemptions. */
function addKeyReader(out: SynthesizedOutput, principal: string, exempt: boolean): void {
  const edited = editTemplates(out.aws, (_file, template) => {
    const policy = Object.values(template.Resources as Record<string, any>).find((r) => r.Type === 'AWS::SecretsManager::ResourcePolicy');
    if (!policy) return false;
    const statements = policy.Properties.ResourcePolicy.Statement as any[];
    statements.push({ Sid: 'AddedReader', Effect: 'Allow', Principal: { AWS: principal }, Action: 'secretsmanager:GetSecretValue', Resource: '*' });
    if (exempt) statements.find((s) => s.Effect === 'Deny' && [s.Action].flat().includes('secretsmanager:GetSecretValue')).Condition.ArnNotEquals['aws:PrincipalArn'].push(principal);
    const key = Object.values(template.Resources as Record<string, any>).find((r) => r.Type === 'AWS::KMS::Key' && JSON.stringify(r.Properties.KeyPolicy).includes(KEY));
    if (key && exempt) key.Properties.KeyPolicy.Statement.find((s: any) => s.Sid === 'OnlyTheTargetRoleDecryptsTheKey').Principal.AWS.push(principal);
    return true;
  });
  expect(edited).toBe(1);
}

beforeAll(() => {
  dir = scratch('review-questions');
  example = synthesizeOutput(path.join(dir, 'example'));
  review = reviewOf(example);
  // support-bot moves from tenant support to tenant research.
  moved = reviewOf(synthesizeOutput(path.join(dir, 'moved'), variant((spec) => {
    const [bot] = spec.tenants[0].workloads.splice(0, 1);
    spec.tenants[1].workloads.push(bot);
  })));
}, 240_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('who can read provider key X', () => {
  test('the example: its target role, the chain that obtains that role, and the rotation function; served for research-agent only', () => {
    const answer = keyAnswer(review);
    expect(answer.tenant).toBe('research');
    expect(answer.readers.map((r) => r.label).sort()).toEqual([
      'Terraform\'s Vault login (aws role acme-platform-pipeline)',
      'Vault server (acme-vault-server)',
      'acme-llm-broker',
      'acme-llm-research-key-openai',
      'acme-openai-key-rotation',
      'router cell research',
    ]);
    const cell = answer.readers.find((r) => r.label === 'router cell research')!;
    expect(cell.hops.map((h) => h.kind)).toEqual(['logs-in', 'policy-reads', 'issues', 'assumes', 'reads-secret']);
    expect(cell.hops[0]).toMatchObject({ to: 'Vault role router-research', ttlSeconds: 3600 });
    expect(cell.hops[1]).toMatchObject({ to: 'acme-llm/research/aws/creds/key-openai' });
    expect(cell.hops[3]).toMatchObject({ from: 'acme-llm-broker', to: 'acme-llm-research-key-openai', ttlSeconds: 3600 });
    // The key's value lives until the next rotation.
    expect(cell.ttlSeconds).toBe(30 * 86400);
    expect(answer.usedFor.map((u) => u.label)).toEqual(['research-agent']);
    // Nobody else of the account: not the credential-lifecycle owner, not the other tenant's cell.
    expect(answer.readers.map((r) => r.label)).not.toContain('acme-secrets-rotation');
    expect(answer.readers.map((r) => r.label)).not.toContain('router cell support');
  });

  test('an account administrator cannot read it as its policies stand, can rewrite them without the guardrails, and cannot with them', () => {
    const probes = Object.fromEntries(keyAnswer(review).administrator.map((p) => [p.action, p]));
    expect(probes['secretsmanager:GetSecretValue']).toMatchObject({ withoutGuardrails: 'denied', withGuardrails: 'denied' });
    expect(probes['secretsmanager:PutResourcePolicy']).toMatchObject({ withoutGuardrails: 'allowed', withGuardrails: 'denied' });
    expect(probes['secretsmanager:PutResourcePolicy'].deniedBy.join()).toMatch(/RCP/);
  });

  test('a principal added to the secret policy\'s Allow but still denied by its Deny is no reader; exempted from the Deny too, it is', () => {
    const intruder = 'arn:aws:iam::111122223333:role/intruder';
    const allowOnly = reviewOf(copyOf('allow-only', (out) => addKeyReader(out, intruder, false)));
    expect(keyAnswer(allowOnly).readers.map((r) => r.identity)).not.toContain(`principal:${intruder}`);
    const exempted = reviewOf(copyOf('exempted', (out) => addKeyReader(out, intruder, true)));
    const reader = keyAnswer(exempted).readers.find((r) => r.identity === `principal:${intruder}`)!;
    expect(reader.hops).toEqual([expect.objectContaining({ kind: 'reads-secret', to: KEY })]);
    // Its own policies are not in the output: the answer says what it assumed.
    expect(reader.assumptions.join()).toMatch(/own IAM policies are not in the output/);
    // The guardrails' RCP still keeps it out.
    expect(reader.guardrails).toBe('denied by guardrails');
  });

  test('a workload moved into the key\'s tenant is served with it', () => {
    expect(keyAnswer(moved).usedFor.map((u) => u.label).sort()).toEqual(['research-agent', 'support-bot']);
  });
});

describe('which workloads can invoke model Y', () => {
  test('the example: each model by its tenant\'s IAM workload, with the Cedar policy and the whole chain', () => {
    const haiku = modelAnswer(review, HAIKU);
    expect(haiku.arns).toEqual([`arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`]);
    expect(haiku.workloads.map((w) => [w.workload, w.tenant])).toEqual([['support-bot', 'support']]);
    expect(haiku.workloads[0].policies).toEqual([expect.stringMatching(/permit-support-invoke-model$/)]);
    expect(haiku.workloads[0].hops.map((h) => h.kind)).toEqual(['admits', 'routes', 'authorizes', 'logs-in', 'policy-reads', 'issues', 'assumes', 'invokes']);
    // The Kubernetes workload of the same tenant does not call the API.
    expect(haiku.blocked).toEqual([{ workload: 'ticket-summarizer', brokenAt: expect.stringMatching(/does not call the API/) }]);
    const sonnet = modelAnswer(review, SONNET);
    expect(sonnet.arns).toEqual([
      `arn:aws:bedrock:us-east-1:111122223333:inference-profile/${SONNET}`,
      'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0',
      'arn:aws:bedrock:us-east-2::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0',
      'arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0',
    ]);
    expect(sonnet.workloads.map((w) => w.workload)).toEqual(['research-agent']);
    expect(sonnet.credentialHolders).toContain('router cell research');
    expect(sonnet.credentialHolders).not.toContain('router cell support');
  });

  test('a workload moved to another tenant invokes that tenant\'s model and no longer its old one', () => {
    expect(modelAnswer(moved, SONNET).workloads.map((w) => w.workload).sort()).toEqual(['research-agent', 'support-bot']);
    expect(modelAnswer(moved, HAIKU).workloads).toEqual([]);
    expect(moved.matrix.find((r) => r.workload === 'support-bot')!.tenant).toBe('research');
  });
});

describe('what a compromise of the router of tenant T reaches', () => {
  test('the example: each cell reaches its own tenant only, for at most the credential TTL', () => {
    for (const [tenant, targets] of [['support', ['acme-llm-support-models']], ['research', ['acme-llm-research-key-openai', 'acme-llm-research-models']]] as const) {
      const answer = routerAnswer(review, tenant);
      expect(answer.otherTenantsReached).toEqual([]);
      const sessions = answer.reaches.filter((r) => r.kind === 'credential' && r.target.startsWith('target:'));
      expect(sessions.map((s) => s.target.split('/').pop()).sort()).toEqual([...targets]);
      for (const s of sessions) expect(s.ttlSeconds).toBe(3600);
      expect(answer.text).toMatch(new RegExp(`reaches tenant ${tenant} only`));
    }
    expect(routerAnswer(review, 'research').reaches.map((r) => r.target)).toContain(`key:${KEY}`);
    expect(routerAnswer(review, 'support').reaches.map((r) => r.target)).not.toContain(`key:${KEY}`);
  });

  test('a router policy that reads another tenant\'s path: the answer says the cell reaches that tenant', () => {
    const widened = reviewOf(copyOf('router-policy', (out) => {
      const file = path.join(out.vault, 'stacks', 'acme-llm-vault', 'cdk.tf.json');
      const config = JSON.parse(fs.readFileSync(file, 'utf-8'));
      const policy = Object.values(config.resource.vault_policy as Record<string, any>).find((p) => p.name === 'acme-llm-support-router');
      policy.policy += '\npath "acme-llm/research/aws/creds/key-openai" {\n  capabilities = ["read"]\n}\n';
      fs.writeFileSync(file, JSON.stringify(config));
    }));
    const answer = routerAnswer(widened, 'support');
    expect(answer.otherTenantsReached).toEqual(['research']);
    expect(answer.reaches.map((r) => r.target)).toContain(`key:${KEY}`);
    expect(keyAnswer(widened).readers.map((r) => r.label)).toContain('router cell support');
  });
});

describe('blast radius, owners and the rest of the review', () => {
  test('every identity the issue names has a blast radius', () => {
    const kinds = new Set(review.blastRadius.map((b) => b.kind));
    for (const kind of ['router-cell', 'broker', 'vault-server', 'workload', 'owner', 'administrator', 'deployment-role']) expect(kinds).toContain(kind);
    const of = (label: string) => review.blastRadius.find((b) => b.label === label)!;
    expect(of('acme-llm-broker').tenantsReached).toEqual(['research', 'support']);
    expect(of('Vault server (acme-vault-server)').tenantsReached).toEqual(['research', 'support']);
    expect(of('support-bot').tenantsReached).toEqual(['support']);
    expect(of('ticket-summarizer').reaches.map((r) => r.target)).toContain('database:acme-llm/support/database/creds/kb-vectors');
    const admin = review.blastRadius.find((b) => b.kind === 'administrator')!;
    const allowedWithout = admin.probes.filter((p) => p.withoutGuardrails === 'allowed').map((p) => p.action);
    const allowedWith = admin.probes.filter((p) => p.withGuardrails === 'allowed').map((p) => p.action);
    expect(allowedWithout).toEqual(expect.arrayContaining(['lambda:UpdateFunctionCode', 'lambda:InvokeFunction', 'iam:PassRole', 'cloudtrail:StopLogging', 'secretsmanager:PutResourcePolicy']));
    expect(allowedWith).not.toEqual(expect.arrayContaining(['lambda:UpdateFunctionCode']));
    // What the guardrails do not cover: the API's resource policy and the Cedar policies.
    expect(allowedWith).toEqual(expect.arrayContaining(['apigateway:PATCH', 'verifiedpermissions:UpdatePolicy']));
  });

  test('the three owners, suspended identities and acknowledged findings with their reasons', () => {
    expect(review.owners).toEqual([
      expect.objectContaining({ role: 'policy', contact: 'ai-governance@acme.example' }),
      expect.objectContaining({ role: 'operations', contact: 'llm-platform@acme.example' }),
      expect.objectContaining({ role: 'credential-lifecycle', contact: 'secrets-ops@acme.example', roleArns: ['arn:aws:iam::111122223333:role/acme-secrets-rotation'] }),
    ]);
    expect(review.suspended).toEqual([]);
    expect(review.acknowledgedFindings.length).toBeGreaterThan(5);
    for (const ack of review.acknowledgedFindings) expect(ack.reason.length).toBeGreaterThan(20);
    expect(review.openFindings).toEqual([]);
  });

  test('a suspended tenant and a suspended workload are listed with the evidence, and nothing is delivered to them', () => {
    const suspended = reviewOf(synthesizeOutput(path.join(dir, 'suspended'), variant((spec) => {
      spec.suspended = { tenants: ['support'], workloads: ['research-agent'] };
    })));
    const entry = (kind: string, id: string) => suspended.suspended.find((s) => s.kind === kind && s.id === id);
    expect(entry('tenant', 'support')?.evidence.join('\n')).toMatch(/Vault policy acme-llm-support-router denies/);
    expect(entry('tenant', 'support')?.evidence.join('\n')).toMatch(/policy store forbids its workloads everything/);
    expect(entry('workload', 'research-agent')?.evidence.join('\n')).toMatch(/policy store forbids it everything/);
    expect(entry('workload', 'support-bot')).toBeDefined();
    for (const workload of ['support-bot', 'research-agent']) {
      const row = suspended.matrix.find((r) => r.workload === workload)!;
      expect(row.suspended).toBe(true);
      expect(row.entries.filter((e) => e.delivered)).toEqual([]);
    }
    expect(modelAnswer(suspended, SONNET).workloads).toEqual([]);
    expect(keyAnswer(suspended).usedFor).toEqual([]);
    // The suspended tenant's cell reads no credential any more.
    expect(routerAnswer(suspended, 'support').reaches.filter((r) => r.target.startsWith('target:'))).toEqual([]);
  }, 120_000);
});
