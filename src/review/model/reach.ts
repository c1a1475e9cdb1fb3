import { Actor, AwsAccess } from './aws-access';
import { RoleFacts } from './aws-inventory';
import { PrincipalIndex } from './principal-index';
import { Hop, ReachItem } from './review-model';
import { CellFacts, ModelFacts, ReviewWorld, vaultCallerContext } from './review-world';
import { matcherFor, mayObtain, VaultAuthRole, VaultCredentialRole } from './vault-inventory';
import { StatementJson } from '../../nhi/private/cfn-template';
import { arnMatches, globMatches } from '../iam/arn-pattern';

/** Where a search for what an identity reaches starts. */
export type StartPoint =
  | { readonly kind: 'aws'; readonly actor: Actor }
  | { readonly kind: 'vault-token'; readonly role: VaultAuthRole; readonly label: string }
  /** Vault itself: whoever runs it can have every secrets engine issue anything. */
  | { readonly kind: 'vault-server' };

type Node = { readonly kind: 'aws'; readonly actor: Actor } | { readonly kind: 'vault-token'; readonly role: VaultAuthRole } | { readonly kind: 'vault-server' };

interface State {
  readonly node: Node;
  readonly hops: Hop[];
  readonly ttl?: number;
  readonly assumptions: string[];
}

/** The resource patterns an actor's own Allow statements name for a service's actions (`*` for NotAction or NotResource). */
function grantedPatterns(actor: Actor, service: string): string[] {
  if (!actor.policies) return [];
  const patterns: string[] = [];
  for (const policy of actor.policies) {
    for (const s of policy.Statement as StatementJson[]) {
      if (s.Effect !== 'Allow') continue;
      const actions = [s.Action ?? []].flat().map((a) => String(a).toLowerCase());
      const covers = s.NotAction !== undefined || actions.some((a) => a === '*' || a.startsWith(`${service}:`) || globMatches(a.split(':')[0], service));
      if (!covers) continue;
      if (s.NotResource !== undefined) patterns.push('*');
      else patterns.push(...[s.Resource ?? []].flat().map(String));
    }
  }
  return patterns;
}

/** True when an actor's own policies could grant an action of the service on the resource. */
function policiesMayGrant(actor: Actor, service: string, resource?: string): boolean {
  const patterns = grantedPatterns(actor, service);
  if (resource === undefined) return patterns.length > 0;
  // A policy variable in a pattern may stand for anything.
  return patterns.some((p) => p.includes('${') || arnMatches(p, resource));
}

function minimum(...values: Array<number | undefined>): number | undefined {
  const known = values.filter((v): v is number => typeof v === 'number' && v > 0);
  return known.length > 0 ? Math.min(...known) : undefined;
}

function location(file: string, id: string): string {
  return `${file}#${id}`;
}

/**
 * What an identity reaches, by a breadth-first search over the identity chain: roles it can
 * assume, Vault roles it can log in as, credential paths their policies read, what Vault's engines
 * then issue (target role sessions through the broker, database users), and what each role it
 * holds can do to provider keys and models. Each item carries the shortest chain of hops.
 */
export class ReachSearch {
  private readonly access: AwsAccess;
  private readonly trusts: PrincipalIndex<RoleFacts>;
  private readonly secretGrants: PrincipalIndex<ReviewWorld['inventory']['secrets'][number]>;
  private readonly functionGrants: PrincipalIndex<CellFacts>;

  constructor(private readonly world: ReviewWorld, withGuardrails: boolean) {
    this.access = withGuardrails ? world.accessWithGuardrails : world.access;
    this.trusts = new PrincipalIndex(world.inventory.roles, (r) => r.trust);
    this.secretGrants = new PrincipalIndex(world.inventory.secrets, (s) => s.policy);
    this.functionGrants = new PrincipalIndex(world.cells, (c) => c.fn.permissionPolicy);
  }

  /** Everything reachable from the start points (an identity may be several: an AWS identity and a Vault role). */
  public reach(starts: StartPoint[]): ReachItem[] {
    const items = new Map<string, ReachItem>();
    const visited = new Set<string>();
    const queue: State[] = starts.map((s) => ({ node: s, hops: [], assumptions: [] }));
    const add = (item: ReachItem) => {
      if (!items.has(`${item.kind}:${item.target}`)) items.set(`${item.kind}:${item.target}`, item);
    };
    while (queue.length > 0) {
      const state = queue.shift()!;
      const key = this.keyOf(state.node);
      if (visited.has(key)) continue;
      visited.add(key);
      if (state.node.kind === 'aws') this.expandAws(state, state.node.actor, queue, add);
      else if (state.node.kind === 'vault-token') this.expandToken(state, state.node.role, queue, add);
      else for (const credential of this.world.vault.credentialRoles) this.issue(state, credential, 'Vault', queue, add);
    }
    return [...items.values()];
  }

  private keyOf(node: Node): string {
    return node.kind === 'aws' ? `aws:${node.actor.arn}` : node.kind === 'vault-token' ? `token:${node.role.id}` : 'vault';
  }

  private expandAws(state: State, actor: Actor, queue: State[], add: (item: ReachItem) => void): void {
    const world = this.world;
    // A trust policy must name the principal or its account: only those roles can be assumed.
    for (const role of this.trusts.candidates(actor)) {
      if (role.arn === actor.arn) continue;
      const outcome = this.access.assume(actor, role);
      if (!outcome.allowed) continue;
      const hop: Hop = {
        kind: 'assumes',
        from: actor.label,
        to: role.name,
        detail: `sts:AssumeRole, allowed by ${outcome.deciding.join(', ')}`,
        evidence: location(role.location.file, role.location.logicalId),
        ttlSeconds: role.maxSessionSeconds,
      };
      this.holdRole(state, role, [hop], outcome.assumptions, queue, add);
    }
    for (const authRole of world.authRolesBinding(actor.arn)) {
      const hop: Hop = {
        kind: 'logs-in',
        from: actor.label,
        to: `Vault role ${authRole.name}`,
        detail: `auth/${authRole.mount} role ${authRole.name} binds ${authRole.boundPrincipalArns.join(', ')}${authRole.resolvesUniqueIds ? ' (and its unique id)' : ''}; token policies ${authRole.policies.join(', ') || '(none)'}`,
        evidence: location(authRole.location.file, authRole.location.address),
        ttlSeconds: authRole.ttl.maxSeconds,
      };
      const hops = [...state.hops, hop];
      add({ kind: 'credential', target: `vault:${authRole.id}`, description: `a Vault token of ${authRole.id}`, hops, ttlSeconds: authRole.ttl.maxSeconds, assumptions: state.assumptions });
      queue.push({ node: { kind: 'vault-token', role: authRole }, hops, ttl: authRole.ttl.maxSeconds, assumptions: state.assumptions });
    }
    const ownSecrets = grantedPatterns(actor, 'secretsmanager').length > 0 ? world.inventory.secrets.filter((s) => policiesMayGrant(actor, 'secretsmanager', s.arn)) : [];
    for (const secret of new Set([...ownSecrets, ...this.secretGrants.candidates(actor)])) {
      const outcome = this.access.readSecret(actor, secret);
      if (!outcome.allowed) continue;
      const hop: Hop = {
        kind: 'reads-secret',
        from: actor.label,
        to: secret.name,
        detail: `secretsmanager:GetSecretValue and kms:Decrypt, allowed by ${outcome.deciding.join(', ')}`,
        evidence: location(secret.location.file, secret.location.logicalId),
      };
      add({
        kind: 'credential',
        target: `key:${secret.name}`,
        description: `the value of secret ${secret.name}`,
        tenant: this.tenantOfSecret(secret.name),
        hops: [...state.hops, hop],
        ttlSeconds: secret.rotationDays !== undefined ? secret.rotationDays * 86400 : undefined,
        assumptions: [...state.assumptions, ...outcome.assumptions],
      });
    }
    // Models are judged for the gateway's own roles: any principal with Bedrock rights of its own can
    // invoke a model in its own account, which is not a credential of the gateway.
    if (policiesMayGrant(actor, 'bedrock') && world.inventory.roles.some((r) => r.arn === actor.arn)) {
      for (const model of world.models.filter((m) => policiesMayGrant(actor, 'bedrock', m.arn))) {
        const outcome = this.invokes(actor, model);
        if (!outcome) continue;
        const hop: Hop = { kind: 'invokes', from: actor.label, to: model.id, detail: `bedrock:InvokeModel on ${[model.arn, ...model.destinations].join(', ')}, allowed by ${outcome.join(', ')}`, evidence: model.arn };
        add({ kind: 'resource', target: `model:${model.id}`, description: `invokes ${model.kind} ${model.id}`, hops: [...state.hops, hop], ttlSeconds: state.ttl, assumptions: state.assumptions });
      }
    }
    const ownCells = policiesMayGrant(actor, 'lambda') ? world.cells.filter((c) => policiesMayGrant(actor, 'lambda', c.fn.arn)) : [];
    for (const cell of new Set([...ownCells, ...this.functionGrants.candidates(actor)])) {
      const outcome = this.access.invokeFunction(actor, cell.fn);
      if (!outcome.allowed) continue;
      const hop: Hop = {
        kind: 'invokes',
        from: actor.label,
        to: cell.fn.name,
        detail: `lambda:InvokeFunction, allowed by ${outcome.deciding.join(', ')}: an event it writes is served as a workload of tenant ${cell.tenant}`,
        evidence: location(cell.fn.location.file, cell.fn.location.logicalId),
      };
      add({ kind: 'serves', target: cell.id, description: `is served by router cell ${cell.tenant} as one of its tenant's workloads (a forged event)`, tenant: cell.tenant, hops: [...state.hops, hop], assumptions: [...state.assumptions, ...outcome.assumptions] });
    }
  }

  /** A role session held: recorded, and searched from. */
  private holdRole(state: State, role: RoleFacts, steps: Hop[], assumptions: string[], queue: State[], add: (item: ReachItem) => void): void {
    const target = this.world.targetOfArn(role.arn);
    const hops = [...state.hops, ...steps];
    const ttl = steps[steps.length - 1].ttlSeconds ?? role.maxSessionSeconds;
    add({
      kind: 'credential',
      target: target ? `target:${role.arn}` : `role:${role.arn}`,
      description: `sessions of ${target ? 'target role' : 'role'} ${role.name}`,
      tenant: target?.tenant,
      hops,
      ttlSeconds: ttl,
      assumptions: [...state.assumptions, ...assumptions],
    });
    queue.push({ node: { kind: 'aws', actor: this.world.actorOf(role.arn) }, hops, ttl, assumptions: [...state.assumptions, ...assumptions] });
  }

  private expandToken(state: State, role: VaultAuthRole, queue: State[], add: (item: ReachItem) => void): void {
    const { matcher, missing } = matcherFor(this.world.vault, role.policies);
    const assumptions = missing.length > 0 ? [...state.assumptions, `policies ${missing.join(', ')} are not in the output; read as granting nothing`] : state.assumptions;
    if (matcher.isRoot) {
      this.issueAll({ ...state, assumptions }, `Vault role ${role.name} (root policy)`, queue, add);
      return;
    }
    for (const credential of this.world.vault.credentialRoles) {
      const decision = mayObtain(matcher, credential);
      if (!decision.allowed) continue;
      const hop: Hop = {
        kind: 'policy-reads',
        from: `Vault role ${role.name}`,
        to: decision.path,
        detail: `policy ${decision.policies.join(', ')} grants it at ${decision.pattern}`,
        evidence: location(this.policyFile(decision.policies[0]) ?? role.location.file, `vault_policy ${decision.policies.join(', ')}`),
      };
      this.issue({ ...state, hops: [...state.hops, hop], assumptions }, credential, `Vault role ${role.name}`, queue, add);
    }
  }

  private issueAll(state: State, from: string, queue: State[], add: (item: ReachItem) => void): void {
    for (const credential of this.world.vault.credentialRoles) this.issue(state, credential, from, queue, add);
  }

  private policyFile(name: string | undefined): string | undefined {
    return this.world.vault.policies.find((p) => p.name === name)?.location.file;
  }

  /** What a secrets engine issues for one credential role: a database user, or a target role's session through the broker. */
  private issue(state: State, credential: VaultCredentialRole, from: string, queue: State[], add: (item: ReachItem) => void): void {
    const path = credential.paths[0];
    const evidence = location(credential.location.file, credential.location.address);
    const ttl = minimum(credential.ttl.maxSeconds ?? credential.mountTtl.maxSeconds ?? 0, credential.mountTtl.maxSeconds);
    if (credential.engine === 'database') {
      const hop: Hop = {
        kind: 'issues',
        from,
        to: path,
        detail: `the database engine at ${credential.mount} creates a user on ${credential.databaseUrl ?? credential.connection ?? 'its connection'}`,
        evidence,
        ttlSeconds: ttl,
      };
      add({ kind: 'credential', target: `database:${path}`, description: `a database user from ${path}`, tenant: this.world.tenantOfPath(path), hops: [...state.hops, hop], ttlSeconds: ttl, assumptions: state.assumptions });
      return;
    }
    for (const arn of credential.roleArns) {
      const target = this.world.targetOfArn(arn);
      if (!target) continue;
      const context = vaultCallerContext(credential);
      const broker = this.world.brokers.find((b) => this.access.assume(this.world.actorOf(b.arn), target.role, context).allowed);
      if (!broker) continue;
      const stsTtl = minimum(credential.ttl.maxSeconds ?? 3600, credential.mountTtl.maxSeconds, target.role.maxSessionSeconds);
      const issueHop: Hop = {
        kind: 'issues',
        from,
        to: path,
        detail: `the AWS engine at ${credential.mount} (${credential.credentialType ?? 'assumed_role'}) assumes ${arn}${credential.externalId ? ` with external id ${credential.externalId}` : ''}${Object.keys(credential.sessionTags).length > 0 ? ` and session tags ${Object.entries(credential.sessionTags).map(([k, v]) => `${k}=${v}`).join(', ')}` : ''}`,
        evidence,
        ttlSeconds: stsTtl,
      };
      const assumeHop: Hop = {
        kind: 'assumes',
        from: broker.name,
        to: target.role.name,
        detail: `the broker's sts:AssumeRole, allowed by ${target.role.name}'s trust policy`,
        evidence: location(target.role.location.file, target.role.location.logicalId),
        ttlSeconds: stsTtl,
      };
      this.holdRole(state, target.role, [issueHop, assumeHop], [], queue, add);
    }
  }

  /** Whether an actor may invoke a model: a profile needs one of its foundation models too. */
  private invokes(actor: Actor, model: ModelFacts): string[] | undefined {
    const own = this.access.invokeModel(actor, model.arn);
    if (!own.allowed) return undefined;
    if (model.kind !== 'inference-profile') return own.deciding;
    const through = model.destinations.map((d) => this.access.invokeModel(actor, d, model.arn)).find((o) => o.allowed);
    return through ? [...own.deciding, ...through.deciding] : undefined;
  }

  private tenantOfSecret(name: string): string | undefined {
    for (const cell of this.world.cells) {
      for (const tenant of cell.routes.tenants) if (tenant.providerKeys.some((k) => k.secretName === name)) return tenant.id;
    }
    return undefined;
  }

  /** The cell serving a tenant. */
  public cellOf(tenant: string): CellFacts | undefined {
    return this.world.cells.find((c) => c.tenant === tenant);
  }
}
