import * as fs from 'fs';

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The line (1-based) where a finding's resource is declared in its source file, when it can be
 * found: HCL's `resource "<type>" "<name>"` block (HashiCorp's parser gives no lines), a
 * Terraform JSON resource name, or a CloudFormation logical id key (JSON or YAML).
 */
export function declarationLine(text: string, file: string, location: string): number | undefined {
  let pattern: RegExp | undefined;
  if (file.endsWith('.tf')) {
    const parts = location.split('.');
    const data = parts.length >= 3 && parts[parts.length - 3] === 'data';
    if (parts.length < 2) return undefined;
    const [type, name] = parts.slice(-2);
    pattern = new RegExp(`^\\s*${data ? 'data' : 'resource'}\\s+"?${escape(type)}"?\\s+"?${escape(name)}"?\\s*\\{`, 'm');
  } else if (/\.json$/.test(file)) {
    const key = file.endsWith('.tf.json') ? location.split('.').pop()! : location;
    pattern = new RegExp(`"${escape(key)}"\\s*:\\s*\\{`);
  } else if (/\.(ya?ml|template)$/.test(file)) {
    pattern = new RegExp(`^[ \\t]+${escape(location)}:[ \\t]*(#.*)?$`, 'm');
  }
  const match = pattern?.exec(text);
  return match ? text.slice(0, match.index + match[0].search(/\S/)).split('\n').length : undefined;
}

/** A SARIF log with `region.startLine` on each result whose resource is found in its file. */
export function withLineRegions(sarif: string): string {
  const log = JSON.parse(sarif) as { runs: Array<{ results: Array<{ locations?: Array<Record<string, any>> }> }> };
  const texts = new Map<string, string | undefined>();
  const textOf = (file: string) => {
    if (!texts.has(file)) texts.set(file, fs.existsSync(file) && fs.statSync(file).isFile() ? fs.readFileSync(file, 'utf-8') : undefined);
    return texts.get(file);
  };
  for (const result of log.runs.flatMap((r) => r.results)) {
    for (const location of result.locations ?? []) {
      const file = location.physicalLocation?.artifactLocation?.uri;
      const name = location.logicalLocations?.[0]?.fullyQualifiedName;
      const text = typeof file === 'string' ? textOf(file) : undefined;
      const line = text !== undefined && typeof name === 'string' ? declarationLine(text, file, name) : undefined;
      if (line !== undefined) location.physicalLocation.region = { startLine: line };
    }
  }
  return `${JSON.stringify(log, undefined, 2)}\n`;
}
