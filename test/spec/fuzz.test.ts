import { stringify } from 'yaml';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayBlueprint, GatewaySpecAdvisor, GatewaySpecLoader, GatewaySpecValidator, SpecFormat, SpecProblem } from '../../src';
import { validSpec } from '../fixtures/specs';

/**
 * Spec fuzzing: thousands of seeded random mutations of valid specs. Whatever the input, the
 * validator returns problems instead of throwing, every problem names a path into the spec, a
 * value and a fix, and a spec it passes resolves into a blueprint without error.
 */

function random(seed: number): () => number {
  // Park-Miller minimal standard generator: small, seedable, good enough to pick mutations.
  let state = (seed % 2147483646) + 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

const ODD_VALUES: unknown[] = [
  undefined, null, 0, -1, 1.5, 65536, 1e21, NaN, Infinity, true, false, '', ' ', '*', '?', 'a\r\nb', '\u0000', 'x'.repeat(300),
  'arn:aws:iam::123456789012:root', 'arn:aws:iam::123456789012:role/a:b/c', 'https://h:99999', 'https://vault.example.com', 'public',
  'us-east-7', 'eu-west-1', '__proto__', 'constructor', 'toString', 'ÄÖÜ', '${Token[X.1]}', [], [1], ['*'], {}, { a: 1 },
  'anthropic.claude-v2', 'us.anthropic.claude-v2', 'global.anthropic.claude-v2', '123456789012', 'read-write', 'enterprise', '1.16.0',
];

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)];
}

/** Every [container, key] in the value, depth first. */
function slots(value: unknown, out: Array<[any, string | number]> = []): Array<[any, string | number]> {
  if (Array.isArray(value)) {
    value.forEach((item, i) => { out.push([value, i]); slots(item, out); });
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) { out.push([value, key]); slots((value as any)[key], out); }
  }
  return out;
}

function mutate(spec: any, next: () => number): void {
  const count = 1 + Math.floor(next() * 3);
  for (let m = 0; m < count; m++) {
    const all = slots(spec);
    if (all.length === 0) return;
    const [container, key] = pick(next, all);
    const choice = next();
    if (choice < 0.25) {
      if (Array.isArray(container)) container.splice(key as number, 1);
      else delete container[key];
    } else if (choice < 0.6) {
      container[key] = structuredCloneSafe(pick(next, ODD_VALUES));
    } else if (choice < 0.75) {
      // A value from elsewhere in the spec: right type, wrong place.
      const [other, otherKey] = pick(next, all);
      container[key] = structuredCloneSafe(other[otherKey]);
    } else if (choice < 0.85 && Array.isArray(container)) {
      container.push(structuredCloneSafe(container[key as number]));
    } else {
      const target = container[key] !== null && typeof container[key] === 'object' && !Array.isArray(container[key]) ? container[key] : container;
      if (!Array.isArray(target)) target[pick(next, ['suspend', 'extra', 'roleARN', 'workload', 'ttl', 'foundationModel'])] = pick(next, ODD_VALUES);
    }
  }
}

function structuredCloneSafe(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? `${v}` : v)));
}

/** True when the path names the spec, a field of it, or a missing field of an object in it. */
function pathResolves(spec: unknown, path: string): boolean {
  if (path === '') return true;
  let current: any = spec;
  const steps = [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
  for (let i = 0; i < steps.length; i++) {
    if (current === null || typeof current !== 'object') return false;
    const step = steps[i];
    if (!(step in current)) return i === steps.length - 1 || (i === steps.length - 2 && steps[i + 1] !== undefined && current[step] === undefined);
    current = current[step];
  }
  return true;
}

function checkProblems(spec: unknown, problems: SpecProblem[]): void {
  for (const problem of problems) {
    expect(typeof problem.path).toBe('string');
    if (!pathResolves(spec, problem.path)) throw new Error(`problem path ${problem.path} does not resolve in ${JSON.stringify(spec)}`);
    expect(problem.value.length).toBeGreaterThan(0);
    expect(problem.message.length).toBeGreaterThan(5);
    expect(problem.fix.length).toBeGreaterThan(5);
  }
}

describe('spec fuzzing', () => {
  // Found by fuzzing: a list item that is not an object was also reported for every field it lacked.
  test.each([
    ['a tenant', (s: any) => { s.tenants[0] = 'alpha'; }, 'tenants[0]'],
    ['a workload', (s: any) => { s.tenants[1].workloads[0] = 'arn:aws:iam::123456789012:role/beta-app'; }, 'tenants[1].workloads[0]'],
  ])('%s that is not an object is one problem, at its own path', (_what, change, path) => {
    const spec = validSpec() as any;
    change(spec);
    expect(GatewaySpecValidator.problems(spec).map((p) => p.path)).toEqual([path]);
  });

  const bases = [() => validSpec(), () => JSON.parse(JSON.stringify(exampleSpec))];

  test.each([1, 2, 3, 4])('seed block %i: the validator never throws, and what it passes resolves', (block) => {
    let passed = 0;
    for (let i = 0; i < 1500; i++) {
      const next = random(block * 100_000 + i);
      const spec = pick(next, bases)();
      mutate(spec, next);
      let problems: SpecProblem[];
      try {
        problems = GatewaySpecValidator.problems(spec);
      } catch (error) {
        throw new Error(`the validator threw ${(error as Error).stack} on ${JSON.stringify(spec)}`);
      }
      checkProblems(spec, problems);
      expect(() => GatewaySpecAdvisor.warnings(spec)).not.toThrow();
      if (problems.length === 0) {
        passed++;
        try {
          GatewayBlueprint.fromSpec(spec);
        } catch (error) {
          throw new Error(`a spec the validator passed failed to resolve: ${(error as Error).message} on ${JSON.stringify(spec)}`);
        }
      }
    }
    // Some mutations are harmless (an optional field removed); most are not.
    expect(passed).toBeGreaterThan(0);
    expect(passed).toBeLessThan(1500);
  });

  test('the loader reports the same problems as the validator, from JSON and from YAML', () => {
    for (let i = 0; i < 200; i++) {
      const next = random(900_000 + i);
      const spec = pick(next, bases)();
      mutate(spec, next);
      const json = JSON.parse(JSON.stringify(spec));
      const expected = GatewaySpecValidator.problems(json).map((p) => p.path);
      for (const [text, format] of [[JSON.stringify(json), SpecFormat.JSON], [stringify(json), SpecFormat.YAML]] as const) {
        let reported: string[] = [];
        try {
          GatewaySpecLoader.fromString(text, format);
        } catch (error) {
          reported = ((error as any).problems ?? []).map((p: SpecProblem) => p.path);
          if (!(error as any).problems) throw error;
        }
        expect(reported).toEqual(expected);
      }
    }
  });
});
