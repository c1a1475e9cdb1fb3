import type { SpecProblem } from './spec-problem';

const MISSING = '(missing)';
const MAX_RENDERED = 120;

/**
 * Renders an offending value for a message. Spec values are identifiers, ARNs and host names,
 * never secrets, so they can be shown; long values are shortened.
 */
export function renderValue(value: unknown): string {
  if (value === undefined) return MISSING;
  let text: string;
  if (typeof value === 'string') {
    text = JSON.stringify(value);
  } else if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    text = String(value);
  } else if (Array.isArray(value)) {
    text = `[${value.length} item${value.length === 1 ? '' : 's'}]`;
  } else {
    text = '{...}';
  }
  return text.length > MAX_RENDERED ? `${text.slice(0, MAX_RENDERED - 3)}...` : text;
}

/**
 * Collects problems so that validation reports all of them at once.
 */
export class ProblemCollector {
  private readonly collected: SpecProblem[] = [];

  public add(path: string, value: unknown, message: string, fix: string): void {
    this.collected.push({ path, value: renderValue(value), message, fix });
  }

  /** Adds a problem found elsewhere, its path nested under `prefix`. */
  public addNested(prefix: string, problem: SpecProblem): void {
    this.collected.push({ ...problem, path: problem.path ? `${prefix}.${problem.path}` : prefix });
  }

  public get problems(): SpecProblem[] {
    return [...this.collected];
  }

  public get size(): number {
    return this.collected.length;
  }
}

/**
 * Joins a parent path and a property or index: `join('tenants', 1)` is `tenants[1]`.
 */
export function join(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/**
 * The one message format of every validation in the library: the subject, the count, then one
 * line per problem with its path, what is wrong, the value given and the fix.
 */
export function formatProblems(subject: string, problems: SpecProblem[]): string {
  const lines = problems.map((p) => `  - ${p.path || '(spec)'}: ${p.message} (got ${p.value}). Fix: ${p.fix}.`);
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  return `${subject} is invalid (${count}):\n${lines.join('\n')}`;
}
