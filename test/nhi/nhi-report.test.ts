import { CheckedPlane, NhiFinding, NhiReport, NhiRules, NhiSeverity } from '../../src';

/** A finding of a real rule, with the severity and acknowledgement the case needs. */
function finding(ruleId: string, location: string, severity: NhiSeverity, acknowledged = false): NhiFinding {
  const rule = NhiRules.byId(ruleId);
  return {
    ruleId,
    title: rule.title,
    nhi: rule.nhi,
    nist: rule.nist,
    severity,
    plane: CheckedPlane.AWS,
    location,
    file: 'App.template.json',
    message: `message of ${ruleId}`,
    fix: rule.fix,
    acknowledged,
    ...(acknowledged ? { acknowledgementReason: 'reviewed by the platform team (SEC-42)' } : {}),
  };
}

const open = finding('NHI-IAM-WILDCARD-ACTION', 'App/Role', NhiSeverity.HIGH);
const note = finding('NHI-NO-AUDIT-TRAIL', 'App', NhiSeverity.INFO);
const acknowledgedNote = finding('NHI-LOG-NO-KMS', 'App/Logs', NhiSeverity.INFO, true);

test('informational findings fail nothing: they are not open', () => {
  expect(NhiReport.openFindings([open, note, acknowledgedNote])).toEqual([open]);
  expect(NhiReport.openFindings([note])).toEqual([]);
});

test('the text report prints informational findings as notes, after the open ones', () => {
  const text = NhiReport.toText([note, open, acknowledgedNote]);
  expect(text.split('\n')[0]).toBe('1 open NHI finding (1 acknowledged, 1 note):');
  expect(text.indexOf('HIGH     NHI-IAM-WILDCARD-ACTION  App/Role')).toBeLessThan(text.indexOf('Notes ('));
  expect(text).toContain('  NOTE     NHI-NO-AUDIT-TRAIL  App\n           message of NHI-NO-AUDIT-TRAIL');
  expect(text).not.toMatch(/INFO +NHI-NO-AUDIT-TRAIL/);
  expect(NhiReport.toText([note]).split('\n')[0]).toBe('No open NHI findings (0 acknowledged, 1 note).');
  expect(NhiReport.toText([]).split('\n')[0]).toBe('No open NHI findings (0 acknowledged).');
});

test('JSON counts notes apart from open findings, and SARIF makes them notes', () => {
  const json = JSON.parse(NhiReport.toJson([note, open, acknowledgedNote]));
  expect([json.open, json.notes, json.acknowledged]).toEqual([1, 1, 1]);
  expect(json.findings.map((f: NhiFinding) => f.ruleId)).toEqual(['NHI-IAM-WILDCARD-ACTION', 'NHI-LOG-NO-KMS', 'NHI-NO-AUDIT-TRAIL']);
  const run = JSON.parse(NhiReport.toSarif([note, open])).runs[0];
  expect(run.results.map((r: any) => [r.ruleId, r.level])).toEqual([['NHI-IAM-WILDCARD-ACTION', 'error'], ['NHI-NO-AUDIT-TRAIL', 'note']]);
  const rule = run.tool.driver.rules.find((r: any) => r.id === 'NHI-NO-AUDIT-TRAIL');
  expect([rule.defaultConfiguration.level, rule.properties.severity]).toEqual(['note', 'info']);
});

test('the hygiene rules that are about neither identities nor secrets are informational', () => {
  expect(NhiRules.all().filter((r) => r.severity === NhiSeverity.INFO).map((r) => r.id))
    .toEqual(['NHI-SECRET-NO-CMK', 'NHI-LOG-NO-RETENTION', 'NHI-LOG-NO-KMS', 'NHI-TRAIL-NO-VALIDATION', 'NHI-NO-AUDIT-TRAIL']);
});
