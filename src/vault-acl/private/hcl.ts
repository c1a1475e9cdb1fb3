import { VaultCapability } from '../vault-capability';
import { VaultPolicyRule } from '../vault-policy-rule';

/** Capabilities in the order Vault documents them; HCL lists them in this order. */
const CAPABILITY_ORDER = Object.values(VaultCapability);

function hclString(value: string): string {
  return JSON.stringify(value);
}

function hclList(values: string[]): string {
  return `[${values.map(hclString).join(', ')}]`;
}

function hclMap(map: Record<string, string[]>): string {
  const keys = Object.keys(map).sort();
  return `{\n${keys.map((k) => `    ${hclString(k)} = ${hclList([...map[k]].sort())}`).join('\n')}\n  }`;
}

/**
 * Rules (already in the order they are to appear) as policy HCL. The same rules always give the
 * same text (capabilities in Vault's order, parameters sorted), so plans show no spurious changes.
 */
export function rulesToHcl(rules: VaultPolicyRule[]): string {
  const blocks = rules.map((rule) => {
    const lines: string[] = [];
    if (rule.description) lines.push(`# ${rule.description.replace(/\s+/g, ' ')}`);
    lines.push(`path ${hclString(rule.path)} {`);
    const caps = CAPABILITY_ORDER.filter((c) => rule.capabilities.includes(c));
    lines.push(`  capabilities = ${hclList(caps)}`);
    if (rule.allowedParameters) lines.push(`  allowed_parameters = ${hclMap(rule.allowedParameters)}`);
    if (rule.deniedParameters) lines.push(`  denied_parameters = ${hclMap(rule.deniedParameters)}`);
    if (rule.requiredParameters) lines.push(`  required_parameters = ${hclList([...rule.requiredParameters].sort())}`);
    if (rule.minWrappingTtl !== undefined) lines.push(`  min_wrapping_ttl = ${rule.minWrappingTtl}`);
    if (rule.maxWrappingTtl !== undefined) lines.push(`  max_wrapping_ttl = ${rule.maxWrappingTtl}`);
    lines.push('}');
    return lines.join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}
