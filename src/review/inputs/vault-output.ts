import * as fs from 'fs';
import * as path from 'path';
import { InputError, readJsonFile } from '../../nhi/inputs/input-error';
import { terraformJsonSourceSync } from '../../nhi/inputs/terraform-config';
import { resourcesOf, TerraformConfig, TerraformResource } from '../../nhi/rules/support/vault';

/** One Vault configuration (a CDKTF stack), its resources with references to other resources resolved. */
export interface VaultStack {
  readonly name: string;
  readonly file: string;
  readonly config: TerraformConfig;
  /** Every resource, with `${type.name.attribute}` references to resources of the stack replaced by their values. */
  readonly resources: TerraformResource[];
}

/** What a CDKTF output directory holds, as the review reads it. */
export interface VaultOutput {
  readonly directory: string;
  readonly stacks: VaultStack[];
}

/** Reads every stack of a CDKTF output directory (`manifest.json` with `stacks`). */
export function readVaultOutput(directory: string): VaultOutput {
  const manifestFile = path.join(directory, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new InputError(directory, 'has no manifest.json; give a CDKTF output directory (cdktf.out)');
  const manifest = readJsonFile(manifestFile, fs.readFileSync(manifestFile, 'utf-8')) as { stacks?: Record<string, { name?: string; synthesizedStackPath?: string }> };
  const entries = Object.entries(manifest.stacks ?? {});
  if (entries.length === 0) throw new InputError(manifestFile, 'lists no CDKTF stack; synthesize the app first (cdktf synth)');
  const stacks = entries.map(([id, stack]): VaultStack => {
    if (!stack.synthesizedStackPath) throw new InputError(manifestFile, `stack "${id}" names no synthesizedStackPath`);
    const file = path.join(directory, stack.synthesizedStackPath);
    if (!fs.existsSync(file)) throw new InputError(file, `is the Terraform JSON of stack "${id}", and it does not exist`);
    const source = terraformJsonSourceSync(file, stack.name ?? id);
    const config = source.config;
    const resolve = (r: TerraformResource) => resolveReferences(config, r.props, new Set([r.address])) as Record<string, unknown>;
    const resources = resourcesOf(config).map((r) => ({ ...r, props: resolve(r) }));
    return { name: stack.name ?? id, file, config, resources };
  });
  return { directory, stacks };
}

const WHOLE_REFERENCE = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/;
const EMBEDDED_REFERENCE = /\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}/g;

/**
 * Replaces references to attributes that other resources of the configuration set as literals
 * (`${vault_auth_backend.x.path}`, `${vault_policy.p.name}`), the way Terraform would plan them.
 * A reference to an attribute known only after apply stays as written.
 */
function resolveReferences(config: TerraformConfig, value: unknown, seen: Set<string>): unknown {
  if (typeof value === 'string') {
    const attribute = (type: string, name: string, key: string): unknown => {
      const address = `${type}.${name}`;
      const props = config.resource?.[type]?.[name] as Record<string, unknown> | undefined;
      if (!props || seen.has(address) || !(key in props)) return undefined;
      return resolveReferences(config, props[key], new Set([...seen, address]));
    };
    const whole = WHOLE_REFERENCE.exec(value);
    if (whole) {
      const resolved = attribute(whole[1], whole[2], whole[3]);
      return resolved === undefined ? value : resolved;
    }
    return value.replace(EMBEDDED_REFERENCE, (text, type: string, name: string, key: string) => {
      const resolved = attribute(type, name, key);
      return typeof resolved === 'string' || typeof resolved === 'number' ? String(resolved) : text;
    });
  }
  if (Array.isArray(value)) return value.map((v) => resolveReferences(config, v, seen));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === '//' ? v : resolveReferences(config, v, seen)]));
  }
  return value;
}
