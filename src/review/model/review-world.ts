import { Actor, AwsAccess, EvaluationObserver } from './aws-access';
import { ApiFacts, ApiMethodFacts, AwsInventory, awsInventory, FunctionFacts, PolicyStoreFacts, RoleFacts } from './aws-inventory';
import { unconditionalForbids } from './cedar-decisions';
import { allowedPrincipalKeys, PrincipalIndex } from './principal-index';
import { bindsPrincipal, matcherFor, mayObtain, VaultAuthRole, VaultCredentialRole, VaultInventory, vaultInventory } from './vault-inventory';
import { ROUTER_ENV, RouterRoutes } from '../../contract/router-routes';
import { PolicyDocumentJson, StatementJson } from '../../nhi/private/cfn-template';
import { GatewayNaming } from '../../spec/naming';
import { arnParts, hasWildcard } from '../iam/arn-pattern';
import { GuardrailDocument } from '../inputs/guardrail-documents';
import { ReviewInputs } from '../inputs/review-inputs';

/** A Bedrock model or inference profile some policy grants, and the foundation models a profile routes to. */
export interface ModelFacts {
  readonly id: string;
  readonly kind: 'foundation-model' | 'inference-profile';
  readonly arn: string;
  /** For a profile: the foundation-model ARNs policies allow through it. */
  readonly destinations: string[];
}

/** One method of an API that invokes a cell, with the ARN a caller invokes. */
export interface CellMethod {
  readonly api: ApiFacts;
  readonly method: ApiMethodFacts;
  readonly stage: string;
  readonly arn: string;
  /** The API's resource policy with `execute-api:/` written out as this API's ARN. */
  readonly policy?: PolicyDocumentJson;
}

/** A router cell: a function that carries the route table, serving one tenant. */
export interface CellFacts {
  readonly id: string;
  readonly gateway: string;
  readonly tenant: string;
  readonly fn: FunctionFacts;
  readonly role?: RoleFacts;
  readonly routes: RouterRoutes;
  /** The Vault auth role it logs in as (`GATEWARD_VAULT_AUTH_ROLE`) and its mount. */
  readonly authRoleName?: string;
  readonly authMount?: string;
  readonly methods: CellMethod[];
}

/** A workload: a caller of the API (an IAM role in the route table) or a Vault JWT role (an EKS service account). */
export interface WorkloadFacts {
  readonly id: string;
  readonly identityId: string;
  readonly method: 'iam' | 'jwt';
  readonly tenant?: string;
  readonly gateway?: string;
  readonly roleArn?: string;
  readonly cedarId?: string;
  readonly jwtRole?: VaultAuthRole;
  readonly suspended: boolean;
  readonly suspendedEvidence: string[];
}

/** A target role: a role Vault's AWS engine assumes for a tenant. */
export interface TargetFacts {
  readonly role: RoleFacts;
  readonly tenant?: string;
  readonly credentials: VaultCredentialRole[];
}

/** Everything the model is built from: the inventories, the IAM questions, and the identity chain's parts. */
export class ReviewWorld {
  public readonly inventory: AwsInventory;
  public readonly vault: VaultInventory;
  public readonly guardrails: GuardrailDocument[];
  /** IAM without the guardrails, and with them (the same when none are given). */
  public readonly access: AwsAccess;
  public readonly accessWithGuardrails: AwsAccess;
  public readonly gateways: string[];
  public readonly tenants: string[];
  public readonly accounts: string[];
  public readonly cells: CellFacts[];
  public readonly workloads: WorkloadFacts[];
  public readonly models: ModelFacts[];
  public readonly targets: TargetFacts[];
  /** Roles of the output that can assume the target roles as Vault asks (the AWS engine's identity). */
  public readonly brokers: RoleFacts[];
  /** Principals the brokers and verifiers trust: the Vault server's AWS identity. */
  public readonly vaultServerArns: string[];
  public readonly policyStores: PolicyStoreFacts[];
  public readonly namespace: string;
  public readonly limits: string[];
  private readonly pathTenants = new Map<string, string | undefined>();
  private readonly tenantSet: Set<string>;
  private targetsByArn?: Map<string, TargetFacts>;
  private modelTenants?: Map<string, string>;
  private methodIndex?: PrincipalIndex<CellMethod>;
  private openMethods?: CellMethod[];

  /**
   * @param observer sees every IAM question asked (tests replay them with the IAM simulator)
   */
  constructor(inputs: ReviewInputs, observer?: EvaluationObserver) {
    this.inventory = awsInventory(inputs.aws);
    this.vault = vaultInventory(inputs.vault);
    this.guardrails = inputs.guardrails;
    this.access = new AwsAccess(this.inventory, this.guardrails, false, observer);
    this.accessWithGuardrails = new AwsAccess(this.inventory, this.guardrails, true, observer);
    this.limits = [...this.inventory.unread, ...this.vault.unread];
    this.policyStores = this.inventory.policyStores;

    const routeTables = this.inventory.functions.filter((f) => f.routes).map((f) => f.routes!);
    this.namespace = routeTables[0]?.cedarNamespace ?? GatewayNaming.CEDAR_NAMESPACE;
    this.gateways = [...new Set([...routeTables.map((r) => r.gateway), ...(this.inventory.tagValues.get(GatewayNaming.GATEWAY_TAG) ?? [])])].sort();
    this.tenants = [...new Set([
      ...routeTables.flatMap((r) => r.tenants.map((t) => t.id)),
      ...(this.inventory.tagValues.get(GatewayNaming.TENANT_TAG) ?? []),
    ])].sort();
    this.tenantSet = new Set(this.tenants);
    this.accounts = [...new Set(this.inventory.roles.map((r) => r.account))].sort();
    this.models = modelsOf(this.inventory, routeTables);
    this.cells = this.cellsOf();
    this.targets = this.targetsOf();
    this.brokers = this.brokersOf();
    this.vaultServerArns = this.vaultServersOf();
    this.workloads = this.workloadsOf(routeTables);
  }

  /** The actor for an ARN: a role of the output with its policies and tags, or a principal whose policies are unknown. */
  public actorOf(arn: string, label?: string): Actor {
    const role = this.inventory.roles.find((r) => r.arn === arn);
    if (role) return { arn, label: label ?? role.name, policies: role.policies.map((p) => p.document), boundary: role.boundary, tags: role.tags };
    return { arn, label: label ?? arn.split('/').pop() ?? arn };
  }

  /**
   * A workload's role as an actor. Its tags are not in the output; the gateway admits callers by
   * their tenant tag, so the role is read as tagged with the tenant its route table gives it.
   */
  public workloadActor(roleArn: string, tenant: string | undefined, label: string): Actor {
    const actor = this.actorOf(roleArn, label);
    if (actor.tags !== undefined || tenant === undefined) return actor;
    return { ...actor, tags: { [GatewayNaming.TENANT_TAG]: tenant }, tagsAssumed: `its role's tags are not in the output; read as tagged ${GatewayNaming.TENANT_TAG}=${tenant}, the tenant its route table gives it` };
  }

  /** The tenant a Vault path belongs to (`<gateway>/<tenant>/...`), if it names one. */
  public tenantOfPath(path: string): string | undefined {
    if (!this.pathTenants.has(path)) {
      // `<gateway>/<tenant>/...`: the tenant is the second segment, when it is a tenant of a gateway it names.
      const [gateway, tenant] = path.split('/');
      this.pathTenants.set(path, this.gateways.includes(gateway) && this.tenantSet.has(tenant) ? tenant : undefined);
    }
    return this.pathTenants.get(path);
  }

  /** The target role issued at a Vault credential path, if the output defines it. */
  public targetOfArn(arn: string): TargetFacts | undefined {
    this.targetsByArn ??= new Map(this.targets.map((t) => [t.role.arn, t]));
    return this.targetsByArn.get(arn);
  }

  /** The tenant whose route table offers a model. */
  public tenantOfModel(modelId: string): string | undefined {
    if (!this.modelTenants) {
      this.modelTenants = new Map();
      for (const tenant of this.cells.flatMap((c) => c.routes.tenants)) {
        for (const id of Object.keys(tenant.models)) if (!this.modelTenants.has(id)) this.modelTenants.set(id, tenant.id);
      }
    }
    return this.modelTenants.get(modelId);
  }

  /** The methods whose resource policies may admit an actor, and those that admit anyone (no IAM authorization). */
  public methodsFor(actor: Actor): CellMethod[] {
    this.methodIndex ??= new PrincipalIndex(this.cells.flatMap((c) => c.methods), (m) => m.policy);
    this.openMethods ??= this.cells.flatMap((c) => c.methods).filter((m) => m.method.authorizationType !== 'AWS_IAM');
    return [...new Set([...this.methodIndex.candidates(actor), ...this.openMethods])];
  }

  private cellsOf(): CellFacts[] {
    const cells: CellFacts[] = [];
    for (const fn of this.inventory.functions) {
      const tenant = fn.environment[ROUTER_ENV.TENANT];
      if (!fn.routes || !tenant) continue;
      const role = this.inventory.roles.find((r) => r.arn === fn.roleArn);
      const methods: CellMethod[] = [];
      for (const api of this.inventory.apis) {
        for (const method of api.methods.filter((m) => m.functionArn === fn.arn)) {
          for (const stage of api.stages.length > 0 ? api.stages : ['*']) {
            const prefix = `arn:${api.partition}:execute-api:${api.region}:${api.account}:${api.id}`;
            methods.push({ api, method, stage, arn: `${prefix}/${stage}/${method.httpMethod}${method.path}`, policy: api.policy ? expandExecuteApi(api.policy, prefix) : undefined });
          }
        }
      }
      const gateway = fn.routes.gateway;
      cells.push({
        id: this.gateways.length > 1 ? `cell:${gateway}/${tenant}` : `cell:${tenant}`,
        gateway,
        tenant,
        fn,
        role,
        routes: fn.routes,
        authRoleName: fn.environment[ROUTER_ENV.VAULT_AUTH_ROLE],
        authMount: fn.environment[ROUTER_ENV.VAULT_AUTH_MOUNT],
        methods,
      });
    }
    return cells;
  }

  private targetsOf(): TargetFacts[] {
    const byArn = new Map<string, TargetFacts>();
    for (const credential of this.vault.credentialRoles.filter((c) => c.engine === 'aws')) {
      for (const arn of credential.roleArns) {
        const role = this.inventory.roles.find((r) => r.arn === arn);
        if (!role) {
          this.limits.push(`Vault role ${credential.mount}/roles/${credential.name} assumes ${arn}, which the cloud assemblies do not define`);
          continue;
        }
        const existing = byArn.get(arn);
        const tenant = this.tenantOfPath(`${credential.mount}/`) ?? role.tags[GatewayNaming.TENANT_TAG];
        if (existing) (existing.credentials as VaultCredentialRole[]).push(credential);
        else byArn.set(arn, { role, tenant, credentials: [credential] });
      }
    }
    return [...byArn.values()];
  }

  private brokersOf(): RoleFacts[] {
    const engineArns = new Set(this.vault.engineRoles.map((e) => e.roleArn));
    const brokers = new Set<RoleFacts>();
    for (const target of this.targets) {
      for (const credential of target.credentials) {
        // Only a role the trust policy names (or whose account it names) can be the broker.
        const named = new Set(allowedPrincipalKeys(target.role.trust));
        const candidates = this.inventory.roles.filter((r) => named.has('*') || named.has(r.arn) || named.has(`account:${r.account}`));
        for (const role of candidates) {
          if (role === target.role) continue;
          const actor = this.actorOf(role.arn);
          if (this.access.assume(actor, target.role, vaultCallerContext(credential)).allowed) brokers.add(role);
        }
      }
    }
    for (const arn of engineArns) {
      const role = this.inventory.roles.find((r) => r.arn === arn);
      if (role) brokers.add(role);
    }
    return [...brokers];
  }

  private vaultServersOf(): string[] {
    const trusted = new Set<string>();
    const verifierArns = this.vault.verifierRoles.map((v) => v.roleArn);
    const roles = [...this.brokers, ...this.inventory.roles.filter((r) => verifierArns.includes(r.arn))];
    for (const role of roles) {
      for (const statement of role.trust.Statement as StatementJson[]) {
        if (statement.Effect !== 'Allow') continue;
        const principal = statement.Principal as { AWS?: string | string[] } | undefined;
        for (const arn of [principal?.AWS ?? []].flat()) {
          if (typeof arn === 'string' && arn.startsWith('arn:') && !arn.endsWith(':root') && !this.brokers.some((b) => b.arn === arn)) trusted.add(arn);
        }
      }
    }
    // Without a broker, the targets trust the Vault server's identity directly.
    if (this.brokers.length === 0) {
      for (const target of this.targets) {
        for (const statement of target.role.trust.Statement as StatementJson[]) {
          const principal = statement.Principal as { AWS?: string | string[] } | undefined;
          for (const arn of [principal?.AWS ?? []].flat()) if (typeof arn === 'string' && arn.startsWith('arn:') && !arn.endsWith(':root')) trusted.add(arn);
        }
      }
    }
    return [...trusted].sort();
  }

  private workloadsOf(routeTables: RouterRoutes[]): WorkloadFacts[] {
    const forbids = this.policyStores.flatMap((s) => unconditionalForbids(s, this.namespace));
    const seen = new Set<string>();
    const workloads: WorkloadFacts[] = [];
    for (const routes of routeTables) {
      for (const w of routes.workloads) {
        const key = `${routes.gateway}/${w.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const tenant = routes.tenants.find((t) => t.id === w.tenant);
        const evidence = forbids.filter((f) => (f.type === 'Workload' && f.id === w.cedarId) || (f.type === 'Tenant' && f.id === tenant?.cedarId))
          .map((f) => `the policy store forbids it everything (Cedar policy ${f.policy})`);
        const actor = this.workloadActor(w.roleArn, w.tenant, w.id);
        const admitted = this.methodsFor(actor).some((m) => m.policy && this.access.request(actor, 'execute-api:Invoke', m.arn, { resourcePolicy: m.policy }).allowed);
        if (!admitted) evidence.push('the API\'s resource policy admits it on no method');
        workloads.push({
          id: w.id,
          identityId: this.gateways.length > 1 ? `workload:${routes.gateway}/${w.id}` : `workload:${w.id}`,
          method: 'iam',
          tenant: w.tenant,
          gateway: routes.gateway,
          roleArn: w.roleArn,
          cedarId: w.cedarId,
          suspended: evidence.length > 0,
          suspendedEvidence: evidence,
        });
      }
    }
    for (const role of this.vault.authRoles.filter((r) => r.method === 'jwt')) {
      const { matcher } = matcherFor(this.vault, role.policies);
      const readable = this.vault.credentialRoles.filter((c) => mayObtain(matcher, c).allowed);
      const tenant = readable.map((c) => this.tenantOfPath(c.paths[0])).find((t) => t !== undefined);
      const routesWorkload = routeTables.flatMap((r) => r.workloads).find((w) => w.id === role.name);
      const evidence = forbids.filter((f) => f.type === 'Workload' && f.id === role.name).map((f) => `the policy store forbids it everything (Cedar policy ${f.policy})`);
      workloads.push({
        id: role.name,
        identityId: `workload:${role.name}`,
        method: 'jwt',
        tenant: tenant ?? routesWorkload?.tenant,
        gateway: this.gateways.length === 1 ? this.gateways[0] : undefined,
        cedarId: role.name,
        jwtRole: role,
        suspended: evidence.length > 0,
        suspendedEvidence: evidence,
      });
    }
    // Workloads the policy store suspends that have no Vault role any more (a suspended service account loses it).
    for (const forbid of forbids.filter((f) => f.type === 'Workload' && !workloads.some((w) => w.cedarId === f.id))) {
      workloads.push({
        id: forbid.id,
        identityId: `workload:${forbid.id}`,
        method: 'jwt',
        suspended: true,
        suspendedEvidence: [`the policy store forbids it everything (Cedar policy ${forbid.policy})`, 'no Vault role or API grant names it'],
      });
    }
    return workloads;
  }

  /** The aws auth roles that admit an IAM principal. */
  public authRolesBinding(principalArn: string): VaultAuthRole[] {
    return this.vault.authRoles.filter((r) => bindsPrincipal(r, principalArn));
  }
}

/** What Vault's AWS engine sends when it assumes a role for a credential: its external id and session tags. */
export function vaultCallerContext(credential: VaultCredentialRole): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = {};
  if (credential.externalId) context['sts:ExternalId'] = credential.externalId;
  const tags = Object.entries(credential.sessionTags);
  for (const [k, v] of tags) context[`aws:RequestTag/${k}`] = v;
  if (tags.length > 0) context['aws:TagKeys'] = tags.map(([k]) => k);
  context['sts:RoleSessionName'] = 'vault-session';
  return context;
}

/** An API resource policy with `execute-api:/...` written out as the API's own ARN, as API Gateway reads it. */
function expandExecuteApi(policy: PolicyDocumentJson, prefix: string): PolicyDocumentJson {
  const expand = (value: unknown): unknown => {
    if (typeof value === 'string') return value.startsWith('execute-api:/') ? `${prefix}/${value.slice('execute-api:/'.length)}` : value;
    return Array.isArray(value) ? value.map(expand) : value;
  };
  const statements = (policy.Statement as StatementJson[])
    .map((s) => ({ ...s, Resource: expand(s.Resource) as string[], NotResource: expand(s.NotResource) as string[] }));
  return { ...policy, Statement: statements };
}

/** Every Bedrock model and profile a policy of the output allows invoking, and those the route tables name. */
function modelsOf(inventory: AwsInventory, routeTables: RouterRoutes[]): ModelFacts[] {
  const byArn = new Map<string, ModelFacts>();
  const profileRoutes: Array<{ profile: string; destinations: string[] }> = [];
  // Foundation models granted only through a profile are reached through that profile, not on their own.
  const direct = new Set<string>();
  for (const role of inventory.roles) {
    for (const policy of role.policies) {
      for (const statement of policy.document.Statement as StatementJson[]) {
        if (statement.Effect !== 'Allow') continue;
        const actions = [statement.Action ?? []].flat().map(String);
        if (!actions.some((a) => /^bedrock:(invokemodel|\*|invoke\*)/i.test(a) || a === '*')) continue;
        const resources = [statement.Resource ?? []].flat().map(String).filter((r) => arnParts(r)?.[2] === 'bedrock');
        const through = Object.values(statement.Condition ?? {}).flatMap((keys) => Object.entries(keys ?? {}))
          .filter(([k]) => k.toLowerCase() === 'bedrock:inferenceprofilearn').flatMap(([, v]) => [v].flat().map(String));
        for (const arn of resources) {
          const match = /:(foundation-model|inference-profile)\/(.+)$/.exec(arn);
          if (!match || hasWildcard(match[2])) continue;
          if (!byArn.has(arn)) byArn.set(arn, { id: match[2], kind: match[1] as ModelFacts['kind'], arn, destinations: [] });
          if (through.length === 0) direct.add(arn);
        }
        for (const profile of through) profileRoutes.push({ profile, destinations: resources });
      }
    }
  }
  for (const { profile, destinations } of profileRoutes) {
    const facts = byArn.get(profile);
    if (facts) (facts.destinations as string[]).push(...destinations.filter((d) => !facts.destinations.includes(d)));
  }
  for (const [arn, facts] of [...byArn]) if (facts.kind === 'foundation-model' && !direct.has(arn)) byArn.delete(arn);
  // Models a route table offers that no policy grants still get a row: nobody can invoke them.
  for (const routes of routeTables) {
    for (const tenant of routes.tenants) {
      for (const id of Object.keys(tenant.models)) {
        if ([...byArn.values()].some((m) => m.id === id)) continue;
        const profile = /^(us|eu|apac|global|us-gov|ca|jp|au)\./.test(id);
        const arn = profile
          ? `arn:${routes.partition}:bedrock:${routes.region}:${inventory.roles[0]?.account ?? ''}:inference-profile/${id}`
          : `arn:${routes.partition}:bedrock:${routes.region}::foundation-model/${id}`;
        byArn.set(arn, { id, kind: profile ? 'inference-profile' : 'foundation-model', arn, destinations: [] });
      }
    }
  }
  return [...byArn.values()].sort((a, b) => a.id.localeCompare(b.id));
}
