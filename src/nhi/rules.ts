import { CheckedPlane, NhiRule, NhiSeverity, OwaspNhi } from './finding';
import { TtlLimits } from '../spec/ttl-limits';

const aws = (id: string, title: string, nhi: OwaspNhi, nist: string[], severity: NhiSeverity, fix: string): NhiRule =>
  ({ id, title, nhi, nist, severity, plane: CheckedPlane.AWS, fix });
const vault = (id: string, title: string, nhi: OwaspNhi, nist: string[], severity: NhiSeverity, fix: string): NhiRule =>
  ({ id, title, nhi, nist, severity, plane: CheckedPlane.VAULT, fix });

const { CRITICAL, HIGH, MEDIUM, LOW } = NhiSeverity;

// The lifetimes the fixes name are the gateway's own ceilings, the ones the rules enforce.
const STS_CEILING = TtlLimits.CLOUD_CREDENTIALS.ceilingSeconds;
const TOKEN_CEILING = TtlLimits.VAULT_TOKENS.ceilingSeconds;
const DATABASE_CEILING = TtlLimits.DATABASE_CREDENTIALS.ceilingSeconds;

const ALL: NhiRule[] = [
  // ---- AWS: what a principal may do --------------------------------------------------------
  aws('NHI-IAM-WILDCARD-ACTION', 'A principal is allowed a wildcard action', OwaspNhi.NHI5, ['AC-6', 'AC-6(10)'], HIGH,
    'list the exact actions the workload calls; graded by the most powerful access level the wildcard covers'),
  aws('NHI-IAM-WILDCARD-RESOURCE', 'A principal is allowed an action on every resource of a type', OwaspNhi.NHI5, ['AC-6', 'AC-3'], HIGH,
    'name the exact resource ARNs; only actions AWS offers no resource-level form for may use "*"'),
  aws('NHI-IAM-NOT-ACTION', 'A principal is allowed everything except a list (NotAction or NotResource)', OwaspNhi.NHI5, ['AC-6'], HIGH,
    'allow what is needed instead of everything but what is listed'),
  aws('NHI-IAM-PASSROLE', 'A principal may pass roles without a specific role and service', OwaspNhi.NHI5, ['AC-6(10)'], HIGH,
    'allow iam:PassRole on the exact role ARNs, with a StringEquals iam:PassedToService condition'),
  aws('NHI-IAM-PRIVILEGE-ESCALATION', 'A principal holds actions known to escalate privilege', OwaspNhi.NHI5, ['AC-6(10)', 'AC-6(1)'], CRITICAL,
    'remove the escalation path; changes to IAM belong to a deployment role, never to a workload'),
  aws('NHI-IAM-ADMIN-POLICY', 'A principal has an AWS-managed administrator or power-user policy', OwaspNhi.NHI5, ['AC-6', 'AC-6(5)'], CRITICAL,
    'replace the managed policy with a customer-managed policy of the exact permissions'),
  aws('NHI-IAM-LONG-SESSION', 'A role issues sessions longer than one hour', OwaspNhi.NHI7, ['AC-12', 'IA-5(f)'], MEDIUM,
    `set MaxSessionDuration to at most ${STS_CEILING}`),
  // ---- AWS: who may become a principal -----------------------------------------------------
  aws('NHI-TRUST-ROOT-OR-ANYONE', 'A role trusts anyone, or a whole account', OwaspNhi.NHI5, ['AC-3', 'AC-6'], CRITICAL,
    'trust the exact role that assumes it, not "*" or an account root'),
  aws('NHI-TRUST-CROSS-ACCOUNT-NO-EXTERNAL-ID', 'A role trusts another account without an external id', OwaspNhi.NHI3, ['AC-3', 'IA-9'], HIGH,
    'require StringEquals sts:ExternalId in the trust statement'),
  aws('NHI-TRUST-SERVICE-NO-SOURCE', 'A role trusts a service that sends its source, without checking it', OwaspNhi.NHI3, ['AC-3'], MEDIUM,
    'add aws:SourceAccount and aws:SourceArn conditions to the trust statement'),
  aws('NHI-HUMAN-CAN-ASSUME', 'Human federation or users can assume a workload role', OwaspNhi.NHI10, ['AC-2', 'AC-6(2)'], HIGH,
    'give people their own roles; trust only the workload\'s identity'),
  aws('NHI-ROLE-REUSE', 'One role serves several workloads', OwaspNhi.NHI9, ['AC-2(9)', 'IA-4'], MEDIUM,
    'give each workload its own role, trusted by that workload alone'),
  // ---- AWS: credentials ----------------------------------------------------------------------
  aws('NHI-LONG-LIVED-IAM-CREDENTIALS', 'An IAM user or access key exists', OwaspNhi.NHI7, ['IA-5(7)', 'IA-5(f)', 'AC-2'], HIGH,
    'use a role (instance profile, task role, IRSA, OIDC federation) instead of an IAM user and its keys'),
  aws('NHI-SECRET-NO-ROTATION', 'A secret has no rotation schedule', OwaspNhi.NHI7, ['IA-5(f)'], HIGH,
    'attach a rotation schedule (at most 90 days); for a key people rotate, alarm on its age instead (ProviderKeyRotation.manual() adds the KeyAgeMonitor that does)'),
  aws('NHI-SECRET-SLOW-ROTATION', 'A secret rotates less often than every 90 days', OwaspNhi.NHI7, ['IA-5(f)'], MEDIUM,
    'rotate at least every 90 days (30 is recommended)'),
  aws('NHI-SECRET-NO-CMK', 'A secret is not encrypted with a customer-managed key', OwaspNhi.NHI2, ['SC-12', 'SC-28'], MEDIUM,
    'encrypt the secret with a customer-managed KMS key whose policy names its readers'),
  aws('NHI-STATIC-CALLER-KEY', 'Callers authenticate with a static key', OwaspNhi.NHI4, ['IA-5(7)', 'IA-9'], HIGH,
    'authenticate callers with their own identity (IAM SigV4, OIDC) instead of a shared key or one in plain configuration'),
  // ---- AWS: ownership and evidence ----------------------------------------------------------
  aws('NHI-MISSING-OWNER-TAGS', 'A resource does not name its owners', OwaspNhi.NHI1, ['AC-2', 'CM-8'], LOW,
    'tag the resource with its owners (by default the gateway\'s policy, operations and credential-lifecycle owners)'),
  aws('NHI-LOG-NO-RETENTION', 'A log group keeps records forever or not long enough', OwaspNhi.NHI1, ['AU-11'], LOW,
    'set RetentionInDays, at least 90'),
  aws('NHI-LOG-NO-KMS', 'A log group is not encrypted with a customer-managed key', OwaspNhi.NHI2, ['AU-9', 'SC-28'], MEDIUM,
    'set KmsKeyId to a customer-managed key'),
  aws('NHI-TRAIL-NO-VALIDATION', 'A trail does not validate its log files', OwaspNhi.NHI1, ['AU-9', 'AU-10'], MEDIUM,
    'set EnableLogFileValidation to true'),
  aws('NHI-NO-AUDIT-TRAIL', 'Identities are defined but no trail records their use', OwaspNhi.NHI1, ['AU-2', 'AU-12'], MEDIUM,
    'add a CloudTrail trail, or acknowledge on the stack that an organization trail covers the account'),
  // ---- Vault ---------------------------------------------------------------------------------
  vault('NHI-VAULT-IAM-USER', 'A Vault AWS role creates IAM users', OwaspNhi.NHI7, ['IA-5(7)', 'AC-2(2)'], HIGH,
    'use credential_type = "assumed_role" with one target role'),
  vault('NHI-VAULT-STS-TTL', 'A Vault AWS role\'s STS lifetime is missing or longer than an hour', OwaspNhi.NHI7, ['IA-5(f)', 'AC-12'], MEDIUM,
    `set default_sts_ttl and max_sts_ttl (at most ${STS_CEILING})`),
  vault('NHI-VAULT-LEASE-TTL', 'A secrets mount\'s lease lifetime is missing or too long', OwaspNhi.NHI7, ['IA-5(f)', 'AC-2(2)'], MEDIUM,
    `set default_lease_ttl_seconds and max_lease_ttl_seconds (AWS at most ${STS_CEILING}, database at most ${DATABASE_CEILING}); 0 means Vault's 768 h`),
  vault('NHI-VAULT-TOKEN-TTL', 'Tokens of a workload auth role live too long or renew forever', OwaspNhi.NHI7, ['AC-12', 'IA-5(f)'], MEDIUM,
    `set token_ttl and token_max_ttl or token_explicit_max_ttl (at most ${TOKEN_CEILING}); never token_period`),
  vault('NHI-VAULT-DB-ROLE-TTL', 'A dynamic database role\'s lifetime is missing or too long', OwaspNhi.NHI7, ['IA-5(f)'], MEDIUM,
    `set default_ttl and max_ttl (at most ${DATABASE_CEILING})`),
  vault('NHI-VAULT-POLICY-FORBIDDEN', 'A workload\'s policies reach sys/, root-protected paths, sudo, token or identity writes', OwaspNhi.NHI5, ['AC-6(10)', 'AC-6(1)'], CRITICAL,
    'grant workloads only the credential paths they read; keep administration in a separate identity'),
  vault('NHI-VAULT-POLICY-BROAD-GLOB', 'A workload\'s policy uses a glob that covers whole mounts', OwaspNhi.NHI5, ['AC-6'], HIGH,
    'list exact paths, or a glob under one role\'s credentials'),
  vault('NHI-VAULT-JWT-NO-AUDIENCE', 'A JWT role accepts tokens of any audience or subject', OwaspNhi.NHI4, ['IA-9', 'IA-5'], HIGH,
    'set role_type = "jwt", non-empty bound_audiences and a pinned bound_subject or bound_claims'),
  vault('NHI-VAULT-APPROLE-SECRET-ID', 'An AppRole secret id is managed in Terraform', OwaspNhi.NHI2, ['IA-5(7)'], HIGH,
    'deliver secret ids response-wrapped at run time; never create them in Terraform (they land in state)'),
  vault('NHI-VAULT-SECRET-LITERAL', 'A secret value is written literally into the configuration', OwaspNhi.NHI2, ['IA-5(7)'], CRITICAL,
    'pass secrets through sensitive variables and write-only fields, or use platform identity instead'),
  vault('NHI-VAULT-AUDIT-DEVICES', 'Fewer than two audit devices of different types', OwaspNhi.NHI10, ['AU-2', 'AU-9'], MEDIUM,
    'enable at least two audit devices of different types (file and socket or syslog)'),
  vault('NHI-VAULT-AUDIT-LOG-RAW', 'An audit device logs secrets in clear', OwaspNhi.NHI2, ['AU-9', 'SC-28'], CRITICAL,
    'remove log_raw; audit entries must keep secrets HMAC\'d'),
  // ---- Acknowledgements ----------------------------------------------------------------------
  aws('NHI-STALE-ACKNOWLEDGEMENT', 'An acknowledgement matches no finding', OwaspNhi.NHI1, ['CA-7'], LOW,
    'remove the acknowledgement, or move it to the resource the finding is on'),
];

/**
 * The rules of the NHI rule pack for CDK apps and Vault Terraform JSON, with their OWASP NHI
 * items and NIST SP 800-53 controls.
 */
export class NhiRules {
  /**
   * Where acknowledgements of NHI rule findings are stored in synthesized output: the
   * `Metadata` of a CloudFormation resource or template, or the `//` comment of a Terraform
   * resource or configuration.
   */
  public static readonly ACKNOWLEDGEMENTS_KEY = 'gateward:acknowledgements';

  /** Every rule, in a fixed order. */
  public static all(): NhiRule[] {
    return [...ALL];
  }

  /** The rule with this id. Throws for an unknown id. */
  public static byId(id: string): NhiRule {
    const rule = ALL.find((r) => r.id === id);
    if (!rule) throw new Error(`Unknown NHI rule "${id}"; the rules are ${ALL.map((r) => r.id).join(', ')}.`);
    return rule;
  }

  private constructor() {}
}
