import * as fs from 'fs';
import * as path from 'path';
import { runCli, scratch, SynthesizedOutput, synthesizeOutput } from './support/review-fixtures';
import { readReviewInputs } from '../../src/review/inputs/review-inputs';
import { buildAccessModel } from '../../src/review/model/build-access-model';

// `gateward review` on the example's output, on the same output laid out differently (a cell
// stack turned into a nested stack of the shared stack), and on inputs it must refuse.

let dir: string;
let example: SynthesizedOutput;

beforeAll(() => {
  dir = scratch('review-command');
  example = synthesizeOutput(path.join(dir, 'example'));
}, 180_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * The example's assembly with its cell stacks made nested stacks of the shared stack, as CDK
 * writes them: each imported value becomes a parameter the parent passes from its own resources.
 */
function nestCellStacks(root: string): number {
  const assembly = path.join(root, 'aws');
  const manifestFile = path.join(assembly, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf-8'));
  const shared = Object.entries(manifest.artifacts as Record<string, any>).find(([, a]) => a.type === 'aws:cloudformation:stack' && (a.dependencies ?? []).length === 1 && a.properties.templateFile.startsWith('acme-llm-aws.'))!;
  const parentFile = path.join(assembly, shared[1].properties.templateFile);
  const parent = JSON.parse(fs.readFileSync(parentFile, 'utf-8'));
  let nested = 0;
  for (const [id, artifact] of Object.entries(manifest.artifacts as Record<string, any>)) {
    if (artifact.type !== 'aws:cloudformation:stack' || !(artifact.dependencies ?? []).includes(shared[0])) continue;
    const child = JSON.parse(fs.readFileSync(path.join(assembly, artifact.properties.templateFile), 'utf-8'));
    const parameters: Record<string, unknown> = {};
    let text = JSON.stringify(child);
    text = text.replace(/\{"Fn::ImportValue":"([^"]+)"\}/g, (_m, name: string) => {
      const output = Object.entries(parent.Outputs as Record<string, any>).find(([, o]) => o.Export?.Name === name)!;
      const parameter = `Imported${output[0].replace(/[^A-Za-z0-9]/g, '')}`;
      parameters[parameter] = output[1].Value;
      return JSON.stringify({ Ref: parameter });
    });
    const body = JSON.parse(text);
    body.Parameters = { ...(body.Parameters ?? {}), ...Object.fromEntries(Object.keys(parameters).map((p) => [p, { Type: 'String' }])) };
    const file = `${id}.nested.template.json`;
    fs.writeFileSync(path.join(assembly, file), JSON.stringify(body));
    fs.rmSync(path.join(assembly, artifact.properties.templateFile));
    parent.Resources[`${id.replace(/[^A-Za-z0-9]/g, '')}NestedStack`] = {
      Type: 'AWS::CloudFormation::Stack',
      Properties: { TemplateURL: 'https://example.invalid/nested.json', Parameters: parameters },
      Metadata: { 'aws:asset:path': file },
    };
    delete manifest.artifacts[id];
    nested++;
  }
  fs.writeFileSync(parentFile, JSON.stringify(parent));
  fs.writeFileSync(manifestFile, JSON.stringify(manifest));
  return nested;
}

describe('gateward review', () => {
  test('writes review.json, review.md and review.html, and prints the answers', async () => {
    const out = path.join(dir, 'review');
    const result = await runCli('review', '--out', out, example.root);
    expect(result.code).toBe(0);
    expect(result.out).toContain(`Reviewed ${example.aws} (cloud assembly)`);
    expect(result.out).toContain('provider key gateward/acme-llm/research/openai: read by router cell research');
    expect(result.out).toContain('router cell support: reaches its own tenant only');
    expect(result.err).toBe('');
    for (const file of ['review.json', 'review.md', 'review.html']) expect(fs.statSync(path.join(out, file)).size).toBeGreaterThan(10_000);
    const model = JSON.parse(fs.readFileSync(path.join(out, 'review.json'), 'utf-8'));
    expect(model.format).toBe('gateward-access-review/1');
    expect(model.matrix.map((r: any) => r.workload).sort()).toEqual(['research-agent', 'support-bot', 'ticket-summarizer']);
    const markdown = fs.readFileSync(path.join(out, 'review.md'), 'utf-8');
    for (const heading of ['## Who can read each provider key', '## Which workloads can invoke each model', '## What a compromise of each router cell reaches',
      '## Identity chain', '## Blast radius', '## Owners', '## Suspended identities', '## Acknowledged findings', '## Open findings of the NHI rule pack']) {
      expect(markdown).toContain(heading);
    }
  });

  test('reads the output generically: the same gateway with its cell stacks nested in the shared stack gives the same answers', () => {
    const root = path.join(dir, 'nested');
    fs.cpSync(example.root, root, { recursive: true });
    expect(nestCellStacks(root)).toBe(2);
    expect(fs.readdirSync(path.join(root, 'aws')).filter((f) => f.endsWith('.nested.template.json'))).toHaveLength(2);
    const answers = (r: string) => {
      const model = buildAccessModel(readReviewInputs([r]));
      return { ...model.answers, routers: model.answers.routers.map((a) => ({ ...a, reaches: a.reaches.map((x) => x.target).sort() })) };
    };
    const strip = (value: unknown) => JSON.parse(JSON.stringify(value).replace(/"evidence":"[^"]*"/g, '"evidence":""').split(root).join(example.root));
    const nested = strip(answers(root));
    const flat = strip(answers(example.root));
    const readers = (a: any) => a.providerKeys.map((k: any) => k.readers.map((r: any) => r.label));
    const invokers = (a: any) => a.models.map((m: any) => [m.model, m.workloads.map((w: any) => w.workload)]);
    expect(readers(nested)).toEqual(readers(flat));
    expect(invokers(nested)).toEqual(invokers(flat));
    expect(nested.routers.map((r: any) => [r.tenant, r.reaches])).toEqual(flat.routers.map((r: any) => [r.tenant, r.reaches]));
    expect(nested.models.flatMap((m: any) => m.workloads).length).toBe(2);
  });

  test.each([
    [['review'], 'give at least one PATH to review'],
    [['review', '--fast', 'x'], 'unknown option "--fast"'],
    [['review', 'x', '--out'], '--out needs a value'],
    [['review', '--base'], '--base needs a value'],
  ])('exits 2 with usage for %j', async (args, message) => {
    const result = await runCli(...args);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`gateward: ${message}`);
    expect(result.err).toContain('gateward review [--out DIR] [--base OLD]... PATH...');
    expect(result.out).toBe('');
  });

  test('fails closed, naming the file and the reason, on a path it cannot read', async () => {
    const missing = path.join(dir, 'missing');
    const absent = await runCli('review', '--out', path.join(dir, 'r1'), missing);
    expect(absent.code).toBe(2);
    expect(absent.err).toContain(`gateward: ${missing}: does not exist`);
    const file = path.join(example.aws, 'manifest.json');
    const asFile = await runCli('review', '--out', path.join(dir, 'r2'), file);
    expect(asFile.code).toBe(2);
    expect(asFile.err).toContain(`gateward: ${file}: is a file`);
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    const nothing = await runCli('review', '--out', path.join(dir, 'r3'), empty);
    expect(nothing.code).toBe(2);
    expect(nothing.err).toContain(`gateward: ${empty}: is neither a cloud assembly, a CDKTF output nor a directory of guardrail documents`);

    const broken = path.join(dir, 'broken');
    fs.cpSync(example.root, broken, { recursive: true });
    const template = fs.readdirSync(path.join(broken, 'aws')).find((f) => f.startsWith('acme-llm-aws.') && f.endsWith('.template.json'))!;
    fs.writeFileSync(path.join(broken, 'aws', template), '{ not json');
    const result = await runCli('review', '--out', path.join(dir, 'r4'), broken);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`gateward: ${path.join(broken, 'aws', template)}: is not valid JSON`);
    expect(fs.existsSync(path.join(dir, 'r4', 'review.json'))).toBe(false);

    // The broken output as --base fails closed too: no diff against nothing.
    const asBase = await runCli('review', '--out', path.join(dir, 'r5'), '--base', broken, example.root);
    expect(asBase.code).toBe(2);
  });

  test('--help prints the usage of both commands', async () => {
    const help = await runCli('review', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: gateward check PATH...');
    expect(help.out).toContain('gateward review [--out DIR] [--base OLD]... PATH...');
    expect(help.out).toContain('1 when access widened');
    expect((await runCli('--help')).out).toContain('Exits 0 when the review is written');
  });
});
