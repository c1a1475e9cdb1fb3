import { NhiFinding, NhiSeverity } from './finding';
import { NhiRules } from './rules';

const ORDER = [NhiSeverity.CRITICAL, NhiSeverity.HIGH, NhiSeverity.MEDIUM, NhiSeverity.LOW];
const SARIF_LEVEL: Record<NhiSeverity, string> = {
  [NhiSeverity.CRITICAL]: 'error',
  [NhiSeverity.HIGH]: 'error',
  [NhiSeverity.MEDIUM]: 'warning',
  [NhiSeverity.LOW]: 'note',
};

function sorted(findings: NhiFinding[]): NhiFinding[] {
  return [...findings].sort((a, b) => ORDER.indexOf(a.severity) - ORDER.indexOf(b.severity)
    || a.ruleId.localeCompare(b.ruleId) || a.location.localeCompare(b.location));
}

/**
 * Renders NHI findings for people (text), for pipelines (JSON) and for code-scanning tools
 * (SARIF 2.1.0).
 */
export class NhiReport {
  /**
   * A readable report: open findings by severity, then acknowledged ones with their reasons.
   */
  public static toText(findings: NhiFinding[]): string {
    const open = sorted(findings.filter((f) => !f.acknowledged));
    const acknowledged = sorted(findings.filter((f) => f.acknowledged));
    const lines: string[] = [];
    lines.push(open.length === 0
      ? `No open NHI findings (${acknowledged.length} acknowledged).`
      : `${open.length} open NHI finding${open.length === 1 ? '' : 's'} (${acknowledged.length} acknowledged):`);
    for (const f of open) {
      lines.push(`  ${f.severity.toUpperCase().padEnd(8)} ${f.ruleId}  ${f.location}`, `           ${f.message}`, `           fix: ${f.fix}  [${f.nhi}]`);
    }
    if (acknowledged.length > 0) {
      lines.push('Acknowledged:');
      for (const f of acknowledged) lines.push(`  ${f.ruleId}  ${f.location}`, `           ${f.acknowledgementReason}`);
    }
    return lines.join('\n');
  }

  /**
   * Every finding as JSON.
   */
  public static toJson(findings: NhiFinding[]): string {
    const open = findings.filter((f) => !f.acknowledged).length;
    return `${JSON.stringify({ open, acknowledged: findings.length - open, findings: sorted(findings) }, undefined, 2)}\n`;
  }

  /**
   * The findings as a SARIF 2.1.0 log; acknowledged findings carry a suppression with its reason.
   */
  public static toSarif(findings: NhiFinding[]): string {
    const rules = NhiRules.all();
    const log = {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [{
        tool: {
          driver: {
            name: 'gateward-nhi',
            informationUri: 'https://github.com/gateward/gateward',
            rules: rules.map((rule) => ({
              id: rule.id,
              name: rule.id.toLowerCase().replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()),
              shortDescription: { text: rule.title },
              help: { text: rule.fix },
              properties: { tags: [rule.nhi, ...rule.nist.map((c) => `NIST-800-53:${c}`)], severity: rule.severity },
              defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
            })),
          },
        },
        results: sorted(findings).map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: rules.findIndex((r) => r.id === f.ruleId),
          level: SARIF_LEVEL[f.severity],
          message: { text: `${f.location} ${f.message}` },
          locations: [{
            physicalLocation: { artifactLocation: { uri: f.file } },
            logicalLocations: [{ fullyQualifiedName: f.location }],
          }],
          ...(f.acknowledged ? { suppressions: [{ kind: 'inSource', justification: f.acknowledgementReason }] } : {}),
        })),
      }],
    };
    return `${JSON.stringify(log, undefined, 2)}\n`;
  }

  private constructor() {}
}
