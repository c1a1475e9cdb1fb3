import { globMatches, patternCovers } from '../iam/arn-pattern';
import { duration } from '../model/duration';
import { AccessReviewModel, PolicyCondition, PolicyLine } from '../model/review-model';

/** One change in access between two outputs. */
export interface DiffLine {
  /** `workload moved`, `workload access`, `credential access`, `grant`, `TTL`, `suspension`, `guardrails`, `identity`, `finding`. */
  readonly category: string;
  readonly text: string;
  readonly evidence?: string;
}

/** What changed: widenings (which need an approval), narrowings, and changes that are neither. */
export interface AccessDiff {
  readonly widened: DiffLine[];
  readonly narrowed: DiffLine[];
  readonly changed: DiffLine[];
}

const NEGATED = /not/i;

function conditionText(conditions: PolicyCondition[]): string {
  return conditions.length === 0 ? '' : ` when ${conditions.map((c) => `${c.key} ${c.operator} ${c.values.join(', ')}`).join(' and ')}`;
}

function shapeKey(line: PolicyLine): string {
  return [line.policy, line.resource, line.principal, line.effect, line.action, line.target, ...line.conditions.map((c) => `${c.operator}:${c.key}`)].join('\u0000');
}

function fullKey(line: PolicyLine): string {
  return [shapeKey(line), ...line.conditions.map((c) => c.values.join('\u0001'))].join('\u0000');
}

function describe(line: PolicyLine): string {
  const who = line.principal ? `${line.principal} ` : '';
  if (line.policy === 'Cedar policy') return `Cedar policy ${line.resource} (${line.effect === 'Allow' ? 'permit' : 'forbid'}): ${line.target}`;
  return `${line.policy} of ${line.resource}: ${line.effect} ${who}${line.action} on ${line.target}${conditionText(line.conditions)}`;
}

/** True when every condition of `weaker` is also in `stronger` (so `stronger` allows no more than `weaker`). */
function conditionsWithin(weaker: PolicyCondition[], stronger: PolicyCondition[]): boolean {
  return weaker.every((w) => stronger.some((s) => s.operator === w.operator && s.key === w.key && s.values.join() === w.values.join()));
}

/** True when line `outer` grants (or denies) everything line `inner` does. */
function covers(outer: PolicyLine, inner: PolicyLine): boolean {
  const same = (key: 'policy' | 'resource' | 'principal' | 'effect') => outer[key] === inner[key];
  if (!same('policy') || !same('resource') || !same('principal') || !same('effect')) return false;
  if (outer.policy === 'Cedar policy') return outer.target === inner.target;
  const actionCovered = outer.action === inner.action || (!outer.action.startsWith('all but') && globMatches(outer.action, inner.action, true));
  return actionCovered && patternCovers(outer.target, inner.target) && conditionsWithin(outer.conditions, inner.conditions);
}

/** Policy lines compared: grants added or widened, grants removed or narrowed, denials removed or loosened. */
function diffPolicyLines(base: PolicyLine[], next: PolicyLine[], diff: AccessDiff): void {
  const baseFull = new Set(base.map(fullKey));
  const nextFull = new Set(next.map(fullKey));
  const baseByShape = new Map<string, PolicyLine[]>();
  for (const line of base) baseByShape.set(shapeKey(line), [...(baseByShape.get(shapeKey(line)) ?? []), line]);
  const matchedBase = new Set<PolicyLine>();
  for (const line of next) {
    if (baseFull.has(fullKey(line))) continue;
    const same = baseByShape.get(shapeKey(line))?.find((b) => !nextFull.has(fullKey(b)));
    if (same) {
      matchedBase.add(same);
      // The same statement with other condition values: each value added or removed widens or narrows.
      for (const condition of line.conditions) {
        const old = same.conditions.find((c) => c.operator === condition.operator && c.key === condition.key)!;
        const added = condition.values.filter((v) => !old.values.includes(v));
        const removed = old.values.filter((v) => !condition.values.includes(v));
        const negated = NEGATED.test(condition.operator);
        // More values on an Allow's positive test, or on a Deny's negated test (an exemption), widen.
        const widensOnAdd = line.effect === 'Allow' ? !negated : negated;
        const where = `${line.policy} of ${line.resource}: ${line.effect} ${line.principal ? `${line.principal} ` : ''}${line.action} on ${line.target}`;
        for (const value of added) (widensOnAdd ? diff.widened : diff.narrowed).push({ category: 'grant', text: `${where}: ${condition.key} ${condition.operator} now also ${value}${line.effect === 'Deny' && negated ? ' (exempt from the denial)' : ''}`, evidence: line.evidence });
        for (const value of removed) (widensOnAdd ? diff.narrowed : diff.widened).push({ category: 'grant', text: `${where}: ${condition.key} ${condition.operator} no longer ${value}`, evidence: line.evidence });
      }
      continue;
    }
    if (line.effect === 'Allow') {
      if (!base.some((b) => covers(b, line))) diff.widened.push({ category: 'grant', text: `added: ${describe(line)}`, evidence: line.evidence });
    } else if (!base.some((b) => covers(line, b) && covers(b, line))) {
      diff.narrowed.push({ category: 'grant', text: `added: ${describe(line)}`, evidence: line.evidence });
    }
  }
  for (const line of base) {
    if (nextFull.has(fullKey(line)) || matchedBase.has(line)) continue;
    if (line.effect === 'Allow') {
      if (!next.some((n) => covers(n, line))) diff.narrowed.push({ category: 'grant', text: `removed: ${describe(line)}`, evidence: line.evidence });
    } else if (!next.some((n) => covers(n, line))) {
      diff.widened.push({ category: 'grant', text: `removed: ${describe(line)}`, evidence: line.evidence });
    }
  }
}

/**
 * What changed in access from `base` to `next`: workloads moved between tenants, what each
 * workload may use, which principals obtain which credentials, every grant and denial of every
 * policy, lifetimes, suspensions, guardrails, and what an administrator can change. A change is a
 * widening when the new output lets someone do something, for longer, or with fewer conditions.
 */
export function diffReviews(base: AccessReviewModel, next: AccessReviewModel): AccessDiff {
  const diff: AccessDiff = { widened: [], narrowed: [], changed: [] };

  const tenantOf = new Map(base.matrix.map((r) => [r.identity, r.tenant]));
  for (const row of next.matrix) {
    const before = tenantOf.get(row.identity);
    if (before !== undefined && before !== row.tenant) diff.widened.push({ category: 'workload moved', text: `workload ${row.workload} moved from tenant ${before} to tenant ${row.tenant}` });
  }

  const uses = (m: AccessReviewModel) => new Map(m.matrix.flatMap((r) => r.entries.filter((e) => e.delivered)
    .map((e) => [`${r.identity}|${e.kind}|${e.id}`, `${r.workload} (tenant ${r.tenant}) may use ${e.kind} ${e.id}${e.arns.length > 0 ? ` (${e.arns.join(', ')})` : ''}`] as const)));
  compareSets(uses(base), uses(next), 'workload access', diff, (t) => `now: ${t}`, (t) => `no longer: ${t}`);
  const cedar = (m: AccessReviewModel) => new Map(m.matrix.flatMap((r) => r.entries.filter((e) => e.cedar.allowed && !e.delivered)
    .map((e) => [`${r.identity}|${e.kind}|${e.id}`, `the policy store allows ${r.workload} ${e.kind} ${e.id} (not delivered: ${e.brokenAt})`] as const)));
  compareSets(cedar(base), cedar(next), 'workload access', diff, (t) => `now: ${t}`, (t) => `no longer: ${t}`);

  const obtains = (m: AccessReviewModel) => new Map(m.credentials.flatMap((c) => c.obtainedBy
    .map((a) => [`${c.id}|${a.identity}|${a.guardrails === 'denied by guardrails' ? 'guarded' : 'open'}`,
      `${a.label} obtains ${c.kind} ${c.label}${a.guardrails === 'denied by guardrails' ? ' (without the guardrails only)' : ''} through ${a.hops.map((h) => `${h.kind} ${h.to}`).join(' → ') || 'its own policies'}`] as const)));
  compareSets(obtains(base), obtains(next), 'credential access', diff, (t) => `new: ${t}`, (t) => `gone: ${t}`);

  // Cedar policies are judged by what they decide (the workload access lines above): their text
  // changing is reported, and widens only where a decision does.
  const cedarText = (m: AccessReviewModel) => new Map(m.policyLines.filter((l) => l.policy === 'Cedar policy').map((l) => [l.resource, l.target] as const));
  for (const [id, text] of cedarText(next)) {
    const old = cedarText(base).get(id);
    if (old === undefined) diff.changed.push({ category: 'Cedar policy', text: `added ${id}: ${text}` });
    else if (old !== text) diff.changed.push({ category: 'Cedar policy', text: `changed ${id}: was ${old}; now ${text}` });
  }
  for (const [id, text] of cedarText(base)) if (!cedarText(next).has(id)) diff.changed.push({ category: 'Cedar policy', text: `removed ${id}: ${text}` });
  diffPolicyLines(base.policyLines.filter((l) => l.policy !== 'Cedar policy'), next.policyLines.filter((l) => l.policy !== 'Cedar policy'), diff);

  const baseTtl = new Map(base.ttls.map((t) => [t.key, t]));
  for (const ttl of next.ttls) {
    const old = baseTtl.get(ttl.key);
    if (!old || old.seconds === ttl.seconds) continue;
    (ttl.seconds > old.seconds ? diff.widened : diff.narrowed).push({ category: 'TTL', text: `${ttl.label} ${ttl.seconds > old.seconds ? 'raised' : 'lowered'} from ${duration(old.seconds)} to ${duration(ttl.seconds)}` });
  }

  const suspended = (m: AccessReviewModel) => new Map(m.suspended.map((s) => [`${s.kind}:${s.id}`, `${s.kind} ${s.id}`] as const));
  compareSets(suspended(base), suspended(next), 'suspension', diff, (t) => `suspended: ${t}`, (t) => `no longer suspended: ${t}`, true);

  const docs = (m: AccessReviewModel) => new Map(m.guardrails.documents.map((d) => [d.name, `${d.type} ${d.name}`] as const));
  compareSets(docs(base), docs(next), 'guardrails', diff, (t) => `guardrail added: ${t}`, (t) => `guardrail removed: ${t}`, true);
  const probes = (m: AccessReviewModel) => new Map(m.blastRadius.filter((b) => b.kind === 'administrator').flatMap((b) => b.probes
    .filter((p) => p.withGuardrails === 'allowed' || (p.withGuardrails === 'not given' && p.withoutGuardrails === 'allowed'))
    .map((p) => [`${b.identity}|${p.action}|${p.resource}`, `${b.label} can ${p.action} on ${p.resource}${p.withGuardrails === 'allowed' ? ' even with the guardrails' : ''}: ${p.consequence}`] as const)));
  compareSets(probes(base), probes(next), 'guardrails', diff, (t) => `now: ${t}`, (t) => `no longer: ${t}`);

  const identities = (m: AccessReviewModel) => new Map(m.identities.map((i) => [i.id, `${i.kind} ${i.label}`] as const));
  for (const [id, text] of identities(next)) if (!identities(base).has(id)) diff.changed.push({ category: 'identity', text: `new identity: ${text}` });
  for (const [id, text] of identities(base)) if (!identities(next).has(id)) diff.changed.push({ category: 'identity', text: `identity gone: ${text}` });
  const findings = (m: AccessReviewModel) => new Map(m.openFindings.map((f) => [`${f.rule}|${f.location}`, `${f.severity} ${f.rule} at ${f.location}: ${f.message}`] as const));
  for (const [key, text] of findings(next)) if (!findings(base).has(key)) diff.changed.push({ category: 'finding', text: `new open finding: ${text}` });
  for (const [key, text] of findings(base)) if (!findings(next).has(key)) diff.changed.push({ category: 'finding', text: `finding resolved: ${text}` });
  return diff;
}

/** Items added widen and items removed narrow (or the reverse, for suspensions and guardrails). */
function compareSets(
  base: Map<string, string>, next: Map<string, string>, category: string, diff: AccessDiff,
  added: (text: string) => string, removed: (text: string) => string, addingNarrows = false,
): void {
  for (const [key, text] of next) if (!base.has(key)) (addingNarrows ? diff.narrowed : diff.widened).push({ category, text: added(text) });
  for (const [key, text] of base) if (!next.has(key)) (addingNarrows ? diff.widened : diff.narrowed).push({ category, text: removed(text) });
}
