import { NhiSeverity, OwaspNhi } from '../../finding';
import { AWS_FIXTURES, awsRule, AwsHit } from '../rule';
import { environmentEntries, isLiteralString, urlWithPassword } from '../support/aws';

/** Variable names that hold a credential, not a pointer to one (an ARN, a secret's name, a header's name). */
const SECRET_NAME = /(api_?key|apikey|access_?key|secret|password|passwd|pwd|token|private_?key|credential|auth_?key|master_?key)s?$/i;
const POINTER_NAME = /(_arn|_name|_id|_url|_uri|_header|_path|_file|_region|_ttl|_env|_type|_endpoint|_prefix|_param(eter)?)$/i;
/** Values that are settings, not secrets. */
const PLAIN_VALUE = /^(true|false|yes|no|on|off|none|null|enabled|disabled|required|optional|\d+)$/i;

/** Literal secrets in the properties of database and cache resources, by type. */
const PASSWORD_PROPERTIES: Record<string, string[]> = {
  'AWS::RDS::DBInstance': ['MasterUserPassword'],
  'AWS::RDS::DBCluster': ['MasterUserPassword'],
  'AWS::DocDB::DBCluster': ['MasterUserPassword'],
  'AWS::Redshift::Cluster': ['MasterUserPassword'],
  'AWS::ElastiCache::ReplicationGroup': ['AuthToken'],
  'AWS::OpenSearchService::Domain': [],
};

function literalSecret(name: string, value: unknown): string | undefined {
  if (!isLiteralString(value) || value.trim() === '') return undefined;
  if (urlWithPassword(value)) return `${name} holds a connection URL with its password`;
  if (!SECRET_NAME.test(name) || POINTER_NAME.test(name)) return undefined;
  if (PLAIN_VALUE.test(value) || value.startsWith('arn:') || value.length < 4) return undefined;
  return `${name} holds a literal value`;
}

export const CfnSecretLiteral = awsRule({
  id: 'NHI-CFN-SECRET-LITERAL',
  title: 'A secret value is written literally into the template',
  nhi: OwaspNhi.NHI2,
  nist: ['IA-5(7)', 'SC-28'],
  severity: NhiSeverity.CRITICAL,
  fix: 'keep the value in Secrets Manager or SSM SecureString and pass a reference: ECS Secrets, a {{resolve:secretsmanager:...}} dynamic reference, or the secret\'s ARN for the function to read',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => {
    const hits: AwsHit[] = [];
    for (const entry of environmentEntries(ctx.model).filter((e) => !e.fromSecret)) {
      const problem = literalSecret(entry.name, entry.value);
      if (problem) hits.push({ logicalId: entry.logicalId, message: `${problem}, written into its environment: the value is in the template for every reader of it` });
    }
    for (const [logicalId, resource] of Object.entries(ctx.model.resources)) {
      const props = resource.Properties ?? {};
      if (resource.Type === 'AWS::SecretsManager::Secret' && isLiteralString(props.SecretString) && props.SecretString !== '') {
        hits.push({ logicalId, message: 'sets SecretString literally: the secret value is in the template' });
      }
      for (const property of PASSWORD_PROPERTIES[resource.Type] ?? []) {
        if (isLiteralString(props[property]) && props[property] !== '') hits.push({ logicalId, message: `sets ${property} literally` });
      }
    }
    return hits;
  },
});
