import { CheckedPlane, NhiFinding } from '../finding';
import { NhiRules } from '../rules';
import { toFinding } from './to-finding';
import { acknowledgementKey, isRealReason, MIN_REASON_LENGTH, StaleAcknowledgement } from '../rules/stale-acknowledgement';

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
  const list = (value as Record<string, unknown> | undefined)?.[NhiRules.ACKNOWLEDGEMENTS_KEY];
  return Array.isArray(list) ? list.filter((r) => r && typeof r === 'object').map((r) => ({ rule: String(r.rule), reason: String(r.reason ?? '') })) : [];
}

/** The metadata type under which CDK records `Validations.of(x).acknowledge` on a construct. */
export const CDK_ACKNOWLEDGED_RULES = 'aws:cdk:acknowledged-rules';

/** The plugin name CDK prefixes to the rule ids it suggests acknowledging. */
export const PLUGIN_NAME = 'gateward-nhi';

/**
 * A `Validations.of(x).acknowledge({ id: 'gateward-nhi::<rule>' })` found in the app. CDK matches
 * such an acknowledgement by rule id alone, on every resource of the app, so gateward honours
 * only its own per-resource acknowledgements and reports these as stale.
 */
export interface CdkAcknowledgement {
  /** The construct path it is recorded on, without a leading slash. */
  readonly constructPath: string;
  readonly rule: string;
  /** The template of the stack the construct is in. */
  readonly file: string;
}

/**
 * The acknowledgements of gateward rules among CDK metadata entries (from a construct's
 * `node.metadata`, or a stack's metadata in the cloud assembly).
 */
export function cdkAcknowledgementsIn(
  constructPath: string, file: string, entries: ReadonlyArray<{ type: string; data?: unknown }>,
): CdkAcknowledgement[] {
  const prefix = `${PLUGIN_NAME}::`;
  return entries
    .filter((entry) => entry.type === CDK_ACKNOWLEDGED_RULES && entry.data && typeof entry.data === 'object')
    .flatMap((entry) => Object.keys(entry.data as object))
    .filter((id) => id.startsWith(prefix))
    .map((id) => ({ constructPath: constructPath.replace(/^\//, ''), rule: id.slice(prefix.length), file }));
}

/** How to acknowledge one finding: the call whose record both the plugin and the CLI honour. */
export function acknowledgementCall(finding: NhiFinding): string {
  return `NhiAcknowledgements.acknowledge(<the construct at ${finding.location}>, '${finding.ruleId}', '<why it is acceptable here, at least 20 characters>')`;
}

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
 * Marks findings acknowledged where an acknowledgement for their rule sits on their resource
 * (whatever their severity, informational included), then adds the findings of the
 * stale-acknowledgement rule (`rules/stale-acknowledgement.ts`) for the acknowledgements that
 * match nothing, carry no real reason, or were recorded by CDK for a gateward rule.
 */
export function applyAcknowledgements(
  findings: NhiFinding[], placed: PlacedAcknowledgements[], cdkAcknowledgements: CdkAcknowledgement[] = [],
): NhiFinding[] {
  const used = new Set<string>();
  const index = new Map<string, AcknowledgementRecord>();
  for (const p of placed) for (const r of p.records) if (isRealReason(r.reason)) index.set(acknowledgementKey(p.file, p.location, r.rule), r);

  const result = findings.map((finding) => {
    const key = acknowledgementKey(finding.file, finding.location, finding.ruleId);
    const record = index.get(key);
    if (!record) return finding;
    used.add(key);
    return { ...finding, acknowledged: true, acknowledgementReason: record.reason };
  });
  const stale = StaleAcknowledgement.check({ placed, used, cdkAcknowledgements });
  return [...result, ...stale.map((hit) => toFinding(StaleAcknowledgement.id, hit.location, hit.file, hit.message, undefined, hit.plane, hit.fix))];
}
