import { KEY_AGE_DIMENSIONS, KEY_AGE_METRIC } from '../../spec/key-rotation';

/**
 * Source of the key-age check, deployed inline (it is small and uses only the AWS SDK the Lambda
 * runtime ships). It reads its list of keys from the SSM parameters under WATCH_PATH (one per
 * key, `{"name","arn"}`, written by each key's cell stack, so the function's environment does not
 * grow with tenants), reads version metadata only (`ListSecretVersionIds`), never a key value, and
 * reports each key's age in days as an embedded metric, so it needs no CloudWatch permission.
 *
 * Environment: WATCH_PATH, GATEWAY, NAMESPACE.
 */
export const KEY_AGE_CHECK_CODE = `
const { SecretsManagerClient, ListSecretVersionIdsCommand } = require('@aws-sdk/client-secrets-manager');
const { SSMClient, GetParametersByPathCommand } = require('@aws-sdk/client-ssm');
const client = new SecretsManagerClient({});
const ssm = new SSMClient({});
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

async function watchedSecrets() {
  const secrets = [];
  let token;
  do {
    const page = await ssm.send(new GetParametersByPathCommand({ Path: process.env.WATCH_PATH, Recursive: true, NextToken: token }));
    for (const parameter of page.Parameters || []) secrets.push(JSON.parse(parameter.Value));
    token = page.NextToken;
  } while (token);
  return secrets.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

exports.handler = async () => {
  const secrets = await watchedSecrets();
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
