import { NhiFinding, NhiSeverity } from './finding';
import { SEVERITY_ORDER } from './private/severity-order';
import { NhiRules } from './rules';

const SARIF_LEVEL: Record<NhiSeverity, string> = {
  [NhiSeverity.CRITICAL]: 'error',
  [NhiSeverity.HIGH]: 'error',
  [NhiSeverity.MEDIUM]: 'warning',
  [NhiSeverity.LOW]: 'note',
  [NhiSeverity.INFO]: 'note',
};

function sorted(findings: NhiFinding[]): NhiFinding[] {
  return [...findings].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity)
    || a.ruleId.localeCompare(b.ruleId) || a.location.localeCompare(b.location));
}

const isNote = (f: NhiFinding) => !f.acknowledged && f.severity === NhiSeverity.INFO;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Renders NHI findings for people (text), for pipelines (JSON) and for code-scanning tools
 * (SARIF 2.1.0).
 */
export class NhiReport {
  /**
   * The findings that fail a check: not acknowledged, and not informational. The CDK plugin
   * fails synthesis on these, and `gateward check` exits 1 on them.
   */
  public static openFindings(findings: NhiFinding[]): NhiFinding[] {
    return findings.filter((f) => !f.acknowledged && f.severity !== NhiSeverity.INFO);
  }

  /**
   * A readable report: open findings by severity, then notes (informational findings, which
   * fail nothing), then acknowledged findings with their reasons.
   */
  public static toText(findings: NhiFinding[]): string {
    const open = sorted(NhiReport.openFindings(findings));
    const notes = sorted(findings.filter(isNote));
    const acknowledged = sorted(findings.filter((f) => f.acknowledged));
    const counts = `${acknowledged.length} acknowledged${notes.length > 0 ? `, ${plural(notes.length, 'note')}` : ''}`;
    const lines: string[] = [];
    lines.push(open.length === 0
      ? `No open NHI findings (${counts}).`
      : `${plural(open.length, 'open NHI finding')} (${counts}):`);
    for (const f of open) {
      lines.push(`  ${f.severity.toUpperCase().padEnd(8)} ${f.ruleId}  ${f.location}`, `           ${f.message}`, `           fix: ${f.fix}  [${f.nhi}]`);
    }
    if (notes.length > 0) {
      lines.push('Notes (context, not NHI problems; they fail nothing):');
      for (const f of notes) lines.push(`  NOTE     ${f.ruleId}  ${f.location}`, `           ${f.message}`, `           ${f.fix}`);
    }
    if (acknowledged.length > 0) {
      lines.push('Acknowledged:');
      for (const f of acknowledged) lines.push(`  ${f.ruleId}  ${f.location}`, `           ${f.acknowledgementReason}`);
    }
    return lines.join('\n');
  }

  /**
   * Every finding as JSON, with the number open (failing), of notes, and acknowledged.
   */
  public static toJson(findings: NhiFinding[]): string {
    const open = NhiReport.openFindings(findings).length;
    const notes = findings.filter(isNote).length;
    const acknowledged = findings.filter((f) => f.acknowledged).length;
    return `${JSON.stringify({ open, notes, acknowledged, findings: sorted(findings) }, undefined, 2)}\n`;
  }

  /**
   * The findings as a SARIF 2.1.0 log; acknowledged findings carry a suppression with its reason,
   * informational findings are at level `note`.
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
