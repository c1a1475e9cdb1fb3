import { jsonDocument } from './policy-document';
import { registryModuleResources } from './registry-modules';
import type { ModuleCall } from './terraform-config';
import { ignoresChanges } from './terraform-lifecycle';
import { CfnResource, CfnTemplateJson, MODULE_HOLDER_KEY, REGISTRY_PART_KEY } from '../private/cfn-template';
import { isUnresolved, Unresolved, writtenText } from '../private/unresolved';
import { TerraformConfig } from '../private/vault-rules';

type Props = Record<string, unknown>;

/** The Terraform AWS resource types the AWS rules read, and the CloudFormation type each becomes. */
const TYPE_OF: Record<string, string> = {
  aws_iam_role: 'AWS::IAM::Role',
  aws_iam_user: 'AWS::IAM::User',
  aws_iam_group: 'AWS::IAM::Group',
  aws_iam_policy: 'AWS::IAM::ManagedPolicy',
  aws_iam_role_policy: 'AWS::IAM::RolePolicy',
  aws_iam_user_policy: 'AWS::IAM::UserPolicy',
  aws_iam_group_policy: 'AWS::IAM::GroupPolicy',
  aws_iam_access_key: 'AWS::IAM::AccessKey',
  aws_iam_instance_profile: 'AWS::IAM::InstanceProfile',
  aws_secretsmanager_secret: 'AWS::SecretsManager::Secret',
  aws_secretsmanager_secret_rotation: 'AWS::SecretsManager::RotationSchedule',
  aws_kms_key: 'AWS::KMS::Key',
  aws_lambda_function: 'AWS::Lambda::Function',
  aws_lambda_function_url: 'AWS::Lambda::Url',
  aws_lambda_permission: 'AWS::Lambda::Permission',
  aws_cloudwatch_log_group: 'AWS::Logs::LogGroup',
  aws_cloudtrail: 'AWS::CloudTrail::Trail',
  aws_api_gateway_api_key: 'AWS::ApiGateway::ApiKey',
  aws_ecs_task_definition: 'AWS::ECS::TaskDefinition',
  aws_lb: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
  aws_alb: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
  aws_lb_listener: 'AWS::ElasticLoadBalancingV2::Listener',
  aws_alb_listener: 'AWS::ElasticLoadBalancingV2::Listener',
  aws_api_gateway_stage: 'AWS::ApiGateway::Stage',
  aws_apigatewayv2_stage: 'AWS::ApiGatewayV2::Stage',
  aws_ssm_parameter: 'AWS::SSM::Parameter',
  aws_eks_access_entry: 'AWS::EKS::AccessEntry',
  aws_eks_node_group: 'AWS::EKS::Nodegroup',
  aws_bedrockagent_agent: 'AWS::Bedrock::Agent',
  awscc_bedrock_agent: 'AWS::Bedrock::Agent',
};


/**
 * A JSON document written as a template whose interpolations sit inside its strings (a
 * `container_definitions` heredoc with `"value": "${var.redis_password}"`): the document is read,
 * and each string that still holds an interpolation is unresolved, so the rules see its structure.
 */
function jsonTemplate(value: unknown): unknown {
  const parsed = jsonDocument(value);
  if (!isUnresolved(parsed) || !isUnresolved(value)) return parsed;
  const unresolvedStrings = (v: unknown): unknown => {
    if (typeof v === 'string') return v.includes('${') ? Unresolved.of(v) : v;
    if (Array.isArray(v)) return v.map(unresolvedStrings);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unresolvedStrings(x)]));
    return v;
  };
  try {
    return unresolvedStrings(JSON.parse(value.expression));
  } catch {
    return parsed;
  }
}

function tags(value: unknown): Array<{ Key: string; Value: unknown }> | undefined {
  if (!value || typeof value !== 'object' || isUnresolved(value)) return undefined;
  return Object.entries(value as Props).map(([Key, Value]) => ({ Key, Value }));
}

function first(value: unknown): Props | undefined {
  const block = Array.isArray(value) ? value[0] : value;
  return block && typeof block === 'object' && !isUnresolved(block) ? block as Props : undefined;
}

function compact(props: Props): Props {
  return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined));
}

/**
 * The AWS resources of a Terraform configuration as a CloudFormation template the AWS rules
 * read: each resource keeps its Terraform address as its path, references between them become
 * `Ref`/`Fn::GetAtt`, policy attachments become the policies' `Roles`/`Users`/`Groups` or the
 * principals' `ManagedPolicyArns`, and a secret's rotation a `RotationSchedule`. Returns
 * undefined when the configuration has no AWS resource the rules read.
 */
/**
 * Marks the IAM users whose access key the configuration gives Vault's AWS secrets engine
 * (`access_key = aws_iam_access_key.k.id`, the key's `user = aws_iam_user.u.name`), read through
 * the same reference mapping as every other property: the rules read their user-management grants
 * as the engine's, which creates and deletes the users it hands out.
 */
function markVaultEngineUsers(
  source: Record<string, Record<string, Props>>, ref: (value: unknown) => unknown, resources: Record<string, { Properties: Props; Metadata: Props }>,
): void {
  const idOf = (value: unknown) => (value && typeof value === 'object' ? (value as { Ref?: string }).Ref : undefined);
  for (const backend of Object.values(source.vault_aws_secret_backend ?? {})) {
    const key = idOf(ref(backend.access_key));
    const user = key ? idOf(resources[key]?.Properties.UserName) : undefined;
    if (user && resources[user]) resources[user].Metadata['gateward:vault-aws-engine'] = true;
  }
}

export function terraformAwsTemplate(
  config: TerraformConfig, addressOf: Map<string, string> = new Map(), modules: ModuleCall[] = [],
): CfnTemplateJson | undefined {
  const source = config.resource ?? {};
  const idOf = new Map<string, string>();
  const used = new Set<string>();
  for (const [type, byName] of Object.entries(source)) {
    if (!TYPE_OF[type] && !type.startsWith('aws_iam_') && type !== 'aws_secretsmanager_secret_version') continue;
    for (const name of Object.keys(byName)) {
      let id = `${type}_${name}`.replace(/[^A-Za-z0-9]/g, '');
      while (used.has(id)) id = `${id}X`;
      used.add(id);
      idOf.set(`${type}.${name}`, id);
    }
  }
  /** `${aws_iam_role.r.arn}` as `Fn::GetAtt`, `${aws_iam_role.r.name}` as `Ref`, when the resource is mapped. */
  const ref = (value: unknown): unknown => {
    // An unresolved marker whose expression is one reference (`${aws_iam_policy.app.arn}` handed
    // to a module) is that resource, as the written reference is; otherwise it may offer a role.
    if (isUnresolved(value)) {
      const linked = ref(value.expression);
      return linked !== value.expression ? linked : offeredRole(value) ?? value;
    }
    if (typeof value !== 'string') return value;
    // `${aws_iam_role.r.arn}`, or an instance's: `${aws_iam_role.r["a"].arn}`, `${aws_iam_role.r[0].name}`.
    const match = /^\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+(?:\[[^\]]+\])?)\.([a-z_]+)\}$/.exec(value);
    const id = match ? idOf.get(match[1]) : undefined;
    if (!id) return value;
    return match![2] === 'arn' ? { 'Fn::GetAtt': [id, 'Arn'] } : { Ref: id };
  };
  /**
   * A value the files cannot tell that offers one of their roles (`var.role_arn != null ?
   * var.role_arn : aws_iam_role.agent[0].arn`): judged as written, it is that role, as a
   * resource a `count` may switch off is judged.
   */
  function offeredRole(value: { expression: string }): unknown {
    const roles = [...new Set([...value.expression.matchAll(/\baws_iam_role\.([A-Za-z0-9_-]+(?:\[[^\]]+\])?)\.(arn|name|id)\b/g)]
      .map((m) => `aws_iam_role.${m[1]}|${m[2] === 'arn' ? 'arn' : 'name'}`))];
    if (roles.length !== 1) return undefined;
    const [address, attribute] = roles[0].split('|');
    const id = idOf.get(address);
    if (!id) return undefined;
    return attribute === 'arn' ? { 'Fn::GetAtt': [id, 'Arn'] } : { Ref: id };
  }
  const refs = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(ref);
  const resources: Record<string, { Type: string; Properties: Props; Metadata: Props }> = {};
  const add = (address: string, type: string, properties: Props) => {
    // `gateward:terraform`: Terraform writes the resource again on every apply (it corrects drift), CloudFormation only on a change.
    resources[idOf.get(address)!] = {
      Type: type,
      Properties: compact(properties),
      Metadata: { 'aws:cdk:path': addressOf.get(address) ?? address, 'gateward:terraform': true },
    };
  };
  const attachments: Array<{ arn: unknown; holders: Array<{ kind: 'Roles' | 'Users' | 'Groups'; value: unknown }> }> = [];

  for (const [type, byName] of Object.entries(source)) {
    for (const [name, p] of Object.entries(byName)) {
      const address = `${type}.${name}`;
      switch (type) {
        case 'aws_iam_role':
          add(address, TYPE_OF[type], {
            RoleName: p.name,
            AssumeRolePolicyDocument: jsonDocument(p.assume_role_policy),
            MaxSessionDuration: p.max_session_duration,
            PermissionsBoundary: ref(p.permissions_boundary),
            ManagedPolicyArns: p.managed_policy_arns === undefined ? undefined : refs(p.managed_policy_arns),
            Policies: (Array.isArray(p.inline_policy) ? p.inline_policy : p.inline_policy ? [p.inline_policy] : [])
              .filter((b: Props) => b && b.policy !== undefined).map((b: Props) => ({ PolicyName: b.name, PolicyDocument: jsonDocument(b.policy) })),
            Tags: tags(p.tags),
          });
          break;
        case 'aws_iam_user':
          add(address, TYPE_OF[type], { UserName: p.name, PermissionsBoundary: ref(p.permissions_boundary), Tags: tags(p.tags) });
          break;
        case 'aws_iam_group':
          add(address, TYPE_OF[type], { GroupName: p.name });
          break;
        case 'aws_iam_policy':
          add(address, TYPE_OF[type], { ManagedPolicyName: p.name, PolicyDocument: jsonDocument(p.policy), Tags: tags(p.tags) });
          break;
        case 'aws_iam_role_policy':
          add(address, TYPE_OF[type], { PolicyName: p.name, RoleName: ref(p.role), PolicyDocument: jsonDocument(p.policy) });
          break;
        case 'aws_iam_user_policy':
          add(address, TYPE_OF[type], { PolicyName: p.name, UserName: ref(p.user), PolicyDocument: jsonDocument(p.policy) });
          break;
        case 'aws_iam_group_policy':
          add(address, TYPE_OF[type], { PolicyName: p.name, GroupName: ref(p.group), PolicyDocument: jsonDocument(p.policy) });
          break;
        case 'aws_iam_access_key':
          // No CloudFormation counterpart: without pgp_key the provider stores the secret in the state in clear.
          add(address, TYPE_OF[type], { UserName: ref(p.user), Status: p.status, SecretInTerraformState: p.pgp_key === undefined || p.pgp_key === null || p.pgp_key === '' });
          break;
        case 'aws_iam_instance_profile':
          add(address, TYPE_OF[type], { Roles: refs(p.role) });
          break;
        case 'aws_iam_role_policy_attachment':
          attachments.push({ arn: p.policy_arn, holders: [{ kind: 'Roles', value: p.role }] });
          break;
        case 'aws_iam_user_policy_attachment':
          attachments.push({ arn: p.policy_arn, holders: [{ kind: 'Users', value: p.user }] });
          break;
        case 'aws_iam_group_policy_attachment':
          attachments.push({ arn: p.policy_arn, holders: [{ kind: 'Groups', value: p.group }] });
          break;
        case 'aws_iam_policy_attachment':
          attachments.push({
            arn: p.policy_arn,
            holders: [
              ...(Array.isArray(p.roles) ? p.roles : []).map((value: unknown) => ({ kind: 'Roles' as const, value })),
              ...(Array.isArray(p.users) ? p.users : []).map((value: unknown) => ({ kind: 'Users' as const, value })),
              ...(Array.isArray(p.groups) ? p.groups : []).map((value: unknown) => ({ kind: 'Groups' as const, value })),
            ],
          });
          break;
        case 'aws_iam_user_group_membership':
        case 'aws_iam_group_membership': {
          const users = type === 'aws_iam_user_group_membership' ? [p.user] : (Array.isArray(p.users) ? p.users : []);
          const groups = type === 'aws_iam_user_group_membership' ? (Array.isArray(p.groups) ? p.groups : []) : [p.group];
          groups.forEach((group: unknown, i: number) => {
            resources[`${idOf.get(address)}${i}`] = {
              Type: 'AWS::IAM::UserToGroupAddition',
              Properties: { GroupName: ref(group), Users: users.map(ref) },
              Metadata: { 'aws:cdk:path': addressOf.get(address) ?? address },
            };
          });
          break;
        }
        case 'aws_secretsmanager_secret':
          add(address, TYPE_OF[type], { Name: p.name, KmsKeyId: p.kms_key_id, Tags: tags(p.tags) });
          break;
        case 'aws_secretsmanager_secret_rotation': {
          const rules = first(p.rotation_rules) ?? {};
          add(address, TYPE_OF[type], {
            SecretId: ref(p.secret_id),
            RotationLambdaARN: p.rotation_lambda_arn ?? (p.rotate_immediately !== undefined || Object.keys(rules).length > 0 ? '(managed rotation)' : undefined),
            RotationRules: compact({ AutomaticallyAfterDays: rules.automatically_after_days, ScheduleExpression: rules.schedule_expression }),
          });
          break;
        }
        case 'aws_kms_key':
          add(address, TYPE_OF[type], { EnableKeyRotation: p.enable_key_rotation, KeyPolicy: jsonDocument(p.policy), Tags: tags(p.tags) });
          break;
        case 'aws_lambda_function': {
          const environment = first(p.environment);
          add(address, TYPE_OF[type], {
            FunctionName: p.function_name,
            Role: ref(p.role),
            Environment: environment?.variables ? { Variables: environment.variables } : undefined,
            Tags: tags(p.tags),
          });
          break;
        }
        case 'aws_lambda_function_url':
          add(address, TYPE_OF[type], { TargetFunctionArn: ref(p.function_name), AuthType: p.authorization_type });
          break;
        case 'aws_lambda_permission':
          add(address, TYPE_OF[type], {
            Action: p.action,
            FunctionName: ref(p.function_name),
            Principal: p.principal,
            FunctionUrlAuthType: p.function_url_auth_type,
            SourceArn: p.source_arn,
            SourceAccount: p.source_account,
            PrincipalOrgID: p.principal_org_id,
          });
          break;
        case 'aws_cloudwatch_log_group':
          add(address, TYPE_OF[type], {
            LogGroupName: p.name, RetentionInDays: p.retention_in_days || undefined, KmsKeyId: p.kms_key_id, Tags: tags(p.tags),
          });
          break;
        case 'aws_cloudtrail':
          add(address, TYPE_OF[type], { TrailName: p.name, EnableLogFileValidation: p.enable_log_file_validation ?? false });
          break;
        case 'aws_eks_access_entry':
          add(address, TYPE_OF[type], {
            ClusterName: p.cluster_name, PrincipalArn: ref(p.principal_arn), Type: p.type, KubernetesGroups: p.kubernetes_groups,
          });
          break;
        case 'aws_bedrockagent_agent':
        case 'awscc_bedrock_agent':
          add(address, TYPE_OF[type], { AgentName: p.agent_name, AgentResourceRoleArn: ref(p.agent_resource_role_arn) });
          break;
        case 'aws_eks_node_group':
          add(address, TYPE_OF[type], { ClusterName: p.cluster_name, NodegroupName: p.node_group_name, NodeRole: ref(p.node_role_arn) });
          break;
        case 'aws_api_gateway_api_key':
          add(address, TYPE_OF[type], { Name: p.name, Value: p.value });
          break;
        case 'aws_ecs_task_definition': {
          const containers = jsonTemplate(p.container_definitions);
          add(address, TYPE_OF[type], {
            TaskRoleArn: ref(p.task_role_arn),
            ExecutionRoleArn: ref(p.execution_role_arn),
            ContainerDefinitions: Array.isArray(containers) ? containers.map((c: Props) => ({
              Name: c.name,
              Environment: Array.isArray(c.environment) ? c.environment.map((e: Props) => ({ Name: e.name, Value: e.value })) : undefined,
              Secrets: Array.isArray(c.secrets) ? c.secrets.map((e: Props) => ({ Name: e.name, ValueFrom: e.valueFrom })) : undefined,
            })) : containers,
            Tags: tags(p.tags),
          });
          break;
        }
        case 'aws_lb':
        case 'aws_alb': {
          const logs = first(p.access_logs);
          add(address, TYPE_OF[type], {
            Name: p.name,
            Type: p.load_balancer_type ?? 'application',
            // Terraform's `internal` defaults to false: internet-facing.
            Scheme: isUnresolved(p.internal) ? p.internal : p.internal === true || p.internal === 'true' ? 'internal' : 'internet-facing',
            LoadBalancerAttributes: logs
              ? [{ Key: 'access_logs.s3.enabled', Value: isUnresolved(logs.enabled) ? logs.enabled : String(logs.enabled ?? true) }]
              : undefined,
            Tags: tags(p.tags),
          });
          break;
        }
        case 'aws_lb_listener':
        case 'aws_alb_listener':
          add(address, TYPE_OF[type], {
            LoadBalancerArn: ref(p.load_balancer_arn),
            Protocol: p.protocol ?? 'HTTP',
            Port: p.port,
            Certificates: p.certificate_arn === undefined ? undefined : [{ CertificateArn: p.certificate_arn }],
            DefaultActions: (Array.isArray(p.default_action) ? p.default_action : p.default_action ? [p.default_action] : []).map((a: Props) => {
              const redirect = first(a.redirect);
              const redirectConfig = redirect ? { Protocol: redirect.protocol } : undefined;
              return compact({ Type: a.type, RedirectConfig: redirectConfig, TargetGroupArn: a.target_group_arn });
            }),
          });
          break;
        case 'aws_api_gateway_stage': {
          const logs = first(p.access_log_settings);
          add(address, TYPE_OF[type], {
            StageName: p.stage_name,
            RestApiId: ref(p.rest_api_id),
            AccessLogSetting: logs ? { DestinationArn: logs.destination_arn, Format: logs.format } : undefined,
          });
          break;
        }
        case 'aws_ssm_parameter':
          // Its value stays out of the template: the rules judge what the parameter is, not what it holds.
          add(address, TYPE_OF[type], { Name: p.name, Type: p.type ?? 'String', Description: p.description });
          break;
        case 'aws_apigatewayv2_stage': {
          const logs = first(p.access_log_settings);
          add(address, TYPE_OF[type], {
            StageName: p.name,
            ApiId: ref(p.api_id),
            AccessLogSettings: logs ? { DestinationArn: logs.destination_arn, Format: logs.format } : undefined,
          });
          break;
        }
        default:
          break;
      }
    }
  }
  // A secret's value written in Terraform is the secret's `SecretString`, as CloudFormation writes it.
  for (const [, p] of Object.entries(source.aws_secretsmanager_secret_version ?? {})) {
    const target = ref(p.secret_id) as { Ref?: string };
    const secret = target?.Ref ? resources[target.Ref] : undefined;
    // A value Terraform is told to ignore is set outside it: the file holds only the first value written.
    if (secret && p.secret_string !== undefined && !ignoresChanges(p, 'secret_string')) secret.Properties.SecretString = p.secret_string;
  }
  // A role an unread module makes (`role = module.irsa.iam_role_name`) is that module's: an
  // output named for a role, not any output (`module.label.id` names a role written here).
  const unreadModule = (value: unknown) => {
    const name = MODULE_ROLE_OUTPUT.exec(writtenText(value))?.[1];
    return name && modules.some((m) => m.address === name && !m.read) ? name : undefined;
  };
  const heldByModules = new Map<string, string[]>();
  for (const attachment of attachments) {
    const policy = ref(attachment.arn) as { 'Fn::GetAtt'?: string[] };
    const local = policy?.['Fn::GetAtt']?.[0];
    for (const holder of attachment.holders) {
      const target = ref(holder.value) as { Ref?: string } | string;
      const module = holder.kind === 'Roles' ? unreadModule(holder.value) : undefined;
      if (local && resources[local] && module) {
        heldByModules.set(local, [...new Set([...(heldByModules.get(local) ?? []), module])]);
      } else if (local && resources[local]) {
        const props = resources[local].Properties;
        props[holder.kind] = [...(props[holder.kind] as unknown[] ?? []), target];
      } else if (typeof target === 'object' && target.Ref && resources[target.Ref]) {
        const props = resources[target.Ref].Properties;
        props.ManagedPolicyArns = [...(props.ManagedPolicyArns as unknown[] ?? []), attachment.arn];
      }
    }
  }
  // Judged as the module role's, unless a holder in the files already holds the policy (judged there).
  for (const [id, held] of heldByModules) {
    if (!hasHolders(resources[id].Properties)) resources[id].Metadata[MODULE_HOLDER_KEY] = held;
  }
  markModuleHeldPolicies(modules, idOf, resources);
  markVaultEngineUsers(source, ref, resources);
  addRegistryModuleResources(modules, resources, used, ref);
  if (Object.keys(resources).length === 0) return undefined;
  return { Resources: resources as Record<string, CfnResource> };
}

/**
 * The resources registry modules create (roles of ECS services and Lambda functions, load
 * balancers), read from the inputs each call is handed: each is reported on the module call's
 * address, which is all the configuration names of it.
 */
function addRegistryModuleResources(
  modules: ModuleCall[], resources: Record<string, { Type: string; Properties: Props; Metadata: Props }>, used: Set<string>,
  ref: (value: unknown) => unknown,
): void {
  for (const call of modules) {
    const made = registryModuleResources(call);
    const ids = made.map((r) => {
      let id = `${call.address}${r.part}`.replace(/[^A-Za-z0-9]/g, '');
      while (used.has(id)) id = `${id}X`;
      used.add(id);
      return id;
    });
    // A role's ARN is its `Arn` attribute; a load balancer's `Ref` is its ARN.
    const arnOfPart = (part: string) => {
      const i = made.findIndex((m) => m.part === part);
      return i < 0 ? undefined : made[i].type === 'AWS::IAM::Role' ? { 'Fn::GetAtt': [ids[i], 'Arn'] } : { Ref: ids[i] };
    };
    made.forEach((r, i) => {
      const links = Object.entries(r.arnOf ?? {}).map(([property, part]) => [property, arnOfPart(part)]).filter(([, arn]) => arn !== undefined);
      // A managed policy of the files handed to the module (`aws_iam_policy.app.arn`) is that policy, judged on the module's role.
      const arns = r.properties.ManagedPolicyArns;
      const managed = Array.isArray(arns) ? { ManagedPolicyArns: arns.map(ref) } : {};
      const properties = { ...r.properties, ...managed, ...Object.fromEntries(links) };
      resources[ids[i]] = {
        Type: r.type,
        Properties: compact(properties),
        Metadata: { 'aws:cdk:path': call.address, 'gateward:terraform': true, [REGISTRY_PART_KEY]: r.part },
      };
    });
  }
}

/** `${module.irsa.iam_role_name}`, `${module.x.role_arn}`: an unread module's output that names the role it creates. */
const MODULE_ROLE_OUTPUT = /^\$\{(module\.[A-Za-z0-9_-]+)(?:\[[^\]]+\])?\.(?:[a-z0-9_]*_)?role(?:_name|_arn|_id)?\}$/;

/** True when a managed policy's holders (roles, users, groups) are written beside it. */
const hasHolders = (props: Props) => ['Roles', 'Users', 'Groups'].some((k) => Array.isArray(props[k]) && (props[k] as unknown[]).length > 0);

/** A module argument that attaches policies to the role the module creates (`role_policy_arns`, `policy_arns`, `additional_policies`). */
const POLICY_ARGUMENT = /polic(?:y|ies)/i;
/** `aws_iam_policy.x.arn` (or an instance's, `aws_iam_policy.x["a"].arn`) written into a module argument. */
const POLICY_ARN_REFERENCE = /\baws_iam_policy\.([A-Za-z0-9_-]+(?:\[[^\]]+\])?)\.arn\b/g;

/**
 * A managed policy of the configuration passed by ARN into a module that was not read (a registry
 * module that creates a role, such as an IRSA role) is held by that module's role: the policy is
 * marked with the module, so the rules judge it as a workload's. A policy also attached in the
 * files is judged on its holders there.
 */
function markModuleHeldPolicies(
  modules: ModuleCall[], idOf: Map<string, string>, resources: Record<string, { Type: string; Properties: Props; Metadata: Props }>,
): void {
  const attached = (id: string) => {
    if (hasHolders(resources[id].Properties)) return true;
    return Object.values(resources).some((r) => Array.isArray(r.Properties.ManagedPolicyArns)
      && (r.Properties.ManagedPolicyArns as unknown[]).some((a) => (a as { 'Fn::GetAtt'?: string[] })?.['Fn::GetAtt']?.[0] === id));
  };
  for (const call of modules) {
    if (call.read || !call.arguments) continue;
    for (const [name, value] of Object.entries(call.arguments)) {
      if (!POLICY_ARGUMENT.test(name)) continue;
      for (const match of JSON.stringify(value).matchAll(POLICY_ARN_REFERENCE)) {
        const id = idOf.get(`aws_iam_policy.${match[1].replace(/\\"/g, '"')}`);
        if (!id || !resources[id] || attached(id)) continue;
        const held = resources[id].Metadata[MODULE_HOLDER_KEY] as string[] | undefined ?? [];
        if (!held.includes(call.address)) resources[id].Metadata[MODULE_HOLDER_KEY] = [...held, call.address];
      }
    }
  }
}
