import * as path from 'path';
import { InputError } from './input-error';
import { TerraformSource } from './terraform-config';
import { Unresolved } from '../private/unresolved';

interface ShowResource {
  readonly address: string;
  readonly mode?: string;
  readonly type: string;
  readonly name: string;
  readonly index?: unknown;
  readonly values?: Record<string, unknown>;
  readonly sensitive_values?: Record<string, unknown>;
}

interface ShowModule {
  readonly resources?: ShowResource[];
  readonly child_modules?: ShowModule[];
}

interface ShowJson {
  readonly planned_values?: { root_module?: ShowModule };
  readonly values?: { root_module?: ShowModule };
  readonly resource_changes?: Array<{ address: string; change?: { after_unknown?: Record<string, unknown> } }>;
}

function allResources(module: ShowModule | undefined): ShowResource[] {
  if (!module) return [];
  return [...(module.resources ?? []), ...(module.child_modules ?? []).flatMap(allResources)];
}

/**
 * Marks what the plan does not know yet (`after_unknown`) as unresolved, and replaces sensitive
 * values, which `terraform show -json` prints in clear, by a marker: no secret value reaches a
 * finding, and a generated password is not mistaken for a literal one.
 */
function withMarkers(values: Record<string, unknown>, sensitive: unknown, unknown: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { ...values };
  for (const [key, flag] of Object.entries((unknown ?? {}) as Record<string, unknown>)) {
    if (flag === true) out[key] = Unresolved.of('(known after apply)');
  }
  for (const [key, flag] of Object.entries((sensitive ?? {}) as Record<string, unknown>)) {
    if (flag === true && out[key] !== undefined && out[key] !== null) out[key] = Unresolved.of('(sensitive value)');
  }
  return out;
}

/**
 * The resources of `terraform show -json` (a plan's `planned_values` or a state's `values`),
 * every module's, in Terraform-JSON shape: variables, modules and references are already resolved.
 */
export function readTerraformShow(file: string, body: unknown): TerraformSource {
  const show = body as ShowJson;
  const root = show.planned_values?.root_module ?? show.values?.root_module;
  if (!root) throw new InputError(file, 'is terraform show -json output with neither planned_values nor values; give a plan (terraform show -json plan.out) or a state with resources');
  const unknownOf = new Map((show.resource_changes ?? []).map((c) => [c.address, c.change?.after_unknown]));
  const resource: Record<string, Record<string, Record<string, unknown>>> = {};
  const data: Record<string, Record<string, Record<string, unknown>>> = {};
  const addressOf = new Map<string, string>();
  const fileOf = new Map<string, string>();
  for (const r of allResources(root)) {
    const into = r.mode === 'data' ? data : resource;
    const local = r.address.slice(r.address.lastIndexOf(`${r.type}.`) + r.type.length + 1);
    let name = local;
    // The same type and name in two modules: keep both, told apart by the module path.
    if (into[r.type]?.[name]) name = r.address.replace(/\./g, '_');
    into[r.type] = into[r.type] ?? {};
    into[r.type][name] = withMarkers(r.values ?? {}, r.sensitive_values, unknownOf.get(r.address));
    const key = `${r.mode === 'data' ? 'data.' : ''}${r.type}.${name}`;
    addressOf.set(key, r.address);
    fileOf.set(key, file);
  }
  return { config: { resource, data }, files: [file], fileOf, addressOf, name: path.basename(file) };
}
