import { NhiSeverity } from '../../finding';
import { asList, CfnResource, PolicyDocumentJson, RoleModel, StatementJson, TemplateModel } from '../../private/cfn-template';
import { CatalogAction, expandAction, isBroadResource, matchesTemplate, resourceTypesOfAction } from '../../private/iam-catalog';
import { isUnresolved } from '../../private/unresolved';

/** One synthesized template and what the checks know about where it is deployed. */
export interface AwsCheckContext {
  readonly model: TemplateModel;
  readonly file: string;
  /** The stack's account, when it is known literally. */
  readonly account?: string;
  /** The owner tag keys the user asked for; empty means owner tags are not judged. */
  readonly ownerTagKeys: string[];
  /** Every template of the app, this one included, for what one stack does to another's resources. */
  readonly appModels?: TemplateModel[];
}

const roleCache = new WeakMap<TemplateModel, RoleModel[]>();
const principalCache = new WeakMap<TemplateModel, RoleModel[]>();

/** The template's roles, aggregated once per model however many rules read them: what trust rules judge. */
export function rolesOf(ctx: AwsCheckContext): RoleModel[] {
  let roles = roleCache.get(ctx.model);
  if (!roles) {
    roles = ctx.model.roles();
    roleCache.set(ctx.model, roles);
  }
  return roles;
}

/**
 * Every principal that holds permissions: roles, and users (with their groups' policies) and
 * groups, so a user with AdministratorAccess is graded as the administrator it is.
 */
export function permissionHoldersOf(ctx: AwsCheckContext): RoleModel[] {
  let principals = principalCache.get(ctx.model);
  if (!principals) {
    principals = [...ctx.model.principals(), ...samFunctionRoles(ctx.model)];
    principalCache.set(ctx.model, principals);
  }
  return principals;
}

/**
 * The role SAM creates for a function with no `Role` of its own, from its `Policies`: inline
 * documents, and AWS-managed policies named by name or ARN (SAM policy templates are narrow by
 * design and left out). The template is judged as written, before the transform.
 */
function samFunctionRoles(model: TemplateModel): RoleModel[] {
  return model.ofType('AWS::Serverless::Function').flatMap(([logicalId, fn]): RoleModel[] => {
    const props = fn.Properties ?? {};
    if (props.Role !== undefined || props.Policies === undefined) return [];
    const policies = asList(props.Policies as unknown[]);
    const documents = policies.filter((p): p is Record<string, unknown> => !!p && typeof p === 'object' && 'Statement' in (p as object));
    const managed = policies.filter((p): p is string => typeof p === 'string')
      .map((name) => (name.startsWith('arn:') ? name : `arn:aws:iam::aws:policy/${name}`));
    return [{
      principalKind: 'role',
      logicalId,
      path: model.pathOf(logicalId),
      trust: { Statement: [] },
      policies: documents.map((document, i) => ({ kind: 'inline' as const, logicalId, name: `Policies[${i}]`, document: model.resolve(document) as PolicyDocumentJson })),
      externalManagedPolicyArns: managed,
      tags: {},
    }];
  });
}

export function allows(statement: StatementJson): boolean {
  return statement.Effect === 'Allow';
}

export function actionsOf(statement: StatementJson): string[] {
  return asList(statement.Action).map(String);
}

export function resourcesOf(statement: StatementJson): string[] {
  return asList(statement.Resource).map(String);
}

/** Every Allow statement of a role's policies (identity side). */
export function identityAllows(role: RoleModel): StatementJson[] {
  return role.policies.flatMap((p) => asList(p.document?.Statement)).filter((s) => s && allows(s));
}

/** Every Allow statement of a role's trust policy. */
export function trustAllows(role: RoleModel): StatementJson[] {
  return asList(role.trust?.Statement).filter((s) => s && allows(s));
}

/** True for `*`, `s3:*` or `*:Get*`: a pattern over a whole service (or every service). */
export function serviceWidePattern(action: string): boolean {
  const [service, name] = action.split(':');
  return action === '*' || name === undefined || name === '*' || /[*?]/.test(service);
}

/**
 * The actions a statement writes by name or by a pattern within one kind of call (`s3:GetObject*`),
 * expanded. `iam:*`, `*` and other service-wide patterns are NHI-IAM-WILDCARD-ACTION's finding,
 * graded there by everything they cover: the rules that judge single actions (pass-role, every
 * resource of a type) leave them out, so one grant is one finding.
 */
export function namedActionsOf(statement: StatementJson): CatalogAction[] {
  return actionsOf(statement).filter((a) => !serviceWidePattern(a)).flatMap(expandAction);
}

/** ` (statement Sid)` for messages, or nothing. */
export function whereOf(statement: StatementJson): string {
  return statement.Sid ? ` (statement ${statement.Sid})` : '';
}

export function severityOfLevel(level: string | undefined): NhiSeverity {
  switch (level) {
    case 'Permissions management': return NhiSeverity.CRITICAL;
    case 'Write': return NhiSeverity.HIGH;
    case 'Tagging': return NhiSeverity.MEDIUM;
    default: return NhiSeverity.LOW;
  }
}

/** The account named by a principal ARN or account id, `self` for references into the template. */
export function accountOfPrincipal(principal: string): string | undefined {
  if (principal.startsWith('${')) return 'self';
  if (/^\d{12}$/.test(principal)) return principal;
  const match = /^arn:[^:]+:(?:iam|sts)::([^:]*):/.exec(principal);
  if (!match) return undefined;
  return match[1] === '${AWS::AccountId}' ? 'self' : match[1];
}

export function principalsOf(statement: StatementJson, kind: string): string[] {
  const principal = statement.Principal;
  if (principal === '*') return kind === 'AWS' ? ['*'] : [];
  if (!principal || typeof principal !== 'object') return [];
  return asList((principal as Record<string, string | string[]>)[kind]).map(String);
}

/** True when a statement names each role it reaches (no `*`, no `role/*`): what `iam:PassRole` on it may pass is listed. */
export function namesRoles(statement: StatementJson): boolean {
  return resourcesOf(statement).every((r) => !isBroadResource(r) && !r.endsWith('role/*'));
}

export function conditionKeys(statement: StatementJson): string[] {
  return Object.values(statement.Condition ?? {}).flatMap((byKey) => Object.keys(byKey ?? {}).map((k) => k.toLowerCase()));
}

const EQUALITY_OPERATORS = ['stringequals', 'stringequalsignorecase', 'arnequals', 'arnlike', 'stringlike'];

/**
 * Condition keys a statement pins to exact values (no wildcard), lower-cased. Tag keys of the
 * request (`aws:RequestTag`, `aws:TagKeys`) describe what is sent, not which resource is touched.
 */
function pinnedConditionKeys(statement: StatementJson): string[] {
  return Object.entries(statement.Condition ?? {})
    .filter(([operator]) => EQUALITY_OPERATORS.includes(operator.toLowerCase().replace(/^for(all|any)values:/, '').replace(/ifexists$/, '')))
    .flatMap(([, byKey]) => Object.entries(byKey ?? {})
      .filter(([, values]) => asList(values as string | string[]).every((v) => typeof v === 'string' && !v.includes('*') && !v.includes('?')))
      .map(([key]) => key.toLowerCase()))
    .filter((key) => !key.startsWith('aws:requesttag/') && key !== 'aws:tagkeys');
}

/** The services a statement's `kms:ViaService` condition names (equality or pattern), `*` excluded. */
function viaServices(statement: StatementJson): string[] {
  return Object.entries(statement.Condition ?? {})
    .filter(([operator]) => /^(forallvalues:|foranyvalue:)?string(equals|like)(ifexists)?$/i.test(operator))
    .flatMap(([, byKey]) => Object.entries(byKey ?? {}).filter(([key]) => key.toLowerCase() === 'kms:viaservice'))
    .flatMap(([, values]) => asList(values as string | string[]))
    .filter((v) => typeof v === 'string' && /\.amazonaws\.com$/.test(v) && v !== '*');
}

/**
 * True when a wildcard resource is nonetheless scoped for this action: a condition pins a key
 * that describes the resource (its VPC, subnet or tags), or the action creates the resource, whose
 * id cannot be named in advance, and the statement names each other resource the call requires
 * (the subnet and security group a network interface is created in).
 */
export function scopedDespiteWildcard(action: CatalogAction, statement: StatementJson, broad: string[]): boolean {
  const types = resourceTypesOfAction(action.action);
  const typeKeys = types.flatMap((t) => t.conditionKeys.map((k) => k.toLowerCase().replace(/\$\{[^}]+\}$/, '')));
  const pinned = pinnedConditionKeys(statement);
  if (pinned.some((key) => typeKeys.some((t) => (t.endsWith('/') ? key.startsWith(t) : key === t)))) return true;
  // A KMS key used only through named services (kms:ViaService, `ssm.*.amazonaws.com` included) serves those services' resources.
  if (action.action.toLowerCase().startsWith('kms:') && viaServices(statement).length > 0) return true;
  if (!/^create/i.test(action.action.split(':')[1] ?? '')) return false;
  const created = types.find((t) => t.required && broad.every((b) => matchesTemplate(b, t.arnTemplate)));
  const others = types.filter((t) => t.required && t !== created);
  const specific = resourcesOf(statement).filter((r) => !isBroadResource(r));
  return created !== undefined && others.length > 0 && others.every((t) => specific.some((r) => matchesTemplate(r, t.arnTemplate)));
}

/** Every logical id a value refers to anywhere inside it: `Ref`, `Fn::GetAtt` in either form, and `${X}` or `${X.Attr}` in `Fn::Sub`. */
export function mentionedIds(value: unknown): string[] {
  const text = JSON.stringify(value ?? '');
  const all = (pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m[1]);
  return [...new Set([...all(/"Ref":"([^"]+)"/g), ...all(/"Fn::GetAtt":\["([^"]+)"/g), ...all(/"Fn::GetAtt":"([^".]+)\./g),
    ...all(/\$\{([A-Za-z0-9]+)(?:\.[^}]*)?\}/g)])];
}

/** The logical id a `Ref` or `Fn::GetAtt` points at. */
export function referencedId(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const ref = (value as { Ref?: unknown }).Ref;
  if (typeof ref === 'string') return ref;
  const att = (value as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt'];
  if (Array.isArray(att)) return String(att[0]);
  if (typeof att === 'string') return att.split('.')[0];
  return undefined;
}

/** The name of an AWS-managed policy an ARN names (`arn:aws:iam::aws:policy/service-role/X` gives `X`), or undefined. */
export function awsManagedPolicyName(arn: unknown): string | undefined {
  return /:iam::aws:policy\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/.exec(String(arn))?.[1];
}

/**
 * The role of this template a role ARN names: a `Ref`/`Fn::GetAtt` of the role, or an ARN built
 * from its name (`Fn::Join` of `arn:`, the partition, `:iam::`, the account, `:role/` and a `Ref`
 * to the role, as a role imported by name renders; or the same in a `Fn::Sub`).
 */
export function roleOfArn(model: TemplateModel, value: unknown): string | undefined {
  const isRole = (id: string | undefined) => (id !== undefined && model.resources[id]?.Type === 'AWS::IAM::Role' ? id : undefined);
  const direct = isRole(referencedId(value));
  if (direct || !value || typeof value !== 'object') return direct;
  const join = (value as { 'Fn::Join'?: unknown })['Fn::Join'];
  if (Array.isArray(join) && Array.isArray(join[1])) {
    const parts = join[1] as unknown[];
    const at = parts.findIndex((p) => typeof p === 'string' && p.endsWith(':role/'));
    return at >= 0 && at === parts.length - 2 ? isRole(referencedId(parts[at + 1])) : undefined;
  }
  const sub = (value as { 'Fn::Sub'?: unknown })['Fn::Sub'];
  const text = typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : undefined;
  const named = text ? /:role\/\$\{([A-Za-z0-9]+)\}$/.exec(text)?.[1] : undefined;
  return isRole(named);
}

/**
 * The rotation a schedule gives a secret, its period in days when known: a schedule of the
 * secret's template, or of another stack of the app that reaches it through `Fn::ImportValue`.
 */
export function rotationOf(ctx: AwsCheckContext, secretId: string): { days?: number } | undefined {
  const schedules = (ctx.appModels ?? [ctx.model]).flatMap((m) => m.ofType('AWS::SecretsManager::RotationSchedule').map(([, s]) => [m, s] as const));
  for (const [scheduleModel, schedule] of schedules) {
    const props = schedule.Properties ?? {};
    const target = scheduleModel.targetOf(props.SecretId);
    if (!target || target.model !== ctx.model || target.logicalId !== secretId) continue;
    if (!props.RotationLambdaARN && !props.HostedRotationLambda) continue;
    const rules = (props.RotationRules ?? {}) as { AutomaticallyAfterDays?: number; ScheduleExpression?: string };
    if (rules.AutomaticallyAfterDays !== undefined) return { days: Number(rules.AutomaticallyAfterDays) };
    const rate = /^rate\((\d+) days?\)$/.exec(String(rules.ScheduleExpression ?? ''));
    if (rate) return { days: Number(rate[1]) };
    if (rules.ScheduleExpression) return {};
  }
  return undefined;
}

/** One environment variable of a function or container, as written (before resolution). */
export interface EnvironmentEntry {
  readonly logicalId: string;
  readonly name: string;
  readonly value: unknown;
  /** True when the value comes from a secret store (ECS `Secrets`), not plain configuration. */
  readonly fromSecret: boolean;
  /** The container of a task definition that holds it, by position. @default undefined (a function or service: one process) */
  readonly container?: number;
}

/** Every environment variable and ECS secret of the template's functions and task definitions. */
export function environmentEntries(model: TemplateModel): EnvironmentEntry[] {
  const entries: EnvironmentEntry[] = [];
  for (const [logicalId, resource] of Object.entries(model.resources)) {
    const props = resource.Properties ?? {};
    if (resource.Type === 'AWS::Lambda::Function' || resource.Type === 'AWS::Serverless::Function') {
      const variables = ((props.Environment ?? {}) as { Variables?: unknown }).Variables;
      if (variables && typeof variables === 'object') {
        for (const [name, value] of Object.entries(variables)) entries.push({ logicalId, name, value, fromSecret: false });
      }
    }
    if (resource.Type === 'AWS::ECS::TaskDefinition') {
      asList(props.ContainerDefinitions as Array<Record<string, unknown>> | undefined).forEach((container, index) => {
        for (const env of asList(container?.Environment as Array<{ Name?: unknown; Value?: unknown }> | undefined)) {
          if (typeof env?.Name === 'string') entries.push({ logicalId, name: env.Name, value: env.Value, fromSecret: false, container: index });
        }
        for (const secret of asList(container?.Secrets as Array<{ Name?: unknown; ValueFrom?: unknown }> | undefined)) {
          if (typeof secret?.Name === 'string') entries.push({ logicalId, name: secret.Name, value: secret.ValueFrom, fromSecret: true, container: index });
        }
      });
    }
    if (resource.Type === 'AWS::AppRunner::Service') {
      const config = (((props.SourceConfiguration ?? {}) as Record<string, unknown>).ImageRepository ?? {}) as Record<string, unknown>;
      const image = (config.ImageConfiguration ?? {}) as Record<string, unknown>;
      for (const env of asList(image.RuntimeEnvironmentVariables as Array<{ Name?: unknown; Value?: unknown }> | undefined)) {
        if (typeof env?.Name === 'string') entries.push({ logicalId, name: env.Name, value: env.Value, fromSecret: false });
      }
      for (const env of asList(image.RuntimeEnvironmentSecrets as Array<{ Name?: unknown; Value?: unknown }> | undefined)) {
        if (typeof env?.Name === 'string') entries.push({ logicalId, name: env.Name, value: env.Value, fromSecret: true });
      }
    }
  }
  return entries;
}

/**
 * The Secrets Manager secret of this template an environment value points at: a `Ref`/`Fn::GetAtt`
 * of it, an `Fn::Join`/`Fn::Sub` that builds on one (ECS `ValueFrom` with a JSON key), or a
 * Terraform reference (`${aws_secretsmanager_secret.keys.arn}:api_key::`).
 */
export function secretOfValue(model: TemplateModel, value: unknown): string | undefined {
  const isSecret = (id: string | undefined) => (id !== undefined && model.resources[id]?.Type === 'AWS::SecretsManager::Secret' ? id : undefined);
  const direct = isSecret(model.targetOf(value)?.logicalId);
  if (direct) return direct;
  if (value && typeof value === 'object') {
    const join = (value as { 'Fn::Join'?: unknown })['Fn::Join'];
    const parts = Array.isArray(join) && Array.isArray(join[1]) ? join[1] as unknown[] : [];
    for (const part of parts) {
      const found = secretOfValue(model, part);
      if (found) return found;
    }
    const sub = (value as { 'Fn::Sub'?: unknown })['Fn::Sub'];
    const text = typeof sub === 'string' ? sub : Array.isArray(sub) ? sub[0] : undefined;
    const named = typeof text === 'string' ? /\$\{([A-Za-z0-9]+)(\.[A-Za-z]+)?\}/.exec(text) : null;
    return isSecret(named?.[1]);
  }
  const address = typeof value === 'string' ? /\$\{((?:module\.[^.}]+\.)*aws_secretsmanager_secret\.[A-Za-z0-9_-]+(?:\[[^\]]+\])?)\.(arn|id)\}/.exec(value)?.[1] : undefined;
  if (!address) return undefined;
  return Object.keys(model.resources).find((id) => model.resources[id].Type === 'AWS::SecretsManager::Secret'
    && (model.pathOf(id) === address || model.pathOf(id).endsWith(`.${address}`)));
}

/** A connection URL that carries a password in clear: `scheme://user:password@host`. */
export function urlWithPassword(value: string): boolean {
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^/:@\s]+:([^@\s/]+)@/i.exec(value);
  return match !== null && !/^(\{\{.*\}\}|\$\{.*\}|\*+)$/.test(match[1]);
}

/** True when a value is written literally: a plain string, not an intrinsic, a dynamic reference or an unresolved value. */
export function isLiteralString(value: unknown): value is string {
  return typeof value === 'string' && !isUnresolved(value) && !value.includes('{{resolve:') && !/^\$\{.+\}$/.test(value);
}

/** Resources of the template of one of the given types. */
export function resourcesOfTypes(model: TemplateModel, types: string[]): Array<[string, CfnResource]> {
  return Object.entries(model.resources).filter(([, r]) => types.includes(r.Type));
}

/**
 * True for a value the input does not hold: the unresolved marker, or the marker as it reads
 * after a template was written out as JSON (`{ "unresolved": "<expression>" }`).
 */
export function isUnresolvedValue(value: unknown): boolean {
  if (isUnresolved(value)) return true;
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    && Object.keys(value).length === 1 && typeof (value as { unresolved?: unknown }).unresolved === 'string';
}

/** Text for a value in a message: `missing`, `unresolved (<expression>)`, or the literal. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (isUnresolved(value)) return String(value);
  if (isUnresolvedValue(value)) return `unresolved (${(value as { unresolved: string }).unresolved})`;
  if (typeof value === 'object') return `unresolved (${JSON.stringify(value)})`;
  return JSON.stringify(value);
}

/**
 * Kubernetes controllers whose IAM policy their project publishes for EKS: the service account
 * their installation creates, the tag keys their policy's conditions name, and the services that
 * policy reaches. What such a policy grants on `*` is the documented pattern, as it is when the
 * same grants come as an AWS-managed policy (AmazonEBSCSIDriverPolicy).
 */
interface PublishedController {
  readonly name: string;
  readonly serviceAccounts: string[];
  readonly tagKeys: string[];
  readonly services: string[];
}

const PUBLISHED_CONTROLLERS: PublishedController[] = [
  {
    name: 'the AWS Load Balancer Controller',
    serviceAccounts: ['aws-load-balancer-controller'],
    tagKeys: ['elbv2.k8s.aws/cluster'],
    services: ['ec2', 'elasticloadbalancing', 'acm', 'iam', 'cognito-idp', 'waf-regional', 'wafv2', 'shield', 'tag'],
  },
  {
    name: 'Karpenter',
    serviceAccounts: ['karpenter'],
    tagKeys: ['karpenter.sh/', 'karpenter.k8s.aws/'],
    services: ['ec2', 'iam', 'ssm', 'pricing', 'eks', 'sqs'],
  },
  {
    name: 'the Cluster Autoscaler',
    serviceAccounts: ['cluster-autoscaler'],
    tagKeys: ['k8s.io/cluster-autoscaler/'],
    services: ['autoscaling', 'ec2', 'eks'],
  },
  { name: 'ExternalDNS', serviceAccounts: ['external-dns'], tagKeys: [], services: ['route53'] },
  { name: 'the EBS CSI driver', serviceAccounts: ['ebs-csi-controller-sa'], tagKeys: ['ebs.csi.aws.com/cluster'], services: ['ec2', 'kms'] },
  { name: 'the EFS CSI driver', serviceAccounts: ['efs-csi-controller-sa'], tagKeys: ['efs.csi.aws.com/cluster'], services: ['elasticfilesystem', 'ec2'] },
];

/** The tag keys a statement's conditions name (`aws:ResourceTag/<key>`, `aws:RequestTag/<key>`, `ec2:ResourceTag/<key>`), lower-cased. */
function conditionTagKeys(statement: StatementJson): string[] {
  return conditionKeys(statement).map((k) => /^[a-z0-9-]+:(?:resource|request)tag\/(.+)$/.exec(k)?.[1]).filter((k): k is string => k !== undefined);
}

/** The Kubernetes service accounts (`<namespace>:<name>`) a trust statement pins its `sub` claim to with an equality operator. */
function pinnedServiceAccounts(statement: StatementJson): string[] {
  return Object.entries(statement.Condition ?? {})
    .filter(([operator]) => /^stringequals(ignorecase)?$/i.test(operator))
    .flatMap(([, byKey]) => Object.entries(byKey ?? {}).filter(([key]) => key.toLowerCase().endsWith(':sub')))
    .flatMap(([, values]) => asList(values as string | string[]).map(String))
    .map((v) => /^system:serviceaccount:([^:*?]+):([^:*?]+)$/.exec(v)?.[2] ?? '');
}

/**
 * The published controller a role serves, when it is one: its trust admits only the
 * controller's service account (IRSA `sub` pinned to `system:serviceaccount:<ns>:<controller>`,
 * or EKS Pod Identity with an association to that service account), or its policies carry the
 * controller's documented tag conditions. Undefined for every other role.
 */
export function publishedControllerOf(ctx: AwsCheckContext, role: RoleModel): PublishedController | undefined {
  const trust = trustAllows(role);
  const byTrust = (name: string) => PUBLISHED_CONTROLLERS.find((c) => c.serviceAccounts.includes(name));
  const irsa = trust.map((s) => pinnedServiceAccounts(s)).filter((names) => names.length > 0);
  if (irsa.length > 0 && irsa.length === trust.length) {
    const controllers = [...new Set(irsa.flat().map(byTrust))];
    if (controllers.length === 1 && controllers[0]) return controllers[0];
  }
  if (trust.length > 0 && trust.every((s) => principalsOf(s, 'Service').every((p) => p === 'pods.eks.amazonaws.com') && principalsOf(s, 'Service').length > 0)) {
    const associations = ctx.model.ofType('AWS::EKS::PodIdentityAssociation')
      .filter(([, a]) => ctx.model.targetOf(a.Properties?.RoleArn)?.logicalId === role.logicalId)
      .map(([, a]) => byTrust(String(ctx.model.resolve(a.Properties?.ServiceAccount))));
    if (associations.length > 0 && new Set(associations).size === 1 && associations[0]) return associations[0];
  }
  const tagKeys = identityAllows(role).flatMap(conditionTagKeys);
  return PUBLISHED_CONTROLLERS.find((c) => c.tagKeys.some((t) => tagKeys.some((k) => (t.endsWith('/') ? k.startsWith(t) : k === t))));
}

/** True when every action of a statement belongs to a service the controller's published policy reaches. */
export function withinPublishedPolicy(controller: PublishedController, statement: StatementJson): boolean {
  const services = actionsOf(statement).map((a) => a.split(':')[0].toLowerCase());
  return services.length > 0 && services.every((s) => controller.services.includes(s));
}

/** True for a custom resource: CloudFormation calls its provider while it deploys the stack. */
function isCustomResource(resource: CfnResource | undefined): boolean {
  return resource !== undefined && (resource.Type.startsWith('Custom::') || resource.Type === 'AWS::CloudFormation::CustomResource');
}

/** Every place (resource, property path) a template refers to a logical id by `Ref` or `Fn::GetAtt`, outputs included. */
function referencesTo(model: TemplateModel, outputs: unknown, logicalId: string): Array<{ from: string; path: string[] }> {
  const found: Array<{ from: string; path: string[] }> = [];
  const walk = (value: unknown, from: string, path: string[]) => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, from, [...path, String(i)]));
      return;
    }
    if (!value || typeof value !== 'object') return;
    if (referencedId(value) === logicalId) found.push({ from, path });
    for (const [key, inner] of Object.entries(value)) walk(inner, from, [...path, key]);
  };
  for (const [id, resource] of Object.entries(model.resources)) if (id !== logicalId) walk(resource.Properties, id, []);
  walk(outputs, '(outputs)', []);
  return found;
}

const deployTimeCache = new WeakMap<TemplateModel, Map<string, boolean>>();

/**
 * True for a role only deploy-time custom-resource providers hold: every use of it is the `Role`
 * of a Lambda function that is referenced only as custom resources' `ServiceToken` (CDK's
 * `AwsCustomResource` singleton, its custom-resource providers), or a property of custom
 * resources (the role CDK's EKS provider assumes, passed as `RoleArn`); policies that attach it
 * or name it, and other roles' trust, are not uses. Such a role acts while CloudFormation deploys
 * the stack, not for a running workload, and is not graded as one. A role that is exported, or
 * used by anything else, is graded as usual.
 */
export function isDeployTimeRole(model: TemplateModel, logicalId: string): boolean {
  let cache = deployTimeCache.get(model);
  if (!cache) {
    cache = new Map();
    deployTimeCache.set(model, cache);
  }
  const known = cache.get(logicalId);
  if (known !== undefined) return known;
  const outputs = model.outputValues();
  const isPolicy = (id: string) => ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::RolePolicy', 'AWS::IAM::Role'].includes(model.resources[id]?.Type ?? '');
  const uses = referencesTo(model, outputs, logicalId).filter((r) => r.from === '(outputs)' || !isPolicy(r.from));
  const deployTimeUse = (use: { from: string; path: string[] }): boolean => {
    const resource = model.resources[use.from];
    if (isCustomResource(resource)) return use.path[0] !== 'ServiceToken';
    if (resource?.Type !== 'AWS::Lambda::Function' || use.path.join('.') !== 'Role') return false;
    const callers = referencesTo(model, outputs, use.from);
    return callers.length > 0 && callers.every((c) => isCustomResource(model.resources[c.from]) && c.path.join('.') === 'ServiceToken');
  };
  const result = uses.length > 0 && uses.every(deployTimeUse);
  cache.set(logicalId, result);
  return result;
}

/**
 * True for an S3 bucket's website endpoint as a CloudFront origin (HTTP only, static files): a
 * bucket of the template (often cut from its `WebsiteURL` with `Fn::Select` of `Fn::Split`), or
 * an `s3-website` domain, written or built (`Fn::Sub`, `Fn::Join`).
 */
export function isWebsiteBucket(model: TemplateModel, domain: unknown): boolean {
  if (mentionedIds(domain).some((id) => model.resources[id]?.Type === 'AWS::S3::Bucket')) return true;
  return /\.s3-website[.-]/.test(JSON.stringify(domain ?? ''));
}
