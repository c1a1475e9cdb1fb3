import * as fs from 'fs';
import * as path from 'path';
import { AwsOutput, readAwsOutput } from './aws-output';
import { GuardrailDocument, guardrailsInTemplates, isGuardrailDirectory, readGuardrailDirectory } from './guardrail-documents';
import { readVaultOutput, VaultOutput } from './vault-output';
import { isCloudAssemblyManifest } from '../../nhi/inputs/cloud-assembly';
import { InputError, readJsonFile } from '../../nhi/inputs/input-error';

/** Everything the review reads: cloud assemblies, CDKTF outputs and guardrail documents. */
export interface ReviewInputs {
  readonly aws: AwsOutput[];
  readonly vault: VaultOutput[];
  readonly guardrails: GuardrailDocument[];
  /** One line per path read, saying what it was. */
  readonly summaries: string[];
}

type Kind = 'cloud assembly' | 'CDKTF output' | 'guardrail documents';

function kindOf(directory: string): Kind | undefined {
  const manifest = path.join(directory, 'manifest.json');
  if (fs.existsSync(manifest)) {
    const body = readJsonFile(manifest, fs.readFileSync(manifest, 'utf-8'));
    if (isCloudAssemblyManifest(body)) return 'cloud assembly';
    if (body && typeof body === 'object' && 'stacks' in body) return 'CDKTF output';
    return undefined;
  }
  return isGuardrailDirectory(directory) ? 'guardrail documents' : undefined;
}

/**
 * Which kind each path is: a directory that is a cloud assembly, a CDKTF output or a directory of
 * guardrail documents, or a directory holding such directories (`out/` with `aws/`, `vault/` and
 * `guardrails/`). Anything else is refused, naming the path: a review of nothing is no review.
 */
export function classifyPaths(paths: string[]): Array<{ path: string; kind: Kind }> {
  const found: Array<{ path: string; kind: Kind }> = [];
  for (const given of paths) {
    if (!fs.existsSync(given)) throw new InputError(given, 'does not exist');
    if (!fs.statSync(given).isDirectory()) {
      throw new InputError(given, 'is a file; the access review reads directories: a cloud assembly (cdk.out), a CDKTF output (cdktf.out) or a directory of guardrail documents');
    }
    const kind = kindOf(given);
    if (kind) {
      found.push({ path: given, kind });
      continue;
    }
    const children = fs.readdirSync(given).map((c) => path.join(given, c)).filter((c) => fs.statSync(c).isDirectory()).sort()
      .map((c) => ({ path: c, kind: kindOf(c) })).filter((c): c is { path: string; kind: Kind } => c.kind !== undefined);
    if (children.length === 0) {
      throw new InputError(given, 'is neither a cloud assembly, a CDKTF output nor a directory of guardrail documents, and holds none of them');
    }
    found.push(...children);
  }
  return found;
}

/** Reads every path given (see `classifyPaths`). Throws `InputError` naming the file and the reason. */
export function readReviewInputs(paths: string[]): ReviewInputs {
  const classified = classifyPaths(paths);
  const aws: AwsOutput[] = [];
  const vault: VaultOutput[] = [];
  const guardrails: GuardrailDocument[] = [];
  const summaries: string[] = [];
  for (const { path: p, kind } of classified) {
    if (kind === 'cloud assembly') {
      const output = readAwsOutput(p);
      aws.push(output);
      summaries.push(`${p} (cloud assembly): ${output.templates.length} template${output.templates.length === 1 ? '' : 's'}`);
    } else if (kind === 'CDKTF output') {
      const output = readVaultOutput(p);
      vault.push(output);
      summaries.push(`${p} (CDKTF output): ${output.stacks.length} stack${output.stacks.length === 1 ? '' : 's'}`);
    } else {
      const documents = readGuardrailDirectory(p);
      guardrails.push(...documents);
      summaries.push(`${p} (guardrail documents): ${documents.length} polic${documents.length === 1 ? 'y' : 'ies'}`);
    }
  }
  // Organization policies a cloud assembly deploys are the same documents; each is kept once, by name.
  const names = new Set(guardrails.map((g) => g.name));
  for (const document of aws.flatMap((a) => guardrailsInTemplates(a.templates))) {
    if (!names.has(document.name)) guardrails.push(document);
    names.add(document.name);
  }
  if (aws.length === 0 && vault.length === 0) {
    throw new InputError(paths.join(', '), 'holds no cloud assembly and no CDKTF output; the access review needs the synthesized gateway (cdk.out and/or cdktf.out)');
  }
  return { aws, vault, guardrails, summaries };
}
