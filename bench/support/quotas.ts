import { AssemblyModel, AssemblyStack, resourcesOf } from './assembly';
import { estimateValue, isObject, literalOf, TemplateEnvironment } from './intrinsics';

/** One measured value of a quota. */
export interface QuotaValue {
  readonly value: number;
  /** The stack and resource (or role, API, account-region) it belongs to. */
  readonly where: string;
  /** References whose resolved length was guessed (see `QuotaOptions.unknownLength`). */
  readonly guesses?: number;
}

/** A quota, its worst value in the assembly and what exceeds it. */
export interface QuotaFigure {
  readonly service: string;
  readonly quota: string;
  readonly limit: number;
  readonly unit: string;
  /** How many things were measured. */
  readonly measured: number;
  readonly worst?: QuotaValue;
  /** `limit - worst`; negative when over. */
  readonly headroom?: number;
  readonly overCount: number;
  /** The first few over the limit, worst first. */
  readonly over: QuotaValue[];
  readonly note?: string;
}

export interface QuotaOptions {
  /**
   * The length assumed for a reference whose resolved value cannot be derived from the templates
   * (CDK estimates an unresolved ARN at 150 characters when it splits policies).
   *
   * @default 150
   */
  readonly unknownLength?: number;
}

/**
 * Every quota issue 14 names, measured on the synthesized assembly: per stack, per IAM role, per
 * API, per function, per Cedar policy and policy store, per organization policy, and per
 * account-region.
 */
export function measureQuotas(model: AssemblyModel, options: QuotaOptions = {}): QuotaFigure[] {
  const unknownLength = options.unknownLength ?? 150;
  const envOf = (stack: AssemblyStack): TemplateEnvironment => ({ account: stack.account, region: stack.region, stackName: stack.stackName });
  const estimate = (stack: AssemblyStack, value: unknown) =>
    estimateValue(value, { ...envOf(stack), resources: resourcesOf(stack.template), unknownLength });
  const figures: QuotaFigure[] = [];
  const byKey = new Map(model.stacks.map((s) => [s.key, s]));
  const resources = model.stacks.flatMap((stack) => Object.entries(resourcesOf(stack.template))
    .map(([logicalId, resource]) => ({ stack, logicalId, resource })));
  const ofType = (type: string) => resources.filter((r) => r.resource.Type === type);
  const at = (stack: AssemblyStack, logicalId: string) => `${stack.stackName}/${logicalId}`;

  // What a value that identifies another resource points at, followed across nested-stack parameters and exports.
  const exportsByName = new Map<string, { stack: AssemblyStack; value: unknown }>();
  for (const stack of model.stacks) {
    for (const output of Object.values((stack.template.Outputs ?? {}) as Record<string, any>)) {
      const name = output.Export ? literalOf(output.Export.Name, envOf(stack)) : undefined;
      if (name) exportsByName.set(`${stack.account}/${stack.region}/${name}`, { stack, value: output.Value });
    }
  }
  const identify = (stack: AssemblyStack, value: unknown, depth = 0): string => {
    const literal = literalOf(value, envOf(stack));
    if (literal !== undefined) return `"${literal}"`;
    if (!isObject(value) || depth > 8) return JSON.stringify(value);
    if (typeof value.Ref === 'string') {
      if (value.Ref in resourcesOf(stack.template)) return at(stack, value.Ref);
      if (stack.parent) {
        const parent = byKey.get(stack.parent.key)!;
        const passed = resourcesOf(parent.template)[stack.parent.logicalId]?.Properties?.Parameters?.[value.Ref];
        if (passed !== undefined) return identify(parent, passed, depth + 1);
      }
      return `${stack.stackName}/${value.Ref}`;
    }
    if (value['Fn::GetAtt']) {
      const [target] = Array.isArray(value['Fn::GetAtt']) ? value['Fn::GetAtt'] : String(value['Fn::GetAtt']).split('.');
      return at(stack, String(target));
    }
    if (value['Fn::ImportValue'] !== undefined) {
      const name = literalOf(value['Fn::ImportValue'], envOf(stack));
      const exported = name ? exportsByName.get(`${stack.account}/${stack.region}/${name}`) : undefined;
      return exported ? identify(exported.stack, exported.value, depth + 1) : `import ${name ?? JSON.stringify(value)}`;
    }
    return JSON.stringify(value);
  };

  const figure = (service: string, quota: string, limit: number, unit: string, values: QuotaValue[], note?: string): void => {
    const sorted = [...values].sort((a, b) => b.value - a.value);
    const over = sorted.filter((v) => v.value > limit);
    const worst = sorted[0];
    const headroom = worst ? limit - worst.value : undefined;
    figures.push({ service, quota, limit, unit, measured: values.length, worst, headroom, overCount: over.length, over: over.slice(0, 5), note });
  };
  const iamChars = (stack: AssemblyStack, document: unknown) => {
    const rendered = estimate(stack, typeof document === 'string' ? safeJson(document) : document);
    return { chars: JSON.stringify(rendered.value).replace(/\s+/g, '').length, guesses: rendered.guesses };
  };
  const bytes = (text: string) => Buffer.byteLength(text, 'utf-8');

  // CloudFormation, per stack (nested stacks are stacks of their own).
  figure('CloudFormation', 'resources per stack', 500, 'resources',
    model.stacks.map((s) => ({ value: Object.keys(resourcesOf(s.template)).length, where: s.stackName })));
  figure('CloudFormation', 'template body per stack', 1_000_000, 'bytes',
    model.stacks.map((s) => ({ value: s.templateBytes, where: s.stackName })), 'the template file as written (what the CDK CLI uploads)');
  figure('CloudFormation', 'parameters per stack', 200, 'parameters',
    model.stacks.map((s) => ({ value: Object.keys(s.template.Parameters ?? {}).length, where: s.stackName })));
  figure('CloudFormation', 'outputs per stack', 200, 'outputs',
    model.stacks.map((s) => ({ value: Object.keys(s.template.Outputs ?? {}).length, where: s.stackName })));
  const perEnvironment = (count: (s: AssemblyStack) => number) => {
    const totals = new Map<string, number>();
    for (const stack of model.stacks) {
      const env = `${stack.account ?? '<any account>'}/${stack.region ?? '<any region>'}`;
      totals.set(env, (totals.get(env) ?? 0) + count(stack));
    }
    return [...totals].map(([where, value]) => ({ value, where }));
  };
  figure('CloudFormation', 'exports per account-region', 5_000, 'exports',
    perEnvironment((s) => Object.values((s.template.Outputs ?? {}) as Record<string, any>).filter((o) => o.Export).length));
  figure('CloudFormation', 'stacks per account-region (nested included)', 2_000, 'stacks', perEnvironment(() => 1),
    `${model.stacks.length} stacks in total, ${model.stacks.filter((s) => s.parent).length} of them nested`);

  // IAM, per role.
  const roleKey = (stack: AssemblyStack, value: unknown) => identify(stack, value);
  const roles = new Map<string, { inline: number; inlineGuesses: number; managed: Set<string> }>();
  const role = (key: string) => {
    let entry = roles.get(key);
    if (!entry) roles.set(key, entry = { inline: 0, inlineGuesses: 0, managed: new Set() });
    return entry;
  };
  const trust: QuotaValue[] = [];
  for (const { stack, logicalId, resource } of ofType('AWS::IAM::Role')) {
    const p = resource.Properties ?? {};
    const key = at(stack, logicalId);
    const entry = role(key);
    for (const policy of p.Policies ?? []) {
      const size = iamChars(stack, policy.PolicyDocument);
      entry.inline += size.chars;
      entry.inlineGuesses += size.guesses;
    }
    for (const arn of p.ManagedPolicyArns ?? []) entry.managed.add(identify(stack, arn));
    const size = iamChars(stack, p.AssumeRolePolicyDocument ?? {});
    trust.push({ value: size.chars, where: key, guesses: size.guesses });
  }
  for (const { stack, resource } of [...ofType('AWS::IAM::Policy'), ...ofType('AWS::IAM::RolePolicy')]) {
    const p = resource.Properties ?? {};
    const size = iamChars(stack, p.PolicyDocument);
    const targets = resource.Type === 'AWS::IAM::RolePolicy' ? [p.RoleName] : (p.Roles ?? []);
    for (const target of targets) {
      const entry = role(roleKey(stack, target));
      entry.inline += size.chars;
      entry.inlineGuesses += size.guesses;
    }
  }
  const managed: QuotaValue[] = [];
  for (const { stack, logicalId, resource } of ofType('AWS::IAM::ManagedPolicy')) {
    const p = resource.Properties ?? {};
    const size = iamChars(stack, p.PolicyDocument);
    const attached = (p.Roles ?? []).map((r: unknown) => roleKey(stack, r));
    for (const r of attached) role(r).managed.add(at(stack, logicalId));
    managed.push({ value: size.chars, where: `${at(stack, logicalId)}${attached.length ? ` (on ${attached.join(', ')})` : ''}`, guesses: size.guesses });
  }
  const roleEntries = [...roles];
  figure('IAM', 'managed policy document', 6_144, 'characters without whitespace', managed);
  figure('IAM', 'inline policies per role, in total', 10_240, 'characters without whitespace',
    roleEntries.map(([where, r]) => ({ value: r.inline, where, guesses: r.inlineGuesses })));
  figure('IAM', 'trust policy per role (default quota; 4,096 on request)', 2_048, 'characters without whitespace', trust);
  figure('IAM', 'managed policies per role (default quota; 20 on request)', 10, 'policies',
    roleEntries.map(([where, r]) => ({ value: r.managed.size, where })));

  // API Gateway, per REST API.
  const apiPolicies: QuotaValue[] = [];
  const apiResources = new Map<string, number>();
  for (const { stack, logicalId, resource } of ofType('AWS::ApiGateway::RestApi')) {
    const policy = resource.Properties?.Policy;
    if (policy !== undefined) {
      const rendered = estimate(stack, typeof policy === 'string' ? safeJson(policy) : policy);
      apiPolicies.push({ value: bytes(JSON.stringify(rendered.value)), where: at(stack, logicalId), guesses: rendered.guesses });
    }
    apiResources.set(at(stack, logicalId), (apiResources.get(at(stack, logicalId)) ?? 0) + 1); // the root resource
  }
  for (const { stack, resource } of ofType('AWS::ApiGateway::Resource')) {
    const api = identify(stack, resource.Properties?.RestApiId);
    apiResources.set(api, (apiResources.get(api) ?? 0) + 1);
  }
  figure('API Gateway', 'resource policy per API', 8_192, 'bytes (minified JSON)', apiPolicies);
  // Regional REST APIs per account and region: 600, which AWS does not raise.
  figure('API Gateway', 'regional REST APIs per account-region', 600, 'APIs',
    perEnvironment((s) => Object.values((s.template.Resources ?? {}) as Record<string, any>).filter((r) => r.Type === 'AWS::ApiGateway::RestApi').length));
  figure('API Gateway', 'resources per API (root included)', 300, 'resources', [...apiResources].map(([where, value]) => ({ value, where })));

  // Lambda, per function.
  figure('Lambda', 'environment variables per function', 4_096, 'bytes (JSON of the variables)',
    ofType('AWS::Lambda::Function').map(({ stack, logicalId, resource }) => {
      const rendered = estimate(stack, resource.Properties?.Environment?.Variables ?? {});
      return { value: bytes(JSON.stringify(rendered.value)), where: at(stack, logicalId), guesses: rendered.guesses };
    }));

  // Verified Permissions: per policy, per policy store schema, per resource the policies name.
  // "Policy size per resource" (https://docs.aws.amazon.com/verifiedpermissions/latest/userguide/policy-size-per-resource.html
  // and quotas.html): the policies that reference one resource share a total, 200,000 bytes by
  // default in the quota table (the user guide now gives 1 MB per resource and 200,000 bytes per
  // principal and resource); a static policy counts its full size, a template-linked one the
  // length of the principal and resource it was linked with, not its template's statement; a
  // policy whose scope names no resource counts toward the "unspecified" resource. Each policy
  // also adds a fixed overhead the documentation does not quantify ("up to a few hundred
  // bytes"): not counted, but the number of policies in each total is printed with it.
  const statements: QuotaValue[] = ofType('AWS::VerifiedPermissions::Policy').flatMap(({ stack, logicalId, resource }) => {
    const statement = resource.Properties?.Definition?.Static?.Statement;
    if (statement === undefined) return [];
    return [{ value: bytes(String(literalOf(statement, envOf(stack)) ?? JSON.stringify(statement))), where: at(stack, logicalId) }];
  });
  const perResource = cedarSizeTotals(model, identify);
  const templates = new Map<string, number>();
  for (const { stack, resource } of ofType('AWS::VerifiedPermissions::PolicyTemplate')) {
    const store = identify(stack, resource.Properties?.PolicyStoreId);
    templates.set(store, (templates.get(store) ?? 0) + 1);
  }
  figure('Verified Permissions', 'policy statement', 10_000, 'bytes', statements);
  figure('Verified Permissions', 'policies per resource, in total', 200_000, 'bytes',
    [...perResource].map(([where, v]) => ({ value: v.bytes, where: `${where} (${v.policies} policies)` })),
    'static statements counted whole, template-linked ones by their principal and resource, per resource a policy\'s scope names '
    + '(or the unspecified one); the fixed overhead of each policy is not published, so not counted: add it per policy of the total');
  figure('Verified Permissions', 'schema per policy store', 100_000, 'bytes',
    ofType('AWS::VerifiedPermissions::PolicyStore').map(({ stack, logicalId, resource }) => {
      const schema = resource.Properties?.Schema?.CedarJson;
      return { value: schema === undefined ? 0 : bytes(typeof schema === 'string' ? schema : JSON.stringify(schema)), where: at(stack, logicalId) };
    }));
  figure('Verified Permissions', 'policy templates per policy store', 40, 'templates', [...templates].map(([where, value]) => ({ value, where })));

  // Organizations: SCP and RCP documents.
  figure('Organizations', 'service or resource control policy', 5_120, 'characters',
    ofType('AWS::Organizations::Policy').map(({ stack, logicalId, resource }) => {
      const content = resource.Properties?.Content;
      const rendered = estimate(stack, typeof content === 'string' ? safeJson(content) : content);
      return { value: JSON.stringify(rendered.value).length, where: at(stack, logicalId), guesses: rendered.guesses };
    }), 'the content as minified JSON');

  return figures;
}

/** The resource part of a Cedar statement's scope, normalized: `resource == X::"y"`, `resource in ...`, or `resource (unscoped)`. */
export function resourceScope(statement: string): string {
  const head = /\(\s*principal[^,]*,\s*action(?:[^,[]|\[[^\]]*\])*,\s*(resource[^)]*)\)/s.exec(statement);
  const scope = head?.[1].replace(/\s+/g, ' ').trim();
  return !scope || scope === 'resource' ? 'resource (unscoped)' : scope;
}

/** One "policy size per resource" total: its bytes as counted, and how many policies make it. */
export interface CedarSizeTotal {
  readonly bytes: number;
  readonly policies: number;
}

/**
 * Every "policy size per resource" total of the assembly's policy stores, by `<store> resource
 * <entity>` (or `resource (unspecified)`): a static policy counts its statement, a template-linked
 * one its principal and resource.
 */
export function cedarSizeTotals(
  model: AssemblyModel,
  identify: (stack: AssemblyStack, value: unknown) => string = (_s, v) => JSON.stringify(v),
): Map<string, CedarSizeTotal> {
  const totals = new Map<string, CedarSizeTotal>();
  const count = (scope: string, size: number) => {
    const entry = totals.get(scope) ?? { bytes: 0, policies: 0 };
    totals.set(scope, { bytes: entry.bytes + size, policies: entry.policies + 1 });
  };
  for (const stack of model.stacks) {
    const env = { account: stack.account, region: stack.region, stackName: stack.stackName };
    for (const resource of Object.values(resourcesOf(stack.template))) {
      if (resource.Type !== 'AWS::VerifiedPermissions::Policy') continue;
      const definition = resource.Properties?.Definition ?? {};
      const store = identify(stack, resource.Properties?.PolicyStoreId);
      if (definition.Static) {
        const statement = String(literalOf(definition.Static.Statement, env) ?? JSON.stringify(definition.Static.Statement));
        count(`${store} ${referencedResource(resourceScope(statement))}`, Buffer.byteLength(statement, 'utf-8'));
      } else if (definition.TemplateLinked) {
        const linked = definition.TemplateLinked;
        const entity = (e: any) => (e ? `${literalOf(e.EntityType, env) ?? e.EntityType}::"${literalOf(e.EntityId, env) ?? e.EntityId}"` : '');
        count(`${store} ${linked.Resource ? `resource ${entity(linked.Resource)}` : 'resource (unspecified)'}`,
          Buffer.byteLength(entity(linked.Principal) + entity(linked.Resource), 'utf-8'));
      }
    }
  }
  return totals;
}

/** The resource a policy's scope references (`resource == X` and `resource in X` both reference X), or the unspecified one. */
export function referencedResource(scope: string): string {
  const entity = /^resource\s*(?:==|in)\s*(.+)$/.exec(scope)?.[1] ?? /^resource\s+is\s+\S+\s+in\s+(.+)$/.exec(scope)?.[1];
  return entity ? `resource ${entity.trim()}` : 'resource (unspecified)';
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
