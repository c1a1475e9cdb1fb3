import { NhiSeverity, OwaspNhi } from '../../finding';
import { isUnresolved } from '../../private/unresolved';
import { VAULT_FIXTURES, vaultRule, VaultHit } from '../rule';
import { describe, isReference, TerraformResource } from '../support/vault';

const KV_TYPES = ['vault_generic_secret', 'vault_kv_secret', 'vault_kv_secret_v2'];
const PASSWORD_KEY = /(password|passwd|secret|token|api_?key|private_?key|credential)/i;

/** True when the value is not a literal: an expression, the unresolved marker, or a document holding one. */
function isComputed(value: unknown): boolean {
  if (isUnresolved(value) || isReference(value)) return true;
  if (Array.isArray(value)) return value.some(isComputed);
  if (value && typeof value === 'object') return Object.values(value).some(isComputed);
  return false;
}

/** True when the resource's `lifecycle` ignores changes to `key` (or to everything), so Terraform stops managing its value. */
function ignoresChanges(props: Record<string, unknown>, key: string): boolean {
  // Terraform JSON writes `lifecycle` as an object; HCL read through hcl2json gives a list of blocks.
  const blocks = (Array.isArray(props.lifecycle) ? props.lifecycle : [props.lifecycle]) as Array<Record<string, unknown> | undefined>;
  return blocks.some((block) => {
    const ignored = block?.ignore_changes;
    const names = (Array.isArray(ignored) ? ignored : [ignored]).map((n) => String(n ?? '').replace(/^\$\{|\}$/g, '').trim());
    return names.includes('all') || names.includes(key);
  });
}

/**
 * The keys of a JSON document (a literal object, JSON text, or a `jsonencode({...})` expression), each
 * with whether its value is literal; undefined when the document is opaque (`${var.doc}`, unresolved).
 */
function documentKeys(document: unknown): Array<{ key: string; literal: boolean }> | undefined {
  // The marker keeps the expression as written, so its keys are still readable.
  if (isUnresolved(document)) return documentKeys(document.expression);
  if (document && typeof document === 'object') return Object.entries(document).map(([key, v]) => ({ key, literal: !isComputed(v) }));
  if (typeof document !== 'string') return [];
  try {
    return documentKeys(JSON.parse(document));
  } catch {
    if (!/^\$\{\s*jsonencode\(\s*\{/.test(document)) return isReference(document) ? undefined : [];
    // `${jsonencode({ password = var.db_password, user = "app" })}`: a key followed by a quoted literal, or by an expression.
    return [...document.matchAll(/"?([A-Za-z0-9_-]+)"?\s*[=:]\s*("[^"$]*"|[^,}\s{[]+)/g)].map((m) => ({ key: m[1], literal: m[2].startsWith('"') }));
  }
}

/** The addresses of Secrets Manager secrets the configuration declares: their versions' literal values are the CloudFormation literal rule's. */
function declaredSecrets(resources: TerraformResource[]): Set<string> {
  return new Set(resources.filter((r) => r.type === 'aws_secretsmanager_secret').map((r) => r.address));
}

function secretVersionHits(r: TerraformResource, secrets: Set<string>): VaultHit[] {
  const target = /^\$\{(aws_secretsmanager_secret\.[^.}]+)\.(id|arn)\}$/.exec(String(r.props.secret_id ?? ''));
  const literalJudgedElsewhere = target !== null && secrets.has(target[1]);
  return ['secret_string', 'secret_binary'].flatMap((key) => {
    const value = r.props[key];
    if (value === undefined || value === null || value === '' || ignoresChanges(r.props, key)) return [];
    if (isComputed(value)) return [{ address: r.address, message: `${key} is ${describe(value)}: Terraform writes the secret and keeps it in its state in clear; use ${key}_wo` }];
    return literalJudgedElsewhere ? [] : [{ address: r.address, message: `${key} is written literally, and Terraform keeps it in its state in clear; use ${key}_wo` }];
  });
}

function ssmParameterHits(r: TerraformResource): VaultHit[] {
  const value = r.props.value;
  if (r.props.type !== 'SecureString' || value === undefined || value === null || value === '' || ignoresChanges(r.props, 'value')) return [];
  const how = isComputed(value) ? describe(value) : 'written literally';
  return [{ address: r.address, message: `the SecureString's value is ${how}: Terraform keeps it in its state in clear; use value_wo` }];
}

function kvHits(r: TerraformResource): VaultHit[] {
  const value = r.props.data_json;
  if (value === undefined || value === null || ignoresChanges(r.props, 'data_json')) return [];
  const keys = documentKeys(value);
  if (keys === undefined) return [{ address: r.address, message: `data_json is ${describe(value)}: Terraform writes the secret and keeps it in its state in clear; use data_json_wo` }];
  // Literal values are the KV literal rule's finding.
  const computed = keys.filter((k) => !k.literal).map((k) => k.key);
  return computed.length > 0
    ? [{ address: r.address, message: `data_json writes ${computed.join(', ')} from an expression: Terraform keeps the secret in its state in clear; use data_json_wo` }]
    : [];
}

function endpointHits(r: TerraformResource): VaultHit[] {
  const value = r.props.data_json;
  if (value === undefined || value === null || ignoresChanges(r.props, 'data_json')) return [];
  const keys = (documentKeys(value) ?? []).filter((k) => PASSWORD_KEY.test(k.key));
  const computed = keys.filter((k) => !k.literal).map((k) => k.key);
  // A literal inside an object document is the secret literal rule's finding; one inside JSON text no other rule reads.
  const literal = typeof value === 'string' ? keys.filter((k) => k.literal).map((k) => k.key) : [];
  const parts = [
    ...(computed.length > 0 ? [`writes ${computed.join(', ')} from an expression`] : []),
    ...(literal.length > 0 ? [`writes ${literal.join(', ')} literally`] : []),
  ];
  return parts.length > 0 ? [{ address: r.address, message: `data_json ${parts.join(' and ')}: Terraform keeps it in its state in clear; use data_json_wo` }] : [];
}

export const TfSecretInState = vaultRule({
  id: 'NHI-TF-SECRET-IN-STATE',
  title: 'Terraform writes a secret value, so its state holds it in clear',
  nhi: OwaspNhi.NHI2,
  nist: ['SC-28', 'IA-5(7)'],
  severity: NhiSeverity.HIGH,
  fix: 'write the value through a write-only argument (secret_string_wo, value_wo, data_json_wo) from an ephemeral or sensitive source, or set it outside Terraform and add lifecycle ignore_changes',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => {
    const secrets = declaredSecrets(ctx.resources);
    return ctx.resources.flatMap((r) => {
      if (r.type === 'aws_secretsmanager_secret_version') return secretVersionHits(r, secrets);
      if (r.type === 'aws_ssm_parameter') return ssmParameterHits(r);
      if (KV_TYPES.includes(r.type)) return kvHits(r);
      if (r.type === 'vault_generic_endpoint') return endpointHits(r);
      return [];
    });
  },
});
