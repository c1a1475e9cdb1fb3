import { Actor, ADMINISTRATOR_ACCESS, EvaluationObserver } from './aws-access';
import { RoleFacts } from './aws-inventory';
import { duration } from './duration';
import { identityGraph } from './identity-graph';
import { buildMatrix, ChainReach } from './matrix';
import { policyLinesOf } from './policy-lines';
import { probeActor } from './probes';
import { ReachSearch, StartPoint } from './reach';
import { reviewFindings } from './review-findings';
import {
  AccessReviewModel, BlastRadius, CredentialAccess, GuardrailStatus, IdentityKind, ModelAnswer, OwnerEntry, ProbeResult, ProviderKeyAnswer,
  ReachItem, ReviewCredential, ReviewIdentity, RouterAnswer, SuspendedEntry,
} from './review-model';
import { ReviewWorld, WorkloadFacts } from './review-world';
import { StatementJson } from '../../nhi/private/cfn-template';
import { GatewayNaming } from '../../spec/naming';
import { VaultCapability } from '../../vault-acl/vault-capability';
import { ReviewInputs } from '../inputs/review-inputs';

const UNKNOWN_POLICIES = 'its own IAM policies are not in the output: the changes it can make are judged as if they allowed everything';

interface IdentityPlan {
  readonly identity: ReviewIdentity;
  readonly starts: StartPoint[];
  /** The actor probes are judged for, when its changes matter (administrators, deployment roles, owners). */
  readonly probeActor?: Actor;
  readonly assumptions: string[];
  /** What judging its changes assumed (shown with its blast radius only). */
  readonly probeNote?: string;
}

function statementLines(role: RoleFacts): string[] {
  return role.policies.flatMap((p) => (p.document.Statement as StatementJson[]).map((s) => {
    const actions = [s.Action ?? s.NotAction ?? []].flat().join(', ');
    const resources = [s.Resource ?? s.NotResource ?? []].flat().join(', ');
    const conditions = s.Condition ? ` when ${Object.entries(s.Condition).map(([op, keys]) => `${op} ${Object.keys(keys ?? {}).join(', ')}`).join('; ')}` : '';
    return `${s.Effect}${s.NotAction ? ' all but' : ''} ${actions} on ${s.NotResource ? 'all but ' : ''}${resources}${conditions}${s.Sid ? ` (${s.Sid})` : ''}`;
  }));
}

function proves(world: ReviewWorld, w: WorkloadFacts): string {
  if (w.method === 'iam') return `IAM role ${w.roleArn}: signs its API calls with SigV4`;
  if (w.jwtRole) {
    return `EKS service account ${w.jwtRole.boundSubject ?? '(any subject)'}: a JWT from ${w.jwtRole.issuer ?? 'its OIDC issuer'} for audience ${w.jwtRole.boundAudiences.join(', ') || '(any)'}, at Vault auth/${w.jwtRole.mount} role ${w.jwtRole.name}`;
  }
  return world.vault.authRoles.length > 0 ? 'no Vault role or API grant names it any more' : 'not in the output';
}

/**
 * Builds the access review of a synthesized gateway: identities, credentials and who obtains
 * each, the workload matrix, the blast radius of every identity, the three answers, owners,
 * suspensions, acknowledged and open findings, and the identity-chain graph. `observer` sees
 * every IAM question the review asks.
 */
export function buildAccessModel(inputs: ReviewInputs, observer?: EvaluationObserver): AccessReviewModel {
  const world = new ReviewWorld(inputs, observer);
  const search = new ReachSearch(world, false);
  const guarded = new ReachSearch(world, true);
  const guardrailsGiven = world.guardrails.length > 0;
  const plans = identityPlans(world);

  const reachOf = new Map<string, ReachItem[]>();
  const guardedReachOf = new Map<string, ReachItem[]>();
  for (const plan of plans) {
    reachOf.set(plan.identity.id, search.reach(plan.starts));
    if (guardrailsGiven) guardedReachOf.set(plan.identity.id, guarded.reach(plan.starts));
  }
  const chain: ChainReach = {
    cells: new Map(world.cells.map((c) => [c.id, reachOf.get(c.id) ?? []])),
    targets: new Map(world.targets.map((t) => [t.role.arn, reachOf.get(`role:${t.role.arn}`) ?? search.reach([{ kind: 'aws', actor: world.actorOf(t.role.arn) }])])),
  };
  const matrix = buildMatrix(world, chain, (w) => proves(world, w));

  // Who reaches each target, and what each identity reaches with the guardrails, indexed once.
  const holders = new Map<string, Array<{ plan: IdentityPlan; item: ReachItem }>>();
  for (const plan of plans) {
    for (const item of reachOf.get(plan.identity.id) ?? []) {
      const list = holders.get(item.target) ?? [];
      list.push({ plan, item });
      holders.set(item.target, list);
    }
  }
  const guardedTargets = new Map(plans.map((p) => [p.identity.id, new Set((guardedReachOf.get(p.identity.id) ?? []).map((i) => i.target))]));
  const statusOf = (identity: string, target: string): GuardrailStatus => {
    if (!guardrailsGiven) return 'not given';
    return guardedTargets.get(identity)?.has(target) ? 'not covered' : 'denied by guardrails';
  };
  const accessesTo = (target: string): CredentialAccess[] => (holders.get(target) ?? []).filter(({ plan }) => plan.identity.kind !== 'vault-role').flatMap(({ plan, item }) => {
    if (target === `target:${plan.identity.arn}`) return [];
    return [{
      identity: plan.identity.id,
      label: plan.identity.label,
      hops: item.hops,
      ttlSeconds: item.ttlSeconds,
      guardrails: statusOf(plan.identity.id, target),
      assumptions: [...new Set([...plan.assumptions, ...item.assumptions])],
    }];
  });
  const usesOf = (kind: 'model' | 'provider-key', id: string): CredentialAccess[] => matrix.flatMap((row) => row.entries
    .filter((e) => e.kind === kind && e.id === id && e.delivered)
    .map((e) => ({ identity: row.identity, label: row.workload, hops: e.hops, guardrails: guardrailsGiven ? 'not covered' as const : 'not given' as const, assumptions: [] })));

  const credentials: ReviewCredential[] = [];
  for (const target of world.targets) {
    const role = target.role;
    const c = target.credentials[0];
    const max = Math.min(c.ttl.maxSeconds ?? c.mountTtl.maxSeconds ?? 3600, c.mountTtl.maxSeconds ?? Infinity, role.maxSessionSeconds);
    credentials.push({
      id: `target:${role.arn}`,
      kind: 'target-role',
      label: role.name,
      tenant: target.tenant,
      arn: role.arn,
      vaultPath: target.credentials.map((x) => x.paths[0]).join(', '),
      grants: statementLines(role),
      ttl: {
        defaultSeconds: c.ttl.defaultSeconds ?? c.mountTtl.defaultSeconds,
        maxSeconds: max,
        explanation: `Vault role ${c.mount}/roles/${c.name}: default_sts_ttl ${duration(c.ttl.defaultSeconds)}, max_sts_ttl ${duration(c.ttl.maxSeconds)}; mount max lease ${duration(c.mountTtl.maxSeconds)}; MaxSessionDuration ${duration(role.maxSessionSeconds)}`,
      },
      obtainedBy: accessesTo(`target:${role.arn}`),
      usedFor: [],
      evidence: [`${role.location.file}#${role.location.logicalId}`, ...target.credentials.map((x) => `${x.location.file}#${x.location.address}`)],
    });
  }
  for (const secret of world.inventory.secrets) {
    const routed = world.cells.flatMap((cell) => cell.routes.tenants.flatMap((t) => t.providerKeys.map((k) => ({ t, k }))));
    const key = routed.find(({ k }) => k.secretName === secret.name);
    credentials.push({
      id: `key:${secret.name}`,
      kind: 'provider-key',
      label: secret.name,
      tenant: key?.t.id,
      arn: secret.arn,
      grants: [key ? `the ${key.k.provider} API key "${key.k.id}" of tenant ${key.t.id}, and the endpoint it is bound to` : `the value of secret ${secret.name}`],
      ttl: {
        rotationDays: secret.rotationDays,
        explanation: secret.rotationDays !== undefined ? `rotated every ${secret.rotationDays} days${secret.rotationFunctionArn ? ` by ${secret.rotationFunctionArn}` : ''}: a value read lasts until the next rotation` : 'no rotation schedule in the output: a value read lasts until someone writes a new one',
      },
      obtainedBy: accessesTo(`key:${secret.name}`),
      usedFor: key ? usesOf('provider-key', key.k.id).filter((u) => matrix.find((r) => r.identity === u.identity)?.tenant === key.t.id) : [],
      evidence: [`${secret.location.file}#${secret.location.logicalId}`],
    });
  }
  for (const c of world.vault.credentialRoles.filter((x) => x.engine === 'database')) {
    const path = c.paths[0];
    credentials.push({
      id: `database:${path}`,
      kind: 'database-user',
      label: path,
      tenant: world.tenantOfPath(path),
      vaultPath: path,
      grants: c.creationStatements.filter((s) => /^\s*(GRANT|ALTER ROLE)/i.test(s)).map((s) => s.replace(/"\{\{name\}\}"/g, '<user>').trim()),
      ttl: {
        defaultSeconds: c.ttl.defaultSeconds ?? c.mountTtl.defaultSeconds,
        maxSeconds: c.ttl.maxSeconds ?? c.mountTtl.maxSeconds,
        explanation: `Vault role ${c.mount}/roles/${c.name}: default_ttl ${duration(c.ttl.defaultSeconds)}, max_ttl ${duration(c.ttl.maxSeconds)}; mount ${duration(c.mountTtl.defaultSeconds)} / ${duration(c.mountTtl.maxSeconds)}`,
      },
      obtainedBy: accessesTo(`database:${path}`),
      usedFor: [],
      evidence: [`${c.location.file}#${c.location.address}`],
    });
  }

  const probesOf = new Map<string, ProbeResult[]>();
  for (const plan of plans) if (plan.probeActor) probesOf.set(plan.identity.id, probeActor(world, plan.probeActor));

  const blastRadius = [
    ...plans.filter((p) => p.identity.kind !== 'vault-role').map((plan) => blastRadiusOf(world, plan, reachOf.get(plan.identity.id) ?? [], probesOf.get(plan.identity.id) ?? [], matrix)),
    ...ownerBlastRadius(world, matrix),
  ];
  const identities = plans.map((p) => p.identity);
  const admins = plans.filter((p) => p.identity.kind === 'administrator').map((p) => p.identity.id);

  const providerKeys: ProviderKeyAnswer[] = credentials.filter((c) => c.kind === 'provider-key').map((c) => {
    const administrator = admins.flatMap((id) => probesOf.get(id) ?? []).filter((p) => p.resource === c.arn);
    return {
      key: c.label,
      secretArn: c.arn!,
      tenant: c.tenant,
      readers: c.obtainedBy,
      usedFor: c.usedFor,
      administrator,
      text: keyText(c, administrator),
    };
  });
  const models: ModelAnswer[] = world.models.map((model) => {
    const workloads = matrix.flatMap((row) => row.entries.filter((e) => e.kind === 'model' && e.id === model.id && e.delivered)
      .map((e) => ({ workload: row.workload, tenant: row.tenant, policies: e.cedar.policies, hops: e.hops })));
    const blocked = matrix.flatMap((row) => row.entries.filter((e) => e.kind === 'model' && e.id === model.id && !e.delivered).map((e) => ({ workload: row.workload, brokenAt: e.brokenAt ?? '' })));
    const modelHolders = (holders.get(`model:${model.id}`) ?? []).map(({ plan }) => plan.identity.label);
    const text = `${model.id} (${[model.arn, ...model.destinations].join(', ')}): ${workloads.length === 0 ? 'no workload can invoke it' : `invoked by ${workloads.map((w) => `${w.workload} (tenant ${w.tenant}, Cedar ${w.policies.join(', ')})`).join('; ')}`}`
      + `${blocked.length > 0 ? `; not by ${blocked.map((b) => `${b.workload} (${b.brokenAt})`).join('; ')}` : ''}. Credentials that invoke it are held by: ${modelHolders.join(', ') || 'nobody'}.`;
    return { model: model.id, arns: [model.arn, ...model.destinations], workloads, blocked, credentialHolders: modelHolders, text };
  });
  const routers: RouterAnswer[] = world.cells.map((cell) => {
    const radius = blastRadius.find((b) => b.identity === cell.id)!;
    const others = radius.tenantsReached.filter((t) => t !== cell.tenant);
    return { cell: cell.id, tenant: cell.tenant, reaches: radius.reaches, otherTenantsReached: others, text: radius.summary };
  });

  const findings = reviewFindings(inputs);
  const { lines, ttls } = policyLinesOf(world);
  return {
    format: 'gateward-access-review/1',
    inputs: inputs.summaries,
    gateways: world.gateways,
    accounts: world.accounts,
    tenants: world.tenants,
    identities,
    credentials,
    matrix,
    blastRadius,
    answers: { providerKeys, models, routers },
    owners: ownersOf(world),
    suspended: suspendedOf(world),
    guardrails: { given: guardrailsGiven, documents: world.guardrails.map((g) => ({ name: g.name, type: g.type, source: g.source })) },
    acknowledgedFindings: findings.acknowledged,
    openFindings: findings.open,
    graph: identityGraph(world, matrix, reachOf),
    policyLines: lines,
    ttls,
    limits: [...new Set([...world.limits, ...plans.flatMap((p) => p.assumptions.map((a) => `${p.identity.label}: ${a}`))])],
  };
}

function keyText(c: ReviewCredential, administrator: ProbeResult[]): string {
  const readers = c.obtainedBy.map((a) => `${a.label} (${a.hops.map((h) => h.kind).join(' > ')}${a.ttlSeconds ? `, ${duration(a.ttlSeconds)}` : ''}${a.guardrails === 'denied by guardrails' ? ', denied by the guardrails' : ''})`);
  const rewrite = administrator.find((p) => p.action === 'secretsmanager:PutResourcePolicy');
  return `${c.label}${c.tenant ? ` (tenant ${c.tenant})` : ''} can be read by ${readers.join('; ') || 'nobody'}.`
    + ` Requests of ${c.usedFor.map((u) => u.label).join(', ') || 'no workload'} are served with it.`
    + (rewrite ? ` An account administrator ${rewrite.withoutGuardrails === 'allowed' ? 'can' : 'cannot'} rewrite its policy and read it without the guardrails${rewrite.withGuardrails === 'not given' ? '' : `, and ${rewrite.withGuardrails === 'allowed' ? 'still can' : 'cannot'} with them`}.` : '');
}

/** Every identity, how it proves itself, and where a search for its reach starts. */
function identityPlans(world: ReviewWorld): IdentityPlan[] {
  const plans: IdentityPlan[] = [];
  const taken = new Set<string>();
  const add = (plan: IdentityPlan) => {
    if (taken.has(plan.identity.id)) return;
    taken.add(plan.identity.id);
    plans.push(plan);
  };
  const roleEvidence = (r: RoleFacts) => [`${r.location.file}#${r.location.logicalId}`];
  const cellRoles = new Set(world.cells.map((c) => c.role?.arn));
  for (const cell of world.cells) {
    const authRole = world.vault.authRoles.find((r) => r.name === cell.authRoleName && (!cell.authMount || r.mount === cell.authMount));
    add({
      identity: {
        id: cell.id,
        kind: 'router-cell',
        label: `router cell ${cell.tenant}`,
        arn: cell.role?.arn,
        tenant: cell.tenant,
        provesIdentityBy: `Lambda function ${cell.fn.name} runs as IAM role ${cell.role?.name ?? cell.fn.roleArn}; logs in to Vault${authRole ? ` at auth/${authRole.mount} as ${authRole.name}` : ''} with a signed sts:GetCallerIdentity`,
        suspended: false,
        evidence: [`${cell.fn.location.file}#${cell.fn.location.logicalId}`, ...(cell.role ? roleEvidence(cell.role) : [])],
        permissions: cell.role ? statementLines(cell.role) : [],
        description: cell.fn.description,
      },
      starts: cell.role ? [{ kind: 'aws', actor: world.actorOf(cell.role.arn, `router cell ${cell.tenant}`) }] : [],
      assumptions: [],
    });
  }
  for (const w of world.workloads) {
    add({
      identity: {
        id: w.identityId,
        kind: 'workload',
        label: w.id,
        arn: w.roleArn,
        tenant: w.tenant,
        provesIdentityBy: proves(world, w),
        suspended: w.suspended,
        evidence: [...(w.jwtRole ? [`${w.jwtRole.location.file}#${w.jwtRole.location.address}`] : []), ...world.cells.filter((c) => c.routes.workloads.some((x) => x.id === w.id)).slice(0, 1).map((c) => c.fn.routesFile ?? c.fn.location.file)],
        permissions: [],
      },
      starts: w.roleArn ? [{ kind: 'aws', actor: world.workloadActor(w.roleArn, w.tenant, w.id) }] : w.jwtRole ? [{ kind: 'vault-token', role: w.jwtRole, label: w.id }] : [],
      assumptions: [],
    });
  }
  const verifierArns = new Set(world.vault.verifierRoles.map((v) => v.roleArn));
  for (const role of world.inventory.roles) {
    if (cellRoles.has(role.arn)) continue;
    const target = world.targetOfArn(role.arn);
    const kind: IdentityKind = target ? 'target-role' : world.brokers.includes(role) ? 'broker' : verifierArns.has(role.arn) ? 'verifier' : 'other-role';
    add({
      identity: {
        id: `role:${role.arn}`,
        kind,
        label: role.name,
        arn: role.arn,
        tenant: target?.tenant ?? role.tags[GatewayNaming.TENANT_TAG],
        provesIdentityBy: `IAM role: sessions by sts:AssumeRole, as its trust policy allows (${trustedBy(role)})`,
        suspended: false,
        evidence: roleEvidence(role),
        permissions: statementLines(role),
        description: role.description,
      },
      starts: [{ kind: 'aws', actor: world.actorOf(role.arn) }],
      probeActor: kind === 'other-role' || kind === 'broker' ? world.actorOf(role.arn) : undefined,
      assumptions: role.externalManagedPolicyArns.length > 0 ? [`managed policies ${role.externalManagedPolicyArns.join(', ')} are not in the output`] : [],
    });
  }
  for (const arn of world.vaultServerArns) {
    add({
      identity: {
        id: `vault-server:${arn}`,
        kind: 'vault-server',
        label: `Vault server (${arn.split('/').pop()})`,
        arn,
        provesIdentityBy: `the AWS identity of the Vault server, ${arn}, which the broker and the verifier trust; Vault itself issues every credential its engines hold`,
        suspended: false,
        evidence: world.brokers.map((b) => `${b.location.file}#${b.location.logicalId}`),
        permissions: [],
      },
      starts: [{ kind: 'aws', actor: world.actorOf(arn, `Vault server (${arn.split('/').pop()})`) }, { kind: 'vault-server' }],
      probeActor: world.actorOf(arn),
      assumptions: [],
      probeNote: UNKNOWN_POLICIES,
    });
  }
  if (world.vaultServerArns.length === 0 && world.vault.credentialRoles.length > 0) {
    add({
      identity: { id: 'vault-server:vault', kind: 'vault-server', label: 'Vault server', provesIdentityBy: 'Vault itself: it issues every credential its engines hold', suspended: false, evidence: world.vault.files, permissions: [] },
      starts: [{ kind: 'vault-server' }],
      assumptions: [],
    });
  }
  for (const login of world.vault.providerLogins) {
    const name = `${login.method}${login.role ? ` role ${login.role}` : ''}`;
    add({
      identity: { id: `deployment:vault:${name}`, kind: 'deployment-role', label: `Terraform's Vault login (${name})`, provesIdentityBy: `Terraform logs in to Vault with its ${name} login`, suspended: false, evidence: [login.file], permissions: [] },
      starts: [{ kind: 'vault-server' }],
      assumptions: ['it applies the Vault plane, so it can write any policy and role: everything Vault issues'],
    });
  }
  for (const arn of world.inventory.deploymentRoleArns) {
    add({
      identity: { id: `deployment:${arn}`, kind: 'deployment-role', label: arn.split('/').pop() ?? arn, arn, provesIdentityBy: 'a deployment role of the cloud assembly (CloudFormation acts as it, or it starts deployments)', suspended: false, evidence: ['manifest.json'], permissions: [] },
      starts: [{ kind: 'aws', actor: { arn, label: arn.split('/').pop() ?? arn, policies: [ADMINISTRATOR_ACCESS], tags: {} } }],
      probeActor: { arn, label: arn.split('/').pop() ?? arn, policies: [ADMINISTRATOR_ACCESS], tags: {} },
      assumptions: ['its policies are not in the output: judged with AdministratorAccess, which CDK\'s bootstrap gives the CloudFormation execution role (the deploy role passes that role)'],
    });
  }
  for (const { arn, kind, evidence } of referencedPrincipals(world)) {
    if (taken.has(`role:${arn}`) || world.workloads.some((w) => w.roleArn === arn) || world.vaultServerArns.includes(arn) || world.inventory.deploymentRoleArns.includes(arn)) continue;
    const label = arn.split('/').pop() ?? arn;
    add({
      identity: { id: `principal:${arn}`, kind, label, arn, provesIdentityBy: 'a principal the output names but does not define; its own IAM policies are not in the output', suspended: false, evidence, permissions: [] },
      starts: [{ kind: 'aws', actor: world.actorOf(arn) }],
      probeActor: kind === 'owner' ? world.actorOf(arn) : undefined,
      assumptions: [],
      probeNote: kind === 'owner' ? UNKNOWN_POLICIES : undefined,
    });
  }
  for (const account of world.accounts) {
    const partition = world.inventory.roles.find((r) => r.account === account)?.arn.split(':')[1] ?? 'aws';
    const arn = `arn:${partition}:iam::${account}:role/AccountAdministrator`;
    const actor: Actor = { arn, label: `administrator of ${account}`, policies: [ADMINISTRATOR_ACCESS], tags: {} };
    add({
      identity: { id: `administrator:${account}`, kind: 'administrator', label: `account administrator (${account})`, arn, provesIdentityBy: 'any principal of the account with AdministratorAccess', suspended: false, evidence: [], permissions: ['Allow * on * (AdministratorAccess)'] },
      starts: [{ kind: 'aws', actor }],
      probeActor: actor,
      assumptions: [],
    });
  }
  for (const role of world.vault.authRoles.filter((r) => r.method === 'aws')) {
    add({
      identity: { id: `vault:${role.id}`, kind: 'vault-role', label: `Vault role ${role.name}`, provesIdentityBy: `AWS IAM login bound to ${role.boundPrincipalArns.join(', ')}`, suspended: false, evidence: [`${role.location.file}#${role.location.address}`], permissions: role.policies.map((p) => `token policy ${p}`) },
      starts: [{ kind: 'vault-token', role, label: role.name }],
      assumptions: [],
    });
  }
  return plans;
}

function trustedBy(role: RoleFacts): string {
  const names = (role.trust.Statement as StatementJson[]).filter((s) => s.Effect === 'Allow').flatMap((s) => {
    const p = s.Principal as Record<string, unknown> | string | undefined;
    if (p === '*') return ['*'];
    return Object.entries(p ?? {}).flatMap(([k, v]) => [v].flat().map((x) => `${k === 'AWS' ? '' : `${k} `}${String(x)}`));
  });
  return names.join(', ') || 'nobody';
}

/** Principals that resource, key, trust and API policies name but no template defines, with what they are. */
function referencedPrincipals(world: ReviewWorld): Array<{ arn: string; kind: IdentityKind; evidence: string[] }> {
  const found = new Map<string, { kind: IdentityKind; evidence: Set<string> }>();
  const note = (arn: string, kind: IdentityKind, evidence: string) => {
    if (!/^arn:[^:]+:iam::\d{12}:(role|user)\//.test(arn)) return;
    if (world.inventory.roles.some((r) => r.arn === arn)) return;
    const entry = found.get(arn) ?? { kind, evidence: new Set<string>() };
    if (kind !== 'external-principal') entry.kind = kind;
    entry.evidence.add(evidence);
    found.set(arn, entry);
  };
  const principalsOf = (s: StatementJson) => [((s.Principal as { AWS?: unknown } | undefined)?.AWS ?? [])].flat().map(String);
  for (const secret of world.inventory.secrets) {
    const statements = (secret.policy?.Statement ?? []) as StatementJson[];
    for (const s of statements.filter((x) => x.Effect === 'Allow')) {
      const actions = [s.Action ?? []].flat().map((a) => String(a).toLowerCase());
      const reads = actions.some((a) => a === 'secretsmanager:getsecretvalue' || a === 'secretsmanager:*');
      const writes = actions.some((a) => a === 'secretsmanager:putsecretvalue' || a === 'secretsmanager:*');
      for (const arn of principalsOf(s)) note(arn, writes && reads ? 'rotation-function' : writes ? 'owner' : 'external-principal', `${secret.location.file}#${secret.location.logicalId}`);
    }
  }
  for (const key of world.inventory.keys) for (const s of key.policy.Statement as StatementJson[]) for (const arn of principalsOf(s)) note(arn, 'external-principal', `${key.location.file}#${key.location.logicalId}`);
  for (const role of world.inventory.roles) for (const s of role.trust.Statement as StatementJson[]) for (const arn of principalsOf(s)) note(arn, 'external-principal', `${role.location.file}#${role.location.logicalId}`);
  for (const api of world.inventory.apis) for (const s of (api.policy?.Statement ?? []) as StatementJson[]) for (const arn of principalsOf(s)) note(arn, 'external-principal', `${api.location.file}#${api.location.logicalId}`);
  for (const role of world.vault.authRoles) for (const arn of role.boundPrincipalArns) if (!arn.includes('*')) note(arn, 'external-principal', `${role.location.file}#${role.location.address}`);
  return [...found].map(([arn, v]) => ({ arn, kind: v.kind, evidence: [...v.evidence] })).sort((a, b) => a.arn.localeCompare(b.arn));
}

function ownersOf(world: ReviewWorld): OwnerEntry[] {
  const contact = (tag: string) => [...(world.inventory.tagValues.get(tag) ?? [])].sort().join(', ') || undefined;
  const lifecycle = referencedPrincipals(world).filter((p) => p.kind === 'owner');
  return [
    { role: 'policy', contact: contact(GatewayNaming.POLICY_OWNER_TAG), roleArns: [], evidence: [`tag ${GatewayNaming.POLICY_OWNER_TAG} on the gateway's resources`] },
    { role: 'operations', contact: contact(GatewayNaming.OPERATIONS_OWNER_TAG), roleArns: [], evidence: [`tag ${GatewayNaming.OPERATIONS_OWNER_TAG} on the gateway's resources`] },
    {
      role: 'credential-lifecycle',
      contact: contact(GatewayNaming.CREDENTIAL_OWNER_TAG),
      roleArns: lifecycle.map((p) => p.arn),
      evidence: [`tag ${GatewayNaming.CREDENTIAL_OWNER_TAG} on the gateway's resources`, ...lifecycle.flatMap((p) => p.evidence.map((e) => `writes provider keys: ${e}`))],
    },
  ];
}

function suspendedOf(world: ReviewWorld): SuspendedEntry[] {
  const entries: SuspendedEntry[] = world.workloads.filter((w) => w.suspended).map((w) => ({ kind: 'workload', id: w.id, evidence: w.suspendedEvidence }));
  for (const tenant of world.tenants) {
    const evidence: string[] = [];
    for (const cell of world.cells.filter((c) => c.tenant === tenant)) {
      const role = world.vault.authRoles.find((r) => r.name === cell.authRoleName);
      const deniesTenant = (rules: Array<{ path: string; capabilities: string[] }>) =>
        rules.some((r) => r.capabilities.includes(VaultCapability.DENY) && world.tenantOfPath(r.path) === tenant);
      const denied = world.vault.policies.filter((p) => role?.policies.includes(p.name) && p.document && deniesTenant(p.document.rules));
      for (const p of denied) evidence.push(`Vault policy ${p.name} denies the tenant's credential paths`);
    }
    const forbid = world.policyStores.flatMap((s) => s.policies).find((p) => new RegExp(`^\\s*forbid\\s*\\(\\s*principal\\s+in\\s+${world.namespace}::Tenant::"${tenant}"\\s*,\\s*action\\s*,\\s*resource\\s*\\)`).test(p.statement));
    if (forbid) evidence.push(`the policy store forbids its workloads everything (Cedar policy ${forbid.id})`);
    if (evidence.length > 0) entries.push({ kind: 'tenant', id: tenant, evidence });
  }
  return entries;
}

/**
 * The owners with no principal of their own in the output. The policy owner's Cedar policies can
 * give any workload whatever its cell can deliver, and no more: that is its reach. The operations
 * owner acts through the deployment roles, whose rows say what they reach.
 */
function ownerBlastRadius(world: ReviewWorld, matrix: AccessReviewModel['matrix']): BlastRadius[] {
  const owners = ownersOf(world);
  const policy = owners.find((o) => o.role === 'policy');
  const operations = owners.find((o) => o.role === 'operations');
  const reaches: ReachItem[] = matrix.flatMap((row) => row.entries
    .filter((e) => e.delivered || e.brokenAt === 'the policy store denies it')
    .map((e): ReachItem => ({
      kind: 'serves',
      target: `${row.workload}:${e.kind}:${e.id}`,
      tenant: row.tenant,
      description: `can let ${row.workload} (tenant ${row.tenant}) use ${e.kind} ${e.id}${e.delivered ? '' : ' (today denied by the policy store)'}`,
      hops: e.hops,
      assumptions: [],
    })));
  const tenantsOf = (items: ReachItem[]) => [...new Set(items.map((i) => i.tenant).filter((t): t is string => !!t))].sort();
  const crossing = matrix.flatMap((row) => row.entries.filter((e) => e.brokenAt?.startsWith('its cell serves tenant')).map((e) => `${row.workload}: ${e.id}`));
  return [
    {
      identity: 'owner:policy',
      label: `policy owner${policy?.contact ? ` (${policy.contact})` : ''}`,
      kind: 'owner',
      summary: `The policy owner's Cedar policies decide which workloads of a tenant use which of that tenant's models, keys and tools; whatever they say, a workload gets only what its own tenant's cell can obtain (${reaches.length} uses in ${tenantsOf(reaches).join(', ') || 'no tenant'}${crossing.length > 0 ? `; the chain stops ${crossing.join(', ')}` : ''}).`,
      tenantsReached: tenantsOf(reaches),
      reaches,
      probes: [],
      assumptions: ['its Cedar policies are deployed by the pipeline: its own principal is not in the output'],
    },
    {
      identity: 'owner:operations',
      label: `operations owner${operations?.contact ? ` (${operations.contact})` : ''}`,
      kind: 'owner',
      summary: 'The operations owner has no principal of its own in the output; it runs the gateway through the deployment roles, whose blast radius is listed with them.',
      tenantsReached: [],
      reaches: [],
      probes: [],
      assumptions: ['no principal in the output'],
    },
  ];
}

function blastRadiusOf(world: ReviewWorld, plan: IdentityPlan, reaches: ReachItem[], probes: ProbeResult[], matrix: AccessReviewModel['matrix']): BlastRadius {
  const identity = plan.identity;
  let items = reaches;
  // A workload never holds a credential: its reach is what the router serves it.
  if (identity.kind === 'workload') {
    const row = matrix.find((r) => r.identity === identity.id);
    items = [...items, ...(row?.entries.filter((e) => e.delivered).map((e): ReachItem => ({
      kind: 'serves', target: `${e.kind}:${e.id}`, description: `uses ${e.kind} ${e.id} through the router (${e.cedar.policies.join(', ')})`, tenant: row.tenant, hops: e.hops, assumptions: [],
    })) ?? [])];
  }
  const permissions = identity.permissions.map((p): ReachItem => ({ kind: 'permission', target: p, description: p, hops: [], assumptions: [] }));
  const tenantOf = (item: ReachItem): string | undefined => item.tenant
    ?? (item.target.startsWith('target:') ? world.targetOfArn(item.target.slice('target:'.length))?.tenant : undefined)
    ?? (item.target.startsWith('model:') ? world.tenantOfModel(item.target.slice('model:'.length)) : undefined);
  const probeTenants = probes.filter((p) => p.withoutGuardrails === 'allowed').flatMap((p) => world.cells.filter((c) => p.resource === c.fn.arn || p.resource === c.role?.arn).map((c) => c.tenant));
  const tenantsReached = [...new Set([...items.map(tenantOf).filter((t): t is string => !!t), ...probeTenants])].sort();
  const credentials = items.filter((i) => i.kind === 'credential' && !i.target.startsWith('vault:') && !i.target.startsWith('role:'));
  const resources = items.filter((i) => i.kind === 'resource' || (i.kind === 'serves' && !i.target.startsWith('cell:')));
  const forged = items.filter((i) => i.kind === 'serves' && i.target.startsWith('cell:'));
  const allowedWithout = probes.filter((p) => p.withoutGuardrails === 'allowed');
  const allowedWith = probes.filter((p) => p.withGuardrails === 'allowed');
  const parts: string[] = [];
  parts.push(tenantsReached.length === 0 ? 'reaches no tenant' : `reaches tenant${tenantsReached.length === 1 ? '' : 's'} ${tenantsReached.join(', ')}${tenantsReached.length === 1 && identity.tenant && tenantsReached[0] === identity.tenant ? ' only (its own)' : ''}`);
  const sessions = credentials.filter((c) => !c.target.startsWith('key:')).map((c) => c.ttlSeconds).filter((t): t is number => t !== undefined);
  const keys = credentials.filter((c) => c.target.startsWith('key:'));
  const lifetimes = [
    sessions.length > 0 ? `credentials for at most ${duration(Math.max(...sessions))}` : '',
    keys.length > 0 ? `provider key values until rotated${keys.some((k) => k.ttlSeconds) ? ` (every ${duration(Math.max(...keys.map((k) => k.ttlSeconds ?? 0)))})` : ''}` : '',
  ].filter(Boolean).join('; ');
  if (credentials.length > 0) parts.push(`obtains ${credentials.map((c) => c.target.replace(/^(target|key|database):/, '').split('/').pop()).join(', ')}${lifetimes ? ` (${lifetimes})` : ''}`);
  if (resources.length > 0) parts.push(`uses ${resources.map((r) => r.target.replace(/^[a-z-]+:/, '')).join(', ')}`);
  if (forged.length > 0) parts.push(`invokes router cell${forged.length === 1 ? '' : 's'} ${forged.map((f) => f.tenant).join(', ')} directly, served as their tenants' workloads`);
  if (probes.length > 0) {
    parts.push(`can make ${allowedWithout.length} of ${probes.length} changes to the gateway without the guardrails${world.guardrails.length > 0 ? ` and ${allowedWith.length} with them` : ''}`);
  }
  return {
    identity: identity.id,
    label: identity.label,
    kind: identity.kind,
    tenant: identity.tenant,
    summary: `${identity.label} ${parts.join('; ')}.`,
    tenantsReached,
    reaches: [...items, ...permissions],
    probes,
    assumptions: [...new Set([...plan.assumptions, ...(plan.probeNote ? [plan.probeNote] : []), ...items.flatMap((i) => i.assumptions)])],
  };
}

