import { CheckedPlane, NhiSeverity, OwaspNhi } from '../finding';
import { planelessRule } from './rule';
import type { AcknowledgementRecord, CdkAcknowledgement, PlacedAcknowledgements } from '../private/acknowledgements';

/** The minimum length of an acknowledgement's reason: enough to say why, for this resource. */
export const MIN_REASON_LENGTH = 20;

/** True when a reason is long enough to say why the finding is acceptable. */
export const isRealReason = (reason: string) => reason.trim().length >= MIN_REASON_LENGTH;

/** The key under which an acknowledgement and the finding it matches meet: file, location, rule. */
export const acknowledgementKey = (file: string, location: string, rule: string) => `${file}\u0000${location}\u0000${rule}`;

/** What the stale-acknowledgement check reads: every acknowledgement of the input, and which of them matched a finding. */
export interface AcknowledgementsToJudge {
  readonly placed: readonly PlacedAcknowledgements[];
  /** The keys (`acknowledgementKey`) of the acknowledgements that matched a finding, of any severity. */
  readonly used: ReadonlySet<string>;
  readonly cdkAcknowledgements: readonly CdkAcknowledgement[];
}

/** One stale acknowledgement, placed where its record sits (`plane` is that record's output). */
export interface StaleHit {
  readonly plane: CheckedPlane;
  readonly location: string;
  readonly file: string;
  readonly message: string;
  readonly fix?: string;
}

/**
 * Judged where acknowledgements are applied (`applyAcknowledgements`), for both planes at once:
 * an acknowledgement is stale when its resource has no finding of its rule, when it carries no
 * real reason, or when it was written with CDK's app-wide `Validations.of(x).acknowledge`.
 * An acknowledgement of an informational finding matches like any other.
 */
export const StaleAcknowledgement = planelessRule({
  id: 'NHI-STALE-ACKNOWLEDGEMENT',
  title: 'An acknowledgement matches no finding',
  nhi: OwaspNhi.NHI1,
  nist: ['CA-7'],
  severity: NhiSeverity.LOW,
  fix: 'remove the acknowledgement, or move it to the resource the finding is on',
  fixtures: { violating: 'violating.tf.json', compliant: 'compliant.template.json' },
  check: ({ placed, used, cdkAcknowledgements }: AcknowledgementsToJudge): StaleHit[] => [
    ...placed.flatMap((p) => p.records
      .filter((r: AcknowledgementRecord) => !isRealReason(r.reason) || !used.has(acknowledgementKey(p.file, p.location, r.rule)))
      .map((r): StaleHit => ({
        plane: p.plane,
        location: p.location,
        file: p.file,
        message: isRealReason(r.reason)
          ? `acknowledges ${r.rule}, but the rule finds nothing here`
          : `acknowledges ${r.rule} without a reason of at least ${MIN_REASON_LENGTH} characters`,
      }))),
    ...cdkAcknowledgements.map((a): StaleHit => ({
      plane: CheckedPlane.AWS,
      location: a.constructPath.replace(/(\/(Resource|Default))+$/, ''),
      file: a.file,
      message: `acknowledges ${a.rule} with Validations.of(...).acknowledge, which CDK would apply to every resource of the app, so gateward does not honour it`,
      fix: `use NhiAcknowledgements.acknowledge(<the resource>, '${a.rule}', '<why it is acceptable there>') instead`,
    })),
  ],
});
