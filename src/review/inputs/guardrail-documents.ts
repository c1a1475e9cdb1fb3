import * as fs from 'fs';
import * as path from 'path';
import { ReviewTemplate } from './aws-output';
import { InputError, readJsonFile } from '../../nhi/inputs/input-error';
import { PolicyDocumentJson } from '../../nhi/private/cfn-template';

/** One organization policy: a service control policy (binds principals) or a resource control policy (binds resources). */
export interface GuardrailDocument {
  readonly name: string;
  readonly type: 'SCP' | 'RCP';
  readonly document: PolicyDocumentJson;
  /** The file it was read from, or `<template>#<logical id>` for an `AWS::Organizations::Policy`. */
  readonly source: string;
  /**
   * The accounts, OUs or roots it is attached to, when the output says.
   * @default - not said: it is read as attached to the gateway's accounts
   */
  readonly targetIds?: string[];
}

function isPolicyDocument(value: unknown): value is PolicyDocumentJson {
  return !!value && typeof value === 'object' && Array.isArray((value as { Statement?: unknown }).Statement);
}

/** RCPs name a principal in every statement (always `*`); SCPs never do. */
function typeOf(file: string, document: PolicyDocumentJson): 'SCP' | 'RCP' {
  const base = path.basename(file).toLowerCase();
  if (/(^|[-_.])rcp([-_.]|$)/.test(base)) return 'RCP';
  if (/(^|[-_.])scp([-_.]|$)/.test(base)) return 'SCP';
  return document.Statement.some((s) => s.Principal !== undefined) ? 'RCP' : 'SCP';
}

/** True when a directory holds JSON policy documents and nothing that is a synthesized output. */
export function isGuardrailDirectory(directory: string): boolean {
  if (fs.existsSync(path.join(directory, 'manifest.json'))) return false;
  const files = fs.readdirSync(directory).filter((f) => f.endsWith('.json'));
  return files.length > 0 && files.every((f) => {
    try {
      return isPolicyDocument(JSON.parse(fs.readFileSync(path.join(directory, f), 'utf-8')));
    } catch {
      return false;
    }
  });
}

/** The SCP and RCP documents of a directory (`GatewayGuardrails.writeDocuments`, or policies kept elsewhere). */
export function readGuardrailDirectory(directory: string): GuardrailDocument[] {
  const files = fs.readdirSync(directory).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) throw new InputError(directory, 'holds no JSON policy document; give the directory GatewayGuardrails.writeDocuments wrote');
  return files.map((f) => {
    const file = path.join(directory, f);
    const document = readJsonFile(file, fs.readFileSync(file, 'utf-8'));
    if (!isPolicyDocument(document)) throw new InputError(file, 'is not an IAM policy document (it has no Statement list); give SCP or RCP documents');
    return { name: f.replace(/\.json$/, ''), type: typeOf(f, document), document, source: file };
  });
}

/** The organization policies a cloud assembly deploys (`AWS::Organizations::Policy`). */
export function guardrailsInTemplates(templates: ReviewTemplate[]): GuardrailDocument[] {
  const found: GuardrailDocument[] = [];
  for (const t of templates) {
    for (const [logicalId, resource] of t.model.ofType('AWS::Organizations::Policy')) {
      const props = (t.model.resolve(resource.Properties ?? {}) ?? {}) as Record<string, unknown>;
      const type = props.Type === 'SERVICE_CONTROL_POLICY' ? 'SCP' : props.Type === 'RESOURCE_CONTROL_POLICY' ? 'RCP' : undefined;
      if (!type) continue;
      let content = props.Content;
      if (typeof content === 'string') {
        try {
          content = JSON.parse(content);
        } catch {
          throw new InputError(t.file, `organization policy ${logicalId} has Content that is not JSON`);
        }
      }
      if (!isPolicyDocument(content)) continue;
      const targets = Array.isArray(props.TargetIds) ? props.TargetIds.map(String) : undefined;
      found.push({ name: String(props.Name ?? logicalId), type, document: content, source: `${t.file}#${logicalId}`, targetIds: targets });
    }
  }
  return found;
}
