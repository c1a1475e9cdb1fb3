import * as fs from 'fs';
import * as path from 'path';
import { runCli, scratch, SynthesizedOutput, synthesizeOutput, variant } from './support/review-fixtures';

// `gateward review --base OLD NEW` on variants of the example's spec: each change is reported,
// each widening is listed and makes the command exit 1; a change that only narrows exits 0.

let dir: string;
let base: SynthesizedOutput;
const outputs: Record<string, SynthesizedOutput> = {};

const HAIKU = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const NEW_MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';

beforeAll(() => {
  dir = scratch('review-diff');
  base = synthesizeOutput(path.join(dir, 'base'));
  outputs.moved = synthesizeOutput(path.join(dir, 'moved'), variant((spec) => {
    const [bot] = spec.tenants[0].workloads.splice(0, 1);
    spec.tenants[1].workloads.push(bot);
  }));
  outputs.model = synthesizeOutput(path.join(dir, 'model'), variant((spec) => {
    spec.tenants[0].foundationModels.push(NEW_MODEL);
  }));
  outputs.ttl = synthesizeOutput(path.join(dir, 'ttl'), variant((spec) => {
    spec.ttls.cloudCredentials.defaultSeconds = 1800;
  }));
}, 300_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the diff and returns the exit code, the Markdown and the widening lines of standard error. */
async function diff(name: string) {
  const out = path.join(dir, `review-${name}`);
  const result = await runCli('review', '--out', out, '--base', base.root, outputs[name]?.root ?? name);
  const widened = result.err.split('\n').filter((l) => l.startsWith('  + ')).map((l) => l.slice(4));
  const json = JSON.parse(fs.readFileSync(path.join(out, 'review-diff.json'), 'utf-8'));
  return { ...result, widened, json, markdown: result.out };
}

describe('gateward review --base', () => {
  test('the same output twice: nothing widened, exit 0', async () => {
    const result = await runCli('review', '--out', path.join(dir, 'review-same'), '--base', base.root, base.root);
    expect(result.code).toBe(0);
    expect(result.out).toContain('**No access widened.** Nothing narrowed either.');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'review-same', 'review-diff.json'), 'utf-8'))).toEqual({ widened: [], narrowed: [], changed: [] });
  });

  test('a workload moved to another tenant: the move, and what it gains, are widenings; what it loses is a narrowing', async () => {
    const result = await diff('moved');
    expect(result.code).toBe(1);
    expect(result.widened).toContain('[workload moved] workload support-bot moved from tenant support to tenant research');
    expect(result.widened).toEqual(expect.arrayContaining([
      expect.stringMatching(/^\[workload access\] now: support-bot \(tenant research\) may use model us\.anthropic\.claude-sonnet-4/),
      expect.stringMatching(/^\[workload access\] now: support-bot \(tenant research\) may use provider-key openai/),
    ]));
    expect(result.json.narrowed.map((l: any) => l.text)).toContain(`no longer: support-bot (tenant support) may use model ${HAIKU} (arn:aws:bedrock:us-east-1::foundation-model/${HAIKU})`);
    // Every widening line of the comment is one of those listed on standard error, and the reverse.
    expect(result.json.widened.map((l: any) => `[${l.category}] ${l.text}`).sort()).toEqual([...result.widened].sort());
    expect(result.markdown).toMatch(/^## Access review: what this change does to access/);
    expect(result.markdown).toContain(`**Access widened: ${result.widened.length} changes need approval.**`);
    expect(result.markdown).toContain('- workload support-bot moved from tenant support to tenant research');
  });

  test('a model added: the workloads that may now invoke it, and the target role\'s new grant', async () => {
    const result = await diff('model');
    expect(result.code).toBe(1);
    expect(result.widened).toContain(`[workload access] now: support-bot (tenant support) may use model ${NEW_MODEL} (arn:aws:bedrock:us-east-1::foundation-model/${NEW_MODEL})`);
    expect(result.widened).toEqual(expect.arrayContaining([
      expect.stringMatching(new RegExp(`^\\[grant\\] added: identity policy of acme-llm-support-models: Allow .*bedrock:InvokeModel on arn:aws:bedrock:us-east-1::foundation-model/${NEW_MODEL.replace(/\./g, '\\.')}`)),
    ]));
    // Nothing of the other tenant changed.
    expect(result.widened.filter((l) => l.includes('research'))).toEqual([]);
  });

  test('a TTL raised: each lifetime it raises is a widening', async () => {
    const result = await diff('ttl');
    expect(result.code).toBe(1);
    expect(result.widened).toEqual(expect.arrayContaining([
      '[TTL] default STS TTL of acme-llm/support/aws/creds/models raised from 15 min to 30 min',
      '[TTL] default STS TTL of acme-llm/research/aws/creds/key-openai raised from 15 min to 30 min',
    ]));
    expect(result.widened.every((l) => l.startsWith('[TTL]'))).toBe(true);
  });

  test('a change that only narrows exits 0 and lists the narrowings', async () => {
    // The variant with the added model, reviewed against the example: the model is removed, and nothing else changes.
    const result = await runCli('review', '--out', path.join(dir, 'review-narrow'), '--base', outputs.model.root, base.root);
    expect(result.code).toBe(0);
    expect(result.out).toContain('**No access widened.**');
    expect(result.out).toContain(`no longer: support-bot (tenant support) may use model ${NEW_MODEL}`);
    expect(result.err).not.toContain('access widened');
  });
});
