#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { REVIEW_USAGE, runReview } from './review-command';
import { NhiFinding } from '../nhi/finding';
import { InputError } from '../nhi/inputs/input-error';
import { InputFlag, readInput, ReadInput } from '../nhi/inputs/read-input';
import { checkAssemblyStacks, checkTemplates, checkTerraformSource } from '../nhi/inputs/run-checks';
import { withLineRegions } from '../nhi/inputs/source-lines';
import { NhiReport } from '../nhi/nhi-report';
import { ownerTagKeysOf } from '../nhi/private/aws-check';

const USAGE = `Usage: gateward check PATH... [--json <file>|-] [--sarif <file>|-] [--owner-tags <key,key,...>]
       gateward review [--out DIR] [--base OLD]... PATH...
       gateward --help | --version

Checks infrastructure code against the NHI rule pack and prints what it checked and the findings.
Each PATH may be a cloud assembly (cdk.out, nested Stage assemblies included), a CloudFormation
template (JSON or YAML), a directory of Terraform .tf files, a .tf or .tf.json file, a CDKTF output
directory (cdktf.out), or terraform show -json output (a plan or a state).
--cdk <dir> and --vault <dir> are aliases of PATH that also insist on a cloud assembly and on
Terraform respectively. With "-" the JSON or SARIF goes to standard output and the text report
to standard error.
Exits 0 when no finding is open (informational notes never fail), 1 when one is, 2 when the
command is wrong or a PATH cannot be read or holds nothing to check.

${REVIEW_USAGE}`;

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
  readonly inputs: Array<{ path: string; flag: InputFlag }>;
  readonly json?: string;
  readonly sarif?: string;
  readonly ownerTags?: string[];
}

type Parsed = Options | { readonly error: string } | { readonly help: true } | { readonly version: true };

function parse(args: string[]): Parsed {
  const [command, ...rest] = args;
  if (command === '--help' || command === '-h' || command === 'help') return { help: true };
  if (command === '--version') return { version: true };
  if (command !== 'check') return { error: command === undefined ? 'no command given' : `unknown command "${command}"` };
  const inputs: Array<{ path: string; flag: InputFlag }> = [];
  const options: { json?: string; sarif?: string; ownerTags?: string[] } = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--help' || arg === '-h') return { help: true };
    if (!arg.startsWith('--')) {
      inputs.push({ path: arg, flag: 'path' });
      continue;
    }
    if (!['--cdk', '--vault', '--json', '--sarif', '--owner-tags'].includes(arg)) return { error: `unknown option "${arg}"` };
    const value = rest[i + 1];
    if (value === undefined || value.startsWith('--')) return { error: `${arg} needs a value` };
    i++;
    if (arg === '--cdk') inputs.push({ path: value, flag: 'cdk' });
    else if (arg === '--vault') inputs.push({ path: value, flag: 'vault' });
    else if (arg === '--json') options.json = value;
    else if (arg === '--sarif') options.sarif = value;
    else options.ownerTags = value.split(',').map((k) => k.trim()).filter(Boolean);
  }
  if (inputs.length === 0) return { error: 'give at least one PATH to check (or --cdk/--vault with a directory)' };
  if (options.json === '-' && options.sarif === '-') return { error: '--json - and --sarif - cannot both write to standard output' };
  return { inputs, ...options };
}

function version(): string {
  // The package's version, from package.json beside lib/ (or src/ when run from the sources).
  const file = path.join(__dirname, '..', '..', 'package.json');
  return fs.existsSync(file) ? String((JSON.parse(fs.readFileSync(file, 'utf-8')) as { version?: string }).version) : 'unknown';
}

function findingsOf(read: ReadInput[], ownerTagKeys: string[]): NhiFinding[] {
  return [
    ...read.flatMap((r) => (r.assemblyStacks.length > 0 ? checkAssemblyStacks(ownerTagKeys, r.assemblyStacks) : [])),
    // Templates given together form one app: the app-wide rules see all of them.
    ...(read.some((r) => r.templates.length > 0) ? checkTemplates(ownerTagKeys, read.flatMap((r) => r.templates)) : []),
    ...read.flatMap((r) => r.terraform.flatMap(checkTerraformSource)),
  ];
}

/**
 * Runs the command line and resolves to its exit code.
 */
export async function main(args: string[], output: CliOutput = PROCESS_OUTPUT): Promise<number> {
  if (args[0] === 'review') return runReview(args.slice(1), output, USAGE);
  const options = parse(args);
  if ('help' in options) {
    output.out(USAGE);
    return 0;
  }
  if ('version' in options) {
    output.out(version());
    return 0;
  }
  if ('error' in options) {
    output.err(`gateward: ${options.error}`);
    output.err(USAGE);
    return 2;
  }
  // With "-", standard output carries only the machine-readable report.
  const say = options.json === '-' || options.sarif === '-' ? output.err : output.out;
  const read: ReadInput[] = [];
  const problems: string[] = [];
  for (const input of options.inputs) {
    try {
      read.push(await readInput(input.path, input.flag));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length > 0) {
    for (const problem of problems) output.err(`gateward: ${problem}`);
    return 2;
  }
  let findings: NhiFinding[];
  try {
    findings = findingsOf(read, ownerTagKeysOf({ ownerTagKeys: options.ownerTags }));
  } catch (error) {
    output.err(`gateward: could not check the input: ${(error as Error).message}`);
    return 2;
  }
  say(`Checked ${read.length === 1 ? '' : `${read.length} inputs: `}${read.map((r) => r.summary).join('; ')}`);
  say(NhiReport.toText(findings));
  if (options.json === '-') output.out(NhiReport.toJson(findings).trimEnd());
  else if (options.json) fs.writeFileSync(options.json, NhiReport.toJson(findings));
  // Line regions need the source files, which only the command line has.
  if (options.sarif === '-') output.out(withLineRegions(NhiReport.toSarif(findings)).trimEnd());
  else if (options.sarif) fs.writeFileSync(options.sarif, withLineRegions(NhiReport.toSarif(findings)));
  // Notes (INFO) are context and never fail a check.
  return NhiReport.openFindings(findings).length > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  }, (error: Error) => {
    process.stderr.write(`gateward: ${error.message}\n`);
    process.exitCode = 2;
  });
}
