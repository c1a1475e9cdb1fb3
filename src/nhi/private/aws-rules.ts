import { MAX_KEY_ROTATION_DAYS } from '../../spec/key-rotation';
import { TtlLimits } from '../../spec/ttl-limits';
import { NhiSeverity } from '../finding';
import { asList, RoleModel, StatementJson, TemplateModel } from './cfn-template';
import { CatalogAction, expandAction, highestAccessLevel, isBroadResource, matchesTemplate, resourceTypesOfAction } from './iam-catalog';
import { logicalIdModel, watchedRotationOf } from './key-age-watch';

/** What a rule found, before it becomes an `NhiFinding`. */
export interface RawFinding {
  readonly ruleId: string;
  /** The resource the finding is on; absent for findings about the whole stack. */
  readonly logicalId?: string;
  readonly message: string;
  /** Overrides the rule's default severity. */
  readonly severity?: NhiSeverity;
}

/** One synthesized template and what the checks know about where it is deployed. */
export interface AwsCheckContext {
  readonly model: TemplateModel;
  readonly file: string;
  /** The stack's account, when it is known literally. */
  readonly account?: string;
  readonly ownerTagKeys: string[];
}

const ADMIN_POLICIES = ['AdministratorAccess', 'PowerUserAccess', 'IAMFullAccess'];

/** Services that send aws:SourceAccount/aws:SourceArn when they assume a role, and document checking them. */
const SOURCE_SENDING_SERVICES = [
  's3.amazonaws.com', 'scheduler.amazonaws.com', 'config.amazonaws.com', 'iot.amazonaws.com',
  'personalize.amazonaws.com', 'appstream.amazonaws.com', 'transfer.amazonaws.com', 'sns.amazonaws.com',
];

/** Actions that let a principal give itself (or something it controls) more rights. */
const ESCALATION_ACTIONS = [
  'iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:AttachUserPolicy', 'iam:AttachRolePolicy', 'iam:AttachGroupPolicy',
  'iam:PutUserPolicy', 'iam:PutRolePolicy', 'iam:PutGroupPolicy', 'iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile',
  'iam:UpdateAssumeRolePolicy', 'iam:AddUserToGroup', 'iam:DeleteRolePermissionsBoundary', 'iam:PutRolePermissionsBoundary',
  'lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration',
];

/** Actions that run code as a role passed to them: with iam:PassRole they escalate. */
const PASSROLE_TARGETS = [
  'lambda:CreateFunction', 'ec2:RunInstances', 'cloudformation:CreateStack', 'glue:CreateDevEndpoint', 'glue:CreateJob',
  'datapipeline:CreatePipeline', 'sagemaker:CreateNotebookInstance', 'sagemaker:CreateTrainingJob', 'ecs:RunTask',
  'codebuild:CreateProject', 'states:CreateStateMachine', 'bedrock:CreateAgent',
];

/** Resource types whose owners must be named. */
const OWNED_TYPES = [
  'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::SecretsManager::Secret', 'AWS::KMS::Key', 'AWS::Lambda::Function', 'AWS::S3::Bucket',
  'AWS::Logs::LogGroup', 'AWS::CloudTrail::Trail', 'AWS::SQS::Queue', 'AWS::SNS::Topic', 'AWS::VerifiedPermissions::PolicyStore',
  'AWS::ECS::TaskDefinition', 'AWS::Events::Rule', 'AWS::CloudWatch::Alarm', 'AWS::ApiGateway::RestApi',
];

const KEY_LIKE_ENV = /(api_?key|token|secret|password|private_?key)/i;

function allows(statement: StatementJson): boolean {
  return statement.Effect === 'Allow';
}

function actionsOf(statement: StatementJson): string[] {
  return asList(statement.Action).map(String);
}

function resourcesOf(statement: StatementJson): string[] {
  return asList(statement.Resource).map(String);
}

/** Every Allow statement of a role's policies (identity side). */
function identityAllows(role: RoleModel): StatementJson[] {
  return role.policies.flatMap((p) => asList(p.document?.Statement)).filter(allows);
}

function severityOfLevel(level: string | undefined): NhiSeverity {
  switch (level) {
    case 'Permissions management': return NhiSeverity.CRITICAL;
    case 'Write': return NhiSeverity.HIGH;
    case 'Tagging': return NhiSeverity.MEDIUM;
    default: return NhiSeverity.LOW;
  }
}

/** The account named by a principal ARN or account id, `self` for references into the template. */
function accountOfPrincipal(principal: string): string | undefined {
  if (principal.startsWith('${')) return 'self';
  if (/^\d{12}$/.test(principal)) return principal;
  const match = /^arn:[^:]+:(?:iam|sts)::([^:]*):/.exec(principal);
  if (!match) return undefined;
  return match[1] === '${AWS::AccountId}' ? 'self' : match[1];
}

function principalsOf(statement: StatementJson, kind: string): string[] {
  const principal = statement.Principal;
  if (principal === '*') return kind === 'AWS' ? ['*'] : [];
  if (!principal || typeof principal !== 'object') return [];
  return asList((principal as Record<string, string | string[]>)[kind]).map(String);
}

function conditionKeys(statement: StatementJson): string[] {
  return Object.values(statement.Condition ?? {}).flatMap((byKey) => Object.keys(byKey).map((k) => k.toLowerCase()));
}

const EQUALITY_OPERATORS = ['stringequals', 'stringequalsignorecase', 'arnequals', 'arnlike', 'stringlike'];

/**
 * Condition keys a statement pins to exact values (no wildcard), lower-cased. Tag keys of the
 * request (`aws:RequestTag`, `aws:TagKeys`) describe what is sent, not which resource is touched.
 */
function pinnedConditionKeys(statement: StatementJson): string[] {
  return Object.entries(statement.Condition ?? {})
    .filter(([operator]) => EQUALITY_OPERATORS.includes(operator.toLowerCase().replace(/^for(all|any)values:/, '').replace(/ifexists$/, '')))
    .flatMap(([, byKey]) => Object.entries(byKey)
      .filter(([, values]) => asList(values as string | string[]).every((v) => typeof v === 'string' && !v.includes('*') && !v.includes('?')))
      .map(([key]) => key.toLowerCase()))
    .filter((key) => !key.startsWith('aws:requesttag/') && key !== 'aws:tagkeys');
}

/**
 * True when a wildcard resource is nonetheless scoped for this action: a condition pins a key
 * that describes the resource (its VPC, subnet or tags), or the action creates the resource, whose
 * id cannot be named in advance, and the statement names each other resource the call requires
 * (the subnet and security group a network interface is created in).
 */
function scopedDespiteWildcard(action: CatalogAction, statement: StatementJson, broad: string[]): boolean {
  const types = resourceTypesOfAction(action.action);
  const typeKeys = types.flatMap((t) => t.conditionKeys.map((k) => k.toLowerCase().replace(/\$\{[^}]+\}$/, '')));
  const pinned = pinnedConditionKeys(statement);
  if (pinned.some((key) => typeKeys.some((t) => (t.endsWith('/') ? key.startsWith(t) : key === t)))) return true;
  if (!/^create/i.test(action.action.split(':')[1] ?? '')) return false;
  const created = types.find((t) => t.required && broad.every((b) => matchesTemplate(b, t.arnTemplate)));
  const others = types.filter((t) => t.required && t !== created);
  const specific = resourcesOf(statement).filter((r) => !isBroadResource(r));
  return created !== undefined && others.length > 0 && others.every((t) => specific.some((r) => matchesTemplate(r, t.arnTemplate)));
}

/** Checks of each role as a whole: its policies, boundary and trust. */
function roleFindings(ctx: AwsCheckContext, role: RoleModel): RawFinding[] {
  const found: RawFinding[] = [];
  const add = (ruleId: string, message: string, severity?: NhiSeverity) => found.push({ ruleId, logicalId: role.logicalId, message, severity });
  const allowsOfRole = identityAllows(role);
  const granted = new Map<string, CatalogAction>();

  for (const statement of allowsOfRole) {
    const where = statement.Sid ? ` (statement ${statement.Sid})` : '';
    if (statement.NotAction !== undefined || statement.NotResource !== undefined) {
      add('NHI-IAM-NOT-ACTION', `allows ${statement.NotAction !== undefined ? 'every action except' : 'every resource except'} ${JSON.stringify(statement.NotAction ?? statement.NotResource)}${where}`);
    }
    const covered = actionsOf(statement).flatMap((a) => {
      const expanded = expandAction(a);
      expanded.forEach((x) => granted.set(x.action.toLowerCase(), x));
      return expanded;
    });
    for (const action of actionsOf(statement).filter((a) => a.includes('*') || a.includes('?'))) {
      const level = highestAccessLevel(expandAction(action));
      add('NHI-IAM-WILDCARD-ACTION', `allows ${action}, which covers ${level ?? 'unknown'} access${where}`, action === '*' ? NhiSeverity.CRITICAL : severityOfLevel(level));
    }
    const broad = resourcesOf(statement).filter(isBroadResource);
    const scopable = covered.filter((a) => !a.wildcardOnly && !scopedDespiteWildcard(a, statement, broad));
    if (broad.length > 0 && scopable.length > 0) {
      const written = actionsOf(statement);
      const count = new Set(scopable.map((a) => a.action)).size;
      add('NHI-IAM-WILDCARD-RESOURCE', `allows ${written.join(', ')} on ${broad.join(', ')}${where}, though ${count} of these action${count === 1 ? '' : 's'} accept${count === 1 ? 's' : ''} specific resources`,
        severityOfLevel(highestAccessLevel(scopable)) === NhiSeverity.LOW ? NhiSeverity.MEDIUM : NhiSeverity.HIGH);
    }
    const passRole = covered.some((a) => a.action.toLowerCase() === 'iam:passrole');
    if (passRole) {
      const specific = resourcesOf(statement).every((r) => !isBroadResource(r) && !r.endsWith('role/*'));
      const toService = conditionKeys(statement).includes('iam:passedtoservice');
      if (!specific || !toService) {
        add('NHI-IAM-PASSROLE', `may pass ${specific ? 'named roles' : 'any role'} ${toService ? '' : 'to any service'}${where}`.replace(/\s+/g, ' ').trim());
      }
    }
  }

  const has = (action: string) => granted.has(action.toLowerCase());
  const escalations = ESCALATION_ACTIONS.filter(has);
  if (has('iam:PassRole')) {
    const runners = PASSROLE_TARGETS.filter(has);
    if (runners.length > 0) escalations.push(`iam:PassRole with ${runners.join(', ')}`);
  }
  if (escalations.length > 0) add('NHI-IAM-PRIVILEGE-ESCALATION', `can escalate through ${escalations.join('; ')}`);

  for (const arn of role.externalManagedPolicyArns) {
    const admin = ADMIN_POLICIES.find((name) => arn.endsWith(`:iam::aws:policy/${name}`));
    if (admin) add('NHI-IAM-ADMIN-POLICY', `has the AWS-managed policy ${admin}`);
  }
  const sessionCeiling = TtlLimits.CLOUD_CREDENTIALS.ceilingSeconds;
  if (role.maxSessionDuration !== undefined && role.maxSessionDuration > sessionCeiling) {
    add('NHI-IAM-LONG-SESSION', `MaxSessionDuration is ${role.maxSessionDuration} s, above ${sessionCeiling} s`);
  }

  const trust = asList(role.trust?.Statement).filter(allows);
  const trustedAws = new Set<string>();
  for (const statement of trust) {
    const awsPrincipals = principalsOf(statement, 'AWS');
    awsPrincipals.forEach((p) => trustedAws.add(p));
    for (const principal of awsPrincipals) {
      if (principal === '*' || /:root$/.test(principal) || /^\d{12}$/.test(principal)) {
        add('NHI-TRUST-ROOT-OR-ANYONE', `trusts ${principal === '*' ? 'anyone' : `every principal of account ${accountOfPrincipal(principal)}`}`,
          principal === '*' ? NhiSeverity.CRITICAL : NhiSeverity.HIGH);
      }
      if (/:user\//.test(principal) || /role\/aws-reserved\/sso\.amazonaws\.com\//.test(principal) || /AWSReservedSSO_/.test(principal)) {
        add('NHI-HUMAN-CAN-ASSUME', `trusts ${principal}, a human identity`);
      }
      const account = accountOfPrincipal(principal);
      if (ctx.account && account && account !== 'self' && account !== ctx.account && !conditionKeys(statement).includes('sts:externalid')) {
        add('NHI-TRUST-CROSS-ACCOUNT-NO-EXTERNAL-ID', `trusts ${principal} in account ${account} without an external id`);
      }
    }
    const federated = principalsOf(statement, 'Federated');
    const actions = asList(statement.Action).map(String);
    if (federated.some((f) => f.includes(':saml-provider/')) || actions.includes('sts:AssumeRoleWithSAML')) {
      add('NHI-HUMAN-CAN-ASSUME', `trusts SAML federation (${federated.join(', ') || 'sts:AssumeRoleWithSAML'}), which signs people in`);
    }
    for (const service of principalsOf(statement, 'Service')) {
      const keys = conditionKeys(statement);
      if (SOURCE_SENDING_SERVICES.includes(service) && !keys.some((k) => k === 'aws:sourceaccount' || k === 'aws:sourcearn' || k === 'aws:sourceorgid')) {
        add('NHI-TRUST-SERVICE-NO-SOURCE', `trusts ${service} without aws:SourceAccount or aws:SourceArn`);
      }
    }
  }
  const distinct = [...trustedAws].filter((p) => p !== '*');
  if (distinct.length > 1) add('NHI-ROLE-REUSE', `is trusted by ${distinct.length} principals: ${distinct.join(', ')}`);
  return found;
}

/** Roles used as the identity of more than one compute resource. */
function reuseByCompute(model: TemplateModel): RawFinding[] {
  const users = new Map<string, string[]>();
  const record = (value: unknown, user: string) => {
    const ref = value && typeof value === 'object'
      ? ((value as { Ref?: string }).Ref ?? ((value as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt'] ?? [])[0])
      : undefined;
    if (ref && model.resources[ref]?.Type === 'AWS::IAM::Role') users.set(ref, [...(users.get(ref) ?? []), user]);
  };
  for (const [id, resource] of Object.entries(model.resources)) {
    const props = resource.Properties ?? {};
    if (resource.Type === 'AWS::Lambda::Function') record(props.Role, model.pathOf(id));
    if (resource.Type === 'AWS::ECS::TaskDefinition') record(props.TaskRoleArn, model.pathOf(id));
    if (resource.Type === 'AWS::IAM::InstanceProfile') asList(props.Roles as unknown[]).forEach((r) => record(r, model.pathOf(id)));
  }
  return [...users.entries()].filter(([, list]) => list.length > 1)
    .map(([logicalId, list]) => ({ ruleId: 'NHI-ROLE-REUSE', logicalId, message: `is the identity of ${list.length} workloads: ${list.join(', ')}` }));
}

function rotationOf(model: TemplateModel, secretId: string): { days?: number } | undefined {
  for (const [, schedule] of model.ofType('AWS::SecretsManager::RotationSchedule')) {
    const props = schedule.Properties ?? {};
    const target = props.SecretId as { Ref?: string } | string | undefined;
    if (typeof target !== 'object' || target?.Ref !== secretId) continue;
    if (!props.RotationLambdaARN && !props.HostedRotationLambda) continue;
    const rules = (props.RotationRules ?? {}) as { AutomaticallyAfterDays?: number; ScheduleExpression?: string };
    if (rules.AutomaticallyAfterDays !== undefined) return { days: Number(rules.AutomaticallyAfterDays) };
    const rate = /^rate\((\d+) days?\)$/.exec(rules.ScheduleExpression ?? '');
    if (rate) return { days: Number(rate[1]) };
    if (rules.ScheduleExpression) return {};
  }
  return undefined;
}

/** Checks of resources other than roles. */
function resourceFindings(ctx: AwsCheckContext): RawFinding[] {
  const { model } = ctx;
  const byLogicalId = logicalIdModel(model);
  const found: RawFinding[] = [];
  for (const [id, resource] of Object.entries(model.resources)) {
    const props = resource.Properties ?? {};
    const add = (ruleId: string, message: string) => found.push({ ruleId, logicalId: id, message });
    switch (resource.Type) {
      case 'AWS::IAM::User': add('NHI-LONG-LIVED-IAM-CREDENTIALS', 'is an IAM user: a standing identity with long-lived credentials'); break;
      case 'AWS::IAM::AccessKey': add('NHI-LONG-LIVED-IAM-CREDENTIALS', 'is an access key: a static credential that never expires'); break;
      case 'AWS::ApiGateway::ApiKey': add('NHI-STATIC-CALLER-KEY', 'is an API key: a static bearer key shared by its callers'); break;
      case 'AWS::SecretsManager::Secret': {
        const scheduled = rotationOf(model, id);
        // People rotate a key that has no rotation API; an alarm on its age is what holds them to the period.
        const watched = scheduled ? undefined : watchedRotationOf(byLogicalId, id);
        if (!scheduled && !watched) {
          add('NHI-SECRET-NO-ROTATION', 'has no rotation schedule, and no key-age alarm watches it');
        } else if (scheduled?.days !== undefined && scheduled.days > MAX_KEY_ROTATION_DAYS) {
          add('NHI-SECRET-SLOW-ROTATION', `rotates every ${scheduled.days} days`);
        } else if (watched && watched.days > MAX_KEY_ROTATION_DAYS) {
          add('NHI-SECRET-SLOW-ROTATION', `is rotated by people, and its age alarm (${model.pathOf(watched.alarmLogicalId)}) fires only after ${watched.days} days`);
        }
        const key = props.KmsKeyId;
        if (key === undefined || (typeof key === 'string' && key.includes('aws/secretsmanager'))) add('NHI-SECRET-NO-CMK', 'uses the AWS-managed key');
        break;
      }
      case 'AWS::Logs::LogGroup':
        if (props.RetentionInDays === undefined) add('NHI-LOG-NO-RETENTION', 'never expires its records');
        else if (Number(props.RetentionInDays) < 90) add('NHI-LOG-NO-RETENTION', `keeps records only ${props.RetentionInDays} days`);
        if (props.KmsKeyId === undefined) add('NHI-LOG-NO-KMS', 'is encrypted with the service key only');
        break;
      case 'AWS::CloudTrail::Trail':
        if (props.EnableLogFileValidation !== true) add('NHI-TRAIL-NO-VALIDATION', 'does not validate its log files');
        break;
      case 'AWS::Lambda::Function': {
        const variables = ((props.Environment ?? {}) as { Variables?: Record<string, unknown> }).Variables ?? {};
        for (const [name, value] of Object.entries(variables)) {
          if (KEY_LIKE_ENV.test(name) && typeof value === 'string' && !/arn:|^\$\{/.test(value)) {
            add('NHI-STATIC-CALLER-KEY', `holds ${name} in plain configuration`);
          }
        }
        break;
      }
      default:
        break;
    }
    if (OWNED_TYPES.includes(resource.Type)) {
      const tags = asList(props.Tags as Array<{ Key: string }> | undefined).map((t) => t.Key);
      const tagMap = props.Tags && !Array.isArray(props.Tags) ? Object.keys(props.Tags as object) : [];
      const missing = ctx.ownerTagKeys.filter((k) => !tags.includes(k) && !tagMap.includes(k));
      if (missing.length > 0) add('NHI-MISSING-OWNER-TAGS', `has no ${missing.join(', ')} tag${missing.length > 1 ? 's' : ''}`);
    }
  }
  return found;
}

/**
 * Every rule that looks at one template.
 */
export function awsTemplateFindings(ctx: AwsCheckContext): RawFinding[] {
  return [
    ...ctx.model.roles().flatMap((role) => roleFindings(ctx, role)),
    ...reuseByCompute(ctx.model),
    ...resourceFindings(ctx),
  ];
}

/**
 * Rules that look at an app as a whole: identities with no trail anywhere in the app.
 */
export function awsAppFindings(contexts: AwsCheckContext[]): Array<RawFinding & { context: AwsCheckContext }> {
  const defines = (types: string[]) => (c: AwsCheckContext) => Object.values(c.model.resources).some((r) => types.includes(r.Type));
  const withIdentities = contexts.filter(defines(['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::SecretsManager::Secret']));
  if (withIdentities.length === 0 || contexts.some(defines(['AWS::CloudTrail::Trail']))) return [];
  return withIdentities.map((context) => ({
    ruleId: 'NHI-NO-AUDIT-TRAIL',
    message: 'defines identities or secrets, but no stack of the app defines a CloudTrail trail',
    context,
  }));
}

