/**
 * The bodies of Terraform blocks as their files write them, before variables, locals and
 * functions were resolved, keyed by the resolved body. A rule that must tell a literal from a
 * value a variable's default supplies (a loopback host that every real deployment replaces) reads
 * both; a body read from a plan or state has no written form.
 */
const WRITTEN = new WeakMap<object, Record<string, unknown>>();

/** Records `written` as the written form of `resolved`, and returns `resolved`. */
export function withWrittenForm<T extends object>(resolved: T, written: Record<string, unknown>): T {
  if (resolved && typeof resolved === 'object') WRITTEN.set(resolved, written);
  return resolved;
}

/** The written form of a resolved block body, when it was read from files. */
export function writtenFormOf(resolved: object): Record<string, unknown> | undefined {
  return WRITTEN.get(resolved);
}
