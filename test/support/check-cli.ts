import * as path from 'path';
import { main } from '../../src/review/cli';

/** A finding as `gateward check --json -` prints it. */
export interface CliFinding {
  readonly ruleId: string;
  readonly location: string;
  readonly message: string;
  readonly severity: string;
}

/** The hand-written rule fixtures: `test/fixtures/rules/<rule>/<case>/...`. */
export const RULE_FIXTURES = path.join(__dirname, '..', 'fixtures', 'rules');

/** Runs `gateward check --json -` on one path (a file or a directory) and returns every finding, notes included. */
export async function checkWithCli(input: string): Promise<CliFinding[]> {
  const out: string[] = [];
  const code = await main(['check', input, '--json', '-'], { out: (t) => out.push(t), err: () => undefined });
  expect(code).not.toBe(2);
  return JSON.parse(out.join('\n')).findings;
}

/** The directory of one side of a fixture case: `<rule>/<case>/<kind>`. */
export function fixtureCase(rule: string, name: string, kind: 'violating' | 'compliant'): string {
  return path.join(RULE_FIXTURES, rule, name, kind);
}

/** The template of one side of an AWS fixture case: `<rule>/<case>/<kind>.template.json`. */
export function templateCase(rule: string, name: string, kind: 'violating' | 'compliant'): string {
  return path.join(RULE_FIXTURES, rule, name, `${kind}.template.json`);
}

/** The findings of one rule. */
export const findingsOf = (findings: CliFinding[], ruleId: string) => findings.filter((f) => f.ruleId === ruleId);

/** Where one rule's findings are, sorted. */
export const locationsOf = (findings: CliFinding[], ruleId: string) => findingsOf(findings, ruleId).map((f) => f.location).sort();
