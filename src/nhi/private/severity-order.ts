import { NhiSeverity } from '../finding';

/** The severities from the gravest down: how reports sort findings and which of several counts. */
export const SEVERITY_ORDER: readonly NhiSeverity[] = [NhiSeverity.CRITICAL, NhiSeverity.HIGH, NhiSeverity.MEDIUM, NhiSeverity.LOW, NhiSeverity.INFO];

/** The gravest of some severities (at least one). */
export function gravestSeverity(severities: readonly NhiSeverity[]): NhiSeverity {
  return severities.reduce((a, b) => (SEVERITY_ORDER.indexOf(b) < SEVERITY_ORDER.indexOf(a) ? b : a));
}

/** One rule's hits on one resource, merged into what its single finding says. */
export interface MergedHits<Key> {
  readonly key: Key;
  /** Each distinct message, joined with `; `, in the order the rule found them. */
  readonly message: string;
  /** The gravest override, or undefined when no hit overrides the rule's severity. */
  readonly severity?: NhiSeverity;
}

/**
 * A rule reports a resource at most once (cdk-nag's convention: one finding per rule and
 * resource): what it found in several statements, paths or settings of that resource is one
 * finding whose message lists each, at the severity of the gravest.
 */
export function oneFindingPerResource<Key, Hit extends { readonly message: string; readonly severity?: NhiSeverity }>(
  hits: readonly Hit[], keyOf: (hit: Hit) => Key, ruleSeverity: NhiSeverity): Array<MergedHits<Key>> {
  const byResource = new Map<Key, Hit[]>();
  for (const hit of hits) byResource.set(keyOf(hit), [...(byResource.get(keyOf(hit)) ?? []), hit]);
  return [...byResource].map(([key, same]) => ({
    key,
    message: [...new Set(same.map((h) => h.message))].join('; '),
    severity: same.every((h) => h.severity === undefined) ? undefined : gravestSeverity(same.map((h) => h.severity ?? ruleSeverity)),
  }));
}
