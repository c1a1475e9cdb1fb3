import * as fs from 'fs';
import * as path from 'path';
import { AssemblyStack, isCloudAssemblyManifest, readCloudAssembly } from './cloud-assembly';
import { parseCloudFormationYaml } from './cloudformation-yaml';
import { InputError, readJsonFile } from './input-error';
import { readsThroughInputs } from './registry-modules';
import { TemplateToCheck } from './run-checks';
import { terraformAwsTemplate } from './terraform-aws';
import {
  isTerraformJson, isTerraformShowJson, readCdktfOutput, readTerraformDirectory, readTerraformHclFile, readTerraformJsonFile,
  TerraformSource,
} from './terraform-config';
import { readTerraformShow } from './terraform-show';
import { CfnTemplateJson } from '../private/cfn-template';

/** What kind of input a path is. */
export type InputKind = 'cloud assembly' | 'CloudFormation template' | 'Terraform' | 'CDKTF output' | 'terraform show -json';

/** Which flag a path was given with: a flag is a promise about the kind, and a wrong one is an error. */
export type InputFlag = 'path' | 'cdk' | 'vault';

/** One path, read: the stacks and Terraform configurations it holds. */
export interface ReadInput {
  readonly path: string;
  readonly kind: InputKind;
  /** Stacks of a cloud assembly (read from their files, CDK metadata included). */
  readonly assemblyStacks: AssemblyStack[];
  /** CloudFormation templates from other sources: template files, and Terraform's AWS resources. */
  readonly templates: TemplateToCheck[];
  /** Terraform configurations, for the Vault rules. */
  readonly terraform: TerraformSource[];
  /** A line saying what was checked. */
  readonly summary: string;
}

function isTemplate(body: unknown): body is CfnTemplateJson {
  return !!body && typeof body === 'object' && !Array.isArray(body) && ('Resources' in body || 'AWSTemplateFormatVersion' in body);
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function resourceCount(template: CfnTemplateJson | undefined): number {
  return Object.keys(template?.Resources ?? {}).length;
}

function terraformResourceCount(source: TerraformSource): number {
  return Object.values(source.config.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
}

/** Terraform sources, with their AWS resources also as a template for the AWS rules. */
function fromTerraform(input: string, kind: InputKind, sources: TerraformSource[], what: string): ReadInput {
  const resources = sources.reduce((n, s) => n + terraformResourceCount(s), 0);
  const templates = sources.flatMap((source): TemplateToCheck[] => {
    const template = terraformAwsTemplate(source.config, source.addressOf, source.modules);
    if (!template) return [];
    // Findings are placed by the address they report (`module.x.aws_iam_role.r`).
    const fileOfPath = new Map([...source.fileOf].map(([key, file]) => [source.addressOf.get(key) ?? key, file]));
    return [{ file: source.files[0], stackPath: source.name, template, fileOfPath }];
  });
  const awsCount = templates.reduce((n, t) => n + resourceCount(t.template), 0);
  const modules = sources.flatMap((s) => s.modules ?? []);
  const read = modules.filter((m) => m.read);
  const unread = modules.filter((m) => !m.read);
  // A configuration of registry modules alone declares no resource, but hands them what the rules read.
  if (resources === 0 && awsCount === 0) {
    // Say which modules hold what it deploys, so the reader knows what to check instead.
    const elsewhere = unread.length > 0 ? `: what it deploys is in modules the path does not hold (${unread.map((m) => `${m.address} "${m.source}": ${m.reason}`).join(', ')})` : '';
    throw new InputError(input, `${what}, but it declares no resource to check${elsewhere}`);
  }
  const throughInputs = unread.filter((m) => readsThroughInputs(m.source));
  const skipped = unread.filter((m) => !throughInputs.includes(m));
  const moduleText = [
    read.length > 0 ? `; ${count(read.length, 'local module')} read (${read.map((m) => `${m.address}: ${count(m.files.length, 'file')}`).join(', ')})` : '',
    throughInputs.length > 0
      ? `; ${count(throughInputs.length, 'registry module')} read from the inputs they are handed (${throughInputs.map((m) => `${m.address} "${m.source}"`).join(', ')})`
      : '',
    skipped.length > 0 ? `; not read: ${skipped.map((m) => `${m.address} ("${m.source}": ${m.reason})`).join(', ')}` : '',
  ].join('');
  return {
    path: input,
    kind,
    assemblyStacks: [],
    templates,
    terraform: sources,
    summary: `${input} (${kind}): ${what}, ${count(resources, 'resource')}${awsCount > 0 ? ` (${awsCount} read by the AWS rules)` : ''}${moduleText}`,
  };
}

function fromTemplate(input: string, template: unknown): ReadInput {
  if (!isTemplate(template)) throw new InputError(input, 'is not a CloudFormation template (it has no Resources)');
  const resources = resourceCount(template);
  if (resources === 0) throw new InputError(input, 'is a CloudFormation template with no resources to check');
  const name = path.basename(input).replace(/(\.template)?\.(json|ya?ml|template)$/, '');
  return {
    path: input,
    kind: 'CloudFormation template',
    assemblyStacks: [],
    templates: [{ file: input, stackPath: name, template }],
    terraform: [],
    summary: `${input} (CloudFormation template): 1 stack, ${count(resources, 'resource')}`,
  };
}

function fromAssembly(input: string): ReadInput {
  const stacks = readCloudAssembly(input);
  const resources = stacks.reduce((n, s) => n + resourceCount(readJsonFile(s.templateFile, fs.readFileSync(s.templateFile, 'utf-8')) as CfnTemplateJson), 0);
  if (resources === 0) throw new InputError(input, `is a cloud assembly whose ${count(stacks.length, 'stack')} hold no resources to check`);
  return {
    path: input,
    kind: 'cloud assembly',
    assemblyStacks: stacks,
    templates: [],
    terraform: [],
    summary: `${input} (cloud assembly): ${count(stacks.length, 'stack')} (${stacks.map((s) => s.stackPath).join(', ')}), ${count(resources, 'resource')}`,
  };
}

const WRONG_FLAG: Record<InputFlag, InputKind[]> = {
  path: [],
  cdk: ['Terraform', 'CDKTF output', 'terraform show -json'],
  vault: ['cloud assembly', 'CloudFormation template'],
};

/**
 * Reads one path, whatever it is: a cloud assembly directory (nested Stage assemblies
 * followed), a CDKTF output directory, a directory of `.tf`/`.tf.json` files, a CloudFormation
 * template (JSON or YAML), a `.tf`/`.tf.json` file, or `terraform show -json` output. Throws
 * `InputError` naming the file and the reason when it cannot be read, holds nothing to check,
 * or is not the kind its flag promised.
 */
export async function readInput(input: string, flag: InputFlag = 'path'): Promise<ReadInput> {
  const read = await readAnyInput(input);
  if (WRONG_FLAG[flag].includes(read.kind)) {
    throw new InputError(input, `is ${read.kind === 'Terraform' ? 'Terraform' : `a ${read.kind}`}, not what --${flag} reads (${flag === 'cdk' ? 'a cloud assembly' : 'a CDKTF output directory or Terraform'}); give it as a PATH or with ${flag === 'cdk' ? '--vault' : '--cdk'}`);
  }
  return read;
}

async function readAnyInput(input: string): Promise<ReadInput> {
  if (!fs.existsSync(input)) throw new InputError(input, 'does not exist');
  if (fs.statSync(input).isDirectory()) {
    const manifestFile = path.join(input, 'manifest.json');
    if (fs.existsSync(manifestFile)) {
      const manifest = readJsonFile(manifestFile, fs.readFileSync(manifestFile, 'utf-8'));
      if (isCloudAssemblyManifest(manifest)) return fromAssembly(input);
      if (manifest && typeof manifest === 'object' && 'stacks' in manifest) {
        const sources = await readCdktfOutput(input);
        return fromTerraform(input, 'CDKTF output', sources, count(sources.length, 'stack'));
      }
      throw new InputError(manifestFile, 'is neither a cloud assembly manifest (artifacts) nor a CDKTF one (stacks)');
    }
    const tfFiles = fs.readdirSync(input).filter((f) => f.endsWith('.tf') || f.endsWith('.tf.json'));
    if (tfFiles.length > 0) {
      const source = await readTerraformDirectory(input);
      return fromTerraform(input, 'Terraform', [source], `${count(tfFiles.length, 'Terraform file')} (${tfFiles.join(', ')})`);
    }
    throw new InputError(input, 'is a directory with no manifest.json and no .tf or .tf.json files: nothing to check');
  }
  const base = path.basename(input);
  if (base === 'manifest.json') return readAnyInput(path.dirname(input));
  if (base.endsWith('.tf')) return fromTerraform(input, 'Terraform', [await readTerraformHclFile(input)], '1 Terraform file');
  const text = fs.readFileSync(input, 'utf-8');
  if (/\.ya?ml$/i.test(base) || (/\.template$/i.test(base) && !text.trimStart().startsWith('{'))) {
    return fromTemplate(input, parseCloudFormationYaml(input, text));
  }
  if (/\.(json|template)$/i.test(base)) {
    const body = readJsonFile(input, text);
    if (isTerraformShowJson(body)) return fromTerraform(input, 'terraform show -json', [readTerraformShow(input, body)], 'a Terraform plan or state');
    if (isTemplate(body)) return fromTemplate(input, body);
    if (isTerraformJson(body)) return fromTerraform(input, 'Terraform', [await readTerraformJsonFile(input, path.basename(input), body)], '1 Terraform JSON file');
    throw new InputError(input, 'is JSON, but neither a CloudFormation template (Resources), Terraform JSON (resource, provider, ...) nor terraform show -json output (format_version)');
  }
  throw new InputError(input, 'is not a file type gateward reads: give a cloud assembly or CDKTF output directory, a directory of .tf files, a .tf or .tf.json file, a CloudFormation template (.json, .yaml, .yml, .template) or terraform show -json output (.json)');
}
