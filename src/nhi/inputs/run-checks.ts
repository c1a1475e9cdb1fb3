import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CheckedPlane, NhiFinding } from '../finding';
import { AssemblyStack } from './cloud-assembly';
import { TerraformSource } from './terraform-config';
import { applyAcknowledgements, cdkAcknowledgementsIn, PlacedAcknowledgements, readRecords } from '../private/acknowledgements';
import { runAwsChecks } from '../private/aws-check';
import { CfnTemplateJson } from '../private/cfn-template';
import { toFinding } from '../private/to-finding';
import { vaultFindings } from '../private/vault-rules';

/** A CloudFormation template to check: read from its file, or built from another source. */
export interface TemplateToCheck {
  /** The file findings name: the template, or the Terraform file a resource is declared in. */
  readonly file: string;
  readonly stackPath: string;
  readonly account?: string;
  /** The template itself, when it is not the JSON of `file` (YAML, Terraform). */
  readonly template?: CfnTemplateJson;
  /** The file each resource path is declared in, when it is not `file`. */
  readonly fileOfPath?: Map<string, string>;
}

/** The AWS rules over the stacks of a cloud assembly, CDK's acknowledgements included. */
export function checkAssemblyStacks(ownerTagKeys: string[], stacks: AssemblyStack[]): NhiFinding[] {
  const templates = stacks.map((s) => ({ templateFile: s.templateFile, account: s.account, stackPath: s.stackPath }));
  const cdkAcknowledgements = stacks.flatMap((stack) =>
    Object.entries(stack.metadata).flatMap(([constructPath, entries]) => cdkAcknowledgementsIn(constructPath, stack.templateFile, entries)));
  return runAwsChecks(ownerTagKeys, templates, cdkAcknowledgements);
}

/**
 * The AWS rules over templates given together (so they form one app). A template that is not a
 * JSON file of its own is written to a scratch file for the rules to read, and every finding is
 * then put back on its source file.
 */
export function checkTemplates(ownerTagKeys: string[], templates: TemplateToCheck[]): NhiFinding[] {
  const scratch = templates.some((t) => t.template) ? fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-check-')) : undefined;
  try {
    const sourceOf = new Map<string, TemplateToCheck>();
    const targets = templates.map((t, i) => {
      if (!t.template) return { templateFile: t.file, account: t.account, stackPath: t.stackPath };
      const templateFile = path.join(scratch!, `${i}.template.json`);
      fs.writeFileSync(templateFile, JSON.stringify(t.template));
      sourceOf.set(templateFile, t);
      return { templateFile, account: t.account, stackPath: t.stackPath };
    });
    return runAwsChecks(ownerTagKeys, targets).map((finding) => {
      const source = sourceOf.get(finding.file);
      if (!source) return finding;
      return { ...finding, file: source.fileOfPath?.get(finding.location) ?? source.file };
    });
  } finally {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Resource addresses (`type.name`, `data.type.name`, with an index) in a message. */
const ADDRESS_IN_TEXT = /\b(?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+(?:\[(?:"[^"]*"|\d+)\])?/g;

/**
 * A message with the resources it names (`attached to <role>`) at their addresses as the
 * configuration writes them (`module.secrets.vault_kubernetes_auth_backend_role.eso`), not as the
 * rules see modules merged into one configuration.
 */
function addressesAsWritten(message: string, addressOf: Map<string, string>): string {
  return message.replace(ADDRESS_IN_TEXT, (address) => addressOf.get(address) ?? address);
}

/** The Vault rules over one Terraform configuration, with the acknowledgements it records. */
export function checkTerraformSource(source: TerraformSource): NhiFinding[] {
  const { config, name } = source;
  const file = source.files[0];
  const where = (address: string | undefined) => ({
    location: address ? source.addressOf.get(address) ?? address : name,
    file: (address && source.fileOf.get(address)) ?? file,
  });
  const findings = vaultFindings(config).map((raw) => {
    const at = where(raw.address);
    return toFinding(raw.ruleId, at.location, at.file, addressesAsWritten(raw.message, source.addressOf), raw.severity);
  });
  const placed: PlacedAcknowledgements[] = [{ location: name, file, plane: CheckedPlane.VAULT, records: readRecords(config['//']) }];
  for (const [type, byName] of Object.entries(config.resource ?? {})) {
    for (const [resourceName, props] of Object.entries(byName)) {
      const records = readRecords(props['//']);
      if (records.length > 0) placed.push({ ...where(`${type}.${resourceName}`), plane: CheckedPlane.VAULT, records });
    }
  }
  return applyAcknowledgements(findings, placed);
}
