import * as fs from 'fs';
import * as path from 'path';
import { NhiFinding } from './finding';
import { cdkAcknowledgementsIn } from './private/acknowledgements';
import { ownerTagKeysOf, runAwsChecks } from './private/aws-check';

/**
 * One synthesized CloudFormation template to check.
 */
export interface AwsTemplateInput {
  /** The template file. */
  readonly templateFile: string;

  /**
   * The account the stack deploys to, to tell cross-account trust from same-account trust.
   *
   * @default - unknown: cross-account trust is not judged
   */
  readonly account?: string;

  /**
   * The stack's construct path, where findings about the whole stack are reported.
   *
   * @default - the template file's base name without `.template.json`
   */
  readonly stackPath?: string;
}

/**
 * Options of the NHI checks.
 */
export interface NhiCheckerOptions {
  /**
   * The tag keys every owned resource must carry.
   *
   * @default - the gateway's owner tags: `gateward:owner:policy`, `gateward:owner:operations`, `gateward:owner:credential-lifecycle`
   */
  readonly ownerTagKeys?: string[];
}

/**
 * The NHI rule pack over the CloudFormation templates of any CDK app: each role is judged with
 * everything that grants it permissions, trust policies and resources too. Acknowledgements
 * written with `NhiAcknowledgements.acknowledge` are honoured per resource; stale ones are
 * findings, and so are CDK's `Validations.of(x).acknowledge` of gateward rules in a cloud
 * assembly (CDK would apply those to every resource of the app).
 */
export class AwsNhiChecker {
  private readonly ownerTagKeys: string[];

  constructor(options: NhiCheckerOptions = {}) {
    this.ownerTagKeys = ownerTagKeysOf(options);
  }

  /**
   * Findings in a set of templates of one app.
   */
  public checkTemplates(templates: AwsTemplateInput[]): NhiFinding[] {
    return runAwsChecks(this.ownerTagKeys, templates);
  }

  /**
   * Findings in every stack of a cloud assembly directory (`cdk.out`).
   */
  public checkCloudAssembly(directory: string): NhiFinding[] {
    const manifest = JSON.parse(fs.readFileSync(path.join(directory, 'manifest.json'), 'utf-8')) as {
      artifacts?: Record<string, AssemblyArtifact>;
    };
    const stacks = Object.entries(manifest.artifacts ?? {})
      .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile);
    const templates = stacks.map(([id, artifact]) => {
      const account = /^aws:\/\/(\d{12})\//.exec(artifact.environment ?? '')?.[1];
      return { templateFile: path.join(directory, artifact.properties!.templateFile!), account, stackPath: artifact.displayName ?? id };
    });
    // CDK writes construct metadata, acknowledgements among it, into the manifest or a file next to it.
    const cdkAcknowledgements = stacks.flatMap(([, artifact], i) => {
      const metadata = { ...(artifact.metadata ?? {}), ...readMetadataFile(directory, artifact.additionalMetadataFile) };
      return Object.entries(metadata).flatMap(([constructPath, entries]) => cdkAcknowledgementsIn(constructPath, templates[i].templateFile, entries));
    });
    return runAwsChecks(this.ownerTagKeys, templates, cdkAcknowledgements);
  }
}

type MetadataEntries = Record<string, Array<{ type: string; data?: unknown }>>;

interface AssemblyArtifact {
  readonly type: string;
  readonly environment?: string;
  readonly displayName?: string;
  readonly properties?: { templateFile?: string };
  readonly metadata?: MetadataEntries;
  readonly additionalMetadataFile?: string;
}

function readMetadataFile(directory: string, file: string | undefined): MetadataEntries {
  if (!file) return {};
  const full = path.join(directory, file);
  return fs.existsSync(full) ? JSON.parse(fs.readFileSync(full, 'utf-8')) as MetadataEntries : {};
}
