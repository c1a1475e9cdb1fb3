import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as cdktf from 'cdktf';
import { GatewayBlueprint, GatewaySpec } from '../../src';

/** One synthesized stack, as read back from disk. */
export interface StackSummary {
  readonly plane: 'aws' | 'vault';
  readonly name: string;
  readonly file: string;
  readonly resources: number;
}

/** What `synthesizeGateway` wrote. */
export interface SynthesisSummary {
  readonly gateway: string;
  readonly awsOutdir: string;
  readonly vaultOutdir: string;
  readonly stacks: StackSummary[];
}

/**
 * Synthesizes both planes of a gateway from one spec: the AWS plane as a cloud assembly into
 * `<outdir>/aws` and the Vault plane as CDKTF output into `<outdir>/vault`. Offline: no AWS or
 * Vault credentials, no lookups, no provider downloads.
 */
export function synthesizeGateway(spec: GatewaySpec, outdir: string): SynthesisSummary {
  // Validates the whole spec first and reports every problem at once.
  const blueprint = GatewayBlueprint.fromSpec(spec);
  const awsOutdir = path.join(outdir, 'aws');
  const vaultOutdir = path.join(outdir, 'vault');
  // Stale stacks from an earlier run would be summarized as if they were current.
  fs.rmSync(awsOutdir, { recursive: true, force: true });
  fs.rmSync(vaultOutdir, { recursive: true, force: true });

  const awsApp = new cdk.App({ outdir: awsOutdir, analyticsReporting: false });
  const awsStack = new cdk.Stack(awsApp, `${blueprint.name}-aws`, {
    env: { account: blueprint.account, region: blueprint.region },
    description: `gateward ${blueprint.name}: AWS plane (identity chain, keys, policy store, audit)`,
  });
  for (const [key, value] of Object.entries(blueprint.ownershipTags())) {
    cdk.Tags.of(awsStack).add(key, value);
  }
  const assembly = awsApp.synth();

  const vaultApp = new cdktf.App({ outdir: vaultOutdir, stackTraces: false });
  new cdktf.TerraformStack(vaultApp, `${blueprint.name}-vault`);
  vaultApp.synth();

  const stacks: StackSummary[] = [
    ...assembly.stacks.map((stack) => ({
      plane: 'aws' as const,
      name: stack.stackName,
      file: path.join(awsOutdir, stack.templateFile),
      resources: Object.keys(stack.template.Resources ?? {}).length,
    })),
    ...readVaultStacks(vaultOutdir),
  ];
  return { gateway: blueprint.name, awsOutdir, vaultOutdir, stacks };
}

function readVaultStacks(vaultOutdir: string): StackSummary[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(vaultOutdir, 'manifest.json'), 'utf-8'));
  return Object.values(manifest.stacks as Record<string, { name: string; synthesizedStackPath: string }>).map((stack) => {
    const file = path.join(vaultOutdir, stack.synthesizedStackPath);
    const config = JSON.parse(fs.readFileSync(file, 'utf-8'));
    const resources = Object.values((config.resource ?? {}) as Record<string, Record<string, unknown>>)
      .reduce((total, byName) => total + Object.keys(byName).length, 0);
    return { plane: 'vault' as const, name: stack.name, file, resources };
  });
}

/**
 * A short, human-readable account of what was synthesized and where.
 */
export function formatSummary(summary: SynthesisSummary, relativeTo: string = process.cwd()): string {
  const rel = (p: string) => path.relative(relativeTo, p) || '.';
  const lines = [`gateward: synthesized gateway "${summary.gateway}" (offline, no credentials)`];
  for (const plane of ['aws', 'vault'] as const) {
    const stacks = summary.stacks.filter((s) => s.plane === plane);
    const outdir = plane === 'aws' ? summary.awsOutdir : summary.vaultOutdir;
    const title = plane === 'aws' ? 'AWS plane (CDK cloud assembly)' : 'Vault plane (CDKTF)';
    lines.push(`  ${title} -> ${rel(outdir)}/`);
    for (const stack of stacks) {
      lines.push(`    ${stack.name.padEnd(24)} ${String(stack.resources).padStart(4)} resources  ${rel(stack.file)}`);
    }
  }
  return lines.join('\n');
}
