import { jsonDocument, renderPolicyDocument } from './policy-document';
import type { ModuleCall } from './terraform-config';
import { isUnresolved } from '../private/unresolved';

type Props = Record<string, unknown>;

/** A resource a registry module creates, as the CloudFormation resource the AWS rules read. */
export interface RegistryModuleResource {
  /** What the module makes of it (`task role`), for the resource's name. */
  readonly part: string;
  readonly type: string;
  readonly properties: Props;
  /** Properties that hold the ARN of another resource the same call makes, by its `part` (a listener's load balancer, a node group's role). */
  readonly arnOf?: Record<string, string>;
}

/**
 * `terraform-aws-modules/<name>/aws[//modules/<sub>]` for the registry's address of a module, its
 * `registry.terraform.io/` form, or its GitHub repository (`git::https://github.com/terraform-aws-modules/terraform-aws-<name>.git//modules/<sub>?ref=...`).
 */
export function registryModuleName(source: string): string | undefined {
  const registry = /^(?:registry\.terraform\.io\/)?terraform-aws-modules\/([a-z0-9-]+)\/aws(\/\/[a-z0-9/_-]+)?$/.exec(source);
  if (registry) return `${registry[1]}${registry[2] ?? ''}`;
  const git = /^(?:git::)?(?:https:\/\/|ssh:\/\/git@|git@)github\.com[/:]terraform-aws-modules\/terraform-aws-([a-z0-9-]+?)(?:\.git)?(\/\/[a-z0-9/_-]+)?(?:\?.*)?$/.exec(source);
  return git ? `${git[1]}${git[2] ?? ''}` : undefined;
}

const isSet = (value: unknown) => value !== undefined && value !== null;

/**
 * A module's switch (`create_role`, `attach_policy_statements`), with its published default. One
 * the files do not hold is on: what it would create is judged as written, as a `count` is.
 */
function enabled(args: Props, name: string, byDefault: boolean): boolean {
  return isOn(args[name], byDefault);
}

/** A switch's value, or its default when the files leave it out; unresolved is on. */
function isOn(value: unknown, byDefault: boolean): boolean {
  if (!isSet(value)) return byDefault;
  return isUnresolved(value) || value === true || value === 'true';
}

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : isSet(value) ? [value] : []);
/** A list, or a map's values (`policy_statements = { models = {...} }`). */
const values = (value: unknown): unknown[] => (Array.isArray(value) ? value
  : value && typeof value === 'object' && !isUnresolved(value) ? Object.values(value as Props) : []);

/**
 * The statements these modules take (`tasks_iam_role_statements`, `policy_statements`) are
 * `aws_iam_policy_document` statement blocks, rendered as that data source renders them; the
 * ECS modules name the condition blocks `conditions`.
 */
function statementsOf(statements: unknown): unknown[] {
  const blocks = values(statements).map((s) => (s && typeof s === 'object' && !isUnresolved(s)
    ? { ...(s as Props), condition: (s as Props).condition ?? (s as Props).conditions } : s));
  return renderPolicyDocument({ statement: blocks }).Statement as unknown[];
}

const trust = (service: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
});

/** A role the module creates for a service, with the statements, policy documents and managed policies it is handed. */
function serviceRole(part: string, service: string, statements: unknown[], documents: unknown[], managed: unknown[]): RegistryModuleResource[] {
  const policies = [
    ...(statements.length > 0 ? [{ PolicyName: `${part} statements`, PolicyDocument: { Version: '2012-10-17', Statement: statements } }] : []),
    ...documents.map((document, i) => ({ PolicyName: `${part} policy ${i + 1}`, PolicyDocument: jsonDocument(document) })),
  ];
  if (policies.length === 0 && managed.length === 0) return [];
  return [{
    part,
    type: 'AWS::IAM::Role',
    properties: { AssumeRolePolicyDocument: trust(service), Policies: policies, ManagedPolicyArns: managed.length > 0 ? managed : undefined },
  }];
}

/** `terraform-aws-modules/ecs//modules/service` (and each of the root module's `services`): the tasks' role and the task execution role. */
function ecsService(args: Props): RegistryModuleResource[] {
  return [
    ...(enabled(args, 'create_tasks_iam_role', true)
      ? serviceRole('task role', 'ecs-tasks.amazonaws.com', statementsOf(args.tasks_iam_role_statements), [], values(args.tasks_iam_role_policies))
      : []),
    ...(enabled(args, 'create_task_exec_iam_role', true)
      ? serviceRole('task execution role', 'ecs-tasks.amazonaws.com', statementsOf(args.task_exec_iam_statements), [], values(args.task_exec_iam_role_policies))
      : []),
  ];
}

/** `terraform-aws-modules/ecs`: a service per entry of `services`, each with the service module's inputs. */
function ecsServices(args: Props): RegistryModuleResource[] {
  return values(args.services).flatMap((service) => (service && typeof service === 'object' && !isUnresolved(service) ? ecsService(service as Props) : []));
}

/** `terraform-aws-modules/lambda`: the function's role, with what its `attach_*` switches turn on. */
function lambdaFunction(args: Props): RegistryModuleResource[] {
  if (!enabled(args, 'create', true) || !enabled(args, 'create_role', true)) return [];
  const on = (name: string) => enabled(args, name, false);
  return serviceRole('function role', 'lambda.amazonaws.com',
    on('attach_policy_statements') ? statementsOf(args.policy_statements) : [],
    [...(on('attach_policy_json') && isSet(args.policy_json) ? [args.policy_json] : []), ...(on('attach_policy_jsons') ? asArray(args.policy_jsons) : [])],
    [...(on('attach_policy') && isSet(args.policy) ? [args.policy] : []), ...(on('attach_policies') ? asArray(args.policies) : [])]);
}

/**
 * `terraform-aws-modules/alb`: the load balancer (internet-facing unless `internal`, access logs
 * only with `access_logs`) and its listeners: `listeners` (version 9 on) or the older
 * `http_tcp_listeners` and `https_listeners`. The caller links each listener to the load balancer.
 */
function loadBalancer(args: Props): RegistryModuleResource[] {
  if (!enabled(args, 'create', true)) return [];
  const logs = args.access_logs as Props | undefined;
  const internal = args.internal;
  const lb: RegistryModuleResource = {
    part: 'load balancer',
    type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
    properties: {
      Name: args.name,
      Type: args.load_balancer_type ?? 'application',
      Scheme: isUnresolved(internal) ? internal : enabled(args, 'internal', false) ? 'internal' : 'internet-facing',
      LoadBalancerAttributes: logs && typeof logs === 'object' && !isUnresolved(logs) && isSet(logs.bucket)
        ? [{ Key: 'access_logs.s3.enabled', Value: isUnresolved(logs.enabled) ? logs.enabled : String(logs.enabled ?? true) }]
        : undefined,
    },
  };
  const listeners = (value: unknown, protocol: string) => values(value).map((l): RegistryModuleResource => {
    const listener = l as Props;
    return {
      part: `listener ${String(listener.port ?? '')}`.trim(),
      type: 'AWS::ElasticLoadBalancingV2::Listener',
      arnOf: { LoadBalancerArn: lb.part },
      properties: {
        Protocol: listener.protocol ?? protocol,
        Port: listener.port,
        Certificates: isSet(listener.certificate_arn) ? [{ CertificateArn: listener.certificate_arn }] : undefined,
        // A redirect (`redirect = { protocol = "HTTPS" }`) sends nothing on; otherwise it answers or forwards.
        DefaultActions: listener.redirect && typeof listener.redirect === 'object'
          ? [{ Type: 'redirect', RedirectConfig: { Protocol: (listener.redirect as Props).protocol } }]
          : [{ Type: listener.fixed_response ? 'fixed-response' : 'forward' }],
      },
    };
  });
  return [lb, ...listeners(args.listeners, 'HTTP'), ...listeners(args.http_tcp_listeners, 'HTTP'), ...listeners(args.https_listeners, 'HTTPS')];
}

/** A kind of node group, with the switch that decides whether the module creates its role. */
interface NodeGroupKind {
  readonly name: string;
  /** `create_iam_role` for managed node groups; self-managed ones create an instance profile and its role with `create_iam_instance_profile`. */
  readonly roleSwitch: string;
}
const MANAGED: NodeGroupKind = { name: 'managed node group', roleSwitch: 'create_iam_role' };
const SELF_MANAGED: NodeGroupKind = { name: 'self-managed node group', roleSwitch: 'create_iam_instance_profile' };

/**
 * `terraform-aws-modules/eks` and its node-group modules: each node group's node role (AWS's node
 * policies, and `iam_role_additional_policies`, a group's own or the defaults') and the group that
 * runs as it. Every pod on the group's nodes can take that role's credentials from the instance
 * metadata. The cluster's own role holds only AWS's cluster policy and is not read. `create` is
 * the group's own (the module takes no default for it).
 */
function nodeGroup(kind: NodeGroupKind, name: string, group: Props, defaults: Props): RegistryModuleResource[] {
  const setting = (key: string) => (isSet(group[key]) ? group[key] : defaults[key]);
  if (!isOn(group.create, true) || !isOn(setting(kind.roleSwitch), true)) return [];
  return nodeRole(`${kind.name} ${name}`, group.name ?? name, isOn(setting('iam_role_attach_cni_policy'), true), setting('iam_role_additional_policies'));
}

/** A node role (AWS's node policies, the CNI policy unless left out, and the additional ones) and the nodes that run as it. */
function nodeRole(part: string, name: unknown, cni: boolean, additional: unknown): RegistryModuleResource[] {
  const managed = [
    'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
    'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
    ...(cni ? ['arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy'] : []),
    ...values(additional),
  ];
  const role = serviceRole(`${part} node role`, 'ec2.amazonaws.com', [], [], managed);
  return [...role, { part, type: 'AWS::EKS::Nodegroup', properties: { NodegroupName: name }, arnOf: { NodeRole: role[0].part } }];
}

/** `terraform-aws-modules/eks//modules/karpenter`: the role of the nodes Karpenter launches (`node_iam_role_*` from version 20, `iam_role_*` before). */
function karpenterNodes(args: Props): RegistryModuleResource[] {
  const setting = (current: string, older: string) => (isSet(args[current]) ? args[current] : args[older]);
  if (!isOn(args.create, true) || !isOn(setting('create_node_iam_role', 'create_iam_role'), true)) return [];
  return nodeRole('Karpenter nodes', 'karpenter', isOn(setting('node_iam_role_attach_cni_policy', 'iam_role_attach_cni_policy'), true),
    setting('node_iam_role_additional_policies', 'iam_role_additional_policies'));
}

const nodeGroups = (kind: NodeGroupKind, groups: unknown, defaults: unknown): RegistryModuleResource[] => {
  const common = defaults && typeof defaults === 'object' && !isUnresolved(defaults) ? defaults as Props : {};
  if (!groups || typeof groups !== 'object' || isUnresolved(groups)) return [];
  return Object.entries(groups as Props).flatMap(([name, group]) => (group && typeof group === 'object' && !isUnresolved(group)
    ? nodeGroup(kind, name, group as Props, common) : []));
};

function eksCluster(args: Props): RegistryModuleResource[] {
  if (!enabled(args, 'create', true)) return [];
  return [
    ...nodeGroups(MANAGED, args.eks_managed_node_groups, args.eks_managed_node_group_defaults),
    ...nodeGroups(SELF_MANAGED, args.self_managed_node_groups, args.self_managed_node_group_defaults),
  ];
}

/** The registry modules read from their inputs, by `registryModuleName`, each with what it creates that the AWS rules judge. */
const READERS: Record<string, (args: Props) => RegistryModuleResource[]> = {
  'ecs//modules/service': ecsService,
  'ecs': ecsServices,
  'lambda': lambdaFunction,
  'alb': loadBalancer,
  'eks': eksCluster,
  'eks//modules/eks-managed-node-group': (args) => nodeGroup(MANAGED, String(args.name ?? 'nodes'), args, {}),
  'eks//modules/self-managed-node-group': (args) => nodeGroup(SELF_MANAGED, String(args.name ?? 'nodes'), args, {}),
  'eks//modules/karpenter': karpenterNodes,
};

/** True for a registry module whose resources the AWS rules read from the inputs it is handed. */
export function readsThroughInputs(source: string): boolean {
  const name = registryModuleName(source);
  return name !== undefined && name in READERS;
}

/**
 * What a module of the registry's terraform-aws-modules creates that the AWS rules judge, read
 * from the inputs it is handed and its published interface, when its code is not in the files
 * (registry and git modules are not fetched): the roles of ECS services and Lambda functions with
 * the statements they are given, and load balancers with their listeners and access logs. Other
 * modules, and other resources of these, are not read.
 */
export function registryModuleResources(call: ModuleCall): RegistryModuleResource[] {
  const name = registryModuleName(call.source);
  const read = name === undefined ? undefined : READERS[name];
  return read && !call.read && call.resolvedArguments ? read(call.resolvedArguments) : [];
}
