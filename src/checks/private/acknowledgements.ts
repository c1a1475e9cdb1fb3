import { GatewayNaming } from '../../spec/naming';
import { CheckedPlane, NhiFinding } from '../finding';
import { NhiRules } from '../rules';

/** One acknowledgement as written in synthesized output: one rule, on one resource, with a reason. */
export interface AcknowledgementRecord {
  readonly rule: string;
  readonly reason: string;
}

/** Acknowledgements found on one resource (or on the whole stack when `location` is the stack's). */
export interface PlacedAcknowledgements {
  readonly location: string;
  readonly file: string;
  readonly plane: CheckedPlane;
  readonly records: AcknowledgementRecord[];
}

/** Reads the acknowledgement list stored under the shared key. */
export function readRecords(value: unknown): AcknowledgementRecord[] {
  const list = (value as Record<string, unknown> | undefined)?.[GatewayNaming.ACKNOWLEDGEMENTS_KEY];
  return Array.isArray(list) ? list.filter((r) => r && typeof r === 'object').map((r) => ({ rule: String(r.rule), reason: String(r.reason ?? '') })) : [];
}

/** The minimum length of a reason: enough to say why, for this resource. */
export const MIN_REASON_LENGTH = 20;

/**
 * The record an acknowledgement writes, after checking the rule exists and the reason says why.
 *
 * @param target the construct path the acknowledgement is written on, for the error message
 */
export function acknowledgementRecord(target: string, ruleId: string, reason: string): AcknowledgementRecord {
  const rule = NhiRules.byId(ruleId);
  if (!reason || reason.trim().length < MIN_REASON_LENGTH) {
    throw new Error(`Acknowledging ${rule.id} on ${target} needs a reason of at least ${MIN_REASON_LENGTH} characters that says why it is acceptable here.`);
  }
  return { rule: rule.id, reason: reason.trim() };
}

/**
 * Marks findings acknowledged where an acknowledgement for their rule sits on their resource,
 * and reports acknowledgements that match nothing, or carry no real reason, as findings.
 */
export function applyAcknowledgements(findings: NhiFinding[], placed: PlacedAcknowledgements[]): NhiFinding[] {
  const used = new Set<string>();
  const keyOf = (p: PlacedAcknowledgements, r: AcknowledgementRecord) => `${p.file}\u0000${p.location}\u0000${r.rule}`;
  const index = new Map<string, AcknowledgementRecord>();
  for (const p of placed) for (const r of p.records) if (r.reason.trim().length >= MIN_REASON_LENGTH) index.set(keyOf(p, r), r);

  const result = findings.map((finding) => {
    const key = `${finding.file}\u0000${finding.location}\u0000${finding.ruleId}`;
    const record = index.get(key);
    if (!record) return finding;
    used.add(key);
    return { ...finding, acknowledged: true, acknowledgementReason: record.reason };
  });

  const stale = NhiRules.byId('NHI-STALE-ACKNOWLEDGEMENT');
  for (const p of placed) {
    for (const r of p.records) {
      const weak = r.reason.trim().length < MIN_REASON_LENGTH;
      if (!weak && used.has(keyOf(p, r))) continue;
      result.push({
        ruleId: stale.id,
        title: stale.title,
        nhi: stale.nhi,
        nist: stale.nist,
        severity: stale.severity,
        plane: p.plane,
        location: p.location,
        file: p.file,
        message: weak
          ? `acknowledges ${r.rule} without a reason of at least ${MIN_REASON_LENGTH} characters`
          : `acknowledges ${r.rule}, but the rule finds nothing here`,
        fix: stale.fix,
        acknowledged: false,
      });
    }
  }
  return result;
}
