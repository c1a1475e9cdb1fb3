/**
 * A read-only model of a synthesized CloudFormation template: resources, their construct paths,
 * intrinsic functions resolved through a caller-supplied renderer, and each IAM role aggregated
 * with everything that grants it permissions. It reads JSON only, never constructs, so it works
 * on any CDK app's output.
 */

import { isUnresolved, Unresolved } from './unresolved';
import { expandServerless } from '../inputs/sam-transform';

export interface CfnResource {
  readonly Type: string;
  readonly Condition?: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly DependsOn?: unknown;
}

export interface CfnTemplateJson {
  readonly Resources?: Record<string, CfnResource>;
  readonly Parameters?: Record<string, unknown>;
  readonly Conditions?: Record<string, unknown>;
  readonly Outputs?: Record<string, { Value?: unknown; Export?: { Name?: unknown } }>;
  /** `AWS::Serverless-2016-10-31` asks for the SAM transform, which the model applies. */
  readonly Transform?: unknown;
  /** SAM's `Globals`, merged into each serverless resource. */
  readonly Globals?: unknown;
}

/**
 * Renders what a template cannot know until deployment: a resource's `Ref` or attribute, and
 * pseudo parameters. Snapshots render construct paths; simulations render concrete ARNs.
 */
export interface IntrinsicRenderer {
  ref(logicalId: string, resource: CfnResource | undefined): string;
  getAtt(logicalId: string, attribute: string, resource: CfnResource | undefined): string;
  pseudo(name: string): string;
}

export interface PolicyDocumentJson {
  readonly Version?: string;
  readonly Statement: StatementJson[];
}

export interface StatementJson {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** A policy attached to a role, with where it came from. */
export interface AttachedPolicy {
  /**
   * `inline` (the principal's `Policies`, or an `AWS::IAM::RolePolicy`/`UserPolicy`/`GroupPolicy`),
   * `policy` (AWS::IAM::Policy) or `managed` (AWS::IAM::ManagedPolicy).
   */
  readonly kind: 'inline' | 'policy' | 'managed';
  /** Logical id of the policy resource, or the role's for inline policies. */
  readonly logicalId: string;
  readonly name?: string;
  readonly document: PolicyDocumentJson;
}

/** An IAM role with every policy that shapes what it may do. */
export interface RoleModel {
  /**
   * What the principal is. Users and groups have an empty trust policy; a user also carries the
   * policies of the groups it is in, so a user with AdministratorAccess is an administrator.
   * Absent means `role`.
   */
  readonly principalKind?: 'role' | 'user' | 'group';
  readonly logicalId: string;
  readonly path: string;
  readonly roleName?: string;
  readonly maxSessionDuration?: number;
  readonly trust: PolicyDocumentJson;
  readonly policies: AttachedPolicy[];
  /** ARNs in `ManagedPolicyArns` that are not policies of this template (e.g. AWS-managed). */
  readonly externalManagedPolicyArns: string[];
  readonly permissionsBoundary?: string;
  readonly boundaryDocument?: PolicyDocumentJson;
  readonly tags: Record<string, string>;
}

const PATH_KEY = 'aws:cdk:path';
/** Set on a Terraform managed policy held only by the role of a module not read (its ARN passed to the module, or attached to the module's role): those modules. */
export const MODULE_HOLDER_KEY = 'gateward:heldByModule';
/** Set on a resource a registry module makes, read from the module's inputs: what the module makes of it (`managed node group general node role`). */
export const REGISTRY_PART_KEY = 'gateward:registryModulePart';

/** `Ref: AWS::NoValue`: the property or list element is removed. */
const NO_VALUE = Symbol('AWS::NoValue');

/** Where an exported value comes from: the exporting template and the value as written there. */
export interface ExportedValue {
  readonly model: TemplateModel;
  readonly value: unknown;
}

/** A resource a value points at, possibly in another template of the input (through `Fn::ImportValue`). */
export interface ResourceTarget {
  readonly model: TemplateModel;
  readonly logicalId: string;
}

export class TemplateModel {
  /**
   * Lets `Fn::ImportValue` in each model resolve through the `Outputs` of the others: the stacks
   * of one input (one cloud assembly, or the templates given together) see each other's exports.
   */
  public static linkExports(models: TemplateModel[]): void {
    const exports = new Map<string, ExportedValue>();
    for (const model of models) {
      for (const output of Object.values(model.outputs)) {
        const name = output.Export?.Name === undefined ? undefined : model.resolve(output.Export.Name);
        if (typeof name === 'string') exports.set(name, { model, value: output.Value });
      }
    }
    for (const model of models) model.exports = exports;
  }

  public readonly resources: Record<string, CfnResource>;
  private readonly parameters: Record<string, unknown>;
  private readonly conditions: Record<string, unknown>;
  private readonly outputs: NonNullable<CfnTemplateJson['Outputs']>;
  private exports = new Map<string, ExportedValue>();

  constructor(template: CfnTemplateJson, private readonly renderer: IntrinsicRenderer) {
    // A SAM template is read as the CloudFormation it deploys.
    this.resources = expandServerless(template) as Record<string, CfnResource>;
    this.parameters = template.Parameters ?? {};
    this.conditions = template.Conditions ?? {};
    this.outputs = template.Outputs ?? {};
  }

  /** The values of the template's outputs, as written: what the template hands to others. */
  public outputValues(): unknown[] {
    return Object.values(this.outputs).map((o) => o.Value);
  }

  /** True when `name` is a parameter of the template (and not a resource). */
  public isParameter(name: string): boolean {
    return !this.resources[name] && this.parameters[name] !== undefined;
  }

  /** The other templates of the same input this one is linked with (the stacks of one assembly). */
  public linkedModels(): TemplateModel[] {
    return [...new Set([...this.exports.values()].map((e) => e.model))].filter((m) => m !== this);
  }

  /** The export of another linked template that `Fn::ImportValue` names, if one of them exports it. */
  public exported(name: string): ExportedValue | undefined {
    return this.exports.get(name);
  }

  /**
   * The resource a value refers to: `Ref`/`Fn::GetAtt` of a resource of this template, or an
   * `Fn::ImportValue` of an export that is such a reference in another linked template.
   */
  public targetOf(value: unknown): ResourceTarget | undefined {
    if (value === null || typeof value !== 'object') return undefined;
    const obj = value as Record<string, unknown>;
    if (typeof obj.Ref === 'string' && this.resources[obj.Ref]) return { model: this, logicalId: obj.Ref };
    const getAtt = obj['Fn::GetAtt'];
    if (getAtt !== undefined) {
      const [id] = Array.isArray(getAtt) ? getAtt as string[] : String(getAtt).split('.');
      return this.resources[id] ? { model: this, logicalId: id } : undefined;
    }
    if (obj['Fn::ImportValue'] !== undefined) {
      const name = this.resolve(obj['Fn::ImportValue']);
      const exported = typeof name === 'string' ? this.exports.get(name) : undefined;
      return exported ? exported.model.targetOf(exported.value) : undefined;
    }
    return undefined;
  }

  /**
   * The value of a condition of the template, when the parameters it reads have defaults;
   * undefined when it depends on what is passed at deployment.
   */
  public conditionValue(name: string): boolean | undefined {
    return this.evaluateCondition(this.conditions[name], new Set([name]));
  }

  /** The construct path of a resource, without the trailing `/Resource` of an L1 inside an L2. */
  public pathOf(logicalId: string): string {
    const path = this.resources[logicalId]?.Metadata?.[PATH_KEY];
    return typeof path === 'string' ? path.replace(/(\/(Resource|Default))+$/, '') : logicalId;
  }

  public ofType(type: string): Array<[string, CfnResource]> {
    return Object.entries(this.resources).filter(([, r]) => r.Type === type);
  }

  /**
   * Resolves intrinsic functions deeply; unknown functions are rendered as their JSON. A value the
   * template cannot know offline (a parameter without a default, an import no linked template
   * exports, a condition on such a parameter) becomes `Unresolved`. `Fn::If` in a list keeps both
   * branches when the condition is unknown: a permission in either branch may be deployed.
   */
  public resolve(value: unknown): unknown {
    const resolved = this.resolveValue(value);
    return resolved === NO_VALUE ? undefined : resolved;
  }

  private resolveValue(value: unknown): unknown {
    if (isUnresolved(value)) return value;
    if (Array.isArray(value)) return this.resolveList(value);
    if (value === null || typeof value !== 'object') return value;
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const [fn] = keys;
      const arg = obj[fn];
      switch (fn) {
        case 'Ref': {
          const name = arg as string;
          if (name === 'AWS::NoValue') return NO_VALUE;
          if (name.startsWith('AWS::')) return this.renderer.pseudo(name);
          if (!this.resources[name] && this.parameters[name] !== undefined) return this.parameterValue(name);
          return this.renderer.ref(name, this.resources[name]);
        }
        case 'Fn::GetAtt': {
          const [id, attribute] = Array.isArray(arg) ? (arg as string[]) : splitOnce(String(arg));
          const json = attribute === 'Value' ? this.cfnJsonValue(id) : undefined;
          if (json !== undefined) return json;
          return this.renderer.getAtt(id, attribute, this.resources[id]);
        }
        case 'Fn::Join': {
          const [separator, parts] = arg as [string, unknown[]];
          const list = this.resolveValue(parts);
          // A list attribute (`Fn::GetAtt` of DnsEntries, say) renders as one value, not a list.
          if (isUnresolved(list) || !Array.isArray(list) || list.some(isUnresolved)) return Unresolved.of(`Fn::Join ${JSON.stringify(arg)}`);
          return list.map(String).join(separator);
        }
        case 'Fn::Sub': {
          const [text, vars] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [arg as string, {}];
          let unresolved = false;
          // What cannot be known stays as written (`${GitHubOrganization}`), beside the parts that can.
          const out = String(text).replace(/\$\{([^}!][^}]*)\}/g, (written, name: string) => {
            const part = name in vars ? this.resolveValue(vars[name]) : this.resolveSubName(name);
            if (isUnresolved(part)) {
              unresolved = true;
              return written;
            }
            return String(part);
          });
          return unresolved ? Unresolved.of(`Fn::Sub ${JSON.stringify(out)}`) : out;
        }
        case 'Fn::Select': {
          const [index, list] = arg as [number, unknown];
          const resolved = this.resolveValue(list);
          if (!Array.isArray(resolved)) return resolved;
          // A part of a reference rendered symbolically (`${Cluster/OpenIdConnectProvider}` split on
          // `:oidc-provider/`) is not in the rendering: the reference stands for it.
          if (Number(index) >= resolved.length && resolved.length === 1 && /^\$\{[^}]+\}$/.test(String(resolved[0]))) return resolved[0];
          return resolved[Number(index)];
        }
        case 'Fn::Split': {
          const [separator, text] = arg as [string, unknown];
          const resolved = this.resolveValue(text);
          return isUnresolved(resolved) ? resolved : String(resolved).split(separator);
        }
        case 'Fn::If': {
          const [condition, whenTrue, whenFalse] = arg as [string, unknown, unknown];
          const known = this.conditionValue(condition);
          if (known !== undefined) return this.resolveValue(known ? whenTrue : whenFalse);
          const branches = [whenTrue, whenFalse].map((b) => this.resolveValue(b)).filter((b) => b !== NO_VALUE);
          // A structure (a statement, a policy) is judged as written in its first branch; a scalar is unknown.
          const structured = branches.find((b) => b !== null && typeof b === 'object' && !isUnresolved(b));
          return structured ?? (branches.length === 0 ? NO_VALUE : Unresolved.of(`Fn::If ${JSON.stringify(arg)}`));
        }
        case 'Fn::ImportValue': {
          const name = this.resolveValue(arg);
          const exported = typeof name === 'string' ? this.exports.get(name) : undefined;
          if (!exported) return Unresolved.of(`Fn::ImportValue ${typeof name === 'string' ? name : JSON.stringify(arg)}`);
          return exported.model.resolve(exported.value);
        }
        case 'Fn::FindInMap':
        case 'Fn::GetAZs':
        case 'Fn::Cidr':
          return Unresolved.of(`${fn} ${JSON.stringify(arg)}`);
        default:
          break;
      }
    }
    const entries = keys.map((k) => [k, this.resolveValue(obj[k])] as const).filter(([, v]) => v !== NO_VALUE);
    return Object.fromEntries(entries);
  }

  /**
   * The value of CDK's `CfnJson` (a `Custom::AWSCDKCfnJson` resource): the JSON its `Value`
   * renders to, parsed, as CloudFormation hands it to whoever reads the `Value` attribute. CDK
   * builds IRSA trust conditions so, whose keys hold the issuer (`<issuer>:sub`).
   */
  private cfnJsonValue(logicalId: string): unknown {
    const resource = this.resources[logicalId];
    if (resource?.Type !== 'Custom::AWSCDKCfnJson') return undefined;
    const value = this.resolveValue(resource.Properties?.Value);
    if (typeof value !== 'string') return value !== null && typeof value === 'object' && !isUnresolved(value) ? value : undefined;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return undefined;
    }
  }

  /** Elements of a list; an `Fn::If` element with an unknown condition contributes both branches. */
  private resolveList(list: unknown[]): unknown[] {
    const out: unknown[] = [];
    for (const element of list) {
      const fnIf = element !== null && typeof element === 'object' && !Array.isArray(element) && Object.keys(element).length === 1
        ? (element as Record<string, unknown>)['Fn::If'] as [string, unknown, unknown] | undefined : undefined;
      if (fnIf && this.conditionValue(fnIf[0]) === undefined) {
        for (const branch of [fnIf[1], fnIf[2]]) {
          const resolved = this.resolveValue(branch);
          if (resolved !== NO_VALUE) out.push(resolved);
        }
        continue;
      }
      const resolved = this.resolveValue(element);
      if (resolved !== NO_VALUE) out.push(resolved);
    }
    return out;
  }

  private resolveSubName(name: string): unknown {
    if (name.startsWith('AWS::')) return this.renderer.pseudo(name);
    if (!this.resources[name] && this.parameters[name] !== undefined) return this.parameterValue(name);
    const [id, attribute] = splitOnce(name);
    return attribute ? this.renderer.getAtt(id, attribute, this.resources[id]) : this.renderer.ref(id, this.resources[id]);
  }

  /** A parameter's default; SSM-typed parameters hold a parameter name, not the value, so they stay unresolved. */
  private parameterValue(name: string): unknown {
    const parameter = this.parameters[name] as { Type?: string; Default?: unknown };
    if (parameter.Default === undefined || String(parameter.Type ?? '').startsWith('AWS::SSM::')) return Unresolved.of(`Ref ${name}`);
    return parameter.Default;
  }

  private evaluateCondition(condition: unknown, seen: Set<string>): boolean | undefined {
    if (condition === null || typeof condition !== 'object') return typeof condition === 'boolean' ? condition : undefined;
    const [fn] = Object.keys(condition);
    const arg = (condition as Record<string, unknown>)[fn];
    const all = (items: unknown) => (Array.isArray(items) ? items : []).map((c) => this.evaluateCondition(c, seen));
    switch (fn) {
      case 'Condition': {
        const name = String(arg);
        if (seen.has(name)) return undefined;
        return this.evaluateCondition(this.conditions[name], new Set([...seen, name]));
      }
      case 'Fn::Equals': {
        const [a, b] = (arg as unknown[]).map((v) => this.resolveValue(v));
        if ([a, b].some((v) => isUnresolved(v) || (typeof v === 'string' && v.includes('${')))) return undefined;
        return JSON.stringify(a) === JSON.stringify(b);
      }
      case 'Fn::Not': {
        const [inner] = all(arg);
        return inner === undefined ? undefined : !inner;
      }
      case 'Fn::And': {
        const values = all(arg);
        if (values.includes(false)) return false;
        return values.includes(undefined) ? undefined : true;
      }
      case 'Fn::Or': {
        const values = all(arg);
        if (values.includes(true)) return true;
        return values.includes(undefined) ? undefined : false;
      }
      default:
        return undefined;
    }
  }

  /** Every IAM role, aggregated with its trust policy, policies and boundary. */
  public roles(): RoleModel[] {
    return this.ofType('AWS::IAM::Role').map(([logicalId, role]) => this.roleModel(logicalId, role, 'role'));
  }

  /**
   * Every IAM principal that holds permissions: roles, users (with the policies of their groups)
   * and groups, each aggregated like a role (users and groups trust nobody).
   */
  public principals(): RoleModel[] {
    return [
      ...this.roles(),
      ...this.ofType('AWS::IAM::User').map(([logicalId, user]) => this.withGroups(this.roleModel(logicalId, user, 'user'), logicalId, user)),
      ...this.ofType('AWS::IAM::Group').map(([logicalId, group]) => this.roleModel(logicalId, group, 'group')),
      ...this.moduleHeldPolicies(),
    ];
  }

  /**
   * Managed policies whose only holder is a role made inside a module that was not read (their
   * ARN passed as a module input, or attached to the module's role): each is judged as that
   * role's, reported on the policy.
   */
  private moduleHeldPolicies(): RoleModel[] {
    return this.ofType('AWS::IAM::ManagedPolicy').flatMap(([logicalId, policy]): RoleModel[] => {
      const modules = asList(policy.Metadata?.[MODULE_HOLDER_KEY] as string[] | undefined);
      if (modules.length === 0) return [];
      return [{
        logicalId,
        path: this.pathOf(logicalId),
        trust: { Statement: [] },
        policies: [{
          kind: 'managed',
          logicalId,
          name: policy.Properties?.ManagedPolicyName as string | undefined,
          document: this.resolve(policy.Properties?.PolicyDocument) as PolicyDocumentJson,
        }],
        externalManagedPolicyArns: [],
        tags: {},
      }];
    });
  }

  /** What a registry module makes of a resource read from its inputs (`function role`), for messages; the finding names only the module. */
  public registryPartOf(logicalId: string): string | undefined {
    const part = this.resources[logicalId]?.Metadata?.[REGISTRY_PART_KEY];
    return typeof part === 'string' ? part : undefined;
  }

  /** The modules whose roles hold a managed policy (passed to them by ARN, or attached to their role), for messages. */
  public moduleHoldersOf(logicalId: string): string[] {
    const resource = this.resources[logicalId];
    return resource?.Type === 'AWS::IAM::ManagedPolicy' ? asList(resource.Metadata?.[MODULE_HOLDER_KEY] as string[] | undefined) : [];
  }

  /** The groups of this template a user is in: its `Groups`, and `AWS::IAM::UserToGroupAddition`s that name it. */
  public groupsOf(userLogicalId: string): string[] {
    const user = this.resources[userLogicalId];
    const groups = Object.entries(this.resources).filter(([, r]) => r.Type === 'AWS::IAM::Group');
    const named = (values: unknown[]) => groups.filter(([id, group]) => values.some((v) => this.refersTo(v, id, group, 'GroupName'))).map(([id]) => id);
    const direct = named(asList(user?.Properties?.Groups as unknown[] | undefined));
    const added = this.ofType('AWS::IAM::UserToGroupAddition')
      .filter(([, addition]) => asList(addition.Properties?.Users as unknown[] | undefined).some((u) => user && this.refersTo(u, userLogicalId, user, 'UserName')))
      .flatMap(([, addition]) => named([addition.Properties?.GroupName]));
    return [...new Set([...direct, ...added])];
  }

  private withGroups(model: RoleModel, logicalId: string, _user: CfnResource): RoleModel {
    const groupModels = this.groupsOf(logicalId).map((id) => this.roleModel(id, this.resources[id], 'group'));
    return {
      ...model,
      policies: [...model.policies, ...groupModels.flatMap((g) => g.policies)],
      externalManagedPolicyArns: [...model.externalManagedPolicyArns, ...groupModels.flatMap((g) => g.externalManagedPolicyArns)],
    };
  }

  private roleModel(logicalId: string, role: CfnResource, principalKind: 'role' | 'user' | 'group'): RoleModel {
    const props = role.Properties ?? {};
    const nameKey = principalKind === 'role' ? 'RoleName' : principalKind === 'user' ? 'UserName' : 'GroupName';
    const listKey = principalKind === 'role' ? 'Roles' : principalKind === 'user' ? 'Users' : 'Groups';
    const singleType = principalKind === 'role' ? 'AWS::IAM::RolePolicy' : principalKind === 'user' ? 'AWS::IAM::UserPolicy' : 'AWS::IAM::GroupPolicy';
    const policies: AttachedPolicy[] = [];
    const inlinePolicies = asList(this.resolve(props.Policies) as Array<{ PolicyName: string; PolicyDocument: unknown }> | undefined)
      .filter((p) => p !== null && typeof p === 'object' && !isUnresolved(p));
    for (const inline of inlinePolicies) {
      policies.push({ kind: 'inline', logicalId, name: inline.PolicyName, document: inline.PolicyDocument as PolicyDocumentJson });
    }
    for (const [policyId, policy] of this.ofType(singleType)) {
      if (this.refersTo(policy.Properties?.[nameKey], logicalId, role, nameKey)) {
        policies.push({
          kind: 'inline',
          logicalId: policyId,
          name: policy.Properties?.PolicyName as string | undefined,
          document: this.resolve(policy.Properties?.PolicyDocument) as PolicyDocumentJson,
        });
      }
    }
    for (const [policyId, policy] of [...this.ofType('AWS::IAM::Policy'), ...this.ofType('AWS::IAM::ManagedPolicy')]) {
      const holders = asList(policy.Properties?.[listKey] as unknown[] | undefined);
      if (holders.some((r) => this.refersTo(r, logicalId, role, nameKey))) {
        policies.push({
          kind: policy.Type === 'AWS::IAM::Policy' ? 'policy' : 'managed',
          logicalId: policyId,
          name: (policy.Properties?.PolicyName ?? policy.Properties?.ManagedPolicyName) as string | undefined,
          document: this.resolve(policy.Properties?.PolicyDocument) as PolicyDocumentJson,
        });
      }
    }
    const externalManagedPolicyArns: string[] = [];
    for (const arn of this.managedPolicyArnsOf(props.ManagedPolicyArns)) {
      const local = this.localPolicy(arn);
      if (local) {
        policies.push({
          kind: 'managed',
          logicalId: local,
          name: this.resources[local].Properties?.ManagedPolicyName as string | undefined,
          document: this.resolve(this.resources[local].Properties?.PolicyDocument) as PolicyDocumentJson,
        });
      } else {
        externalManagedPolicyArns.push(String(this.resolve(arn)));
      }
    }
    const boundaryRef = props.PermissionsBoundary;
    const boundaryId = boundaryRef === undefined ? undefined : this.localPolicy(boundaryRef);
    const tags: Record<string, string> = {};
    for (const tag of asList(props.Tags as Array<{ Key: string; Value: unknown }> | undefined)) tags[tag.Key] = String(this.resolve(tag.Value));
    return {
      ...(principalKind === 'role' ? {} : { principalKind }),
      logicalId,
      path: this.pathOf(logicalId),
      roleName: props[nameKey] === undefined ? undefined : String(this.resolve(props[nameKey])),
      maxSessionDuration: props.MaxSessionDuration as number | undefined,
      trust: (principalKind === 'role' ? this.resolve(props.AssumeRolePolicyDocument) : { Statement: [] }) as PolicyDocumentJson,
      policies,
      externalManagedPolicyArns,
      permissionsBoundary: boundaryRef === undefined ? undefined : String(this.resolve(boundaryRef)),
      boundaryDocument: boundaryId ? this.resolve(this.resources[boundaryId].Properties?.PolicyDocument) as PolicyDocumentJson : undefined,
      tags,
    };
  }

  /**
   * `ManagedPolicyArns` as a list of its entries; `Fn::If` entries contribute both branches when
   * the condition is unknown (unresolved entries stay, so rules can say what they cannot see).
   */
  private managedPolicyArnsOf(value: unknown): unknown[] {
    if (value === undefined) return [];
    const out: unknown[] = [];
    for (const entry of Array.isArray(value) ? value : [value]) {
      const fnIf = entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>)['Fn::If'] as [string, unknown, unknown] | undefined : undefined;
      if (!fnIf) {
        out.push(entry);
        continue;
      }
      const known = this.conditionValue(fnIf[0]);
      const branches = known === undefined ? [fnIf[1], fnIf[2]] : [known ? fnIf[1] : fnIf[2]];
      out.push(...branches.filter((b) => !(b && typeof b === 'object' && (b as { Ref?: string }).Ref === 'AWS::NoValue')));
    }
    return out;
  }

  /** True when `value` is a `Ref` to the resource, or its name or ARN. */
  private refersTo(value: unknown, logicalId: string, resource: CfnResource, nameKey = 'RoleName'): boolean {
    if (typeof value === 'object' && value !== null && (value as { Ref?: string }).Ref === logicalId) return true;
    const name = resource.Properties?.[nameKey];
    return typeof value === 'string' && typeof name === 'string' && (value === name || value.endsWith(`/${name}`));
  }

  /** The logical id of a managed policy of this template that `value` refers to. */
  private localPolicy(value: unknown): string | undefined {
    if (typeof value === 'object' && value !== null) {
      // `Ref` gives a managed policy's ARN, as its `PolicyArn` attribute does (Terraform's `.arn` is read as `Arn`).
      const ref = (value as { Ref?: string }).Ref ?? (value as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt']?.[0];
      if (ref && this.resources[ref]?.Type === 'AWS::IAM::ManagedPolicy') return ref;
    }
    return undefined;
  }
}

/** `A.B.C` as `['A', 'B.C']`: an attribute name may hold dots, a logical id never does. */
function splitOnce(text: string): [string, string] {
  const dot = text.indexOf('.');
  return dot < 0 ? [text, ''] : [text.slice(0, dot), text.slice(dot + 1)];
}

/** `x` or `[x]` as a list. */
export function asList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * Renders references as construct paths, so output survives logical-id and asset-hash churn:
 * `${acme-llm-aws/Gateway/PolicyStore.Arn}`. Pseudo parameters stay symbolic: `${AWS::AccountId}`.
 */
export class PathRenderer implements IntrinsicRenderer {
  constructor(private readonly model: () => TemplateModel) {}
  public ref(logicalId: string): string {
    return `\${${this.model().pathOf(logicalId)}}`;
  }
  public getAtt(logicalId: string, attribute: string): string {
    return `\${${this.model().pathOf(logicalId)}.${attribute}}`;
  }
  public pseudo(name: string): string {
    return `\${${name}}`;
  }
}

/** A template model whose references render as construct paths. */
export function pathModel(template: CfnTemplateJson): TemplateModel {
  let model: TemplateModel | undefined;
  model = new TemplateModel(template, new PathRenderer(() => model!));
  return model;
}

/**
 * Renders references by logical id, `${Ref:<id>}` and `${GetAtt:<id>.<attribute>}`, for rules
 * that must tell exactly which resource a value points at.
 */
export class LogicalIdRenderer implements IntrinsicRenderer {
  public ref(logicalId: string): string {
    return `\${Ref:${logicalId}}`;
  }
  public getAtt(logicalId: string, attribute: string): string {
    return `\${GetAtt:${logicalId}.${attribute}}`;
  }
  public pseudo(name: string): string {
    return `\${${name}}`;
  }
}
