import { KEY_AGE_DIMENSIONS, KEY_AGE_METRIC } from '../../spec/key-rotation';

/**
 * Source of the key-age check, deployed inline (it is small and uses only the AWS SDK the Lambda
 * runtime ships). It reads version metadata only (`ListSecretVersionIds`), never a key value, and
 * reports each key's age in days as an embedded metric, so it needs no CloudWatch permission.
 *
 * Environment: SECRETS (JSON list of {name, arn}), GATEWAY, NAMESPACE.
 */
export const KEY_AGE_CHECK_CODE = `
const { SecretsManagerClient, ListSecretVersionIdsCommand } = require('@aws-sdk/client-secrets-manager');
const client = new SecretsManagerClient({});
const DAY_MS = 24 * 60 * 60 * 1000;

async function currentVersionCreated(secretId) {
  let token;
  do {
    const page = await client.send(new ListSecretVersionIdsCommand({ SecretId: secretId, NextToken: token }));
    const current = (page.Versions || []).find((v) => (v.VersionStages || []).includes('AWSCURRENT'));
    if (current) return new Date(current.CreatedDate).getTime();
    token = page.NextToken;
  } while (token);
  throw new Error('secret ' + secretId + ' has no AWSCURRENT version');
}

exports.handler = async () => {
  const secrets = JSON.parse(process.env.SECRETS);
  const now = Date.now();
  const ages = [];
  for (const secret of secrets) {
    const ageDays = Math.floor((now - await currentVersionCreated(secret.arn)) / DAY_MS);
    ages.push({ secret: secret.name, ageDays });
    console.log(JSON.stringify({
      _aws: {
        Timestamp: now,
        CloudWatchMetrics: [{ Namespace: process.env.NAMESPACE, Dimensions: [[${KEY_AGE_DIMENSIONS.map((d) => `'${d}'`).join(', ')}]], Metrics: [{ Name: '${KEY_AGE_METRIC}', Unit: 'Count' }] }],
      },
      ${KEY_AGE_DIMENSIONS[0]}: process.env.GATEWAY,
      ${KEY_AGE_DIMENSIONS[1]}: secret.name,
      ${KEY_AGE_METRIC}: ageDays,
    }));
  }
  return ages;
};
`;
