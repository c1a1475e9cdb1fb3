import * as fs from 'fs';
import * as path from 'path';

/** A CloudFormation template as JSON. */
export type Template = Record<string, any>;

/**
 * One stack of a cloud assembly, top-level or nested. A nested stack is an
 * `AWS::CloudFormation::Stack` resource of its parent whose template is a `*.nested.template.json`
 * file of the assembly.
 */
export interface AssemblyStack {
  /** Unique in the assembly: `<assembly dir>::<artifact id>`, then `/<logical id>` per nesting level. */
  readonly key: string;
  /** The CloudFormation stack name (for a nested stack, its parent's name and its logical id). */
  readonly stackName: string;
  /** The construct path of a top-level stack (`displayName` in the manifest); for a nested stack, its resource's. */
  readonly displayName: string;
  /** The manifest's artifact id (top-level stacks only). */
  readonly artifactId?: string;
  /** The assembly directory, relative to the root assembly ('' for the root, `assembly-<stage>` for a stage). */
  readonly assemblyDir: string;
  /** The account, or undefined when the stack is environment-agnostic. */
  readonly account?: string;
  /** The region, or undefined when the stack is environment-agnostic. */
  readonly region?: string;
  /** The template file, absolute. */
  readonly templateFile: string;
  /** Size of the template file in bytes (what CloudFormation receives). */
  readonly templateBytes: number;
  readonly template: Template;
  /** Keys of the top-level stacks this one deploys after (from the manifest); empty for nested stacks. */
  readonly dependencies: string[];
  /** Stack tags and termination protection from the manifest (top-level stacks only). */
  readonly tags?: Record<string, string>;
  readonly terminationProtection?: boolean;
  /** For a nested stack: its parent's key and its resource's logical id there. */
  readonly parent?: { readonly key: string; readonly logicalId: string };
}

/** A nested cloud assembly (a CDK `Stage`). */
export interface AssemblyStage {
  /** Directory relative to the root assembly. */
  readonly assemblyDir: string;
  /** Construct path of the stage. */
  readonly displayName: string;
  /** The enclosing assembly directory ('' for the root). */
  readonly parentDir: string;
}

/** Everything the benchmark reads from a cloud assembly. */
export interface AssemblyModel {
  readonly root: string;
  /** Every stack, parents before their nested stacks, in manifest order. */
  readonly stacks: AssemblyStack[];
  readonly stages: AssemblyStage[];
}

const STACK = 'aws:cloudformation:stack';
const NESTED_ASSEMBLY = 'cdk:cloud-assembly';
const ASSET_MANIFEST = 'cdk:asset-manifest';
const NESTED_STACK_TYPE = 'AWS::CloudFormation::Stack';

/**
 * Reads every stack of a cloud assembly: the stacks of its manifest, of its nested assemblies
 * (stages), and the nested stacks their templates create. Assumes nothing about their names.
 */
export function readAssembly(root: string): AssemblyModel {
  const stacks: AssemblyStack[] = [];
  const stages: AssemblyStage[] = [];
  readAssemblyDir(path.resolve(root), '', stacks, stages);
  return { root: path.resolve(root), stacks, stages };
}

function readAssemblyDir(root: string, dir: string, stacks: AssemblyStack[], stages: AssemblyStage[]): void {
  const absolute = path.join(root, dir);
  const manifest = readJson(path.join(absolute, 'manifest.json'));
  const artifacts = (manifest.artifacts ?? {}) as Record<string, any>;
  const keyOf = (artifactId: string) => `${dir}::${artifactId}`;
  const assetSources = new Map<string, string>();
  for (const artifact of Object.values(artifacts)) {
    if (artifact.type !== ASSET_MANIFEST) continue;
    const assets = readJson(path.join(absolute, artifact.properties.file));
    for (const [hash, entry] of Object.entries((assets.files ?? {}) as Record<string, any>)) assetSources.set(hash, entry.source?.path);
  }
  for (const [artifactId, artifact] of Object.entries(artifacts)) {
    if (artifact.type === STACK) {
      const { account, region } = parseEnvironment(artifact.environment);
      const templateFile = path.join(absolute, artifact.properties.templateFile);
      const stack: AssemblyStack = {
        key: keyOf(artifactId),
        stackName: artifact.properties.stackName ?? artifactId,
        displayName: artifact.displayName ?? artifactId,
        artifactId,
        assemblyDir: dir,
        account,
        region,
        templateFile,
        templateBytes: fs.statSync(templateFile).size,
        template: readJson(templateFile),
        dependencies: (artifact.dependencies ?? []).filter((d: string) => artifacts[d]?.type === STACK).map(keyOf),
        tags: artifact.properties.tags,
        terminationProtection: artifact.properties.terminationProtection,
      };
      stacks.push(stack);
      addNestedStacks(stack, absolute, assetSources, stacks);
    } else if (artifact.type === NESTED_ASSEMBLY) {
      const nestedDir = path.join(dir, artifact.properties.directoryName);
      stages.push({ assemblyDir: nestedDir, displayName: artifact.properties.displayName ?? artifact.displayName ?? artifactId, parentDir: dir });
      readAssemblyDir(root, nestedDir, stacks, stages);
    }
  }
}

function addNestedStacks(parent: AssemblyStack, assemblyDir: string, assetSources: Map<string, string>, stacks: AssemblyStack[]): void {
  for (const [logicalId, resource] of Object.entries((parent.template.Resources ?? {}) as Record<string, any>)) {
    if (resource.Type !== NESTED_STACK_TYPE) continue;
    const file = nestedTemplateFile(resource, assemblyDir, assetSources);
    if (!file) continue; // a nested stack whose template is not part of the assembly (a TemplateURL of its own)
    const nested: AssemblyStack = {
      key: `${parent.key}/${logicalId}`,
      stackName: `${parent.stackName}-${logicalId}`,
      displayName: resource.Metadata?.['aws:cdk:path'] ?? `${parent.displayName}/${logicalId}`,
      assemblyDir: parent.assemblyDir,
      account: parent.account,
      region: parent.region,
      templateFile: file,
      templateBytes: fs.statSync(file).size,
      template: readJson(file),
      dependencies: [],
      parent: { key: parent.key, logicalId },
    };
    stacks.push(nested);
    addNestedStacks(nested, assemblyDir, assetSources, stacks);
  }
}

/** The nested template of an `AWS::CloudFormation::Stack` resource: by its asset metadata, else by the asset hash in its TemplateURL. */
function nestedTemplateFile(resource: any, assemblyDir: string, assetSources: Map<string, string>): string | undefined {
  const candidates: string[] = [];
  const metadataPath = resource.Metadata?.['aws:asset:path'];
  if (typeof metadataPath === 'string') candidates.push(metadataPath);
  for (const match of JSON.stringify(resource.Properties?.TemplateURL ?? '').matchAll(/([0-9a-f]{64})\.json/g)) {
    const source = assetSources.get(match[1]);
    if (source) candidates.push(source);
  }
  for (const candidate of candidates) {
    const file = path.resolve(assemblyDir, candidate);
    if (fs.existsSync(file) && fs.statSync(file).isFile()) return file;
  }
  return undefined;
}

function parseEnvironment(environment: string | undefined): { account?: string; region?: string } {
  const match = /^aws:\/\/([^/]+)\/(.+)$/.exec(environment ?? '');
  if (!match) return {};
  return {
    account: match[1] === 'unknown-account' ? undefined : match[1],
    region: match[2] === 'unknown-region' ? undefined : match[2],
  };
}

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf-8'));
}

/** The resources of a template, by logical id. */
export function resourcesOf(template: Template): Record<string, any> {
  return (template.Resources ?? {}) as Record<string, any>;
}

/** Every resource of the assembly with its stack. */
export function* allResources(model: AssemblyModel): Generator<{ stack: AssemblyStack; logicalId: string; resource: any }> {
  for (const stack of model.stacks) {
    for (const [logicalId, resource] of Object.entries(resourcesOf(stack.template))) yield { stack, logicalId, resource };
  }
}
