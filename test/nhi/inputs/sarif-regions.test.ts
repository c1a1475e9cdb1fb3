import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../../src/review/cli';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'inputs');

async function sarifOf(input: string): Promise<Array<{ ruleId: string; locations: any[] }>> {
  const out: string[] = [];
  await main(['check', input, '--sarif', '-'], { out: (t) => out.push(t), err: () => undefined });
  return JSON.parse(out.join('\n')).runs[0].results;
}

function lineOf(file: string, text: string): number {
  return fs.readFileSync(file, 'utf-8').split('\n').findIndex((l) => l.includes(text)) + 1;
}

describe('SARIF results carry the line of the resource', () => {
  test('HCL: the resource block line, in the module file that declares it', async () => {
    const results = await sarifOf(path.join(FIXTURES, 'tf-hcl'));
    const file = path.join(FIXTURES, 'tf-hcl', 'main.tf');
    const ttl = results.find((r) => r.ruleId === 'NHI-VAULT-DB-ROLE-TTL')!;
    expect(ttl.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: file }, region: { startLine: lineOf(file, 'resource "vault_database_secret_backend_role" "app"') } });
    const role = results.find((r) => r.ruleId === 'NHI-IAM-WILDCARD-ACTION')!;
    expect(role.locations[0].physicalLocation.region.startLine).toBe(lineOf(file, 'resource "aws_iam_role" "proxy"'));
  });

  test('CloudFormation YAML and JSON: the line of the logical id key', async () => {
    const yaml = path.join(FIXTURES, 'cfn-yaml', 'gateway.yaml');
    const wildcard = (await sarifOf(yaml)).find((r) => r.ruleId === 'NHI-IAM-WILDCARD-ACTION')!;
    expect(wildcard.locations[0].physicalLocation.region.startLine).toBe(lineOf(yaml, '  ProxyRole:'));
    const json = path.join(FIXTURES, 'cfn-json', 'gateway.template.json');
    const user = (await sarifOf(json)).find((r) => r.ruleId === 'NHI-LONG-LIVED-IAM-CREDENTIALS')!;
    expect(user.locations[0].physicalLocation.region.startLine).toBe(lineOf(json, '"Operator"'));
  });

  test('a finding on the whole configuration has no region', async () => {
    const results = await sarifOf(path.join(FIXTURES, 'sam', 'template.yaml'));
    const trail = results.find((r) => r.locations[0].logicalLocations[0].fullyQualifiedName === 'template');
    if (trail) expect(trail.locations[0].physicalLocation.region).toBeUndefined();
    const api = results.find((r) => r.ruleId === 'NHI-ENTRY-POINT-NO-ACCESS-LOG')!;
    // A resource SAM generates is not in the file: no line rather than a wrong one.
    expect(api.locations[0].physicalLocation.region).toBeUndefined();
  });
});
