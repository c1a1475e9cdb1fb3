#!/usr/bin/env node
import * as fs from 'fs';
import { AwsNhiChecker } from '../nhi/aws-checker';
import { NhiFinding } from '../nhi/finding';
import { NhiReport } from '../nhi/nhi-report';
import { VaultNhiChecker } from '../nhi/vault-checker';

const USAGE = `Usage: gateward check [--cdk <cloud-assembly-dir>]... [--vault <cdktf-out-dir>]...
                      [--json <file>] [--sarif <file>] [--owner-tags <key,key,...>]

Checks synthesized CDK apps and Vault Terraform JSON against the NHI rule pack and prints the
findings. Exits 0 when no finding is open, 1 when one is, 2 when the command is wrong.`;

/** Where the command writes. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const PROCESS_OUTPUT: CliOutput = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

interface Options {
  readonly cdk: string[];
  readonly vault: string[];
  readonly json?: string;
  readonly sarif?: string;
  readonly ownerTags?: string[];
}

function parse(args: string[]): Options | string {
  const [command, ...rest] = args;
  if (command === '--help' || command === 'help') return '';
  if (command !== 'check') return command === undefined ? 'no command given' : `unknown command "${command}"`;
  const options: { cdk: string[]; vault: string[]; json?: string; sarif?: string; ownerTags?: string[] } = { cdk: [], vault: [] };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    const value = rest[i + 1];
    if (!['--cdk', '--vault', '--json', '--sarif', '--owner-tags'].includes(flag)) return `unknown option "${flag}"`;
    if (value === undefined || value.startsWith('--')) return `${flag} needs a value`;
    i++;
    if (flag === '--cdk') options.cdk.push(value);
    else if (flag === '--vault') options.vault.push(value);
    else if (flag === '--json') options.json = value;
    else if (flag === '--sarif') options.sarif = value;
    else options.ownerTags = value.split(',').map((k) => k.trim()).filter(Boolean);
  }
  if (options.cdk.length + options.vault.length === 0) return 'give at least one --cdk or --vault directory';
  for (const dir of [...options.cdk, ...options.vault]) {
    if (!fs.existsSync(`${dir}/manifest.json`)) return `${dir} has no manifest.json; give a synthesized cloud assembly (cdk.out) or CDKTF output directory`;
  }
  return options;
}

/**
 * Runs the command line and returns its exit code.
 */
export function main(args: string[], output: CliOutput = PROCESS_OUTPUT): number {
  const options = parse(args);
  if (typeof options === 'string') {
    if (options) output.err(`gateward: ${options}`);
    output.err(USAGE);
    return options ? 2 : 0;
  }
  let findings: NhiFinding[];
  try {
    const aws = new AwsNhiChecker({ ownerTagKeys: options.ownerTags });
    const vault = new VaultNhiChecker();
    findings = [...options.cdk.flatMap((dir) => aws.checkCloudAssembly(dir)), ...options.vault.flatMap((dir) => vault.checkCdktfOutput(dir))];
  } catch (error) {
    output.err(`gateward: could not read the synthesized output: ${(error as Error).message}`);
    return 2;
  }
  output.out(NhiReport.toText(findings));
  if (options.json) fs.writeFileSync(options.json, NhiReport.toJson(findings));
  if (options.sarif) fs.writeFileSync(options.sarif, NhiReport.toSarif(findings));
  return findings.some((f) => !f.acknowledged) ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
