import * as fs from 'fs';
import * as path from 'path';
import { CheckedPlane, NhiFinding } from '../finding';
import { applyAcknowledgements, CdkAcknowledgement, PlacedAcknowledgements, readRecords } from './acknowledgements';
import { AwsCheckContext, awsAppFindings, awsTemplateFindings } from './aws-rules';
import { CfnTemplateJson, pathModel, TemplateModel } from './cfn-template';
import { toFinding } from './to-finding';

/**
 * The tag keys every identity and secret must carry: only those the user configured. A tagging
 * convention belongs to whoever runs the check; with none configured, owner tags are not judged.
 */
export function ownerTagKeysOf(options: { readonly ownerTagKeys?: string[] }): string[] {
  return options.ownerTagKeys ?? [];
}

/** One template to check, with its account and stack path known. */
export interface AwsCheckTarget {
  readonly templateFile: string;
  readonly account?: string;
  readonly stackPath?: string;
}

/**
 * Every AWS finding of one app: the rules over each template and over the app, with the
 * acknowledgements in the templates applied, and acknowledgements CDK recorded reported as stale.
 * The plugin and the CLI both run exactly this, so they agree on what is open.
 */
export function runAwsChecks(ownerTagKeys: string[], templates: AwsCheckTarget[], cdkAcknowledgements: CdkAcknowledgement[] = []): NhiFinding[] {
  const parsed = templates.map((input) => {
    const template = JSON.parse(fs.readFileSync(input.templateFile, 'utf-8')) as CfnTemplateJson & { Metadata?: Record<string, unknown> };
    return { input, template, model: pathModel(template) };
  });
  // The stacks of one app see each other's exports: a rotation schedule in another stack counts.
  const models = parsed.map((p) => p.model);
  TemplateModel.linkExports(models);
  const contexts = parsed.map(({ input, template, model }) => {
    const context: AwsCheckContext = { model, file: input.templateFile, account: input.account, ownerTagKeys, appModels: models };
    return { template, context, stackPath: input.stackPath ?? path.basename(input.templateFile).replace(/\.template\.json$/, '') };
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
    const location = raw.logicalId ? raw.context.model.pathOf(raw.logicalId) : contexts.find((c) => c.context === raw.context)!.stackPath;
    findings.push(toFinding(raw.ruleId, location, raw.context.file, raw.message, raw.severity));
  }
  return applyAcknowledgements(findings, placed, cdkAcknowledgements);
}

/** The template of the stack a construct is in: the stack whose path is the longest prefix of the construct's. */
export function templateOfConstruct(constructPath: string, templates: AwsCheckTarget[]): string | undefined {
  const path0 = constructPath.replace(/^\//, '');
  return templates
    .filter((t) => t.stackPath !== undefined && (path0 === t.stackPath || path0.startsWith(`${t.stackPath}/`)))
    .sort((a, b) => b.stackPath!.length - a.stackPath!.length)[0]?.templateFile;
}
