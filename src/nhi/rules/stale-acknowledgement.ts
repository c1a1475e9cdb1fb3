import { NhiSeverity, OwaspNhi } from '../finding';
import { planelessRule } from './rule';

/**
 * Judged where acknowledgements are applied (`applyAcknowledgements`), for both planes at once:
 * an acknowledgement is stale when its resource has no finding of its rule, when it carries no
 * real reason, or when it was written with CDK's app-wide `Validations.of(x).acknowledge`.
 */
export const StaleAcknowledgement = planelessRule({
  id: 'NHI-STALE-ACKNOWLEDGEMENT',
  title: 'An acknowledgement matches no finding',
  nhi: OwaspNhi.NHI1,
  nist: ['CA-7'],
  severity: NhiSeverity.LOW,
  fix: 'remove the acknowledgement, or move it to the resource the finding is on',
  fixtures: { violating: 'violating.tf.json', compliant: 'compliant.template.json' },
});
