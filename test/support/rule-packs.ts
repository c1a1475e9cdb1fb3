import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { createAwsApp } from '../../examples/bedrock-gateway/app';

/** One rule pack's finding, as the validation report lists it. */
export interface RulePackFinding { readonly plugin: string; readonly rule: string; readonly paths: string[] }
/** One acknowledged finding, from the stacks' metadata. */
export interface RulePackAcknowledgement { readonly path: string; readonly rule: string; readonly reason: string }
/** What synthesis under every rule pack gave. */
export interface RulePackOutcome {
  readonly findings: RulePackFinding[];
  readonly acknowledgements: RulePackAcknowledgement[];
  /** The synthesis error, when a finding was left open. */
  readonly threw?: string;
}

/**
 * Synthesizes what `build` adds to an app under every rule pack `npm run example` runs (cdk-nag
 * AwsSolutions and NIST 800-53 R5, the Control Tower controls, gateward's NHI pack and
 * CloudFormation's validation), and reads back the validation report and the acknowledgements.
 */
export function synthesizeUnderRulePacks(build: (app: cdk.App) => void): RulePackOutcome {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-rules-'));
  try {
    const app = createAwsApp(outdir);
    build(app);
    let threw: string | undefined;
    try {
      app.synth();
    } catch (error) {
      threw = (error as Error).message;
    }
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf-8'));
    const findings: RulePackFinding[] = report.pluginReports.flatMap((p: any) => p.violations.map((v: any) => ({
      plugin: p.pluginName, rule: v.ruleName, paths: v.violatingConstructs.map((c: any) => c.constructPath),
    })));
    const acknowledgements: RulePackAcknowledgement[] = [];
    for (const file of fs.readdirSync(outdir).filter((f) => f.endsWith('.metadata.json'))) {
      const metadata = JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf-8'));
      for (const [constructPath, entries] of Object.entries(metadata as Record<string, Array<{ type: string; data: Record<string, string> }>>)) {
        for (const entry of entries.filter((e) => e.type === 'aws:cdk:acknowledged-rules')) {
          for (const [rule, reason] of Object.entries(entry.data)) acknowledgements.push({ path: constructPath, rule, reason });
        }
      }
    }
    return { findings, acknowledgements, threw };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
