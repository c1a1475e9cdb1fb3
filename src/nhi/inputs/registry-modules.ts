import type { ModuleCall } from './terraform-config';
import { isUnresolved } from '../private/unresolved';

type Props = Record<string, unknown>;

/** A resource a registry module creates, as the CloudFormation resource the AWS rules read. */
export interface RegistryModuleResource {
  /** What the module makes of it (`task role`), for the resource's name. */
  readonly part: string;
  readonly type: string;
  readonly properties: Props;
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

/** The registry modules whose roles and load balancers are read from their inputs. */
const READ_THROUGH_INPUTS = new Set(['ecs//modules/service', 'ecs', 'lambda', 'alb']);

/** True for a registry module whose resources the AWS rules read from the inputs it is handed. */
export function readsThroughInputs(source: string): boolean {
  const name = registryModuleName(source);
  return name !== undefined && READ_THROUGH_INPUTS.has(name);
}

const isSet = (value: unknown) => value !== undefined && value !== null;
/** A module's boolean input, with its published default. */
function flag(args: Props, name: string, byDefault: boolean): boolean | unknown {
  const value = args[name];
  if (!isSet(value)) return byDefault;
  if (isUnresolved(value)) return value;
  return value === true || value === 'true';
}
/** A value is offered unless the input is `false` (an unresolved switch is judged as written, as a `count` is). */
const offered = (value: unknown) => value !== false;

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : isSet(value) ? [value] : []);
const values = (value: unknown): unknown[] => (Array.isArray(value) ? value
  : value && typeof value === 'object' && !isUnresolved(value) ? Object.values(value as Props) : []);

/**
 * The statements these modules take (`tasks_iam_role_statements`, `policy_statements`), in the
 * shape of `aws_iam_policy_document`'s `statement` blocks, as IAM policy JSON: `effect` (Allow by
 * default), `actions`/`not_actions`, `resources`/`not_resources`, `principals`, `condition`.
 */
function statementsJson(statements: unknown): Props[] {
  return values(statements).filter((s): s is Props => !!s && typeof s === 'object' && !isUnresolved(s)).map((s) => {
    const conditions: Record<string, Record<string, unknown>> = {};
    for (const c of [...asArray(s.condition), ...asArray(s.conditions)] as Props[]) {
      if (!c || typeof c !== 'object' || typeof c.test !== 'string' || typeof c.variable !== 'string') continue;
      conditions[c.test] = { ...conditions[c.test], [c.variable]: c.values };
    }
    const principals: Record<string, unknown[]> = {};
    for (const p of asArray(s.principals) as Props[]) {
      if (p && typeof p === 'object' && typeof p.type === 'string') principals[p.type] = [...(principals[p.type] ?? []), ...asArray(p.identifiers)];
    }
    return Object.fromEntries(Object.entries({
      Sid: s.sid,
      Effect: typeof s.effect === 'string' ? (s.effect.toLowerCase() === 'deny' ? 'Deny' : 'Allow') : 'Allow',
      Action: s.actions,
      NotAction: s.not_actions,
      Resource: s.resources,
      NotResource: s.not_resources,
      Principal: Object.keys(principals).length > 0 ? principals : undefined,
      Condition: Object.keys(conditions).length > 0 ? conditions : undefined,
    }).filter(([, v]) => isSet(v)));
  });
}

const trust = (service: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
});

/** A role the module creates for a service, with the statements and managed policies it is handed. */
function serviceRole(part: string, service: string, statements: Props[], policyJson: unknown[], managed: unknown[]): RegistryModuleResource[] {
  const policies = [
    ...(statements.length > 0 ? [{ PolicyName: `${part} statements`, PolicyDocument: { Version: '2012-10-17', Statement: statements } }] : []),
    ...policyJson.map((document, i) => ({ PolicyName: `${part} policy ${i + 1}`, PolicyDocument: document })),
  ];
  if (policies.length === 0 && managed.length === 0) return [];
  return [{
    part,
    type: 'AWS::IAM::Role',
    properties: { AssumeRolePolicyDocument: trust(service), Policies: policies, ManagedPolicyArns: managed.length > 0 ? managed : undefined },
  }];
}

/** A JSON policy document handed as a string (`policy_json`); unreadable text stays as it is. */
function policyDocument(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** `terraform-aws-modules/ecs//modules/service` (and each of the root module's `services`): the tasks' role and the task execution role. */
function ecsService(args: Props): RegistryModuleResource[] {
  return [
    ...(offered(flag(args, 'create_tasks_iam_role', true))
      ? serviceRole('task role', 'ecs-tasks.amazonaws.com', statementsJson(args.tasks_iam_role_statements), [], values(args.tasks_iam_role_policies))
      : []),
    ...(offered(flag(args, 'create_task_exec_iam_role', true))
      ? serviceRole('task execution role', 'ecs-tasks.amazonaws.com', statementsJson(args.task_exec_iam_statements), [], values(args.task_exec_iam_role_policies))
      : []),
  ];
}

/** `terraform-aws-modules/lambda`: the function's role, with what its `attach_*` switches turn on. */
function lambdaFunction(args: Props): RegistryModuleResource[] {
  if (!offered(flag(args, 'create', true)) || !offered(flag(args, 'create_role', true))) return [];
  const on = (name: string) => offered(flag(args, name, false));
  return serviceRole('function role', 'lambda.amazonaws.com',
    on('attach_policy_statements') ? statementsJson(args.policy_statements) : [],
    [...(on('attach_policy_json') && isSet(args.policy_json) ? [policyDocument(args.policy_json)] : []),
      ...(on('attach_policy_jsons') ? asArray(args.policy_jsons).map(policyDocument) : [])],
    [...(on('attach_policy') && isSet(args.policy) ? [args.policy] : []), ...(on('attach_policies') ? asArray(args.policies) : [])]);
}

/**
 * `terraform-aws-modules/alb`: the load balancer (internet-facing unless `internal`, access logs
 * only with `access_logs`) and its listeners: `listeners` (version 9 on) or the older
 * `http_tcp_listeners` and `https_listeners`.
 */
function loadBalancer(args: Props): RegistryModuleResource[] {
  if (!offered(flag(args, 'create', true))) return [];
  const logs = args.access_logs as Props | undefined;
  const internal = flag(args, 'internal', false);
  const lb: RegistryModuleResource = {
    part: 'load balancer',
    type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
    properties: {
      Name: args.name,
      Type: args.load_balancer_type ?? 'application',
      Scheme: isUnresolved(internal) ? internal : internal === true ? 'internal' : 'internet-facing',
      LoadBalancerAttributes: logs && typeof logs === 'object' && !isUnresolved(logs) && isSet(logs.bucket)
        ? [{ Key: 'access_logs.s3.enabled', Value: isUnresolved(logs.enabled) ? logs.enabled : String(logs.enabled ?? true) }]
        : undefined,
    },
  };
  const listener = (l: Props, protocol: unknown): RegistryModuleResource => ({
    part: `listener ${String(l.port ?? '')}`.trim(),
    type: 'AWS::ElasticLoadBalancingV2::Listener',
    properties: {
      // The caller links it to the load balancer of the same call.
      LoadBalancerArn: undefined,
      Protocol: protocol,
      Port: l.port,
      Certificates: isSet(l.certificate_arn) ? [{ CertificateArn: l.certificate_arn }] : undefined,
      // A redirect (`redirect = { protocol = "HTTPS" }`) sends nothing on; otherwise it answers or forwards.
      DefaultActions: l.redirect && typeof l.redirect === 'object'
        ? [{ Type: 'redirect', RedirectConfig: { Protocol: (l.redirect as Props).protocol } }]
        : [{ Type: l.fixed_response ? 'fixed-response' : 'forward' }],
    },
  });
  const listeners = [
    ...values(args.listeners).map((l) => listener(l as Props, (l as Props).protocol ?? 'HTTP')),
    ...values(args.http_tcp_listeners).map((l) => listener(l as Props, (l as Props).protocol ?? 'HTTP')),
    ...values(args.https_listeners).map((l) => listener(l as Props, (l as Props).protocol ?? 'HTTPS')),
  ].filter((l) => l.properties.Port !== undefined || l.properties.Protocol !== undefined);
  return [lb, ...listeners];
}

/**
 * What a module of the registry's terraform-aws-modules creates that the AWS rules judge, read
 * from the inputs it is handed and its published interface, when its code is not in the files
 * (registry and git modules are not fetched): the roles of ECS services and Lambda functions with
 * the statements they are given, and load balancers with their listeners and access logs. Other
 * modules, and other resources of these, are not read.
 */
export function registryModuleResources(call: ModuleCall): RegistryModuleResource[] {
  if (!readsThroughInputs(call.source)) return [];
  if (call.read || !call.resolvedArguments) return [];
  const name = registryModuleName(call.source);
  const args = call.resolvedArguments;
  switch (name) {
    case 'ecs//modules/service':
      return ecsService(args);
    case 'ecs':
      // The root module creates a service per entry of `services`, each with the service module's inputs.
      return values(args.services).flatMap((service) => (service && typeof service === 'object' && !isUnresolved(service) ? ecsService(service as Props) : []));
    case 'lambda':
      return lambdaFunction(args);
    case 'alb':
      return loadBalancer(args);
    default:
      return [];
  }
}
