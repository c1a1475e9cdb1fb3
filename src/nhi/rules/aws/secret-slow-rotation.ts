import { MAX_KEY_ROTATION_DAYS } from '../../../spec/key-rotation';
import { NhiSeverity, OwaspNhi } from '../../finding';
import { logicalIdModel, watchedRotationOf } from '../../private/key-age-watch';
import { AWS_FIXTURES, awsRule, AwsHit } from '../rule';
import { rotationOf } from '../support/aws';

export const SecretSlowRotation = awsRule({
  id: 'NHI-SECRET-SLOW-ROTATION',
  title: 'A secret rotates less often than every 90 days',
  nhi: OwaspNhi.NHI7,
  nist: ['IA-5(f)'],
  severity: NhiSeverity.MEDIUM,
  fix: 'rotate at least every 90 days (30 is recommended)',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => {
    const byLogicalId = logicalIdModel(ctx.model);
    return ctx.model.ofType('AWS::SecretsManager::Secret').flatMap(([logicalId]): AwsHit[] => {
      const scheduled = rotationOf(ctx, logicalId);
      if (scheduled) {
        return scheduled.days !== undefined && scheduled.days > MAX_KEY_ROTATION_DAYS ? [{ logicalId, message: `rotates every ${scheduled.days} days` }] : [];
      }
      const watched = watchedRotationOf(byLogicalId, logicalId);
      return watched && watched.days > MAX_KEY_ROTATION_DAYS
        ? [{ logicalId, message: `is rotated by people, and its age alarm (${ctx.model.pathOf(watched.alarmLogicalId)}) fires only after ${watched.days} days` }]
        : [];
    });
  },
});
