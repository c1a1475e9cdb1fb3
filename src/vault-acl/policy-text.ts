// Reading policy text is the inverse of VaultPolicyDocument.toHcl: the rule pack and the test
// harnesses read synthesized policies with it. Not part of the package's public API.
import { VaultCapability } from './vault-capability';
import { VaultPolicyRule } from './vault-policy-rule';

/**
 * Reads the path rules of a Vault policy written in HCL or JSON, synchronously (validation
 * plugins and the CLI cannot wait on a WASM parser). It understands what ACL policies contain:
 * `path "<p>" { capabilities = [...] }` blocks, comments, and the JSON form. Tests hold it to
 * HashiCorp's own HCL parser on real policies. Returns undefined when the text is not a policy
 * it can read (for example a reference to a policy document computed at apply time).
 */
export function readPolicyRules(text: string): VaultPolicyRule[] | undefined {
  if (text.includes('${')) return undefined;
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return fromJson(trimmed);
  const uncommented = text.replace(/(^|\s)(#|\/\/)[^\n]*/g, '$1').replace(/\/\*[\s\S]*?\*\//g, '');
  const rules: VaultPolicyRule[] = [];
  const block = /path\s+"((?:[^"\\]|\\.)*)"\s*\{/g;
  let match: RegExpExecArray | null;
  while ((match = block.exec(uncommented)) !== null) {
    const body = bodyAfter(uncommented, block.lastIndex);
    if (body === undefined) return undefined;
    const caps = /capabilities\s*=\s*\[([^\]]*)\]/.exec(body);
    const capabilities = caps ? [...caps[1].matchAll(/"([^"]*)"/g)].map((m) => m[1] as VaultCapability) : [];
    rules.push({ path: JSON.parse(`"${match[1]}"`), capabilities });
  }
  return rules;
}

/** The text between an opening brace (just before `start`) and its matching closing brace. */
function bodyAfter(text: string, start: number): string | undefined {
  let depth = 1;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '{') depth++;
    if (text[i] === '}' && --depth === 0) return text.slice(start, i);
  }
  return undefined;
}

function fromJson(text: string): VaultPolicyRule[] | undefined {
  try {
    const parsed = JSON.parse(text) as { path?: Record<string, { capabilities?: string[] } | Array<{ capabilities?: string[] }>> };
    return Object.entries(parsed.path ?? {}).map(([path, value]) => {
      const block = Array.isArray(value) ? value[0] : value;
      return { path, capabilities: (block?.capabilities ?? []) as VaultCapability[] };
    });
  } catch {
    return undefined;
  }
}
