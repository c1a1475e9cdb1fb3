import { NhiSeverity, OwaspNhi } from '../../finding';
import { logicalIdModel, watchedRotationOf } from '../../private/key-age-watch';
import { AWS_FIXTURES, awsRule } from '../rule';
import { rotationOf } from '../support/aws';

export const SecretNoRotation = awsRule({
  id: 'NHI-SECRET-NO-ROTATION',
  title: 'A secret has no rotation schedule',
  nhi: OwaspNhi.NHI7,
  nist: ['IA-5(f)'],
  severity: NhiSeverity.HIGH,
  fix: 'attach a rotation schedule (at most 90 days); for a key people rotate, alarm on its age instead (ProviderKeyRotation.manual() adds the KeyAgeMonitor that does)',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => {
    const byLogicalId = logicalIdModel(ctx.model);
    // People rotate a key that has no rotation API; an alarm on its age is what holds them to the period.
    return ctx.model.ofType('AWS::SecretsManager::Secret')
      .filter(([id]) => !rotationOf(ctx, id) && !watchedRotationOf(byLogicalId, id))
      .map(([logicalId]) => ({ logicalId, message: 'has no rotation schedule, and no key-age alarm watches it' }));
  },
});
