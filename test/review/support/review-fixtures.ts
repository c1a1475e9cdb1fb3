import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as cdktf from 'cdktf';
import { buildAwsPlane, buildVaultPlane } from '../../../examples/bedrock-gateway/app';
import { addGuardrailsStack, buildGuardrails } from '../../../examples/bedrock-gateway/guardrails';
import { exampleSpec } from '../../../examples/bedrock-gateway/spec';
import { GatewaySpec } from '../../../src';
import { main } from '../../../src/review/cli';

/** Where one synthesized gateway is: its cloud assembly, CDKTF output and guardrail documents. */
export interface SynthesizedOutput {
  readonly root: string;
  readonly aws: string;
  readonly vault: string;
  readonly guardrails: string;
}

/**
 * The example gateway (or a variant of its spec) synthesized the way the example wires it, into
 * `<dir>/aws`, `<dir>/vault` and `<dir>/guardrails`, without the rule packs the example runs
 * (the review reads the same output; the rule packs only make synthesis slower).
 */
export function synthesizeOutput(dir: string, spec: GatewaySpec = exampleSpec): SynthesizedOutput {
  const out = { root: dir, aws: path.join(dir, 'aws'), vault: path.join(dir, 'vault'), guardrails: path.join(dir, 'guardrails') };
  const app = new cdk.App({ outdir: out.aws, analyticsReporting: false, context: { 'aws:cdk:enable-path-metadata': true } });
  const stack = new cdk.Stack(app, `${spec.name}-aws`, { env: { account: spec.aws.account, region: spec.aws.region } });
  buildAwsPlane(stack, spec);
  const guardrails = buildGuardrails(addGuardrailsStack(app, spec), spec);
  app.synth();
  guardrails.writeDocuments(out.guardrails);
  const vaultApp = new cdktf.App({ outdir: out.vault, stackTraces: false });
  buildVaultPlane(new cdktf.TerraformStack(vaultApp, `${spec.name}-vault`), spec);
  vaultApp.synth();
  return out;
}

/** A fresh temporary directory, removed by `removeAll`. */
export function scratch(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `gateward-${prefix}-`));
}

/** The example spec, changed by `change` on a deep copy. */
export function variant(change: (spec: any) => void): GatewaySpec {
  const copy = JSON.parse(JSON.stringify(exampleSpec));
  change(copy);
  return copy;
}

/** Runs the CLI in-process and returns its exit code and what it wrote. */
export async function runCli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Every template of a cloud assembly directory, by file name. */
export function templatesOf(assembly: string): Record<string, any> {
  return Object.fromEntries(fs.readdirSync(assembly).filter((f) => f.endsWith('.template.json'))
    .map((f) => [f, JSON.parse(fs.readFileSync(path.join(assembly, f), 'utf-8'))]));
}

/** Rewrites one template of a cloud assembly in place. */
export function editTemplates(assembly: string, edit: (file: string, template: any) => boolean): number {
  let edited = 0;
  for (const [file, template] of Object.entries(templatesOf(assembly))) {
    if (edit(file, template)) {
      fs.writeFileSync(path.join(assembly, file), JSON.stringify(template, undefined, 1));
      edited++;
    }
  }
  return edited;
}
