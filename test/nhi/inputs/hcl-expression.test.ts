import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { applyTypeDefaults, evaluateHcl, HclScope, KeptReference, parseHclExpression, plainValue } from '../../../src/nhi/inputs/hcl-expression';
import { isUnresolved, Unresolved } from '../../../src/nhi/private/unresolved';

/** Evaluates `text` with `names` as the only known names, in `directory`. */
function evaluate(text: string, names: Record<string, unknown> = {}, directory = os.tmpdir()): unknown {
  const scope: HclScope = { directory, lookup: (name) => names[name] };
  return evaluateHcl(parseHclExpression(text), scope);
}

describe('HCL expressions are evaluated where the files hold their values', () => {
  test('literals, arithmetic, comparison, logic and conditionals', () => {
    expect(evaluate('3600 * 24 * 31 * 13')).toBe(34819200);
    expect(evaluate('30 * 60')).toBe(1800);
    expect(evaluate('"a" == "a" && !(1 > 2)')).toBe(true);
    expect(evaluate('true ? "yes" : "no"')).toBe('yes');
    expect(evaluate('{ a = 1, "b-c" = [1, 2], d: null }')).toEqual({ 'a': 1, 'b-c': [1, 2], 'd': null });
  });

  test('templates and heredocs', () => {
    expect(evaluate('"arn:${p}:iam::aws:policy/${n}"', { p: 'aws', n: 'ReadOnlyAccess' })).toBe('arn:aws:iam::aws:policy/ReadOnlyAccess');
    expect(evaluate('"$${literal}"')).toBe('${literal}');
    expect(evaluate('<<EOT\npath "x" {\n  capabilities = ["read"]\n}\nEOT\n')).toBe('path "x" {\n  capabilities = ["read"]\n}\n');
  });

  test('for expressions, splats and the collection functions configurations use', () => {
    const configs = { 'a.yaml': { role: 'r1', ttl: 60 }, 'b.yaml': { role: 'r2', ttl: 120 } };
    expect(evaluate('{ for f, c in configs : c.role => c if c.ttl > 60 }', { configs })).toEqual({ r2: { role: 'r2', ttl: 120 } });
    expect(evaluate('[for k, v in configs : upper(trimsuffix(k, ".yaml"))]', { configs })).toEqual(['A', 'B']);
    expect(evaluate('{ for x in ["a", "b", "a"] : x => 1... }')).toEqual({ a: [1, 1], b: [1] });
    expect(evaluate('items[*].name', { items: [{ name: 'x' }, { name: 'y' }] })).toEqual(['x', 'y']);
    expect(evaluate('toset(["b", "a", "b"])')).toEqual(['a', 'b']);
    expect(evaluate('merge({ a = 1 }, { b = 2 })')).toEqual({ a: 1, b: 2 });
    expect(evaluate('concat(["a"], ["b"])')).toEqual(['a', 'b']);
    expect(evaluate('format("%s.%s", "tenzin-io", "repo")')).toBe('tenzin-io.repo');
    expect(evaluate('replace("tenzin-io/repo", "/", ".")')).toBe('tenzin-io.repo');
    expect(evaluate('lookup({ a = 1 }, "b", 2)')).toBe(2);
    expect(evaluate('try(m.missing, "fallback")', { m: {} })).toBe('fallback');
    expect(evaluate('can(m.missing)', { m: {} })).toBe(false);
  });

  test('try() over an input nobody can see falls back to its default, except to null: an optional input is unknown, not absent', () => {
    const each = { value: Unresolved.of('${each.value}') };
    expect(evaluate('try(each.value.ttl, 3600)', { each })).toBe(3600);
    const optional = evaluate('try(each.value.ttl, null)', { each });
    expect(isUnresolved(optional) && optional.expression).toBe('${try(each.value.ttl, null)}');
    expect(evaluate('try(m.missing, null)', { m: {} })).toBeNull();
  });

  test('files: file(), fileset() with brace alternatives, yamldecode() and templatefile()', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-hcl-'));
    fs.mkdirSync(path.join(dir, 'roles'));
    fs.mkdirSync(path.join(dir, 'apps'));
    fs.writeFileSync(path.join(dir, 'roles', 'ci.yaml'), 'name: ci\nttl: 300\n');
    fs.writeFileSync(path.join(dir, 'apps', 'web.yaml'), 'name: web\n');
    fs.writeFileSync(path.join(dir, 'apps', 'notes.txt'), 'x');
    fs.writeFileSync(path.join(dir, 'p.tpl'), 'path "${mount}/creds/x" {}');
    try {
      expect(evaluate('fileset(".", "{roles,apps}/*.yaml")', {}, dir)).toEqual(['apps/web.yaml', 'roles/ci.yaml']);
      expect(evaluate('yamldecode(file("roles/ci.yaml"))', {}, dir)).toEqual({ name: 'ci', ttl: 300 });
      expect(evaluate('templatefile("p.tpl", { mount = "aws" })', {}, dir)).toBe('path "aws/creds/x" {}');
      expect(isUnresolved(evaluate('file("missing.txt")', {}, dir))).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a reference to a resource is kept as written, with known indexes filled in', () => {
    const value = evaluate('aws_iam_role.r[each.key].arn', { each: { key: 'a' } });
    expect(value).toEqual(new KeptReference('aws_iam_role.r["a"].arn'));
    expect(plainValue(value)).toBe('${aws_iam_role.r["a"].arn}');
    expect(evaluate('jsonencode({ Resource = aws_s3_bucket.b.arn })')).toBe('{"Resource":"${aws_s3_bucket.b.arn}"}');
  });

  test('what the files do not hold stays unresolved: it is never a guess', () => {
    const unknown = Unresolved.of('${var.ttl}');
    expect(isUnresolved(evaluate('ttl * 2', { ttl: unknown }))).toBe(true);
    expect(isUnresolved(evaluate('cond ? 1 : 2', { cond: unknown }))).toBe(true);
    // Both branches equal: the value is known whatever the condition.
    expect(evaluate('cond ? 1 : 1', { cond: unknown })).toBe(1);
    expect(isUnresolved(evaluate('sha256("x")'))).toBe(true);
    expect(isUnresolved(evaluate('m.missing', { m: {} }))).toBe(true);
  });

  test('optional() attribute defaults of a variable\'s type fill what its value leaves out', () => {
    const type = 'map(list(object({ path = string, capabilities = optional(set(string), ["read"]), description = optional(string) })))';
    expect(applyTypeDefaults(type, { repos: [{ path: 'secrets/data/*' }], admin: [{ path: '*', capabilities: ['sudo'] }] })).toEqual({
      repos: [{ path: 'secrets/data/*', capabilities: ['read'], description: null }],
      admin: [{ path: '*', capabilities: ['sudo'], description: null }],
    });
  });
});

test('pow() and arithmetic over known operands evaluate, names included', () => {
  expect(evaluate('1 * pow(60, 2)')).toBe(3600);
  expect(evaluate('pow(2, 10)')).toBe(1024);
  expect(evaluate('pow(var.base, 2)', { var: { base: 3 } })).toBe(9);
});
