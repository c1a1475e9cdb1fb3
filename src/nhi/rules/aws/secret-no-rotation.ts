import { NhiSeverity, OwaspNhi } from '../../finding';
import { logicalIdModel, watchedRotationOf } from '../../private/key-age-watch';
import { AWS_FIXTURES, awsRule } from '../rule';
import { rotationOf } from '../support/aws';

/** What a SecureString parameter holding a credential is named (its name, or its Terraform address). */
const CREDENTIAL_NAME = /(api[-_]?key|master[-_]?key|access[-_]?key|secret|password|passwd|token|credential|database[-_]?url|db[-_]?url|connection[-_]?string)/i;
/** Keys that encrypt stored data (a salt, a data key): rotating them means re-encrypting, not replacing a credential. */
const DATA_KEY_NAME = /(salt|encryption[-_]?key|data[-_]?key)/i;

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
    const secrets = ctx.model.ofType('AWS::SecretsManager::Secret')
      .filter(([id]) => !rotationOf(ctx, id) && !watchedRotationOf(byLogicalId, id))
      .map(([logicalId]) => ({ logicalId, message: 'has no rotation schedule, and no key-age alarm watches it' }));
    // A SecureString parameter holding a credential: Parameter Store has no rotation of its own.
    const parameters = ctx.model.ofType('AWS::SSM::Parameter').filter(([id, parameter]) => {
      const named = `${String(parameter.Properties?.Name ?? '')} ${ctx.model.pathOf(id)}`;
      return parameter.Properties?.Type === 'SecureString' && CREDENTIAL_NAME.test(named) && !DATA_KEY_NAME.test(named);
    }).map(([logicalId]) => ({ logicalId, message: 'is a SecureString parameter holding a credential: Parameter Store does not rotate it, and nothing here does' }));
    return [...secrets, ...parameters];
  },
});
