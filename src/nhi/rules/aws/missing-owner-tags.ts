import { NhiSeverity, OwaspNhi } from '../../finding';
import { asList } from '../../private/cfn-template';
import { AWS_FIXTURES, awsRule, AwsHit } from '../rule';

/** Identities and secrets: what an owner must answer for when its workload is gone. */
const OWNED_TYPES = ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::SecretsManager::Secret'];

export const MissingOwnerTags = awsRule({
  id: 'NHI-MISSING-OWNER-TAGS',
  title: 'An identity or secret does not carry the owner tags asked for',
  nhi: OwaspNhi.NHI1,
  nist: ['AC-2', 'CM-8'],
  severity: NhiSeverity.LOW,
  fix: 'tag the identity or secret with its owners under the keys the check is configured with (ownerTagKeys, --owner-tags)',
  fixtures: AWS_FIXTURES,
  // Judged only for keys the user configured: a tagging convention is the user's, not the rule pack's.
  checkTemplate: (ctx) => (ctx.ownerTagKeys.length === 0 ? [] : ctx.model.ofType('AWS::IAM::Role')
    .concat(...OWNED_TYPES.slice(1).map((t) => ctx.model.ofType(t)))
    .flatMap(([logicalId, resource]): AwsHit[] => {
      const tags = resource.Properties?.Tags;
      const keys = Array.isArray(tags) ? asList(tags as Array<{ Key?: unknown }>).map((t) => String(t?.Key))
        : tags && typeof tags === 'object' ? Object.keys(tags) : [];
      const missing = ctx.ownerTagKeys.filter((k) => !keys.includes(k));
      return missing.length > 0 ? [{ logicalId, message: `has no ${missing.join(', ')} tag${missing.length > 1 ? 's' : ''}` }] : [];
    })),
});
