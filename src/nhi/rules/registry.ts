// The registry of the rule pack, one import per rule file; the lists below fix the order reports use.
// A test checks that every file under rules/ is listed here.
import { CfnSecretLiteral } from './aws/cfn-secret-literal';
import { EntryPointNoAccessLog } from './aws/entry-point-no-access-log';
import { HttpListener } from './aws/http-listener';
import { HumanCanAssume } from './aws/human-can-assume';
import { IamAdminPolicy } from './aws/iam-admin-policy';
import { IamLongSession } from './aws/iam-long-session';
import { IamNotAction } from './aws/iam-not-action';
import { IamPassRole } from './aws/iam-passrole';
import { IamPrivilegeEscalation } from './aws/iam-privilege-escalation';
import { IamWildcardAction } from './aws/iam-wildcard-action';
import { IamWildcardResource } from './aws/iam-wildcard-resource';
import { LogNoKms } from './aws/log-no-kms';
import { LogNoRetention } from './aws/log-no-retention';
import { LongLivedIamCredentials } from './aws/long-lived-iam-credentials';
import { MissingOwnerTags } from './aws/missing-owner-tags';
import { NoAuditTrail } from './aws/no-audit-trail';
import { RoleReuse } from './aws/role-reuse';
import { SecretNoCmk } from './aws/secret-no-cmk';
import { SecretNoRotation } from './aws/secret-no-rotation';
import { SecretSlowRotation } from './aws/secret-slow-rotation';
import { SharedCallerKey } from './aws/shared-caller-key';
import { StaticCallerKey } from './aws/static-caller-key';
import { TrailNoValidation } from './aws/trail-no-validation';
import { TrustCrossAccountNoExternalId } from './aws/trust-cross-account-no-external-id';
import { TrustOidcBroadSubject } from './aws/trust-oidc-broad-subject';
import { TrustRootOrAnyone } from './aws/trust-root-or-anyone';
import { TrustServiceNoSource } from './aws/trust-service-no-source';
import { AwsRuleDefinition, PlanelessRuleDefinition, RuleDefinition, VaultRuleDefinition } from './rule';
import { StaleAcknowledgement } from './stale-acknowledgement';
import { VaultAppRoleNoSecretId } from './vault/approle-no-secret-id';
import { VaultAppRoleSecretId } from './vault/approle-secret-id';
import { VaultAppRoleSecretIdUnbounded } from './vault/approle-secret-id-unbounded';
import { VaultAuditDevices } from './vault/audit-devices';
import { VaultAuditLogRaw } from './vault/audit-log-raw';
import { VaultAwsAuthServerId } from './vault/aws-auth-server-id';
import { VaultAwsRolePolicy } from './vault/aws-role-policy';
import { VaultAwsStaticRoot } from './vault/aws-static-root';
import { VaultCertAuthUnbound } from './vault/cert-auth-unbound';
import { VaultCertRoleBroad } from './vault/cert-role-broad';
import { VaultCloudRoleAdmin } from './vault/cloud-role-admin';
import { VaultCloudStaticKey } from './vault/cloud-static-key';
import { VaultDbAllowedRoles } from './vault/db-allowed-roles';
import { VaultDbRoleTtl } from './vault/db-role-ttl';
import { VaultIamUser } from './vault/iam-user';
import { VaultInsecureTls } from './vault/insecure-tls';
import { VaultJwtNoAudience } from './vault/jwt-no-audience';
import { VaultKubernetesRoleUnbound } from './vault/kubernetes-role-unbound';
import { VaultKvSecretLiteral } from './vault/kv-secret-literal';
import { VaultLeaseTtl } from './vault/lease-ttl';
import { VaultPolicyBroadGlob } from './vault/policy-broad-glob';
import { VaultPolicyForbidden } from './vault/policy-forbidden';
import { VaultSecretLiteral } from './vault/secret-literal';
import { VaultStsTtl } from './vault/sts-ttl';
import { TfSecretInEnv } from './vault/tf-secret-in-env';
import { TfSecretInState } from './vault/tf-secret-in-state';
import { TfSharedWorkspaceCredential } from './vault/tf-shared-workspace-credential';
import { VaultTokenResource } from './vault/token-resource';
import { VaultTokenTtl } from './vault/token-ttl';

/** The CloudFormation rules. */
export const AWS_RULES = [
  IamWildcardAction,
  IamWildcardResource,
  IamNotAction,
  IamPassRole,
  IamPrivilegeEscalation,
  IamAdminPolicy,
  IamLongSession,
  TrustRootOrAnyone,
  TrustCrossAccountNoExternalId,
  TrustServiceNoSource,
  TrustOidcBroadSubject,
  HumanCanAssume,
  RoleReuse,
  LongLivedIamCredentials,
  SecretNoRotation,
  SecretSlowRotation,
  SecretNoCmk,
  CfnSecretLiteral,
  StaticCallerKey,
  SharedCallerKey,
  HttpListener,
  MissingOwnerTags,
  LogNoRetention,
  LogNoKms,
  TrailNoValidation,
  NoAuditTrail,
  EntryPointNoAccessLog,
] as const;

/** The Vault Terraform rules. */
export const VAULT_RULES = [
  VaultIamUser,
  VaultAwsRolePolicy,
  VaultAwsStaticRoot,
  VaultCloudStaticKey,
  VaultCloudRoleAdmin,
  VaultStsTtl,
  VaultLeaseTtl,
  VaultTokenTtl,
  VaultDbRoleTtl,
  VaultDbAllowedRoles,
  VaultPolicyForbidden,
  VaultPolicyBroadGlob,
  VaultJwtNoAudience,
  VaultKubernetesRoleUnbound,
  VaultAwsAuthServerId,
  VaultAppRoleSecretId,
  VaultAppRoleSecretIdUnbounded,
  VaultAppRoleNoSecretId,
  VaultTokenResource,
  VaultSecretLiteral,
  VaultKvSecretLiteral,
  TfSecretInState,
  TfSecretInEnv,
  TfSharedWorkspaceCredential,
  VaultInsecureTls,
  VaultCertRoleBroad,
  VaultCertAuthUnbound,
  VaultAuditDevices,
  VaultAuditLogRaw,
] as const;

/** Rules of no plane. */
export const PLANELESS_RULES = [StaleAcknowledgement] as const;

/** Every rule, in report order. */
export const RULE_DEFINITIONS: readonly RuleDefinition<NhiRuleId>[] = [...AWS_RULES, ...VAULT_RULES, ...PLANELESS_RULES];

/** The id of a rule of the pack: a finding can only name a rule that exists. */
export type NhiRuleId = (typeof AWS_RULES)[number]['id'] | (typeof VAULT_RULES)[number]['id'] | (typeof PLANELESS_RULES)[number]['id'];

/** The rule with this id, or undefined. */
export function ruleDefinition(id: string): RuleDefinition<NhiRuleId> | undefined {
  return RULE_DEFINITIONS.find((r) => r.id === id);
}

export type { AwsRuleDefinition, PlanelessRuleDefinition, VaultRuleDefinition };
