import * as fs from 'fs';
import * as path from 'path';
import { InputError, readJsonFile } from './input-error';

/** Construct metadata CDK records per construct path, acknowledgements among it. */
export type MetadataEntries = Record<string, Array<{ type: string; data?: unknown }>>;

/** One stack of a cloud assembly, wherever it is nested. */
export interface AssemblyStack {
  readonly templateFile: string;
  readonly account?: string;
  /** The stack's display name (its construct path), e.g. `Pipeline/Prod/Gateway`. */
  readonly stackPath: string;
  readonly metadata: MetadataEntries;
}

interface AssemblyArtifact {
  readonly type?: string;
  readonly environment?: string;
  readonly displayName?: string;
  readonly properties?: { templateFile?: string; directoryName?: string };
  readonly metadata?: MetadataEntries;
  readonly additionalMetadataFile?: string;
}

// The artifact types of the cloud assembly schema. Anything else is a misspelling or a newer
// schema: refuse it, since a stack under an unknown type would silently go unchecked.
const KNOWN_TYPES = ['aws:cloudformation:stack', 'cdk:asset-manifest', 'cdk:tree', 'cdk:cloud-assembly', 'cdk:feature-flag-report', 'none'];

/** True when a `manifest.json` is a CDK cloud assembly's (it lists artifacts), not CDKTF's (it lists stacks). */
export function isCloudAssemblyManifest(manifest: unknown): boolean {
  return typeof manifest === 'object' && manifest !== null && ('artifacts' in manifest || ('version' in manifest && !('stacks' in manifest)));
}

/**
 * Every stack of a cloud assembly directory (`cdk.out`), following nested assemblies
 * (`cdk:cloud-assembly` artifacts: the Stages of CDK Pipelines). Fails on an unreadable manifest,
 * an artifact type the schema does not define, a missing template, or an assembly with no stack.
 */
export function readCloudAssembly(directory: string): AssemblyStack[] {
  const stacks = readAssembly(directory, new Set());
  if (stacks.length === 0) {
    throw new InputError(path.join(directory, 'manifest.json'), 'lists no CloudFormation stack (no aws:cloudformation:stack artifact, in it or in a nested assembly); synthesize the app first (cdk synth)');
  }
  return stacks;
}

function readAssembly(directory: string, seen: Set<string>): AssemblyStack[] {
  const real = fs.realpathSync(directory);
  if (seen.has(real)) return [];
  seen.add(real);
  const manifestFile = path.join(directory, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new InputError(directory, 'has no manifest.json; give a synthesized cloud assembly (cdk.out)');
  const manifest = readJsonFile(manifestFile, fs.readFileSync(manifestFile, 'utf-8')) as { artifacts?: Record<string, AssemblyArtifact>; stacks?: unknown };
  if (!isCloudAssemblyManifest(manifest)) {
    throw new InputError(manifestFile, 'is a CDKTF manifest (it lists stacks, not artifacts), not a cloud assembly; give the directory as a PATH or with --vault');
  }
  const stacks: AssemblyStack[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (!KNOWN_TYPES.includes(String(artifact.type))) {
      throw new InputError(manifestFile, `artifact "${id}" has type ${JSON.stringify(artifact.type)}, which is not a cloud assembly artifact type (${KNOWN_TYPES.filter((t) => t !== 'none').join(', ')})`);
    }
    if (artifact.type === 'cdk:cloud-assembly') {
      const nested = artifact.properties?.directoryName;
      if (!nested) throw new InputError(manifestFile, `nested assembly "${id}" names no directoryName`);
      stacks.push(...readAssembly(path.join(directory, nested), seen));
    } else if (artifact.type === 'aws:cloudformation:stack') {
      const templateFile = artifact.properties?.templateFile;
      if (!templateFile) throw new InputError(manifestFile, `stack "${id}" names no templateFile`);
      const full = path.join(directory, templateFile);
      if (!fs.existsSync(full)) throw new InputError(full, `is the template of stack "${id}", and it does not exist`);
      stacks.push({
        templateFile: full,
        account: /^aws:\/\/(\d{12})\//.exec(artifact.environment ?? '')?.[1],
        stackPath: artifact.displayName ?? id,
        metadata: { ...(artifact.metadata ?? {}), ...readMetadataFile(directory, artifact.additionalMetadataFile) },
      });
    }
  }
  return stacks;
}

function readMetadataFile(directory: string, file: string | undefined): MetadataEntries {
  if (!file) return {};
  const full = path.join(directory, file);
  return fs.existsSync(full) ? readJsonFile(full, fs.readFileSync(full, 'utf-8')) as MetadataEntries : {};
}
