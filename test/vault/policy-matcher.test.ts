import { VaultCapability, VaultPolicyDocument, VaultPolicyMatcher, VaultPolicyRule } from '../../src';

const { READ, UPDATE, DENY, LIST } = VaultCapability;
const policy = (name: string, ...rules: VaultPolicyRule[]) => VaultPolicyDocument.forWorkload(name, rules);
const rule = (path: string, ...capabilities: VaultCapability[]): VaultPolicyRule => ({ path, capabilities });

// Vault's documented priority rules ("concepts/policies"), as table-driven cases: the policies a
// token holds, the request, and which pattern must decide.
const cases: Array<[string, VaultPolicyDocument[], VaultCapability, string, boolean, string | undefined]> = [
  ['an exact match wins over any glob', [policy('a', rule('secret/foo', READ), rule('secret/*', DENY))], READ, 'secret/foo', true, 'secret/foo'],
  ['Vault\'s example: secret/* beats secret/+/+/foo/* (more + segments is lower, rule 3)',
    [policy('a', rule('secret/*', READ), rule('secret/+/+/foo/*', DENY))], READ, 'secret/a/b/foo/c', true, 'secret/*'],
  ['rule 1: the pattern whose first wildcard comes earlier is lower',
    [policy('a', rule('secret/+/baz', DENY), rule('secret/foo/*', READ))], READ, 'secret/foo/baz', true, 'secret/foo/*'],
  ['rule 2: a pattern ending in * is lower than one that does not',
    [policy('a', rule('secret/+/x*', DENY), rule('secret/+/xy', READ))], READ, 'secret/a/xy', true, 'secret/+/xy'],
  ['rule 3: more + segments is lower',
    [policy('a', rule('secret/+/+/c', DENY), rule('secret/+/b/c', READ))], READ, 'secret/a/b/c', true, 'secret/+/b/c'],
  ['rule 4: the shorter pattern is lower',
    [policy('a', rule('secret/+/b*', DENY), rule('secret/+/bc*', READ))], READ, 'secret/a/bcd', true, 'secret/+/bc*'],
  ['a deny on a less specific pattern does not beat a more specific allow',
    [policy('broad', rule('secret/*', DENY)), policy('narrow', rule('secret/app/db', READ))], READ, 'secret/app/db', true, 'secret/app/db'],
  ['the less specific deny still decides where it is the best match',
    [policy('broad', rule('secret/*', DENY)), policy('narrow', rule('secret/app/db', READ))], READ, 'secret/app/other', false, 'secret/*'],
  ['the same pattern in two policies: capabilities are merged',
    [policy('a', rule('secret/app', READ)), policy('b', rule('secret/app', UPDATE))], UPDATE, 'secret/app', true, 'secret/app'],
  ['the same pattern in two policies: a deny in one wins',
    [policy('a', rule('secret/app', READ)), policy('b', rule('secret/app', DENY))], READ, 'secret/app', false, 'secret/app'],
  ['+ matches exactly one segment', [policy('a', rule('secret/+/db', READ))], READ, 'secret/a/b/db', false, undefined],
  ['* matches any suffix, across segments', [policy('a', rule('secret/app*', READ))], READ, 'secret/app/x/y', true, 'secret/app*'],
  ['a granted path does not grant other capabilities', [policy('a', rule('secret/app', READ))], LIST, 'secret/app', false, 'secret/app'],
  ['nothing matches: nothing is granted', [policy('a', rule('secret/app', READ))], READ, 'other/app', false, undefined],
];

test.each(cases)('%s', (_name, policies, capability, path, allowed, pattern) => {
  const decision = new VaultPolicyMatcher(policies).check(capability, path);
  expect({ allowed: decision.allowed, pattern: decision.pattern }).toEqual({ allowed, pattern });
});

test('names the policies that contributed the deciding pattern', () => {
  const decision = new VaultPolicyMatcher([policy('b', rule('x/y', UPDATE)), policy('a', rule('x/y', READ))]).check(READ, 'x/y');
  expect(decision.policies).toEqual(['a', 'b']);
  expect(new Set(decision.capabilities)).toEqual(new Set([READ, UPDATE]));
});

describe('Vault\'s own semantics beyond priority', () => {
  const analysed = (name: string, ...rules: VaultPolicyRule[]) => VaultPolicyDocument.forAnalysis(name, rules);

  test('a leading / in a policy path is stripped, so "/acme/aws/conf*" covers acme/aws/config/root', () => {
    const matcher = new VaultPolicyMatcher([analysed('p', rule('/acme/aws/conf*', READ))]);
    expect(matcher.capabilitiesAt('acme/aws/config/root')).toEqual([READ]);
    expect(matcher.check(READ, '/acme/aws/config/root').allowed).toBe(true);
  });

  test('a LIST on a trailing-slash path matches the rule without the slash', () => {
    const matcher = new VaultPolicyMatcher([analysed('p', rule('kv/metadata/app', LIST))]);
    expect(matcher.check(LIST, 'kv/metadata/app/').allowed).toBe(true);
    expect(matcher.check(READ, 'kv/metadata/app/').allowed).toBe(false);
  });

  test('the root policy allows everything and reports root', () => {
    const matcher = new VaultPolicyMatcher([analysed('root')]);
    expect(matcher.check(UPDATE, 'sys/seal').allowed).toBe(true);
    expect(matcher.reportedCapabilities('any/path')).toEqual(['root']);
  });

  test('+ matches an empty segment', () => {
    expect(new VaultPolicyMatcher([analysed('p', rule('secret/+', READ))]).check(READ, 'secret/').allowed).toBe(true);
  });

  test('a templated segment may be anything when asking what a policy may reach', () => {
    const matcher = new VaultPolicyMatcher([analysed('p', rule('{{identity.entity.metadata.x}}/policy/app', UPDATE))]);
    expect(matcher.check(UPDATE, 'sys/policy/app').allowed).toBe(true);
    expect(matcher.mayReachBelow('sys/')).toBe(true);
    expect(matcher.mayReachBelow('auth/')).toBe(true);
    expect(new VaultPolicyMatcher([analysed('p', rule('kv/{{identity.entity.name}}/*', READ))]).mayReachBelow('sys/')).toBe(false);
  });
});
