import * as fs from 'fs';
import * as path from 'path';
import { CheckedPlane, NhiFinding } from './finding';
import { GatewayNaming } from '../spec/naming';
import { applyAcknowledgements, PlacedAcknowledgements, readRecords } from './private/acknowledgements';
import { AwsCheckContext, awsAppFindings, awsTemplateFindings } from './private/aws-rules';
import { CfnTemplateJson, pathModel } from './private/cfn-template';
import { toFinding } from './private/to-finding';

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
 * findings.
 */
export class AwsNhiChecker {
  private readonly ownerTagKeys: string[];

  constructor(options: NhiCheckerOptions = {}) {
    this.ownerTagKeys = options.ownerTagKeys
      ?? [GatewayNaming.POLICY_OWNER_TAG, GatewayNaming.OPERATIONS_OWNER_TAG, GatewayNaming.CREDENTIAL_OWNER_TAG];
  }

  /**
   * Findings in a set of templates of one app.
   */
  public checkTemplates(templates: AwsTemplateInput[]): NhiFinding[] {
    const contexts = templates.map((input) => {
      const template = JSON.parse(fs.readFileSync(input.templateFile, 'utf-8')) as CfnTemplateJson & { Metadata?: Record<string, unknown> };
      const context: AwsCheckContext = {
        model: pathModel(template), file: input.templateFile, account: input.account, ownerTagKeys: this.ownerTagKeys,
      };
      return { input, template, context, stackPath: input.stackPath ?? path.basename(input.templateFile).replace(/\.template\.json$/, '') };
    });
    const findings: NhiFinding[] = [];
    const placed: PlacedAcknowledgements[] = [];
    for (const { template, context, stackPath } of contexts) {
      for (const raw of awsTemplateFindings(context)) {
        const location = raw.logicalId ? context.model.pathOf(raw.logicalId) : stackPath;
        findings.push(toFinding(raw.ruleId, location, context.file, raw.message, raw.severity));
      }
      placed.push({ location: stackPath, file: context.file, plane: CheckedPlane.AWS, records: readRecords(template.Metadata) });
      for (const [logicalId, resource] of Object.entries(context.model.resources)) {
        const records = readRecords(resource.Metadata);
        if (records.length > 0) placed.push({ location: context.model.pathOf(logicalId), file: context.file, plane: CheckedPlane.AWS, records });
      }
    }
    for (const raw of awsAppFindings(contexts.map((c) => c.context))) {
      const stackPath = contexts.find((c) => c.context === raw.context)!.stackPath;
      findings.push(toFinding(raw.ruleId, stackPath, raw.context.file, raw.message, raw.severity));
    }
    return applyAcknowledgements(findings, placed);
  }

  /**
   * Findings in every stack of a cloud assembly directory (`cdk.out`).
   */
  public checkCloudAssembly(directory: string): NhiFinding[] {
    const manifest = JSON.parse(fs.readFileSync(path.join(directory, 'manifest.json'), 'utf-8')) as {
      artifacts?: Record<string, { type: string; environment?: string; displayName?: string; properties?: { templateFile?: string } }>;
    };
    const templates = Object.entries(manifest.artifacts ?? {})
      .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile)
      .map(([id, artifact]) => {
        const account = /^aws:\/\/(\d{12})\//.exec(artifact.environment ?? '')?.[1];
        return { templateFile: path.join(directory, artifact.properties!.templateFile!), account, stackPath: artifact.displayName ?? id };
      });
    return this.checkTemplates(templates);
  }
}
