import { GatewayBlueprint, GatewayNaming, TargetKind } from '../../spec';

/** Which kind of organization policy carries a rule. */
export type ControlPolicyKind = 'scp' | 'rcp';

/**
 * The exact principals the guardrails exempt, after validation and defaults.
 */
export interface GuardrailExemptions {
  /** The roles that deploy the gateway (CloudFormation's execution roles). */
  readonly deploymentRoleArns: string[];
  /** The credential-lifecycle owner's role, when the gateway has provider keys. */
  readonly credentialLifecycleRoleArn?: string;
  /** The execution roles of the provider keys' rotation functions. */
  readonly rotationRoleArns: string[];
  /** Further roles whose trust and permissions only the deployment roles may change. */
  readonly protectedRoleArns: string[];
  /** Whether the deployment roles may also change provider keys' secret and key policies. */
  readonly deploymentRolesManageProviderKeyPolicies: boolean;
}

/**
 * One deny of the guardrails: these actions on these resources (when `match` holds) are denied
 * to every principal except `exempt`.
 */
export interface GuardrailRule {
  readonly sid: string;
  readonly kind: ControlPolicyKind;
  readonly actions: string[];
  readonly resources: string[];
  /** Conditions that pick the resources out further (key aliases or tags). */
  readonly match?: Record<string, Record<string, string | string[]>>;
  /** Principal ARNs, exact or a derived pattern, the deny does not apply to; empty: nobody. */
  readonly exempt: string[];
}

/** The Lambda actions that change a function or who may call it. */
const FUNCTION_CHANGES = [
  'lambda:CreateFunction', 'lambda:DeleteFunction', 'lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration',
  'lambda:PutFunctionConcurrency', 'lambda:DeleteFunctionConcurrency',
  'lambda:PutFunctionCodeSigningConfig', 'lambda:DeleteFunctionCodeSigningConfig',
  'lambda:AddPermission', 'lambda:RemovePermission',
  'lambda:CreateFunctionUrlConfig', 'lambda:UpdateFunctionUrlConfig', 'lambda:DeleteFunctionUrlConfig',
  // Asynchronous destinations would receive the events (request bodies) of a failed invocation.
  'lambda:PutFunctionEventInvokeConfig', 'lambda:UpdateFunctionEventInvokeConfig',
  'lambda:PutRuntimeManagementConfig', 'lambda:TagResource', 'lambda:UntagResource',
];

/** Every way a principal calls a function itself. */
const FUNCTION_INVOCATIONS = ['lambda:InvokeFunction', 'lambda:InvokeFunctionUrl', 'lambda:InvokeAsync'];

/** The IAM actions that change a role's trust, permissions or boundary, or hand the role to a service. */
const ROLE_CHANGES = [
  'iam:CreateRole', 'iam:DeleteRole', 'iam:UpdateAssumeRolePolicy', 'iam:UpdateRole',
  'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary', 'iam:DeleteRolePermissionsBoundary', 'iam:TagRole', 'iam:UntagRole',
  'iam:PassRole',
];

/** The IAM actions that change a customer-managed policy. */
const POLICY_CHANGES = ['iam:CreatePolicy', 'iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion'];

/** Order-preserving, without repeats. */
function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/**
 * Every deny of a gateway's organization guardrails, built from its blueprint alone. No rule
 * names a tenant: where a tenant-specific name exists, a pattern the naming derives covers every
 * tenant at once (`role/<g>-*-key-*`, `secret:gateward/<g>/*`, `function:<g>-*-router`), so the
 * documents are the same size for 1 tenant or 1,000.
 *
 * Exempting a pattern is safe only while nobody else can create or change a role matching it:
 * rule `GatewayRolesOnlyByDeployment` keeps every role named `<g>-*` (which every role the gateway
 * derives is, and so every pattern exempted here) to the deployment roles, and does the same for
 * the exact roles exempted (a principal that could rewrite the lifecycle owner's trust policy
 * could become it).
 *
 * SCPs (which bind the principals of the target accounts) carry what RCPs cannot: Lambda, IAM,
 * CloudTrail and CloudWatch Logs are not among the services RCPs apply to. RCPs (which bind every
 * request to a resource of the target accounts, whatever account the caller is in) carry Secrets
 * Manager, KMS and S3, which AWS Organizations lists among the services RCPs apply to (with STS
 * and SQS). CloudWatch Logs' support for RCPs is recent (announced January 2026) and not in the
 * documentation this was checked against, so the log groups are guarded by SCP.
 */
export function guardrailRules(blueprint: GatewayBlueprint, exemptions: GuardrailExemptions): GuardrailRule[] {
  const naming = blueprint.naming;
  const { partition: p, region: r, account: a, name: g } = blueprint;
  const deployment = unique(exemptions.deploymentRoleArns);
  const owner = exemptions.credentialLifecycleRoleArn ? [exemptions.credentialLifecycleRoleArn] : [];
  const rotation = unique(exemptions.rotationRoleArns);

  // Every role and function name the gateway derives starts with `<gateway>-`.
  const gatewayRoles = naming.roleArn(`${g}-*`);
  const gatewayPolicies = `arn:${p}:iam::${a}:policy/${naming.managedPolicyName(`${g}-*`)}`;
  const routerFunction = naming.lambdaFunctionArn(naming.tenantRouterFunctionName('*'));
  const routerFunctions = [routerFunction, `${routerFunction}:*`];
  const keyTargetRoles = naming.targetRoleArn('*', naming.providerKeyTargetId('*'));
  // The broker may assume every role of the target path: nobody but deployment creates one there.
  const targetRoles = naming.targetRoleArnPattern();
  const secrets = [`arn:${p}:secretsmanager:${r}:${a}:secret:${naming.providerKeySecretName('*', '*')}`];
  // KMS key ARNs hold a random id: keys are picked out by their derived aliases, and by tag.
  const keys = [`arn:${p}:kms:${r}:${a}:key/*`];
  const providerKeyAliases = [naming.providerKeyAlias('*', '*')];
  const auditKeyAliases = [naming.auditKeyAlias];
  const gatewayKeyAliases = [...providerKeyAliases, naming.auditKeyAlias, naming.keyAgeCheckKeyAlias];
  const byAlias = (aliases: string[]) => ({ 'ForAnyValue:StringLike': { 'kms:ResourceAliases': aliases } });
  const byGatewayTag = { StringEquals: { [`aws:ResourceTag/${GatewayNaming.GATEWAY_TAG}`]: g } };
  const logGroups = [naming.decisionLogGroupName, naming.trailLogGroupName]
    .flatMap((name) => [naming.logGroupArn(name), `${naming.logGroupArn(name)}:*`]);
  const buckets = [naming.auditBucketName, naming.auditReplicaBucketName, naming.accessLogBucketName].map((name) => naming.bucketArn(name));
  const trail = [naming.trailArn()];
  const protectedRoles = unique([gatewayRoles, targetRoles, ...deployment, ...owner, ...rotation, ...exemptions.protectedRoleArns]);

  const rules: GuardrailRule[] = [
    // ---- The router cells (SCP) ---------------------------------------------------------------
    { sid: 'RouterCellsChangedOnlyByDeployment', kind: 'scp', actions: FUNCTION_CHANGES, resources: routerFunctions, exempt: deployment },
    // API Gateway invokes the cells as the service principal apigateway.amazonaws.com (the
    // functions' resource policies name it); SCPs bind only the IAM principals of member
    // accounts, so this stops every direct call and leaves the API's.
    { sid: 'NobodyInvokesRouterCellsDirectly', kind: 'scp', actions: FUNCTION_INVOCATIONS, resources: routerFunctions, exempt: [] },
    {
      // Code signing configs have random ids; the gateway's carry its tag.
      sid: 'CodeSigningChangedOnlyByDeployment',
      kind: 'scp',
      actions: ['lambda:UpdateCodeSigningConfig', 'lambda:DeleteCodeSigningConfig', 'lambda:TagResource', 'lambda:UntagResource'],
      resources: [`arn:${p}:lambda:${r}:${a}:code-signing-config:*`],
      match: byGatewayTag,
      exempt: deployment,
    },
    // ---- The gateway's roles and the exempted roles (SCP) ------------------------------------
    { sid: 'GatewayRolesOnlyByDeployment', kind: 'scp', actions: ROLE_CHANGES, resources: protectedRoles, exempt: deployment },
    { sid: 'GatewayPoliciesOnlyByDeployment', kind: 'scp', actions: POLICY_CHANGES, resources: [gatewayPolicies], exempt: deployment },
    // CDK's bootstrap lets every principal of the account with sts:AssumeRole assume its deploy
    // role, which passes the execution role to CloudFormation: from inside the target accounts,
    // only the deployment roles themselves may. (A pipeline in another account is not bound.)
    { sid: 'DeploymentRolesAssumedOnlyByDeployment', kind: 'scp', actions: ['sts:AssumeRole'], resources: deployment, exempt: deployment },
    // ---- The trail and the audit log groups (SCP) --------------------------------------------
    {
      sid: 'TrailChangedOnlyByDeployment',
      kind: 'scp',
      actions: ['cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors', 'cloudtrail:PutInsightSelectors', 'cloudtrail:RemoveTags'],
      resources: trail,
      exempt: deployment,
    },
    { sid: 'NobodyStopsOrDeletesTheTrail', kind: 'scp', actions: ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail'], resources: trail, exempt: [] },
    {
      sid: 'AuditLogGroupsChangedOnlyByDeployment',
      kind: 'scp',
      actions: ['logs:PutRetentionPolicy', 'logs:AssociateKmsKey', 'logs:PutDataProtectionPolicy'],
      resources: logGroups,
      exempt: deployment,
    },
    {
      sid: 'NobodyDeletesOrUnmasksAuditLogs',
      kind: 'scp',
      actions: ['logs:DeleteLogGroup', 'logs:DeleteLogStream', 'logs:DisassociateKmsKey', 'logs:DeleteDataProtectionPolicy', 'logs:Unmask'],
      resources: logGroups,
      exempt: [],
    },
  ];

  if (blueprint.targets.some((t) => t.kind === TargetKind.PROVIDER_KEY)) {
    const custodians = unique([...owner, ...(exemptions.deploymentRolesManageProviderKeyPolicies ? deployment : [])]);
    rules.push(
      // ---- Provider keys: Secrets Manager and their KMS keys (RCP) ---------------------------
      // Each secret's own resource policy names its one target role; this constant-size deny
      // keeps every other principal out even if that policy were rewritten.
      { sid: 'ProviderKeysReadOnlyByTargets', kind: 'rcp', actions: ['secretsmanager:GetSecretValue'], resources: secrets, exempt: unique([keyTargetRoles, ...rotation]) },
      {
        sid: 'ProviderKeyValuesOnlyFromOwner',
        kind: 'rcp',
        actions: ['secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
        resources: secrets,
        exempt: unique([...custodians, ...rotation]),
      },
      {
        sid: 'ProviderKeyPoliciesOnlyByOwner',
        kind: 'rcp',
        actions: ['secretsmanager:PutResourcePolicy', 'secretsmanager:DeleteResourcePolicy', 'secretsmanager:UpdateSecret',
          'secretsmanager:DeleteSecret', 'secretsmanager:RestoreSecret', 'secretsmanager:ReplicateSecretToRegions'],
        resources: secrets,
        exempt: custodians,
      },
      {
        sid: 'ProviderKeysCreatedOnlyByDeployment',
        kind: 'rcp',
        actions: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource', 'secretsmanager:UntagResource'],
        resources: secrets,
        exempt: deployment,
      },
      {
        sid: 'ProviderKmsKeysOnlyByOwner',
        kind: 'rcp',
        actions: ['kms:PutKeyPolicy', 'kms:CreateGrant', 'kms:DisableKey', 'kms:ScheduleKeyDeletion'],
        resources: keys,
        match: byAlias(providerKeyAliases),
        exempt: custodians,
      },
    );
  }

  rules.push(
    // ---- The audit key, every gateway key's aliases and tags (RCP) ---------------------------
    {
      sid: 'AuditKmsKeysChangedOnlyByDeployment',
      kind: 'rcp',
      actions: ['kms:PutKeyPolicy'],
      resources: keys,
      match: byAlias([...auditKeyAliases, naming.keyAgeCheckKeyAlias]),
      exempt: deployment,
    },
    {
      sid: 'NobodyDisablesTheAuditKey',
      kind: 'rcp',
      actions: ['kms:DisableKey', 'kms:ScheduleKeyDeletion', 'kms:DisableKeyRotation', 'kms:CreateGrant'],
      resources: keys,
      match: byAlias(auditKeyAliases),
      exempt: [],
    },
    {
      // Second line, should a key lose its alias: every key tagged with the gateway, for the
      // owners of either kind of key.
      sid: 'GatewayKmsKeysByTag',
      kind: 'rcp',
      actions: ['kms:PutKeyPolicy', 'kms:CreateGrant', 'kms:DisableKey', 'kms:ScheduleKeyDeletion', 'kms:DisableKeyRotation',
        'kms:TagResource', 'kms:UntagResource'],
      resources: keys,
      match: byGatewayTag,
      exempt: unique([...owner, ...deployment]),
    },
    {
      // The aliases and tags the rules above pick keys out by.
      sid: 'GatewayKmsAliasesOnlyByDeployment',
      kind: 'rcp',
      actions: ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'],
      resources: gatewayKeyAliases.map((alias) => `arn:${p}:kms:${r}:${a}:${alias}`),
      exempt: deployment,
    },
    {
      sid: 'GatewayKmsTagsOnlyByDeployment',
      kind: 'rcp',
      actions: ['kms:TagResource', 'kms:UntagResource'],
      resources: keys,
      match: byAlias(gatewayKeyAliases),
      exempt: deployment,
    },
    // ---- The audit buckets (RCP) -------------------------------------------------------------
    {
      sid: 'AuditBucketsChangedOnlyByDeployment',
      kind: 'rcp',
      actions: ['s3:PutBucketPolicy', 's3:PutBucketVersioning', 's3:PutLifecycleConfiguration', 's3:PutReplicationConfiguration',
        's3:PutBucketPublicAccessBlock', 's3:PutBucketObjectLockConfiguration', 's3:PutEncryptionConfiguration'],
      resources: buckets,
      exempt: deployment,
    },
    {
      sid: 'NobodyDeletesAuditRecords',
      kind: 'rcp',
      actions: ['s3:DeleteBucket', 's3:DeleteBucketPolicy', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:BypassGovernanceRetention',
        's3:PutObjectRetention', 's3:PutObjectLegalHold'],
      resources: [...buckets, ...buckets.map((bucket) => `${bucket}/*`)],
      exempt: [],
    },
  );
  return rules;
}

/**
 * The policy statement of one rule: a deny with the rule's conditions and, unless nobody is
 * exempt, `ArnNotLike aws:PrincipalArn` over the exemptions (which takes exact ARNs and patterns).
 */
export function ruleStatement(rule: GuardrailRule): Record<string, unknown> {
  const one = (values: string[]) => (values.length === 1 ? values[0] : values);
  const condition: Record<string, Record<string, string | string[]>> = { ...rule.match };
  if (rule.exempt.length > 0) condition.ArnNotLike = { 'aws:PrincipalArn': one(rule.exempt) };
  return {
    Sid: rule.sid,
    Effect: 'Deny',
    // RCPs name the principal they deny (every principal); SCPs cannot name one.
    ...(rule.kind === 'rcp' ? { Principal: '*' } : {}),
    Action: one(rule.actions),
    Resource: one(rule.resources),
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
}
