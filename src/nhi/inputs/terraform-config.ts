import * as fs from 'fs';
import * as path from 'path';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { applyTypeDefaults } from './hcl-expression';
import { InputError, readJsonFile } from './input-error';
import { Instance, interpolations, ModuleValues, TerraformResolver } from './terraform-expressions';
import { namesASecret } from '../private/secret-names';
import { TerraformConfig } from '../private/vault-rules';
import { withWrittenForm } from '../private/written-form';

type Blocks = Record<string, Record<string, Record<string, unknown>>>;

/** One Terraform configuration read from its files, in Terraform-JSON shape, values resolved. */
export interface TerraformSource {
  readonly config: TerraformConfig;
  /** The files it was read from. */
  readonly files: string[];
  /** The file that declares each resource (`type.name`), for findings and SARIF locations. */
  readonly fileOf: Map<string, string>;
  /** The address to report for each `type.name`, when it differs (resources in modules of a plan). */
  readonly addressOf: Map<string, string>;
  /** Where findings about the whole configuration are reported. */
  readonly name: string;
  /** The module blocks met, local ones read and the others (registry, git) not fetched. */
  readonly modules?: ModuleCall[];
  /** The values of the configuration's `output` blocks, resolved (a local module's, for its caller). */
  readonly outputs?: Record<string, unknown>;
}

/** One `module` block and what became of it. */
export interface ModuleCall {
  /** `module.x`, `module.x.module.y`. */
  readonly address: string;
  readonly source: string;
  /** True when its files were read; otherwise `reason` says why not. */
  readonly read: boolean;
  readonly reason?: string;
  /** The files it was read from. */
  readonly files: string[];
  /**
   * The arguments of a root module block that was not read, as written (references unresolved):
   * what the configuration hands to a module it cannot see, such as policy ARNs for its role.
   */
  readonly arguments?: Record<string, unknown>;
  /**
   * The arguments of a module block that was not read, resolved as far as the files allow
   * (variables, locals, the caller's values): what a registry module is handed, read through
   * its published interface (`registry-modules.ts`).
   */
  readonly resolvedArguments?: Record<string, unknown>;
}

/** How deep local modules are followed; a module tree deeper than this is not a real configuration. */
const MODULE_DEPTH_LIMIT = 8;

/** Where a module sits in the tree being read. */
interface ModuleScope {
  /** `''` for the root, `module.x.` for a module. */
  readonly address: string;
  /** The directories from the root to this module, to refuse a module that includes itself. */
  readonly chain: string[];
}

const ROOT_SCOPE: ModuleScope = { address: '', chain: [] };

/** Module block arguments that configure the call, not the module's variables. */
const META_ARGUMENTS = new Set(['source', 'version', 'providers', 'count', 'for_each', 'depends_on', '//']);

/** HCL's repeated blocks (`resource "t" "n" {}` becomes `{t: {n: [{...}]}}`) as Terraform JSON's single objects. */
function singleBlocks(value: unknown): Blocks {
  const out: Blocks = {};
  for (const [type, byName] of Object.entries((value ?? {}) as Record<string, Record<string, unknown>>)) {
    out[type] = {};
    for (const [name, body] of Object.entries(byName ?? {})) {
      out[type][name] = (Array.isArray(body) ? body[0] : body) as Record<string, unknown> ?? {};
    }
  }
  return out;
}

function mergeBlocks(into: Blocks, from: Blocks, file: string, fileOf: Map<string, string>, prefix = ''): void {
  for (const [type, byName] of Object.entries(from)) {
    into[type] = into[type] ?? {};
    for (const [name, body] of Object.entries(byName)) {
      into[type][name] = body;
      fileOf.set(`${prefix}${type}.${name}`, file);
    }
  }
}

/** `variable "x" {}` blocks as name to body, from HCL's list form or JSON's object form. */
function namedBodies(value: unknown): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, body] of Object.entries((value ?? {}) as Record<string, unknown>)) {
    out[name] = ((Array.isArray(body) ? body[0] : body) ?? {}) as Record<string, unknown>;
  }
  return out;
}

/** `locals` from HCL (a list of blocks) or JSON (one object). */
function localsOf(value: unknown): Record<string, unknown> {
  if (Array.isArray(value)) return Object.assign({}, ...value) as Record<string, unknown>;
  return (value ?? {}) as Record<string, unknown>;
}

interface ParsedFile {
  readonly file: string;
  readonly body: Record<string, unknown>;
  /** The module address its resources were renamed for (`module.x.`), for a module's files. */
  readonly address?: string;
}

/**
 * Merges the parsed files of one module into a Terraform-JSON config and resolves it: variable
 * values from `terraform.tfvars`/`*.auto.tfvars` or defaults, locals, files and policy documents.
 */
async function buildModule(
  directory: string, parsed: ParsedFile[], tfvars: Record<string, unknown>, name: string, scope: ModuleScope = ROOT_SCOPE,
): Promise<TerraformSource> {
  const collected = collectModule(directory, parsed, tfvars, name, scope !== ROOT_SCOPE);
  await collected.resolver.prepare([collected.raw, collected.moduleBlocks, collected.outputBlocks]);
  const children: TerraformSource[] = [];
  const calls: ModuleCall[] = [];
  for (const [moduleName, block] of inDependencyOrder(collected.moduleBlocks)) {
    const source = typeof block.source === 'string' ? block.source : JSON.stringify(block.source);
    // A module with `for_each` or `count` is read once per instance (`module.x["a"]`).
    const instances: Instance[] = collected.resolver.instancesOf(block) ?? [{ suffix: '', bindings: {} }];
    for (const instance of instances) {
      const address = `${scope.address}module.${moduleName}${instance.suffix}`;
      const arguments_ = Object.fromEntries(Object.entries(block).filter(([k]) => !META_ARGUMENTS.has(k)));
      const written = scope === ROOT_SCOPE ? { arguments: arguments_ } : {};
      const skip = (reason: string) => calls.push({
        address,
        source,
        read: false,
        reason,
        files: [],
        ...written,
        resolvedArguments: collected.resolver.withBindings(instance.bindings).resolve(arguments_) as Record<string, unknown>,
      });
      if (!/^\.\.?\//.test(source)) {
        skip('not a local path; registry and git modules are not fetched');
        continue;
      }
      const childDirectory = path.resolve(directory, source);
      if (scope.chain.length + 1 > MODULE_DEPTH_LIMIT) {
        skip(`nested deeper than ${MODULE_DEPTH_LIMIT} modules`);
        continue;
      }
      if ([...scope.chain, path.resolve(directory)].includes(childDirectory)) {
        skip('includes a module that includes it (a cycle)');
        continue;
      }
      if (!fs.existsSync(childDirectory) || !fs.statSync(childDirectory).isDirectory()) {
        skip(`its directory ${childDirectory} does not exist`);
        continue;
      }
      const bound = collected.resolver.withBindings(instance.bindings).resolve(arguments_) as Record<string, unknown>;
      const childScope: ModuleScope = { address: `${address}.`, chain: [...scope.chain, path.resolve(directory)] };
      const child = await buildModule(childDirectory, await readModuleFiles(childDirectory, childScope.address), bound, name, childScope);
      children.push(child);
      calls.push({ address, source, read: true, files: child.files }, ...(child.modules ?? []));
      // Outputs of a module read once per instance are its instances' outputs by key.
      if (instance.suffix === '') {
        collected.moduleOutputs[moduleName] = child.outputs ?? {};
      } else {
        const key = JSON.parse(instance.suffix.slice(1, -1)) as string | number;
        collected.moduleOutputs[moduleName] = { ...collected.moduleOutputs[moduleName], [key]: child.outputs ?? {} };
      }
    }
  }
  return collected.finish(children, calls);
}

/**
 * The module blocks, each after the modules its arguments read (`ca = module.ca.path`), so their
 * outputs are known when it is read; a cycle keeps the written order for what remains.
 */
function inDependencyOrder(blocks: Record<string, Record<string, unknown>>): Array<[string, Record<string, unknown>]> {
  const names = Object.keys(blocks);
  const needs = new Map(names.map((n) => [n, new Set(
    [...JSON.stringify(blocks[n]).matchAll(/\bmodule\.([A-Za-z0-9_-]+)/g)].map((m) => m[1]).filter((d) => d !== n && d in blocks),
  )]));
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (n: string): void => {
    if (ordered.includes(n) || visiting.has(n)) return;
    visiting.add(n);
    for (const d of needs.get(n) ?? []) visit(d);
    visiting.delete(n);
    ordered.push(n);
  };
  names.forEach(visit);
  return ordered.map((n) => [n, blocks[n]]);
}

/** The `.tf`/`.tf.json` files of a module directory, parsed, each resource renamed for the module's address. */
async function readModuleFiles(directory: string, address: string): Promise<ParsedFile[]> {
  const parsed: ParsedFile[] = [];
  for (const n of fs.readdirSync(directory).filter((f) => f.endsWith('.tf') || f.endsWith('.tf.json')).sort()) {
    const file = path.join(directory, n);
    parsed.push({ file, body: n.endsWith('.tf') ? await parseHclFile(file) : readJsonFile(file, fs.readFileSync(file, 'utf-8')) as Record<string, unknown> });
  }
  return renameForModule(parsed, address);
}

/** The name a module's resource takes in the merged configuration: unique, and still a plain Terraform name. */
function scopedName(address: string, name: string): string {
  return `${address.replace(/[^A-Za-z0-9_-]/g, '_')}${name}`;
}

/**
 * A module's files with its resources and data sources renamed (`aws_iam_role.r` becomes
 * `aws_iam_role.module_x_r`), and every reference inside the module to them too, so modules'
 * resources merge into one configuration without clashing; `addressOf` gives back
 * `module.x.aws_iam_role.r`.
 */
function renameForModule(parsed: ParsedFile[], address: string): ParsedFile[] {
  const declared = new Set<string>();
  for (const { body } of parsed) {
    for (const [kind, prefix] of [['resource', ''], ['data', 'data.']] as const) {
      for (const [type, byName] of Object.entries((body[kind] ?? {}) as Record<string, Record<string, unknown>>)) {
        for (const name of Object.keys(byName ?? {})) declared.add(`${prefix}${type}.${name}`);
      }
    }
  }
  const reference = /(^|[^A-Za-z0-9_.-])((?:data\.)?[A-Za-z][A-Za-z0-9_]*)\.([A-Za-z0-9_-]+)(?![A-Za-z0-9_-])/g;
  const renameText = (text: string): string => {
    const spans = interpolations(text);
    if (spans.length === 0) return text;
    let out = '';
    let last = 0;
    for (const span of spans) {
      const inner = text.slice(span.start, span.end).replace(reference, (match, before: string, type: string, name: string) =>
        (declared.has(`${type}.${name}`) ? `${before}${type}.${scopedName(address, name)}` : match));
      out += text.slice(last, span.start) + inner;
      last = span.end;
    }
    return out + text.slice(last);
  };
  const rename = (value: unknown): unknown => {
    if (typeof value === 'string') return renameText(value);
    if (Array.isArray(value)) return value.map(rename);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rename(v)]));
    return value;
  };
  return parsed.map(({ file, body }) => {
    const out = rename(body) as Record<string, unknown>;
    for (const kind of ['resource', 'data']) {
      if (!out[kind]) continue;
      out[kind] = Object.fromEntries(Object.entries(out[kind] as Record<string, Record<string, unknown>>).map(([type, byName]) =>
        [type, Object.fromEntries(Object.entries(byName ?? {}).map(([name, b]) => [scopedName(address, name), b]))]));
    }
    return { file, body: out, address };
  });
}

/**
 * A credential's variable left to the run: marked sensitive or named for one, with an empty
 * default, which no service takes as a credential. (A default like "ChangeMe" is a working
 * password whenever the operator leaves it: it stays the value.)
 */
function setWhenRun(name: string, body: Record<string, unknown>): boolean {
  return body.default === '' && (body.sensitive === true || namesASecret(name));
}

/**
 * `buildModule` without HashiCorp's parser, for synchronous callers: variables, locals and
 * policy documents are resolved; `jsonencode`/`file` calls stay as written.
 */
export function terraformJsonSourceSync(file: string, name?: string): TerraformSource {
  const body = readJsonFile(file, fs.readFileSync(file, 'utf-8')) as Record<string, unknown>;
  return collectModule(path.dirname(file), [{ file, body }], {}, name ?? path.basename(path.dirname(file))).finish([], []);
}

function collectModule(directory: string, parsed: ParsedFile[], tfvars: Record<string, unknown>, name: string, calledModule = false) {
  const resource: Blocks = {};
  const data: Blocks = {};
  const provider: Record<string, Array<Record<string, unknown>>> = {};
  const variableBodies: Record<string, Record<string, unknown>> = {};
  const locals: Record<string, unknown> = {};
  let comments: Record<string, unknown> | undefined;
  const fileOf = new Map<string, string>();
  const addressOf = new Map<string, string>();
  const moduleBlocks: Record<string, Record<string, unknown>> = {};
  const outputBlocks: Record<string, unknown> = {};
  for (const { file, body, address } of parsed) {
    if (address) {
      for (const [kind, prefix] of [['resource', ''], ['data', 'data.']] as const) {
        for (const [type, byName] of Object.entries((body[kind] ?? {}) as Record<string, Record<string, unknown>>)) {
          for (const scoped of Object.keys(byName ?? {})) {
            addressOf.set(`${prefix}${type}.${scoped}`, `${address}${prefix}${type}.${scoped.slice(scopedName(address, '').length)}`);
          }
        }
      }
    }
    Object.assign(moduleBlocks, namedBodies(body.module));
    for (const [o, ob] of Object.entries(namedBodies(body.output))) outputBlocks[o] = ob.value;
    mergeBlocks(resource, singleBlocks(body.resource), file, fileOf);
    mergeBlocks(data, singleBlocks(body.data), file, fileOf, 'data.');
    for (const [p, blocks] of Object.entries((body.provider ?? {}) as Record<string, unknown>)) {
      provider[p] = [...(provider[p] ?? []), ...(Array.isArray(blocks) ? blocks : [blocks]) as Array<Record<string, unknown>>];
    }
    Object.assign(variableBodies, namedBodies(body.variable));
    Object.assign(locals, localsOf(body.locals));
    if (body['//'] && typeof body['//'] === 'object') comments = { ...(comments ?? {}), ...(body['//'] as Record<string, unknown>) };
  }
  const variables: Record<string, unknown> = {};
  for (const [v, body] of Object.entries(variableBodies)) {
    let value: unknown;
    if (v in tfvars) value = tfvars[v];
    // Set when Terraform runs (`TF_VAR_...`, `-var`): unknown, not "".
    else if (!calledModule && setWhenRun(v, body)) continue;
    else if (body.default !== undefined && body.default !== null) value = body.default;
    // An argument the caller of a module leaves out takes the default, null included (a root
    // variable's null may still be set on the command line, so it stays unresolved).
    else if (calledModule && body.default === null) value = null;
    else continue;
    // `optional(type, default)` attributes of the variable's type fill what the value leaves out.
    const type = typeof body.type === 'string' ? /^\$\{([\s\S]*)\}$/.exec(body.type.trim())?.[1] : undefined;
    variables[v] = type ? applyTypeDefaults(type, value) : value;
  }
  const module: ModuleValues = {
    // Absolute, so `path.module` and the paths built from it name the same files wherever the CLI runs.
    directory: path.resolve(directory),
    variables,
    declared: Object.keys(variableBodies),
    nullDefaults: Object.entries(variableBodies).filter(([v, body]) => body.default === null && !(v in variables)).map(([v]) => v),
    locals,
    dataSources: data,
    resources: resource,
    moduleOutputs: {},
    called: calledModule,
    givenByCaller: calledModule ? Object.keys(tfvars) : undefined,
  };
  const resolver = new TerraformResolver(module);
  const raw = { resource, data, provider };
  /** The module resolved, with the local modules it calls merged in. */
  /**
   * Resolves each block, and each instance of a block with `for_each` or `count`: the instance is
   * named `name["key"]` or `name[0]`, beside the file and address of its block.
   */
  const expand = (blocks: Blocks, prefix: string): Blocks => {
    const out: Blocks = {};
    for (const [type, byName] of Object.entries(blocks)) {
      out[type] = {};
      for (const [blockName, body] of Object.entries(byName)) {
        const instances = resolver.instancesOf(body);
        if (!instances) {
          out[type][blockName] = withWrittenForm(resolver.resolve(body) as Record<string, unknown>, body);
          continue;
        }
        const { for_each: _forEach, count: _count, ...rest } = body;
        const key = `${prefix}${type}.${blockName}`;
        for (const instance of instances) {
          const instanceName = `${blockName}${instance.suffix}`;
          out[type][instanceName] = withWrittenForm(resolver.withBindings(instance.bindings).resolve(rest) as Record<string, unknown>, rest);
          if (instance.suffix === '') continue;
          const file = fileOf.get(key);
          if (file) fileOf.set(`${prefix}${type}.${instanceName}`, file);
          const address = addressOf.get(key);
          if (address) addressOf.set(`${prefix}${type}.${instanceName}`, `${address}${instance.suffix}`);
        }
      }
    }
    return out;
  };
  const finish = (children: TerraformSource[], modules: ModuleCall[]): TerraformSource => {
    const resolved = {
      resource: expand(raw.resource, ''),
      data: expand(raw.data, 'data.'),
      provider: resolver.resolve(raw.provider) as Record<string, Array<Record<string, unknown>>>,
    };
    for (const child of children) {
      mergeBlocks(resolved.resource, child.config.resource as Blocks ?? {}, '', new Map());
      mergeBlocks(resolved.data, child.config.data as Blocks ?? {}, '', new Map());
      // A provider block inside a called module (the older pattern) configures that module's resources.
      for (const [providerName, blocks] of Object.entries(child.config.provider ?? {})) {
        resolved.provider[providerName] = [...(resolved.provider[providerName] ?? []), ...(Array.isArray(blocks) ? blocks : [blocks])];
      }
      child.fileOf.forEach((f, k) => fileOf.set(k, f));
      child.addressOf.forEach((a, k) => addressOf.set(k, a));
    }
    const config: TerraformConfig = {
      resource: resolved.resource,
      data: resolved.data,
      provider: resolved.provider,
      ...(comments ? { '//': comments } : {}),
    };
    const outputs = resolver.resolve(outputBlocks) as Record<string, unknown>;
    return { config, files: parsed.map((p) => p.file), fileOf, addressOf, name, modules, outputs };
  };
  return { raw, resolver, finish, moduleBlocks, outputBlocks, moduleOutputs: module.moduleOutputs! };
}

async function parseHclFile(file: string): Promise<Record<string, unknown>> {
  try {
    return await parseHcl(path.basename(file), fs.readFileSync(file, 'utf-8'));
  } catch (error) {
    throw new InputError(file, `is not valid HCL (${String((error as Error).message ?? error).replace(/^parse config: /, '').replace(/\s+/g, ' ').slice(0, 300)})`);
  }
}

async function readTfvars(directory: string): Promise<Record<string, unknown>> {
  const files = fs.readdirSync(directory).filter((f) => f === 'terraform.tfvars' || f.endsWith('.auto.tfvars')).sort();
  const values: Record<string, unknown> = {};
  for (const f of files) Object.assign(values, await parseHclFile(path.join(directory, f)));
  for (const f of fs.readdirSync(directory).filter((n) => n === 'terraform.tfvars.json' || n.endsWith('.auto.tfvars.json')).sort()) {
    const full = path.join(directory, f);
    Object.assign(values, readJsonFile(full, fs.readFileSync(full, 'utf-8')));
  }
  return values;
}

/** Every `.tf` and `.tf.json` file of a directory (one Terraform module), read with HashiCorp's HCL parser. */
export async function readTerraformDirectory(directory: string): Promise<TerraformSource> {
  const names = fs.readdirSync(directory).filter((f) => f.endsWith('.tf') || f.endsWith('.tf.json')).sort();
  const parsed: ParsedFile[] = [];
  for (const n of names) {
    const file = path.join(directory, n);
    parsed.push({ file, body: n.endsWith('.tf') ? await parseHclFile(file) : readJsonFile(file, fs.readFileSync(file, 'utf-8')) as Record<string, unknown> });
  }
  return buildModule(directory, parsed, await readTfvars(directory), path.basename(path.resolve(directory)));
}

/** One `.tf` file, alone. */
export async function readTerraformHclFile(file: string): Promise<TerraformSource> {
  return buildModule(path.dirname(file), [{ file, body: await parseHclFile(file) }], {}, path.basename(file));
}

/** One Terraform JSON file (`*.tf.json`, or a stack CDKTF synthesized). */
export async function readTerraformJsonFile(file: string, name?: string, body?: unknown): Promise<TerraformSource> {
  const parsed = (body ?? readJsonFile(file, fs.readFileSync(file, 'utf-8'))) as Record<string, unknown>;
  return buildModule(path.dirname(file), [{ file, body: parsed }], {}, name ?? path.basename(path.dirname(file)));
}

/** True when parsed JSON looks like Terraform JSON configuration. */
export function isTerraformJson(body: unknown): boolean {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  return ['resource', 'data', 'provider', 'terraform', 'variable', 'module'].some((k) => k in body);
}

/** True when parsed JSON is the output of `terraform show -json` (a plan or a state). */
export function isTerraformShowJson(body: unknown): boolean {
  return !!body && typeof body === 'object' && 'format_version' in body && ('planned_values' in body || 'values' in body || 'terraform_version' in body);
}

/** Every stack of a CDKTF output directory (`cdktf.out`, with its `manifest.json`). */
export async function readCdktfOutput(directory: string): Promise<TerraformSource[]> {
  const manifestFile = path.join(directory, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new InputError(directory, 'has no manifest.json; give a CDKTF output directory (cdktf.out)');
  const manifest = readJsonFile(manifestFile, fs.readFileSync(manifestFile, 'utf-8')) as { stacks?: Record<string, { name?: string; synthesizedStackPath?: string }>; artifacts?: unknown };
  if (manifest.artifacts !== undefined || manifest.stacks === undefined) {
    throw new InputError(manifestFile, 'is a CDK cloud assembly manifest (it lists artifacts), not a CDKTF one; give the directory as a PATH or with --cdk');
  }
  const stacks = Object.entries(manifest.stacks);
  if (stacks.length === 0) throw new InputError(manifestFile, 'lists no CDKTF stack; synthesize the app first (cdktf synth)');
  const sources: TerraformSource[] = [];
  for (const [id, stack] of stacks) {
    if (!stack.synthesizedStackPath) throw new InputError(manifestFile, `stack "${id}" names no synthesizedStackPath`);
    const file = path.join(directory, stack.synthesizedStackPath);
    if (!fs.existsSync(file)) throw new InputError(file, `is the Terraform JSON of stack "${id}", and it does not exist`);
    sources.push(await readTerraformJsonFile(file, stack.name ?? id));
  }
  return sources;
}
