import * as cdk from 'aws-cdk-lib';
import { GatewaySpec, GatewaySpecValidator } from '../../src';
import { specWith, validSpec } from '../fixtures/specs';

/**
 * One row per bad input: a mutation of the valid fixture, the exact field path the validator must
 * report, and a pattern its message must match. Every row must produce a problem at that path, and
 * every problem must name its value and a fix. Rows are grouped by spec field.
 */
type Row = [name: string, change: (s: any) => void, path: string, message: RegExp];

const OWNER_ROLE = 'owners.credentialLifecycle.roleArn';
const WORKLOAD_ROLE = 'tenants[0].workloads[0].roleArn';
const VAULT = { address: 'https://vault.example.com:8200' };

const rows: Row[] = [
  // ---- unknown keys at every level -----------------------------------------------------------
  ['unknown top-level key', (s) => { s.suspend = { tenants: ['alpha'] }; }, 'suspend', /is not a field of the gateway spec/],
  ['unknown aws key', (s) => { s.aws.accountId = '123456789012'; }, 'aws.accountId', /is not a field of the AWS environment/],
  ['unknown owners key', (s) => { s.owners.finance = { contact: 'fin' }; }, 'owners.finance', /is not a field of the gateway owners/],
  ['unknown owner key', (s) => { s.owners.operations.email = 'ops@example.com'; }, 'owners.operations.email', /is not a field of the operations owner/],
  ['unknown tenant key', (s) => { s.tenants[0].workload = []; }, 'tenants[0].workload', /is not a field of a tenant/],
  ['unknown tenant key foundationModel', (s) => { s.tenants[1].foundationModel = 'anthropic.claude-v2'; }, 'tenants[1].foundationModel', /is not a field of a tenant/],
  ['unknown workload key', (s) => { s.tenants[1].workloads[0].role = 'x'; }, 'tenants[1].workloads[0].role', /is not a field of a workload/],
  ['unknown service-account key', (s) => { s.tenants[0].workloads[1].eksServiceAccount.serviceAccount = 'x'; }, 'tenants[0].workloads[1].eksServiceAccount.serviceAccount', /is not a field of the EKS service account/],
  ['unknown inference-profile key', (s) => { s.tenants[1].inferenceProfiles[0].region = 'us-east-1'; }, 'tenants[1].inferenceProfiles[0].region', /is not a field of an inference profile/],
  ['unknown provider-key key', (s) => { s.tenants[1].providerKeys[0].secret = 'sk-123'; }, 'tenants[1].providerKeys[0].secret', /is not a field of a provider key/],
  ['unknown data-store key', (s) => { s.tenants[0].dataStores[0].password = 'hunter2'; }, 'tenants[0].dataStores[0].password', /is not a field of a data store/],
  ['unknown ttls key', (s) => { s.ttls = { tokens: {} }; }, 'ttls.tokens', /is not a field of the TTL policy/],
  ['unknown TTL bounds key', (s) => { s.ttls = { databaseCredentials: { default: 900 } }; }, 'ttls.databaseCredentials.default', /is not a field of the databaseCredentials TTLs/],
  ['unknown suspended key', (s) => { s.suspended = { workload: ['alpha-app'] }; }, 'suspended.workload', /is not a field of the suspension list/],
  ['unknown vault key', (s) => { s.vault = { ...VAULT, token: 's.abc' }; }, 'vault.token', /is not a field of the Vault server/],

  // ---- region ------------------------------------------------------------------------------
  ['region that does not exist', (s) => { s.aws.region = 'us-east-7'; }, 'aws.region', /is not an AWS region/],
  ['region of the right shape, made up', (s) => { s.aws.region = 'eu-middle-1'; }, 'aws.region', /is not an AWS region/],
  ['destination region that does not exist', (s) => { s.tenants[1].inferenceProfiles[0].destinationRegions = ['us-east-1', 'us-west-9']; }, 'tenants[1].inferenceProfiles[0].destinationRegions[1]', /is not an AWS region/],

  // ---- role ARNs ---------------------------------------------------------------------------
  ['owner role is the account root', (s) => { s.owners.credentialLifecycle.roleArn = 'arn:aws:iam::123456789012:root'; }, OWNER_ROLE, /names the account root/],
  ['workload role is the account root', (s) => { s.tenants[0].workloads[0].roleArn = 'arn:aws:iam::123456789012:root'; }, WORKLOAD_ROLE, /names the account root/],
  ['workload role is a bare account id', (s) => { s.tenants[0].workloads[0].roleArn = '123456789012'; }, WORKLOAD_ROLE, /names the account root/],
  ['workload role is *', (s) => { s.tenants[0].workloads[0].roleArn = '*'; }, WORKLOAD_ROLE, /contains a wildcard/],
  ['role ARN with : in its path', (s) => { s.tenants[0].workloads[0].roleArn = 'arn:aws:iam::123456789012:role/team:a/alpha-app'; }, WORKLOAD_ROLE, /has a ":" in its role path/],
  ['owner role ARN with : in its path', (s) => { s.owners.policy.roleArn = 'arn:aws:iam::123456789012:role/a:b/'; }, 'owners.policy.roleArn', /has a ":" in its role path/],

  // ---- separation of duties ------------------------------------------------------------------
  ['credential owner is a target role', (s) => { s.owners.credentialLifecycle.roleArn = 'arn:aws:iam::123456789012:role/test-gw-beta-key-openai'; }, OWNER_ROLE, /is the gateway's own role "test-gw-beta-key-openai"/],
  ['credential owner is the models target role', (s) => { s.owners.credentialLifecycle.roleArn = 'arn:aws:iam::123456789012:role/ops/TEST-GW-ALPHA-MODELS'; }, OWNER_ROLE, /is the gateway's own role "test-gw-alpha-models"/],
  ['credential owner is a router cell\'s role', (s) => { s.owners.credentialLifecycle.roleArn = 'arn:aws:iam::123456789012:role/test-gw-beta-router'; }, OWNER_ROLE, /is the gateway's own role "test-gw-beta-router"/],
  ['credential owner is the broker role', (s) => { s.owners.credentialLifecycle.roleArn = 'arn:aws:iam::123456789012:role/test-gw-broker'; }, OWNER_ROLE, /is the gateway's own role "test-gw-broker"/],
  ['credential owner is a workload role', (s) => { s.owners.credentialLifecycle.roleArn = 'arn:aws:iam::123456789012:role/alpha-app'; }, OWNER_ROLE, /is also the workload role at tenants\[0\]\.workloads\[0\]\.roleArn/],
  ['credential owner is a workload role under another path and case', (s) => { s.owners.credentialLifecycle.roleArn = 'arn:aws:iam::210987654321:role/x/BETA-APP'; }, OWNER_ROLE, /is also the workload role at tenants\[1\]\.workloads\[0\]\.roleArn/],
  ['workload role is a router cell\'s role', (s) => { s.tenants[0].workloads[0].roleArn = 'arn:aws:iam::123456789012:role/test-gw-beta-router'; }, WORKLOAD_ROLE, /is the gateway's own role "test-gw-beta-router"/],
  ['workload role is the broker role', (s) => { s.tenants[0].workloads[0].roleArn = 'arn:aws:iam::123456789012:role/Test-Gw-Broker'; }, WORKLOAD_ROLE, /is the gateway's own role "test-gw-broker"/],
  ['workload role is another tenant\'s target role', (s) => { s.tenants[0].workloads[0].roleArn = 'arn:aws:iam::123456789012:role/test-gw-beta-key-openai'; }, WORKLOAD_ROLE, /is the gateway's own role/],

  // ---- the Vault server ------------------------------------------------------------------------
  ['Vault address with port 99999', (s) => { s.vault = { address: 'https://vault.example.com:99999' }; }, 'vault.address', /has the port "99999", which is not a TCP port/],
  ['Vault address with port 0', (s) => { s.vault = { address: 'https://vault.example.com:0' }; }, 'vault.address', /has the port "0"/],
  ['Vault address with an empty port', (s) => { s.vault = { address: 'https://vault.example.com:' }; }, 'vault.address', /has the port ""/],
  ['Vault address with credentials', (s) => { s.vault = { address: 'https://root:token@vault.example.com' }; }, 'vault.address', /holds user information/],
  ['Vault address with a query', (s) => { s.vault = { address: 'https://vault.example.com?x=1' }; }, 'vault.address', /no path or trailing slash/],
  ['Vault address without a host', (s) => { s.vault = { address: 'https://:8200' }; }, 'vault.address', /is not a valid host name/],
  ['Vault address with a bad host', (s) => { s.vault = { address: 'https://vault_1.example.com' }; }, 'vault.address', /is not a valid host name/],
  ['Vault address that is not a URL', (s) => { s.vault = { address: 'vault.example.com' }; }, 'vault.address', /must be an https:\/\/ address/],
  ['header value with CR LF', (s) => { s.vault = { ...VAULT, iamServerIdHeaderValue: 'vault.example.com\r\nX-Evil: 1' }; }, 'vault.iamServerIdHeaderValue', /contains a line break \(CR or LF\)/],
  ['header value with LF', (s) => { s.vault = { ...VAULT, iamServerIdHeaderValue: 'vault\n' }; }, 'vault.iamServerIdHeaderValue', /contains a line break/],
  ['header value with a control character', (s) => { s.vault = { ...VAULT, iamServerIdHeaderValue: 'vault\u0000' }; }, 'vault.iamServerIdHeaderValue', /contains a control character/],
  ['header value with surrounding space', (s) => { s.vault = { ...VAULT, iamServerIdHeaderValue: ' vault.example.com' }; }, 'vault.iamServerIdHeaderValue', /white space/],
  ['token address without a header value', (s) => { s.vault = { address: cdk.Lazy.string({ produce: () => 'https://v' }) }; }, 'vault.iamServerIdHeaderValue', /vault\.address is an unresolved token/],

  // ---- data stores ---------------------------------------------------------------------------
  ['the public schema', (s) => { s.tenants[0].dataStores[0].schema = 'public'; }, 'tenants[0].dataStores[0].schema', /shared default schema/],
  ['two tenants on one schema', (s) => { s.tenants[1].dataStores = [{ id: 'docs', host: 'DB.internal.example.com', port: 5432, database: 'docs', schema: 'alpha' }]; }, 'tenants[1].dataStores[0].schema', /is the same database schema as tenants\[0\]\.dataStores\[0\]\.schema of tenants\[0\]/],

  // ---- guardrails ------------------------------------------------------------------------------
  ['unknown guardrail key', (s) => { s.tenants[0].guardrails = [{ id: 'gr0alpha1', versions: ['1'] }]; }, 'tenants[0].guardrails[0].versions', /is not a field of a guardrail/],
  ['guardrails not a list', (s) => { s.tenants[0].guardrails = 'gr0alpha1'; }, 'tenants[0].guardrails', /must be a list/],
  ['guardrail a string', (s) => { s.tenants[0].guardrails = ['gr0alpha1']; }, 'tenants[0].guardrails[0]', /a guardrail must be an object/],
  ['guardrail id missing', (s) => { s.tenants[0].guardrails = [{ version: '1' }]; }, 'tenants[0].guardrails[0].id', /the guardrail id is missing/],
  ['guardrail id with a hyphen', (s) => { s.tenants[0].guardrails = [{ id: 'gr-abc123xyz' }]; }, 'tenants[0].guardrails[0].id', /lower-case letters and digits only/],
  ['guardrail id an ARN', (s) => { s.tenants[0].guardrails = [{ id: 'arn:aws:bedrock:us-east-1:123456789012:guardrail/gr0alpha1' }]; }, 'tenants[0].guardrails[0].id', /not a name or an ARN/],
  ['guardrail id a wildcard', (s) => { s.tenants[0].guardrails = [{ id: '*' }]; }, 'tenants[0].guardrails[0].id', /lower-case letters and digits only/],
  ['guardrail version 0', (s) => { s.tenants[0].guardrails = [{ id: 'gr0alpha1', version: '0' }]; }, 'tenants[0].guardrails[0].version', /is not a guardrail version/],
  ['guardrail version a number', (s) => { s.tenants[0].guardrails = [{ id: 'gr0alpha1', version: 1 }]; }, 'tenants[0].guardrails[0].version', /is not a guardrail version/],
  ['guardrail version lower-case draft', (s) => { s.tenants[0].guardrails = [{ id: 'gr0alpha1', version: 'draft' }]; }, 'tenants[0].guardrails[0].version', /is not a guardrail version/],
  ['guardrail twice', (s) => { s.tenants[0].guardrails = [{ id: 'gr0alpha1' }, { id: 'gr0alpha1', version: '2' }]; }, 'tenants[0].guardrails[1].id', /duplicate guardrail \(first defined at tenants\[0\]\.guardrails\[0\]\.id\)/],
  ['guardrail for a tenant without models', (s) => { delete s.tenants[0].foundationModels; s.tenants[0].guardrails = [{ id: 'gr0alpha1' }]; }, 'tenants[0].guardrails', /has no Bedrock models/],

  // ---- the gateway name ------------------------------------------------------------------------
  ['name missing', (s) => { delete s.name; }, 'name', /gateway name is missing/],
  ['name a number', (s) => { s.name = 42; }, 'name', /gateway name must be a string/],
  ['name upper case', (s) => { s.name = 'Test-GW'; }, 'name', /gateway name may contain lower-case letters/],
  ['name 33 characters', (s) => { s.name = `a${'b'.repeat(32)}`; }, 'name', /gateway name is 33 characters; it must be 3 to 32/],
  ['name ending in a hyphen', (s) => { s.name = 'test-gw-'; }, 'name', /gateway name may contain/],
  ['name with a double hyphen', (s) => { s.name = 'test--gw'; }, 'name', /gateway name may contain/],
  ['name starting with a digit', (s) => { s.name = '1gw'; }, 'name', /gateway name may contain/],
  ['name a token', (s) => { s.name = cdk.Lazy.string({ produce: () => 'gw' }); }, 'name', /gateway name is an unresolved token/],
  ['name a wildcard', (s) => { s.name = 'gw-*'; }, 'name', /contains a wildcard/],

  // ---- aws ---------------------------------------------------------------------------------
  ['aws missing', (s) => { delete s.aws; }, 'aws', /the AWS environment \(account, region\) is missing/],
  ['aws a string', (s) => { s.aws = 'us-east-1'; }, 'aws', /must be an object/],
  ['aws a list', (s) => { s.aws = []; }, 'aws', /must be an object/],
  ['account missing', (s) => { delete s.aws.account; }, 'aws.account', /the AWS account id is missing/],
  ['account a number', (s) => { s.aws.account = 123456789012; }, 'aws.account', /must be a string/],
  ['account 11 digits', (s) => { s.aws.account = '12345678901'; }, 'aws.account', /exactly 12 digits/],
  ['account 13 digits', (s) => { s.aws.account = '1234567890123'; }, 'aws.account', /exactly 12 digits/],
  ['account with letters', (s) => { s.aws.account = '12345678901a'; }, 'aws.account', /exactly 12 digits/],
  ['region missing', (s) => { delete s.aws.region; }, 'aws.region', /the AWS region is missing/],
  ['region a number', (s) => { s.aws.region = 1; }, 'aws.region', /must be a string/],
  ['region a wildcard', (s) => { s.aws.region = 'us-*'; }, 'aws.region', /contains a wildcard/],
  ['region in upper case', (s) => { s.aws.region = 'US-EAST-1'; }, 'aws.region', /is not an AWS region code/],
  ['partition a number', (s) => { s.aws.partition = 1; }, 'aws.partition', /is not a known AWS partition/],
  ['partition that does not hold the region', (s) => { s.aws.partition = 'aws-us-gov'; }, 'aws.partition', /region "us-east-1" is in partition "aws"/],

  // ---- owners ------------------------------------------------------------------------------
  ['owners missing', (s) => { delete s.owners; }, 'owners', /the gateway owners .* is missing/],
  ['owners a list', (s) => { s.owners = []; }, 'owners', /must be an object/],
  ['policy owner missing', (s) => { delete s.owners.policy; }, 'owners.policy', /the policy owner is missing/],
  ['operations owner null', (s) => { s.owners.operations = null; }, 'owners.operations', /the operations owner is missing/],
  ['owner a string', (s) => { s.owners.policy = 'policy-team'; }, 'owners.policy', /the policy owner must be an object/],
  ['owner contact a number', (s) => { s.owners.operations.contact = 7; }, 'owners.operations.contact', /contact must be a string/],
  ['owner contact empty', (s) => { s.owners.operations.contact = ''; }, 'owners.operations.contact', /contact is missing/],
  ['owner contact 257 characters', (s) => { s.owners.operations.contact = 'a'.repeat(257); }, 'owners.operations.contact', /becomes a tag value/],
  ['owner contact with a line break', (s) => { s.owners.operations.contact = 'ops\nteam'; }, 'owners.operations.contact', /becomes a tag value/],
  ['owner role a number', (s) => { s.owners.policy.roleArn = 1; }, 'owners.policy.roleArn', /must be a string/],
  ['owner role a user', (s) => { s.owners.policy.roleArn = 'arn:aws:iam::123456789012:user/alice'; }, 'owners.policy.roleArn', /is not an IAM role ARN/],
  ['owner role a wildcard', (s) => { s.owners.operations.roleArn = 'arn:aws:iam::123456789012:role/ops-*'; }, 'owners.operations.roleArn', /contains a wildcard/],
  ['owner role empty', (s) => { s.owners.operations.roleArn = ''; }, 'owners.operations.roleArn', /role is missing/],
  ['owner role in another partition', (s) => { s.owners.operations.roleArn = 'arn:aws-cn:iam::123456789012:role/ops'; }, 'owners.operations.roleArn', /IAM cannot trust across partitions/],
  ['owner role with a 65-character name', (s) => { s.owners.operations.roleArn = `arn:aws:iam::123456789012:role/${'r'.repeat(65)}`; }, 'owners.operations.roleArn', /role name of 65 characters; IAM allows 64/],
  ['owner role an assumed-role session', (s) => { s.owners.operations.roleArn = 'arn:aws:sts::123456789012:assumed-role/ops/me'; }, 'owners.operations.roleArn', /assumed-role session ARN/],

  // ---- tenants -----------------------------------------------------------------------------
  ['tenants missing', (s) => { delete s.tenants; }, 'tenants', /tenants is missing/],
  ['tenants a string', (s) => { s.tenants = 'alpha'; }, 'tenants', /tenants must be a list/],
  ['a tenant null', (s) => { s.tenants[1] = null; }, 'tenants[1]', /a tenant is missing/],
  ['a tenant a string', (s) => { s.tenants[1] = 'beta'; }, 'tenants[1]', /a tenant must be an object/],
  ['tenant id missing', (s) => { delete s.tenants[0].id; }, 'tenants[0].id', /tenant id is missing/],
  ['tenant id a number', (s) => { s.tenants[0].id = 1; }, 'tenants[0].id', /tenant id must be a string/],
  ['tenant id 64 characters', (s) => { s.tenants[0].id = `a${'b'.repeat(63)}`; }, 'tenants[0].id', /tenant id is 64 characters; it must be 1 to 63/],
  ['tenant id a wildcard', (s) => { s.tenants[0].id = 'alpha*'; }, 'tenants[0].id', /contains a wildcard/],
  ['tenant id with an underscore', (s) => { s.tenants[0].id = 'al_pha'; }, 'tenants[0].id', /tenant id may contain/],
  ['tenant description a number', (s) => { s.tenants[0].description = 5; }, 'tenants[0].description', /must be a string/],
  ['tenant description 257 characters', (s) => { s.tenants[0].description = 'd'.repeat(257); }, 'tenants[0].description', /is 257 characters; at most 256/],
  ['tenant description with a control character', (s) => { s.tenants[0].description = 'a\u0007b'; }, 'tenants[0].description', /contains control characters/],
  ['workloads missing', (s) => { delete s.tenants[1].workloads; }, 'tenants[1].workloads', /workloads is missing/],
  ['workloads an object', (s) => { s.tenants[1].workloads = {}; }, 'tenants[1].workloads', /workloads must be a list/],
  ['a workload a string', (s) => { s.tenants[1].workloads = ['beta-app']; }, 'tenants[1].workloads[0]', /a workload must be an object/],

  // ---- workloads ---------------------------------------------------------------------------
  ['workload id missing', (s) => { delete s.tenants[0].workloads[0].id; }, 'tenants[0].workloads[0].id', /workload id is missing/],
  ['workload id upper case', (s) => { s.tenants[0].workloads[0].id = 'Alpha-App'; }, 'tenants[0].workloads[0].id', /workload id may contain/],
  ['workload id a token', (s) => { s.tenants[0].workloads[0].id = cdk.Lazy.string({ produce: () => 'a' }); }, 'tenants[0].workloads[0].id', /workload id is an unresolved token/],
  ['workload description with a line break', (s) => { s.tenants[0].workloads[0].description = 'a\nb'; }, 'tenants[0].workloads[0].description', /contains control characters/],
  ['workload role a number', (s) => { s.tenants[0].workloads[0].roleArn = 12; }, WORKLOAD_ROLE, /must be a string/],
  ['workload role null', (s) => { s.tenants[0].workloads[0].roleArn = null; }, WORKLOAD_ROLE, /the workload role is missing/],
  ['workload role in an unknown partition', (s) => { s.tenants[0].workloads[0].roleArn = 'arn:aws-mars:iam::123456789012:role/a'; }, WORKLOAD_ROLE, /unknown partition "aws-mars"/],
  ['workload role with a region', (s) => { s.tenants[0].workloads[0].roleArn = 'arn:aws:iam:us-east-1:123456789012:role/a'; }, WORKLOAD_ROLE, /is not an IAM role ARN/],
  ['workload role with a space', (s) => { s.tenants[0].workloads[0].roleArn = 'arn:aws:iam::123456789012:role/alpha app'; }, WORKLOAD_ROLE, /is not an IAM role ARN/],
  ['service account a string', (s) => { s.tenants[0].workloads[1].eksServiceAccount = 'alpha-job'; }, 'tenants[0].workloads[1].eksServiceAccount', /must be an object/],
  ['issuer missing', (s) => { delete s.tenants[0].workloads[1].eksServiceAccount.oidcIssuerUrl; }, 'tenants[0].workloads[1].eksServiceAccount.oidcIssuerUrl', /the OIDC issuer URL is missing/],
  ['issuer with a fragment', (s) => { s.tenants[0].workloads[1].eksServiceAccount.oidcIssuerUrl += '#a'; }, 'tenants[0].workloads[1].eksServiceAccount.oidcIssuerUrl', /no trailing slash, query or fragment/],
  ['issuer a wildcard', (s) => { s.tenants[0].workloads[1].eksServiceAccount.oidcIssuerUrl = 'https://oidc.eks.us-east-1.amazonaws.com/id/*'; }, 'tenants[0].workloads[1].eksServiceAccount.oidcIssuerUrl', /contains a wildcard/],
  ['namespace missing', (s) => { delete s.tenants[0].workloads[1].eksServiceAccount.namespace; }, 'tenants[0].workloads[1].eksServiceAccount.namespace', /namespace is missing/],
  ['namespace upper case', (s) => { s.tenants[0].workloads[1].eksServiceAccount.namespace = 'Alpha'; }, 'tenants[0].workloads[1].eksServiceAccount.namespace', /is not a valid Kubernetes namespace/],
  ['namespace 64 characters', (s) => { s.tenants[0].workloads[1].eksServiceAccount.namespace = 'n'.repeat(64); }, 'tenants[0].workloads[1].eksServiceAccount.namespace', /at most 63/],
  ['namespace with a dot', (s) => { s.tenants[0].workloads[1].eksServiceAccount.namespace = 'a.b'; }, 'tenants[0].workloads[1].eksServiceAccount.namespace', /is not a valid Kubernetes namespace/],
  ['service account name invalid', (s) => { s.tenants[0].workloads[1].eksServiceAccount.name = 'job_1'; }, 'tenants[0].workloads[1].eksServiceAccount.name', /is not a valid Kubernetes service account name/],
  ['service account name a wildcard', (s) => { s.tenants[0].workloads[1].eksServiceAccount.name = '*'; }, 'tenants[0].workloads[1].eksServiceAccount.name', /contains a wildcard/],
  ['audience empty', (s) => { s.tenants[0].workloads[1].eksServiceAccount.audience = ''; }, 'tenants[0].workloads[1].eksServiceAccount.audience', /the token audience is missing/],
  ['audience a number', (s) => { s.tenants[0].workloads[1].eksServiceAccount.audience = 1; }, 'tenants[0].workloads[1].eksServiceAccount.audience', /must be a string/],
  ['audience a wildcard', (s) => { s.tenants[0].workloads[1].eksServiceAccount.audience = 'vault-*'; }, 'tenants[0].workloads[1].eksServiceAccount.audience', /contains a wildcard/],

  // ---- foundation models and inference profiles ----------------------------------------------
  ['foundation models a string', (s) => { s.tenants[0].foundationModels = 'anthropic.claude-v2'; }, 'tenants[0].foundationModels', /foundationModels must be a list/],
  ['foundation model a number', (s) => { s.tenants[0].foundationModels = [1]; }, 'tenants[0].foundationModels[0]', /must be a string/],
  ['foundation model empty', (s) => { s.tenants[0].foundationModels = ['']; }, 'tenants[0].foundationModels[0]', /foundation-model id is missing/],
  ['foundation model a token', (s) => { s.tenants[0].foundationModels = [cdk.Lazy.string({ produce: () => 'a.b' })]; }, 'tenants[0].foundationModels[0]', /is an unresolved token/],
  ['foundation model without a provider', (s) => { s.tenants[0].foundationModels = ['claude-v2']; }, 'tenants[0].foundationModels[0]', /is not a Bedrock foundation-model id/],
  ['foundation model upper case', (s) => { s.tenants[0].foundationModels = ['Anthropic.Claude-V2']; }, 'tenants[0].foundationModels[0]', /is not a Bedrock foundation-model id/],
  ['inference profiles an object', (s) => { s.tenants[1].inferenceProfiles = {}; }, 'tenants[1].inferenceProfiles', /inferenceProfiles must be a list/],
  ['inference profile a string', (s) => { s.tenants[1].inferenceProfiles = ['us.anthropic.claude-v2']; }, 'tenants[1].inferenceProfiles[0]', /an inference profile must be an object/],
  ['inference profile id missing', (s) => { delete s.tenants[1].inferenceProfiles[0].id; }, 'tenants[1].inferenceProfiles[0].id', /inference-profile id is missing/],
  ['inference profile of an unknown geography', (s) => { s.tenants[1].inferenceProfiles[0].id = 'mars.anthropic.claude-v2'; }, 'tenants[1].inferenceProfiles[0].id', /is not a system-defined inference-profile id/],
  ['inference profile an ARN', (s) => { s.tenants[1].inferenceProfiles[0].id = 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.a.b'; }, 'tenants[1].inferenceProfiles[0].id', /is an ARN/],
  ['destination regions empty', (s) => { s.tenants[1].inferenceProfiles[0].destinationRegions = []; }, 'tenants[1].inferenceProfiles[0].destinationRegions', /a geographic profile needs the regions it routes to/],
  ['destination regions a string', (s) => { s.tenants[1].inferenceProfiles[0].destinationRegions = 'us-east-1'; }, 'tenants[1].inferenceProfiles[0].destinationRegions', /must be a list/],
  ['destination region a number', (s) => { s.tenants[1].inferenceProfiles[0].destinationRegions = [1]; }, 'tenants[1].inferenceProfiles[0].destinationRegions[0]', /must be a string/],
  ['destination region listed twice', (s) => { s.tenants[1].inferenceProfiles[0].destinationRegions = ['us-east-1', 'us-east-1']; }, 'tenants[1].inferenceProfiles[0].destinationRegions[1]', /duplicate destination region/],
  ['inference profile listed twice', (s) => { s.tenants[1].inferenceProfiles.push({ ...s.tenants[1].inferenceProfiles[0] }); }, 'tenants[1].inferenceProfiles[1].id', /duplicate inference profile/],

  // ---- provider keys -------------------------------------------------------------------------
  ['provider keys a string', (s) => { s.tenants[1].providerKeys = 'openai'; }, 'tenants[1].providerKeys', /providerKeys must be a list/],
  ['provider key a number', (s) => { s.tenants[1].providerKeys = [1]; }, 'tenants[1].providerKeys[0]', /a provider key must be an object/],
  ['provider key id missing', (s) => { delete s.tenants[1].providerKeys[0].id; }, 'tenants[1].providerKeys[0].id', /provider key id is missing/],
  ['provider key id with a slash', (s) => { s.tenants[1].providerKeys[0].id = 'open/ai'; }, 'tenants[1].providerKeys[0].id', /provider key id may contain/],
  ['provider missing', (s) => { delete s.tenants[1].providerKeys[0].provider; }, 'tenants[1].providerKeys[0].provider', /provider name is missing/],
  ['provider upper case', (s) => { s.tenants[1].providerKeys[0].provider = 'OpenAI'; }, 'tenants[1].providerKeys[0].provider', /provider name may contain/],
  ['rotation 0 days', (s) => { s.tenants[1].providerKeys[0].rotationPeriodDays = 0; }, 'tenants[1].providerKeys[0].rotationPeriodDays', /must be between 1 and 90 days/],
  ['rotation 91 days', (s) => { s.tenants[1].providerKeys[0].rotationPeriodDays = 91; }, 'tenants[1].providerKeys[0].rotationPeriodDays', /must be between 1 and 90 days/],
  ['rotation 1.5 days', (s) => { s.tenants[1].providerKeys[0].rotationPeriodDays = 1.5; }, 'tenants[1].providerKeys[0].rotationPeriodDays', /must be a whole number of days/],
  ['rotation a string', (s) => { s.tenants[1].providerKeys[0].rotationPeriodDays = '30'; }, 'tenants[1].providerKeys[0].rotationPeriodDays', /must be a number of days/],
  ['provider key description a list', (s) => { s.tenants[1].providerKeys[0].description = []; }, 'tenants[1].providerKeys[0].description', /must be a string/],

  // ---- data stores ---------------------------------------------------------------------------
  ['data stores an object', (s) => { s.tenants[0].dataStores = {}; }, 'tenants[0].dataStores', /dataStores must be a list/],
  ['data store id upper case', (s) => { s.tenants[0].dataStores[0].id = 'Docs'; }, 'tenants[0].dataStores[0].id', /data store id may contain/],
  ['data store engine mysql', (s) => { s.tenants[0].dataStores[0].engine = 'mysql'; }, 'tenants[0].dataStores[0].engine', /is not a supported engine/],
  ['data store host missing', (s) => { delete s.tenants[0].dataStores[0].host; }, 'tenants[0].dataStores[0].host', /the database host is missing/],
  ['data store host with a port', (s) => { s.tenants[0].dataStores[0].host = 'db.example.com:5432'; }, 'tenants[0].dataStores[0].host', /includes a port/],
  ['data store host with a space', (s) => { s.tenants[0].dataStores[0].host = 'db example.com'; }, 'tenants[0].dataStores[0].host', /is not a valid host name/],
  ['data store host 254 characters', (s) => { s.tenants[0].dataStores[0].host = `${'a'.repeat(60)}.`.repeat(4) + 'abcdefghij'; }, 'tenants[0].dataStores[0].host', /is not a valid host name/],
  ['data store port 0', (s) => { s.tenants[0].dataStores[0].port = 0; }, 'tenants[0].dataStores[0].port', /must be between 1 and 65535/],
  ['data store port 65536', (s) => { s.tenants[0].dataStores[0].port = 65536; }, 'tenants[0].dataStores[0].port', /must be between 1 and 65535/],
  ['data store port a string', (s) => { s.tenants[0].dataStores[0].port = '5432'; }, 'tenants[0].dataStores[0].port', /must be a number/],
  ['data store database missing', (s) => { delete s.tenants[0].dataStores[0].database; }, 'tenants[0].dataStores[0].database', /database name is missing/],
  ['data store database with a hyphen', (s) => { s.tenants[0].dataStores[0].database = 'my-docs'; }, 'tenants[0].dataStores[0].database', /plain lower-case PostgreSQL identifier/],
  ['data store schema missing', (s) => { delete s.tenants[0].dataStores[0].schema; }, 'tenants[0].dataStores[0].schema', /schema name is missing/],
  ['data store schema a token', (s) => { s.tenants[0].dataStores[0].schema = cdk.Lazy.string({ produce: () => 'alpha' }); }, 'tenants[0].dataStores[0].schema', /is an unresolved token/],
  ['data store schema information_schema', (s) => { s.tenants[0].dataStores[0].schema = 'information_schema'; }, 'tenants[0].dataStores[0].schema', /system schema/],
  ['data store schema quoted', (s) => { s.tenants[0].dataStores[0].schema = '"Alpha"'; }, 'tenants[0].dataStores[0].schema', /plain lower-case PostgreSQL identifier/],
  ['data store schema 64 characters', (s) => { s.tenants[0].dataStores[0].schema = 's'.repeat(64); }, 'tenants[0].dataStores[0].schema', /at most 63/],
  ['data store access a number', (s) => { s.tenants[0].dataStores[0].access = 1; }, 'tenants[0].dataStores[0].access', /is not a supported access/],

  // ---- tools -------------------------------------------------------------------------------
  ['tools a string', (s) => { s.tenants[0].tools = 'search'; }, 'tenants[0].tools', /tools must be a list/],
  ['tool a number', (s) => { s.tenants[0].tools = [1]; }, 'tenants[0].tools[0]', /must be a string/],
  ['tool id upper case', (s) => { s.tenants[0].tools = ['Search']; }, 'tenants[0].tools[0]', /a tool id may contain/],
  ['tool id 65 characters', (s) => { s.tenants[0].tools = [`t${'o'.repeat(64)}`]; }, 'tenants[0].tools[0]', /at most 64/],

  // ---- Vault -------------------------------------------------------------------------------
  ['vault a string', (s) => { s.vault = 'https://vault.example.com'; }, 'vault', /the Vault server must be an object/],
  ['vault address missing', (s) => { s.vault = {}; }, 'vault.address', /the Vault address is missing/],
  ['vault address a number', (s) => { s.vault = { address: 8200 }; }, 'vault.address', /must be a string/],
  ['vault address with a fragment', (s) => { s.vault = { address: 'https://vault.example.com#x' }; }, 'vault.address', /no path or trailing slash/],
  ['vault address with port 65536', (s) => { s.vault = { address: 'https://vault.example.com:65536' }; }, 'vault.address', /has the port "65536"/],
  ['vault address with a trailing slash', (s) => { s.vault = { address: 'https://vault.example.com/' }; }, 'vault.address', /no path or trailing slash/],
  ['vault address with a space in the host', (s) => { s.vault = { address: 'https://vault example.com' }; }, 'vault.address', /is not a valid host name/],
  ['header value empty', (s) => { s.vault = { ...VAULT, iamServerIdHeaderValue: '' }; }, 'vault.iamServerIdHeaderValue', /is missing/],
  ['header value a number', (s) => { s.vault = { ...VAULT, iamServerIdHeaderValue: 1 }; }, 'vault.iamServerIdHeaderValue', /must be a string/],
  ['header value with a lone CR', (s) => { s.vault = { ...VAULT, iamServerIdHeaderValue: 'a\rb' }; }, 'vault.iamServerIdHeaderValue', /contains a line break/],
  ['header value with DEL', (s) => { s.vault = { ...VAULT, iamServerIdHeaderValue: 'a\u007fb' }; }, 'vault.iamServerIdHeaderValue', /contains a control character/],
  ['header value a wildcard', (s) => { s.vault = { ...VAULT, iamServerIdHeaderValue: '*' }; }, 'vault.iamServerIdHeaderValue', /contains a wildcard/],
  ['vault edition a number', (s) => { s.vault = { ...VAULT, edition: 1 }; }, 'vault.edition', /is not a supported Vault edition/],
  ['vault version with a v', (s) => { s.vault = { ...VAULT, version: 'v1.19.0' }; }, 'vault.version', /is not a major.minor.patch version/],
  ['vault version a number', (s) => { s.vault = { ...VAULT, version: 1.19 }; }, 'vault.version', /is not a major.minor.patch version/],
  ['federation audience on community', (s) => { s.vault = { ...VAULT, workloadIdentityAudience: 'gateward:test-gw' }; }, 'vault.workloadIdentityAudience', /needs Vault Enterprise 1\.17 or later/],
  ['federation audience on enterprise 1.15', (s) => { s.vault = { ...VAULT, edition: 'enterprise', version: '1.15.9', workloadIdentityAudience: 'a' }; }, 'vault.workloadIdentityAudience', /needs Vault Enterprise 1\.17 or later/],
  ['federation audience on enterprise 1.16, whose AWS auth method cannot federate', (s) => { s.vault = { ...VAULT, edition: 'enterprise', version: '1.16.9', workloadIdentityAudience: 'a' }; }, 'vault.workloadIdentityAudience', /needs Vault Enterprise 1\.17 or later/],
  ['federation audience empty', (s) => { s.vault = { ...VAULT, edition: 'enterprise', version: '1.19.0', workloadIdentityAudience: '' }; }, 'vault.workloadIdentityAudience', /is missing/],
  ['federation audience a wildcard', (s) => { s.vault = { ...VAULT, edition: 'enterprise', version: '1.19.0', workloadIdentityAudience: 'gw-*' }; }, 'vault.workloadIdentityAudience', /contains a wildcard/],
  ['federation audience with a space', (s) => { s.vault = { ...VAULT, edition: 'enterprise', version: '1.19.0', workloadIdentityAudience: 'a b' }; }, 'vault.workloadIdentityAudience', /without white space/],
  ['federation audience a number', (s) => { s.vault = { ...VAULT, edition: 'enterprise', version: '1.19.0', workloadIdentityAudience: 1 }; }, 'vault.workloadIdentityAudience', /must be a string/],

  // ---- TTLs: limits +-1, wrong types -----------------------------------------------------------
  ['ttls a number', (s) => { s.ttls = 900; }, 'ttls', /the TTL policy must be an object/],
  ['ttl bounds a list', (s) => { s.ttls = { vaultTokens: [] }; }, 'ttls.vaultTokens', /must be an object/],
  ['cloud max 3601', (s) => { s.ttls = { cloudCredentials: { maxSeconds: 3601 } }; }, 'ttls.cloudCredentials.maxSeconds', /ceiling of 3600 s/],
  ['cloud default 899', (s) => { s.ttls = { cloudCredentials: { defaultSeconds: 899 } }; }, 'ttls.cloudCredentials.defaultSeconds', /floor of 900 s/],
  ['cloud max 899', (s) => { s.ttls = { cloudCredentials: { maxSeconds: 899 } }; }, 'ttls.cloudCredentials.maxSeconds', /floor of 900 s/],
  ['vault token max 3601', (s) => { s.ttls = { vaultTokens: { maxSeconds: 3601 } }; }, 'ttls.vaultTokens.maxSeconds', /ceiling of 3600 s/],
  ['vault token default 3601', (s) => { s.ttls = { vaultTokens: { defaultSeconds: 3601 } }; }, 'ttls.vaultTokens.defaultSeconds', /ceiling of 3600 s/],
  ['vault token default 59', (s) => { s.ttls = { vaultTokens: { defaultSeconds: 59 } }; }, 'ttls.vaultTokens.defaultSeconds', /floor of 60 s/],
  ['database max 86401', (s) => { s.ttls = { databaseCredentials: { maxSeconds: 86401 } }; }, 'ttls.databaseCredentials.maxSeconds', /ceiling of 86400 s/],
  ['database default 59', (s) => { s.ttls = { databaseCredentials: { defaultSeconds: 59 } }; }, 'ttls.databaseCredentials.defaultSeconds', /floor of 60 s/],
  ['database default above its max by 1', (s) => { s.ttls = { databaseCredentials: { defaultSeconds: 1801, maxSeconds: 1800 } }; }, 'ttls.databaseCredentials.defaultSeconds', /is above the maximum/],
  ['ttl a string', (s) => { s.ttls = { vaultTokens: { maxSeconds: '3600' } }; }, 'ttls.vaultTokens.maxSeconds', /must be a number of seconds/],
  ['ttl zero', (s) => { s.ttls = { vaultTokens: { maxSeconds: 0 } }; }, 'ttls.vaultTokens.maxSeconds', /must be between 1 and/],
  ['ttl negative', (s) => { s.ttls = { databaseCredentials: { defaultSeconds: -60 } }; }, 'ttls.databaseCredentials.defaultSeconds', /must be between 1 and/],
  ['ttl infinite', (s) => { s.ttls = { databaseCredentials: { maxSeconds: Infinity } }; }, 'ttls.databaseCredentials.maxSeconds', /must be a whole number/],
  ['ttl NaN', (s) => { s.ttls = { databaseCredentials: { maxSeconds: NaN } }; }, 'ttls.databaseCredentials.maxSeconds', /must be a number of seconds/],

  // ---- suspension and session tags -------------------------------------------------------------
  ['suspended a list', (s) => { s.suspended = ['alpha']; }, 'suspended', /the suspension list must be an object/],
  ['suspended tenants a string', (s) => { s.suspended = { tenants: 'alpha' }; }, 'suspended.tenants', /must be a list/],
  ['suspended workload a number', (s) => { s.suspended = { workloads: [1] }; }, 'suspended.workloads[0]', /must be a string/],
  ['suspended workload empty', (s) => { s.suspended = { workloads: [''] }; }, 'suspended.workloads[0]', /is missing/],
  ['suspended tenant given as a workload', (s) => { s.suspended = { workloads: ['alpha'] }; }, 'suspended.workloads[0]', /suspends workload "alpha", which does not exist/],
  ['session tags a string', (s) => { s.sessionTags = 'true'; }, 'sessionTags', /must be true or false/],
  ['session tags a number', (s) => { s.sessionTags = 1; }, 'sessionTags', /must be true or false/],
  ['session tags null', (s) => { s.sessionTags = null; }, 'sessionTags', /must be true or false/],

  // ---- hosts and ports in URLs ------------------------------------------------------------------
  ['issuer with port 99999', (s) => { s.tenants[0].workloads[1].eksServiceAccount.oidcIssuerUrl = 'https://oidc.example.com:99999/id/A'; }, 'tenants[0].workloads[1].eksServiceAccount.oidcIssuerUrl', /has the port "99999"/],
  ['issuer with a host of dots', (s) => { s.tenants[0].workloads[1].eksServiceAccount.oidcIssuerUrl = 'https://../id/A'; }, 'tenants[0].workloads[1].eksServiceAccount.oidcIssuerUrl', /is not a valid host name/],
  ['data store host an IPv4 address out of range', (s) => { s.tenants[0].dataStores[0].host = '10.0.0.256'; }, 'tenants[0].dataStores[0].host', /is not a valid host name or IPv4 address/],
  ['vault address an IPv4 address out of range', (s) => { s.vault = { address: 'https://300.1.1.1:8200' }; }, 'vault.address', /is not a valid host name/],
  ['audience with a line break', (s) => { s.tenants[0].workloads[1].eksServiceAccount.audience = 'gateward:test-gw\n'; }, 'tenants[0].workloads[1].eksServiceAccount.audience', /without white space/],
  ['data store database template1', (s) => { s.tenants[0].dataStores[0].database = 'template1'; }, 'tenants[0].dataStores[0].database', /template database/],

  // ---- derived names at their limits -------------------------------------------------------------
  ['target role name 65 characters', (s) => { s.tenants[1].id = `b${'e'.repeat(45)}`; }, 'tenants[1].providerKeys[0].id', /the IAM role name .* would be 65 characters; the limit is 64/],
  ['bucket name 64 characters', (s) => { s.name = `g${'w'.repeat(29)}`; }, 'name', /the S3 bucket name .* would be 64 characters; the limit is 63/],

];

describe('every bad input is refused at its field path', () => {
  test.each(rows)('%s', (_name, change, path, message) => {
    const problems = GatewaySpecValidator.problems(specWith(change));
    const atPath = problems.filter((p) => p.path === path);
    expect({ paths: problems.map((p) => p.path), matched: atPath.some((p) => message.test(p.message)) })
      .toEqual({ paths: expect.arrayContaining([path]), matched: true });
    for (const problem of problems) {
      expect(problem.value.length).toBeGreaterThan(0);
      expect(problem.fix.length).toBeGreaterThan(10);
    }
  });

  test('the table holds at least 150 distinct inputs', () => {
    const names = rows.map(([name]) => name);
    expect(new Set(names).size).toBe(names.length);
    expect(rows.length).toBeGreaterThanOrEqual(150);
  });
});

describe('the same fields, valid', () => {
  const valid: Array<[string, (s: any) => void]> = [
    ['a new region in the list', (s) => { s.aws.region = 'mx-central-1'; s.tenants[1].inferenceProfiles = []; }],
    ['a token region', (s) => { s.aws.region = cdk.Aws.REGION; }],
    ['guardrails with a version, the draft and every version, on models and on profiles', (s) => {
      s.tenants[0].guardrails = [{ id: 'gr0alpha1', version: '12' }, { id: 'gr0alpha2', version: 'DRAFT' }];
      s.tenants[1].guardrails = [{ id: 'gr0alpha1' }];
    }],
    ['a role with a path', (s) => { s.tenants[0].workloads[0].roleArn = 'arn:aws:iam::123456789012:role/team/a/alpha-app'; }],
    ['an owner role named like the gateway in another account', (s) => { s.owners.credentialLifecycle.roleArn = 'arn:aws:iam::999999999999:role/test-gw-router'; }],
    ['a Vault address with the highest port', (s) => { s.vault = { address: 'https://vault.example.com:65535' }; }],
    ['a token address with a header value', (s) => { s.vault = { address: cdk.Lazy.string({ produce: () => 'https://v' }), iamServerIdHeaderValue: 'v' }; }],
    ['two tenants on one database, different schemas', (s) => { s.tenants[1].dataStores = [{ id: 'docs', host: 'db.internal.example.com', database: 'docs', schema: 'beta' }]; }],
    ['a name of 3 characters', (s) => { s.name = 'gwy'; }],
    ['a tenant id of 44 characters, the longest its role names allow', (s) => { s.tenants[1].id = `b${'e'.repeat(43)}`; }],
    ['rotation every 90 days', (s) => { s.tenants[1].providerKeys[0].rotationPeriodDays = 90; }],
    ['rotation every day', (s) => { s.tenants[1].providerKeys[0].rotationPeriodDays = 1; }],
    ['port 1 and port 65535', (s) => { s.tenants[0].dataStores[0].port = 1; s.tenants[0].dataStores.push({ id: 'two', host: 'h', port: 65535, database: 'd', schema: 's' }); }],
    ['session tags off', (s) => { s.sessionTags = false; }],
    ['hosts given as IPv4 addresses', (s) => { s.tenants[0].dataStores[0].host = '10.0.0.255'; s.vault = { address: 'https://10.1.2.3:8200' }; }],
    ['federation audience on Enterprise 1.17', (s) => { s.vault = { address: 'https://v.example.com', edition: 'enterprise', version: '1.17.0', workloadIdentityAudience: 'gateward:test-gw' }; }],
    ['an IAM server-id header value', (s) => { s.vault = { address: 'https://v.example.com', iamServerIdHeaderValue: 'vault.example.com' }; }],
    ['a token workload role', (s) => { s.tenants[0].workloads[0].roleArn = cdk.Lazy.string({ produce: () => 'arn:aws:iam::123456789012:role/x' }); }],
    ['one tenant with two stores on one schema', (s) => { s.tenants[0].dataStores.push({ id: 'docs-rw', host: 'db.internal.example.com', database: 'docs', schema: 'alpha', access: 'read-write' }); }],
  ];
  test.each(valid)('%s', (_name, change) => {
    expect(GatewaySpecValidator.problems(specWith(change))).toEqual([]);
  });

  test('the fixture itself', () => {
    const spec: GatewaySpec = validSpec();
    expect(GatewaySpecValidator.problems(spec)).toEqual([]);
  });
});
