import { readFileSync } from 'fs';
import { join } from 'path';
import { VaultOperation, VaultPolicyDocument, VaultPolicyMatcher } from '../../src';
import { readPolicy } from '../../src/vault-acl/policy-text';

// Every expectation recorded from Vault's and OpenBao's own ACL sources and tests (see the
// fixture's `sources`), run against the shared matcher and the policy reader.
interface Expectation {
  id: string;
  source: string;
  test: string;
  kind: string;
  note?: string;
  policies?: string[];
  policy?: string;
  path?: string;
  hcl?: string;
  request?: { operation?: string; operations?: string[]; path: string; parameters?: Record<string, unknown>; wrappingTtl?: number };
  expected: Record<string, any> | null;
}
const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'vault-acl', 'expectations.json'), 'utf8')) as {
  sources: Record<string, { repository: string; path: string; commit: string }>;
  policies: Record<string, { name: string; hcl: string }>;
  expectations: Expectation[];
};

const documentOf = (key: string) => {
  const { name, hcl } = fixture.policies[key];
  const read = readPolicy(hcl);
  if (!read || read.problems.length > 0) throw new Error(`policy ${key} does not read: ${JSON.stringify(read?.problems)}`);
  return VaultPolicyDocument.forAnalysis(name, read.rules);
};
const matcherOf = (keys: string[]) => new VaultPolicyMatcher(keys.map(documentOf));
const display = (x: unknown) => (typeof x === 'string' ? x : JSON.stringify(x));
const shown = (map: Record<string, unknown[]> | null | undefined) =>
  map ? Object.fromEntries(Object.entries(map).map(([k, v]) => [k, v.map(display).sort()])) : undefined;
const sortedValues = (map: Record<string, string[]> | undefined) =>
  (map ? Object.fromEntries(Object.entries(map).map(([k, v]) => [k, [...v].sort()])) : undefined);

function holds(e: Expectation): void {
  const expected = e.expected ?? {};
  switch (e.kind) {
    case 'acl':
      expect(new VaultPolicyMatcher(e.policies!.map(documentOf)).refusal ?? null).toBe(expected.refusal);
      return;
    case 'capabilities':
      expect(matcherOf(e.policies!).reportedCapabilities(e.path!)).toEqual(expected.capabilities);
      return;
    case 'operation': {
      const matcher = matcherOf(e.policies!);
      for (const operation of e.request!.operations ?? [e.request!.operation!]) {
        const decision = matcher.allowOperation({
          operation: operation as VaultOperation,
          path: e.request!.path,
          parameters: e.request!.parameters,
          wrappingTtl: e.request!.wrappingTtl,
        });
        const actual: Record<string, unknown> = {};
        if ('allowed' in expected) actual.allowed = decision.allowed;
        if ('rootPrivileges' in expected) actual.rootPrivileges = decision.rootPrivileges ?? false;
        if ('grantingPolicies' in expected) actual.grantingPolicies = decision.allowed ? [...(decision.grantingPolicies ?? [])].sort() : [];
        expect({ operation, ...actual }).toEqual({ operation, ...expected, ...('grantingPolicies' in expected ? { grantingPolicies: [...expected.grantingPolicies].sort() } : {}) });
      }
      return;
    }
    case 'merged': {
      const rule = matcherOf(e.policies!).effectiveRule(e.path!);
      expect(rule).toBeDefined();
      expect({
        allowedParameters: sortedValues(rule!.allowedParameters),
        deniedParameters: sortedValues(rule!.deniedParameters),
        requiredParameters: rule!.requiredParameters ? [...rule!.requiredParameters].sort() : undefined,
        ...('minWrappingTtl' in expected ? { minWrappingTtl: rule!.minWrappingTtl, maxWrappingTtl: rule!.maxWrappingTtl } : {}),
        ...('capabilities' in expected ? { capabilities: [...rule!.capabilities].sort() } : {}),
      }).toEqual({
        allowedParameters: shown(expected.allowedParameters),
        deniedParameters: shown(expected.deniedParameters),
        requiredParameters: expected.requiredParameters ? [...expected.requiredParameters].sort() : undefined,
        ...('minWrappingTtl' in expected ? { minWrappingTtl: expected.minWrappingTtl, maxWrappingTtl: expected.maxWrappingTtl } : {}),
        ...('capabilities' in expected ? { capabilities: [...expected.capabilities].sort() } : {}),
      });
      return;
    }
    case 'priority': {
      const matcher = matcherOf(e.policies!);
      expect({
        update: matcher.allowOperation({ operation: VaultOperation.UPDATE, path: e.path! }).allowed,
        read: matcher.allowOperation({ operation: VaultOperation.READ, path: e.path! }).allowed,
      }).toEqual(expected);
      return;
    }
    case 'reach':
      expect(matcherOf(e.policies!).mayReachBelow(e.path!)).toBe(expected.reaches);
      return;
    case 'parse': {
      const rule = readPolicy(fixture.policies[e.policy!].hcl)!.rules.find((r) => r.path === e.path);
      if (e.expected === null) {
        expect(rule).toBeUndefined();
        return;
      }
      expect(rule).toBeDefined();
      expect({
        capabilities: rule!.capabilities,
        allowedParameters: sortedValues(rule!.allowedParameters),
        deniedParameters: sortedValues(rule!.deniedParameters),
        requiredParameters: rule!.requiredParameters,
        minWrappingTtl: rule!.minWrappingTtl,
        maxWrappingTtl: rule!.maxWrappingTtl,
      }).toEqual({
        capabilities: expected.capabilities,
        allowedParameters: shown(expected.allowedParameters),
        deniedParameters: shown(expected.deniedParameters),
        requiredParameters: expected.requiredParameters,
        minWrappingTtl: expected.minWrappingTtl,
        maxWrappingTtl: expected.maxWrappingTtl,
      });
      return;
    }
    case 'parse-error': {
      const read = readPolicy(e.hcl!);
      const problems = read?.problems ?? ['unreadable'];
      expect(problems.length).toBeGreaterThan(0);
      for (const message of expected.problems as string[]) expect(problems.join('\n')).toContain(message);
      return;
    }
    default:
      throw new Error(`unknown kind ${e.kind}`);
  }
}

test('the fixture records every expectation with a source that names a repository, path and commit', () => {
  expect(fixture.expectations.length).toBeGreaterThanOrEqual(196);
  for (const e of fixture.expectations) {
    const source = fixture.sources[e.source];
    expect([e.id, source?.repository, /^[0-9a-f]{40}$/.test(source?.commit ?? ''), source?.path]).toEqual([e.id, expect.any(String), true, expect.any(String)]);
  }
});

test.each(fixture.expectations.map((e) => [`${e.id} (${e.kind}${e.path ? ` ${e.path}` : ''}${e.request ? ` ${e.request.operation ?? e.request.operations!.join('+')} ${e.request.path}` : ''})`, e] as const))('%s', (_name, e) => {
  holds(e);
});
