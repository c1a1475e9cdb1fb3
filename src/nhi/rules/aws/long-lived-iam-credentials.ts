import { NhiSeverity, OwaspNhi } from '../../finding';
import { AWS_FIXTURES, awsRule, AwsHit } from '../rule';
import { environmentEntries, secretOfValue } from '../support/aws';

/** The environment names the AWS SDKs read a static access key from. */
const STATIC_KEY_NAME = /(^|_)AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY)$/i;

export const LongLivedIamCredentials = awsRule({
  id: 'NHI-LONG-LIVED-IAM-CREDENTIALS',
  title: 'An IAM user or access key exists',
  nhi: OwaspNhi.NHI7,
  nist: ['IA-5(7)', 'IA-5(f)', 'AC-2'],
  severity: NhiSeverity.HIGH,
  fix: 'use a role (instance profile, task role, IRSA, OIDC federation) instead of an IAM user and its keys',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => {
    const hits: AwsHit[] = Object.entries(ctx.model.resources).flatMap(([logicalId, resource]): AwsHit[] => {
      if (resource.Type === 'AWS::IAM::User') return [{ logicalId, message: 'is an IAM user: a standing identity with long-lived credentials' }];
      if (resource.Type === 'AWS::IAM::AccessKey') {
        // Set by the Terraform reading: the key was created without pgp_key.
        const inState = resource.Properties?.SecretInTerraformState === true;
        return [{ logicalId, message: `is an access key: a static credential that never expires${inState ? '; Terraform creates it without pgp_key, so its secret is kept in the state in clear' : ''}` }];
      }
      return [];
    });
    // A function or task handed an access key pair authenticates as an IAM user, not as its role.
    const keyed = new Map<string, string[]>();
    for (const entry of environmentEntries(ctx.model).filter((e) => STATIC_KEY_NAME.test(e.name))) {
      const where = secretOfValue(ctx.model, entry.value) ?? entry.logicalId;
      keyed.set(where, [...new Set([...(keyed.get(where) ?? []), entry.logicalId])]);
    }
    for (const [logicalId, users] of keyed) {
      const held = logicalId === users[0] && users.length === 1 ? '' : ` for ${users.join(', ')}`;
      hits.push({ logicalId, message: `holds a static IAM access key (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)${held}: the workload authenticates with a long-lived key instead of its role` });
    }
    return hits;
  },
});
