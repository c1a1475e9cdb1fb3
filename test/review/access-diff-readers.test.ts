import * as fs from 'fs';
import * as path from 'path';
import { editTemplates, runCli, scratch, SynthesizedOutput, synthesizeOutput, variant } from './support/review-fixtures';

// The diff when a provider key gains readers: a workload added to the key's tenant (a spec
// change), or a principal added to the key's secret and key policies (an edit of the synthesized
// output); a narrowing spec change exits 0; and the ways to name the old and the new output.

const KEY = 'gateward/acme-llm/research/openai';
const INTRUDER = 'arn:aws:iam::111122223333:role/intruder';

let dir: string;
let base: SynthesizedOutput;
let added: SynthesizedOutput;
let narrowed: SynthesizedOutput;

beforeAll(() => {
  dir = scratch('review-readers');
  base = synthesizeOutput(path.join(dir, 'base'));
  added = synthesizeOutput(path.join(dir, 'added'), variant((spec) => {
    spec.tenants[1].workloads.push({ id: 'batch-agent', description: 'Nightly batch agent', roleArn: 'arn:aws:iam::111122223333:role/batch-agent' });
  }));
  narrowed = synthesizeOutput(path.join(dir, 'narrowed'), variant((spec) => {
    spec.tenants[1].tools = [];
    spec.ttls.vaultTokens.maxSeconds = 1800;
  }));
}, 300_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const widenedLines = (err: string) => err.split('\n').filter((l) => l.startsWith('  + ')).map((l) => l.slice(4));

test('a workload added to the key\'s tenant: it may now use the key and the tenant\'s model', async () => {
  const result = await runCli('review', '--out', path.join(dir, 'r-added'), '--base', base.root, added.root);
  expect(result.code).toBe(1);
  const widened = widenedLines(result.err);
  expect(widened).toEqual(expect.arrayContaining([
    '[workload access] now: batch-agent (tenant research) may use provider-key openai (arn:aws:secretsmanager:us-east-1:111122223333:secret:gateward/acme-llm/research/openai-??????)',
    expect.stringMatching(/^\[workload access\] now: batch-agent \(tenant research\) may use model us\.anthropic\.claude-sonnet-4/),
  ]));
  expect(result.out).toContain('new identity: workload batch-agent');
});

test('a principal added to the key\'s secret and key policies: the grants, the exemption from the Deny, and the new reader', async () => {
  const root = path.join(dir, 'intruder');
  fs.cpSync(base.root, root, { recursive: true });
  editTemplates(path.join(root, 'aws'), (_file, template) => {
    let changed = false;
    for (const resource of Object.values(template.Resources as Record<string, any>)) {
      if (resource.Type === 'AWS::SecretsManager::ResourcePolicy') {
        const statements = resource.Properties.ResourcePolicy.Statement as any[];
        statements.push({ Sid: 'IntruderReads', Effect: 'Allow', Principal: { AWS: INTRUDER }, Action: 'secretsmanager:GetSecretValue', Resource: '*' });
        statements.find((s) => s.Sid === 'NobodyButTheTargetRoleReadsTheKey').Condition.ArnNotEquals['aws:PrincipalArn'].push(INTRUDER);
        changed = true;
      }
      if (resource.Type === 'AWS::KMS::Key' && JSON.stringify(resource.Properties.KeyPolicy).includes(KEY)) {
        resource.Properties.KeyPolicy.Statement.find((s: any) => s.Sid === 'OnlyTheTargetRoleDecryptsTheKey').Principal.AWS.push(INTRUDER);
        changed = true;
      }
    }
    return changed;
  });
  const result = await runCli('review', '--out', path.join(dir, 'r-intruder'), '--base', base.root, root);
  expect(result.code).toBe(1);
  const widened = widenedLines(result.err);
  expect(widened).toEqual(expect.arrayContaining([
    `[grant] added: secret policy of ${KEY}: Allow ${INTRUDER} secretsmanager:GetSecretValue on *`,
    `[grant] secret policy of ${KEY}: Deny * secretsmanager:GetSecretValue on *: aws:PrincipalArn ArnNotEquals now also ${INTRUDER} (exempt from the denial)`,
    `[credential access] new: intruder obtains provider-key ${KEY} (without the guardrails only) through reads-secret ${KEY}`,
  ]));
  expect(widened.some((l) => l.startsWith('[grant]') && l.includes('key policy') && l.includes(INTRUDER))).toBe(true);
  // Exactly these changes: nothing else of the gateway widened.
  expect(widened.every((l) => l.includes('intruder'))).toBe(true);
});

test('a change that only narrows (a tool removed, a shorter token TTL) exits 0 and lists each narrowing', async () => {
  const result = await runCli('review', '--out', path.join(dir, 'r-narrowed'), '--base', base.root, narrowed.root);
  expect(result.err).not.toContain('access widened');
  expect(result.code).toBe(0);
  expect(result.out).toContain('**No access widened.**');
  expect(result.out).toContain('no longer: research-agent (tenant research) may use tool web-search');
  expect(result.out).toContain('maximum token TTL of Vault role auth/acme-llm/aws/role/router-research lowered from 1 h to 30 min');
  const diff = JSON.parse(fs.readFileSync(path.join(dir, 'r-narrowed', 'review-diff.json'), 'utf-8'));
  expect(diff.widened).toEqual([]);
  // The review of the new output is written beside the diff.
  for (const file of ['review.json', 'review.md', 'review.html', 'review-diff.md']) expect(fs.existsSync(path.join(dir, 'r-narrowed', file))).toBe(true);
});

test('the old output may be named path by path: repeated --base, or one --base before old and new paths', async () => {
  const repeated = await runCli('review', '--out', path.join(dir, 'r-repeated'), '--base', base.aws, '--base', base.vault, added.aws, added.vault);
  const split = await runCli('review', '--out', path.join(dir, 'r-split'), '--base', base.aws, base.vault, added.aws, added.vault);
  for (const result of [repeated, split]) {
    expect(result.code).toBe(1);
    expect(result.out).toContain('may use provider-key openai');
  }
  const wrong = await runCli('review', '--base', base.aws, base.vault, added.aws);
  expect(wrong.code).toBe(2);
  expect(wrong.err).toContain('gateward: --base is followed by every path');
});
