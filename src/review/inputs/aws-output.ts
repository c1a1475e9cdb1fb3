import * as fs from 'fs';
import * as path from 'path';
import { ConcreteRenderer, partitionOfRegion, StackEnvironment } from './concrete-renderer';
import { AssemblyStack, MetadataEntries, readCloudAssembly } from '../../nhi/inputs/cloud-assembly';
import { InputError, readJsonFile } from '../../nhi/inputs/input-error';
import { CfnTemplateJson, TemplateModel } from '../../nhi/private/cfn-template';

/** One template of a cloud assembly, top-level or nested, ready to be read with concrete values. */
export interface ReviewTemplate {
  readonly file: string;
  readonly env: StackEnvironment;
  readonly template: CfnTemplateJson;
  readonly model: TemplateModel;
  readonly renderer: ConcreteRenderer;
  /** The assembly directory the template's assets are in. */
  readonly assemblyDirectory: string;
  /** CDK's metadata of the stack (acknowledgements among it); empty for nested templates, whose metadata their parent's stack holds. */
  readonly metadata: MetadataEntries;
  /** The template file of the stack this one is nested in. */
  readonly parentFile?: string;
}

/** What a cloud assembly holds, as the review reads it. */
export interface AwsOutput {
  readonly directory: string;
  readonly templates: ReviewTemplate[];
  /** The stacks, for the rule pack. */
  readonly stacks: AssemblyStack[];
  /** The roles CloudFormation deploys with and that start deployments (`cloudFormationExecutionRoleArn`, `assumeRoleArn`). */
  readonly deploymentRoleArns: string[];
}

interface ManifestArtifact {
  readonly type?: string;
  readonly environment?: string;
  readonly displayName?: string;
  readonly properties?: {
    templateFile?: string;
    directoryName?: string;
    stackName?: string;
    assumeRoleArn?: string;
    cloudFormationExecutionRoleArn?: string;
  };
}

interface StackFacts {
  readonly templateFile: string;
  readonly directory: string;
  readonly env: StackEnvironment;
  readonly deploymentRoles: string[];
}

function stackFacts(directory: string, seen: Set<string>): StackFacts[] {
  const real = fs.realpathSync(directory);
  if (seen.has(real)) return [];
  seen.add(real);
  const manifestFile = path.join(directory, 'manifest.json');
  const manifest = readJsonFile(manifestFile, fs.readFileSync(manifestFile, 'utf-8')) as { artifacts?: Record<string, ManifestArtifact> };
  const facts: StackFacts[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      facts.push(...stackFacts(path.join(directory, artifact.properties.directoryName), seen));
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) continue;
    const [, account, region] = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment ?? '') ?? [];
    const known = (value: string | undefined, fallback: string) => (value && !value.startsWith('unknown-') ? value : fallback);
    const env: StackEnvironment = {
      account: known(account, '${AWS::AccountId}'),
      region: known(region, '${AWS::Region}'),
      partition: partitionOfRegion(known(region, 'us-east-1')),
      stackName: artifact.properties.stackName ?? id,
    };
    const resolvePseudo = (arn: string) => arn.replace(/\$\{AWS::Partition\}/g, env.partition).replace(/\$\{AWS::AccountId\}/g, env.account).replace(/\$\{AWS::Region\}/g, env.region);
    facts.push({
      templateFile: path.join(directory, artifact.properties.templateFile),
      directory,
      env,
      deploymentRoles: [artifact.properties.cloudFormationExecutionRoleArn, artifact.properties.assumeRoleArn]
        .filter((a): a is string => typeof a === 'string').map(resolvePseudo),
    });
  }
  return facts;
}

/** Every template of a cloud assembly: its stacks, the stacks of nested assemblies, and nested stacks. */
export function readAwsOutput(directory: string): AwsOutput {
  const stacks = readCloudAssembly(directory);
  const facts = stackFacts(directory, new Set());
  const metadataOf = new Map(stacks.map((s) => [path.resolve(s.templateFile), s.metadata]));
  const templates: ReviewTemplate[] = [];
  for (const fact of facts) {
    const template = readJsonFile(fact.templateFile, fs.readFileSync(fact.templateFile, 'utf-8')) as CfnTemplateJson;
    const renderer = new ConcreteRenderer(fact.env);
    templates.push({
      file: fact.templateFile,
      env: fact.env,
      template,
      model: new TemplateModel(template, renderer),
      renderer,
      assemblyDirectory: fact.directory,
      metadata: metadataOf.get(path.resolve(fact.templateFile)) ?? {},
    });
  }
  TemplateModel.linkExports(templates.map((t) => t.model));
  // Nested stacks read their parameters from their parent, so parents are linked first.
  for (let i = 0; i < templates.length; i++) templates.push(...nestedTemplates(templates[i]));
  TemplateModel.linkExports(templates.map((t) => t.model));
  return {
    directory,
    templates,
    stacks,
    deploymentRoleArns: [...new Set(facts.flatMap((f) => f.deploymentRoles))],
  };
}

/**
 * The nested stacks of a template (`AWS::CloudFormation::Stack` whose template CDK wrote into the
 * assembly, `aws:asset:path`), each with the parameters its parent passes set as its defaults,
 * and its outputs readable from the parent (`Fn::GetAtt [Stack, Outputs.X]`).
 */
function nestedTemplates(parent: ReviewTemplate): ReviewTemplate[] {
  const found: ReviewTemplate[] = [];
  for (const [logicalId, resource] of parent.model.ofType('AWS::CloudFormation::Stack')) {
    const assetPath = resource.Metadata?.['aws:asset:path'];
    if (typeof assetPath !== 'string') continue;
    const file = path.join(parent.assemblyDirectory, assetPath);
    if (!fs.existsSync(file)) throw new InputError(file, `is the template of nested stack ${logicalId} of ${parent.file}, and it does not exist`);
    const written = readJsonFile(file, fs.readFileSync(file, 'utf-8')) as CfnTemplateJson;
    const passed = (parent.model.resolve(resource.Properties?.Parameters ?? {}) ?? {}) as Record<string, unknown>;
    const parameters: Record<string, unknown> = { ...(written.Parameters ?? {}) };
    for (const [name, value] of Object.entries(passed)) {
      if (typeof value === 'string') parameters[name] = { ...(parameters[name] as object ?? {}), Type: 'String', Default: value };
    }
    const template: CfnTemplateJson = { ...written, Parameters: parameters };
    const env = { ...parent.env, stackName: `${parent.env.stackName}-${logicalId}` };
    const renderer = new ConcreteRenderer(env);
    const model = new TemplateModel(template, renderer);
    parent.renderer.nested.set(logicalId, { model, template });
    found.push({ file, env, template, model, renderer, assemblyDirectory: parent.assemblyDirectory, metadata: {}, parentFile: parent.file });
  }
  return found;
}
