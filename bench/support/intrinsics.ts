/**
 * Reading CloudFormation intrinsic functions without deploying: which resources a value refers
 * to, and how long a value would be once CloudFormation resolves it.
 */

/** A reference from a template value to something else. */
export type Reference =
  | { readonly kind: 'Ref'; readonly target: string; readonly attribute?: undefined }
  | { readonly kind: 'Fn::GetAtt'; readonly target: string; readonly attribute: string }
  | { readonly kind: 'Fn::Sub'; readonly target: string; readonly attribute?: string }
  | { readonly kind: 'Fn::ImportValue'; readonly exportName?: string; readonly expression: unknown };

/** What a template is deployed with, for resolving pseudo parameters. */
export interface TemplateEnvironment {
  readonly account?: string;
  readonly region?: string;
  readonly partition?: string;
  readonly stackName?: string;
}

/** Every reference in a value, depth first, in document order. Pseudo parameters (`AWS::...`) are not references. */
export function referencesIn(value: unknown, env: TemplateEnvironment = {}): Reference[] {
  const found: Reference[] = [];
  walk(value, env, found);
  return found;
}

function walk(value: unknown, env: TemplateEnvironment, found: Reference[]): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, env, found);
    return;
  }
  if (!isObject(value)) return;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [key] = keys;
    const arg = value[key];
    if (key === 'Ref' && typeof arg === 'string') {
      if (!arg.startsWith('AWS::')) found.push({ kind: 'Ref', target: arg });
      return;
    }
    if (key === 'Fn::GetAtt') {
      const [target, attribute] = Array.isArray(arg) ? arg : String(arg).split(/\.(.*)/s);
      if (typeof target === 'string') found.push({ kind: 'Fn::GetAtt', target, attribute: typeof attribute === 'string' ? attribute : JSON.stringify(attribute) });
      if (Array.isArray(arg) && typeof arg[1] !== 'string') walk(arg[1], env, found);
      return;
    }
    if (key === 'Fn::Sub') {
      const [text, variables] = Array.isArray(arg) ? arg : [arg, {}];
      const local = isObject(variables) ? variables : {};
      for (const name of subVariables(String(text))) {
        if (name in local || name.startsWith('AWS::')) continue;
        const [target, attribute] = name.split(/\.(.*)/s);
        found.push(attribute ? { kind: 'Fn::Sub', target, attribute } : { kind: 'Fn::Sub', target });
      }
      walk(local, env, found);
      return;
    }
    if (key === 'Fn::ImportValue') {
      found.push({ kind: 'Fn::ImportValue', exportName: literalOf(arg, env), expression: arg });
      walk(arg, env, found);
      return;
    }
  }
  for (const key of keys) walk(value[key], env, found);
}

/** The `${...}` variables of an `Fn::Sub` string (not the `${!...}` literals). */
export function subVariables(text: string): string[] {
  return [...text.matchAll(/\$\{([^!}][^}]*)\}/g)].map((m) => m[1].trim());
}

/** The value as a literal string when it is one, or is built only from literals and pseudo parameters. */
export function literalOf(value: unknown, env: TemplateEnvironment = {}): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const arg = value[keys[0]];
  switch (keys[0]) {
    case 'Ref': return typeof arg === 'string' ? pseudoParameter(arg, env) : undefined;
    case 'Fn::Join': {
      if (!Array.isArray(arg) || typeof arg[0] !== 'string' || !Array.isArray(arg[1])) return undefined;
      const parts = arg[1].map((p: unknown) => literalOf(p, env));
      return parts.every((p: string | undefined) => p !== undefined) ? parts.join(arg[0]) : undefined;
    }
    case 'Fn::Sub': {
      const [text, variables] = Array.isArray(arg) ? arg : [arg, {}];
      let unresolved = false;
      const out = String(text).replace(/\$\{([^!}][^}]*)\}/g, (_m, name: string) => {
        const local = isObject(variables) && name in variables ? literalOf(variables[name], env) : pseudoParameter(name, env);
        if (local === undefined) unresolved = true;
        return local ?? '';
      }).replace(/\$\{!/g, '${');
      return unresolved ? undefined : out;
    }
    default: return undefined;
  }
}

function pseudoParameter(name: string, env: TemplateEnvironment): string | undefined {
  switch (name) {
    case 'AWS::AccountId': return env.account;
    case 'AWS::Region': return env.region;
    case 'AWS::Partition': return env.partition ?? partitionOf(env.region);
    case 'AWS::URLSuffix': return env.region?.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    case 'AWS::StackName': return env.stackName;
    case 'AWS::NoValue': return undefined;
    default: return undefined;
  }
}

function partitionOf(region: string | undefined): string | undefined {
  if (!region) return undefined;
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** How to estimate values CloudFormation resolves only at deployment. */
export interface EstimateContext extends TemplateEnvironment {
  /** The template's resources, to derive a physical name or ARN from a resource's own name property. */
  readonly resources: Record<string, any>;
  /**
   * The length assumed for a reference whose value cannot be derived from the template (CDK's
   * own estimate for an unresolved ARN is 150 characters).
   */
  readonly unknownLength: number;
}

/** A value with intrinsics replaced by strings of their estimated resolved length, and how many were guesses. */
export interface Estimate {
  readonly value: unknown;
  readonly guesses: number;
}

/**
 * The value as CloudFormation would pass it to the service, with each intrinsic replaced by a
 * string of its derived value (pseudo parameters, ARNs built from a resource's name property) or,
 * failing that, of `unknownLength` characters (counted in `guesses`).
 */
export function estimateValue(value: unknown, context: EstimateContext): Estimate {
  let guesses = 0;
  const guess = (length = context.unknownLength) => {
    guesses++;
    return 'x'.repeat(length);
  };
  const text = (v: unknown, depth: number): string => {
    const rendered = render(v, depth);
    return typeof rendered === 'string' ? rendered : JSON.stringify(rendered);
  };
  const attribute = (target: string, attr: string | undefined, depth: number): string => {
    const resource = context.resources[target];
    if (!resource) return guess(); // a parameter or a nested stack output
    const derived = derive(resource, attr, context, (v) => (depth > 4 ? undefined : text(v, depth + 1)));
    return derived ?? guess();
  };
  const render = (v: unknown, depth: number): unknown => {
    if (Array.isArray(v)) return v.map((item) => render(item, depth));
    if (!isObject(v)) return v;
    const keys = Object.keys(v);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      const arg = v[keys[0]];
      switch (keys[0]) {
        case 'Ref': {
          const name = String(arg);
          if (name.startsWith('AWS::')) return pseudoParameter(name, context) ?? guess(12);
          return attribute(name, undefined, depth);
        }
        case 'Fn::GetAtt': {
          const [target, attr] = Array.isArray(arg) ? arg : String(arg).split(/\.(.*)/s);
          return attribute(String(target), String(attr), depth);
        }
        case 'Fn::Join':
          return Array.isArray(arg) && Array.isArray(arg[1]) ? arg[1].map((part: unknown) => text(part, depth)).join(String(arg[0])) : guess();
        case 'Fn::Sub': {
          const [template, variables] = Array.isArray(arg) ? arg : [arg, {}];
          return String(template).replace(/\$\{([^!}][^}]*)\}/g, (_m, name: string) => {
            if (isObject(variables) && name in variables) return text(variables[name], depth);
            if (name.startsWith('AWS::')) return pseudoParameter(name, context) ?? guess(12);
            const [target, attr] = name.split(/\.(.*)/s);
            return attribute(target, attr, depth);
          }).replace(/\$\{!/g, '${');
        }
        case 'Fn::If':
          return Array.isArray(arg) ? longest(render(arg[1], depth), render(arg[2], depth)) : guess();
        default:
          return guess();
      }
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) out[key] = render(v[key], depth);
    return out;
  };
  const value2 = render(value, 0);
  return { value: value2, guesses };
}

function longest(a: unknown, b: unknown): unknown {
  return JSON.stringify(a ?? '').length >= JSON.stringify(b ?? '').length ? a : b;
}

/** Physical names and ARNs of the resource types the gateway's policies name, derived from their name properties. */
function derive(resource: any, attr: string | undefined, env: EstimateContext, text: (v: unknown) => string | undefined): string | undefined {
  const p = resource.Properties ?? {};
  const partition = pseudoParameter('AWS::Partition', env) ?? 'aws';
  const region = env.region ?? 'us-east-1';
  const account = env.account ?? '123456789012';
  const arn = (service: string, rest: string, withRegion = true) => `arn:${partition}:${service}:${withRegion ? region : ''}:${account}:${rest}`;
  const name = (prop: string, fallback: number) => (p[prop] !== undefined ? text(p[prop]) : undefined) ?? 'x'.repeat(fallback);
  switch (resource.Type) {
    case 'AWS::IAM::Role':
      if (attr === 'RoleId') return 'A'.repeat(21);
      return attr === 'Arn' ? arn('iam', `role${p.Path ?? '/'}${name('RoleName', 64)}`, false) : name('RoleName', 64);
    case 'AWS::IAM::ManagedPolicy':
      return arn('iam', `policy${p.Path ?? '/'}${name('ManagedPolicyName', 128)}`, false);
    case 'AWS::KMS::Key':
      return attr === 'Arn' ? arn('kms', `key/${'0'.repeat(36)}`) : '0'.repeat(36);
    case 'AWS::KMS::Alias':
      return name('AliasName', 256);
    case 'AWS::SecretsManager::Secret':
      return attr === 'Id' || attr === undefined ? arn('secretsmanager', `secret:${name('Name', 256)}-XXXXXX`) : undefined;
    case 'AWS::Lambda::Function':
      return attr === 'Arn' ? arn('lambda', `function:${name('FunctionName', 64)}`) : name('FunctionName', 64);
    case 'AWS::Logs::LogGroup':
      return attr === 'Arn' ? arn('logs', `log-group:${name('LogGroupName', 512)}:*`) : name('LogGroupName', 512);
    case 'AWS::S3::Bucket':
      if (attr === 'Arn') return `arn:${partition}:s3:::${name('BucketName', 63)}`;
      return attr === undefined ? name('BucketName', 63) : undefined;
    case 'AWS::SNS::Topic':
      return attr === undefined || attr === 'TopicArn' ? arn('sns', name('TopicName', 256)) : undefined;
    case 'AWS::SQS::Queue':
      return attr === 'Arn' ? arn('sqs', name('QueueName', 80)) : undefined;
    case 'AWS::VerifiedPermissions::PolicyStore':
      return attr === 'Arn' ? arn('verifiedpermissions', `policy-store/${'x'.repeat(22)}`, false) : 'x'.repeat(22);
    case 'AWS::ApiGateway::RestApi':
      return attr === undefined || attr === 'RestApiId' || attr === 'RootResourceId' ? 'x'.repeat(10) : undefined;
    case 'AWS::CloudTrail::Trail':
      return attr === 'Arn' ? arn('cloudtrail', `trail/${name('TrailName', 128)}`) : name('TrailName', 128);
    default:
      return undefined;
  }
}

export function isObject(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
