/**
 * A read-only model of a synthesized CloudFormation template: resources, their construct paths,
 * intrinsic functions resolved through a caller-supplied renderer, and each IAM role aggregated
 * with everything that grants it permissions. It reads JSON only, never constructs, so it works
 * on any CDK app's output.
 */

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly DependsOn?: unknown;
}

export interface CfnTemplateJson {
  readonly Resources?: Record<string, CfnResource>;
  readonly Parameters?: Record<string, unknown>;
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
  /** `inline`, `policy` (AWS::IAM::Policy) or `managed` (AWS::IAM::ManagedPolicy). */
  readonly kind: 'inline' | 'policy' | 'managed';
  /** Logical id of the policy resource, or the role's for inline policies. */
  readonly logicalId: string;
  readonly name?: string;
  readonly document: PolicyDocumentJson;
}

/** An IAM role with every policy that shapes what it may do. */
export interface RoleModel {
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

export class TemplateModel {
  public readonly resources: Record<string, CfnResource>;

  constructor(template: CfnTemplateJson, private readonly renderer: IntrinsicRenderer) {
    this.resources = template.Resources ?? {};
  }

  /** The construct path of a resource, without the trailing `/Resource` of an L1 inside an L2. */
  public pathOf(logicalId: string): string {
    const path = this.resources[logicalId]?.Metadata?.[PATH_KEY];
    return typeof path === 'string' ? path.replace(/(\/(Resource|Default))+$/, '') : logicalId;
  }

  public ofType(type: string): Array<[string, CfnResource]> {
    return Object.entries(this.resources).filter(([, r]) => r.Type === type);
  }

  /** Resolves intrinsic functions deeply; unknown functions are rendered as their JSON. */
  public resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const [fn] = keys;
      const arg = obj[fn];
      switch (fn) {
        case 'Ref': {
          const name = arg as string;
          if (name.startsWith('AWS::')) return this.renderer.pseudo(name);
          return this.renderer.ref(name, this.resources[name]);
        }
        case 'Fn::GetAtt': {
          const [id, attribute] = Array.isArray(arg) ? (arg as string[]) : String(arg).split('.');
          return this.renderer.getAtt(id, attribute, this.resources[id]);
        }
        case 'Fn::Join': {
          const [separator, parts] = arg as [string, unknown[]];
          return (this.resolve(parts) as unknown[]).map(String).join(separator);
        }
        case 'Fn::Sub': {
          const [text, vars] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [arg as string, {}];
          return text.replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
            if (name in vars) return String(this.resolve(vars[name]));
            if (name.startsWith('AWS::')) return this.renderer.pseudo(name);
            const [id, attribute] = name.split('.');
            return attribute ? this.renderer.getAtt(id, attribute, this.resources[id]) : this.renderer.ref(id, this.resources[id]);
          });
        }
        case 'Fn::Select': {
          const [index, list] = arg as [number, unknown];
          const resolved = this.resolve(list);
          return Array.isArray(resolved) ? resolved[Number(index)] : resolved;
        }
        case 'Fn::Split': {
          const [separator, text] = arg as [string, unknown];
          return String(this.resolve(text)).split(separator);
        }
        default:
          break;
      }
    }
    return Object.fromEntries(keys.map((k) => [k, this.resolve(obj[k])]));
  }

  /** Every IAM role, aggregated with its trust policy, policies and boundary. */
  public roles(): RoleModel[] {
    return this.ofType('AWS::IAM::Role').map(([logicalId, role]) => this.roleModel(logicalId, role));
  }

  private roleModel(logicalId: string, role: CfnResource): RoleModel {
    const props = role.Properties ?? {};
    const policies: AttachedPolicy[] = [];
    for (const inline of (props.Policies as Array<{ PolicyName: string; PolicyDocument: unknown }> | undefined) ?? []) {
      policies.push({ kind: 'inline', logicalId, name: inline.PolicyName, document: this.resolve(inline.PolicyDocument) as PolicyDocumentJson });
    }
    for (const [policyId, policy] of [...this.ofType('AWS::IAM::Policy'), ...this.ofType('AWS::IAM::ManagedPolicy')]) {
      const roles = (policy.Properties?.Roles as unknown[] | undefined) ?? [];
      if (roles.some((r) => this.refersTo(r, logicalId, role))) {
        policies.push({
          kind: policy.Type === 'AWS::IAM::Policy' ? 'policy' : 'managed',
          logicalId: policyId,
          name: (policy.Properties?.PolicyName ?? policy.Properties?.ManagedPolicyName) as string | undefined,
          document: this.resolve(policy.Properties?.PolicyDocument) as PolicyDocumentJson,
        });
      }
    }
    const externalManagedPolicyArns: string[] = [];
    for (const arn of (props.ManagedPolicyArns as unknown[] | undefined) ?? []) {
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
    for (const tag of (props.Tags as Array<{ Key: string; Value: unknown }> | undefined) ?? []) tags[tag.Key] = String(this.resolve(tag.Value));
    return {
      logicalId,
      path: this.pathOf(logicalId),
      roleName: props.RoleName === undefined ? undefined : String(this.resolve(props.RoleName)),
      maxSessionDuration: props.MaxSessionDuration as number | undefined,
      trust: this.resolve(props.AssumeRolePolicyDocument) as PolicyDocumentJson,
      policies,
      externalManagedPolicyArns,
      permissionsBoundary: boundaryRef === undefined ? undefined : String(this.resolve(boundaryRef)),
      boundaryDocument: boundaryId ? this.resolve(this.resources[boundaryId].Properties?.PolicyDocument) as PolicyDocumentJson : undefined,
      tags,
    };
  }

  /** True when `value` is a `Ref` to the resource, or its name or ARN. */
  private refersTo(value: unknown, logicalId: string, resource: CfnResource): boolean {
    if (typeof value === 'object' && value !== null && (value as { Ref?: string }).Ref === logicalId) return true;
    const name = resource.Properties?.RoleName;
    return typeof value === 'string' && typeof name === 'string' && (value === name || value.endsWith(`/${name}`));
  }

  /** The logical id of a managed policy of this template that `value` refers to. */
  private localPolicy(value: unknown): string | undefined {
    if (typeof value === 'object' && value !== null) {
      const ref = (value as { Ref?: string }).Ref;
      if (ref && this.resources[ref]?.Type === 'AWS::IAM::ManagedPolicy') return ref;
    }
    return undefined;
  }
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
