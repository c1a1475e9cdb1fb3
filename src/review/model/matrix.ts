import { entitiesNamed, decideCedar } from './cedar-decisions';
import { Hop, MatrixEntry, MatrixRow, ReachItem } from './review-model';
import { CellFacts, CellMethod, ReviewWorld, WorkloadFacts } from './review-world';
import { matcherFor, mayObtain } from './vault-inventory';
import { RoutedTenant } from '../../contract/router-routes';

/** Above this many tenants, Cedar is asked about a workload's own tenant's resources only. */
const CROSS_TENANT_LIMIT = 50;

/** What a router cell reaches, and what each target role it can obtain invokes or reads. */
export interface ChainReach {
  readonly cells: Map<string, ReachItem[]>;
  readonly targets: Map<string, ReachItem[]>;
}

function find(items: ReachItem[] | undefined, target: string): ReachItem | undefined {
  return items?.find((i) => i.target === target);
}

/** The API methods a workload's calls are admitted to, with the statements that admit it. */
export function admittedMethods(world: ReviewWorld, workload: WorkloadFacts): Array<{ cell: CellFacts; method: CellMethod; hop: Hop }> {
  if (!workload.roleArn) return [];
  const actor = world.workloadActor(workload.roleArn, workload.tenant, workload.id);
  const found: Array<{ cell: CellFacts; method: CellMethod; hop: Hop }> = [];
  for (const cell of world.cells) {
    const candidates = new Set(world.methodsFor(actor));
    for (const method of cell.methods.filter((m) => candidates.has(m))) {
      // Without IAM authorization, API Gateway does not identify the caller at all.
      const open = method.method.authorizationType !== 'AWS_IAM';
      const outcome = open ? undefined : world.access.request(actor, 'execute-api:Invoke', method.arn, { resourcePolicy: method.policy });
      if (!open && !outcome!.allowed) continue;
      found.push({
        cell,
        method,
        hop: {
          kind: 'admits',
          from: workload.id,
          to: `${method.method.httpMethod} ${method.method.path}`,
          detail: open ? `the method has authorization ${method.method.authorizationType}: anyone may call it` : `execute-api:Invoke on ${method.arn}, allowed by ${outcome!.deciding.join(', ')}`,
          evidence: `${method.api.location.file}#${method.api.location.logicalId}`,
        },
      });
    }
  }
  return found;
}

/**
 * One row per workload: how it proves its identity, its tenant, the methods it is admitted to,
 * the cells that serve it, and for each model, provider key, tool and dataset the Cedar decision
 * and whether the whole chain delivers it (and where it breaks when not).
 */
export function buildMatrix(world: ReviewWorld, chain: ChainReach, provesIdentityBy: (w: WorkloadFacts) => string): MatrixRow[] {
  const rows: MatrixRow[] = [];
  const store = world.policyStores[0];
  const ns = world.namespace;
  const datasets = store ? entitiesNamed(store, ns, 'Dataset') : [];
  for (const workload of world.workloads) {
    const admitted = admittedMethods(world, workload);
    const serving = admitted.filter(({ cell }) => cell.routes.workloads.some((w) => w.id === workload.id && w.tenant === cell.tenant));
    const tenantFacts = world.cells.map((c) => c.routes.tenants.find((t) => t.id === workload.tenant)).find((t) => t);
    const tenantCedar = tenantFacts?.cedarId ?? workload.tenant ?? '';
    const entries: MatrixEntry[] = [];
    const candidateTenants: RoutedTenant[] = world.cells[0]
      ? world.cells[0].routes.tenants.filter((t) => t.id === workload.tenant || world.tenants.length <= CROSS_TENANT_LIMIT)
      : [];
    type Extra = { resourceTenant?: string; resourceProvider?: string; resourceStrings?: Record<string, string>; model?: string };
    const question = { namespace: ns, workload: workload.cedarId ?? '', workloadTenant: tenantCedar, contextTenant: tenantCedar };
    const ask = (action: string, resourceType: string, resourceId: string, extra: Extra = {}) =>
      (store && workload.cedarId ? decideCedar(store, { ...question, action, resourceType, resourceId, ...extra })
        : { allowed: false, policies: [], errors: ['no policy store in the output'] });
    const notCaller = workload.method === 'jwt' ? 'it does not call the API: it authenticates to Vault only' : undefined;

    const deliver = (kind: MatrixEntry['kind'], id: string, arns: string[], cedar: { allowed: boolean; policies: string[] }, credentialPath: string | undefined, finalTarget: string | undefined, owner: RoutedTenant): MatrixEntry => {
      const hops: Hop[] = [];
      let brokenAt: string | undefined = notCaller;
      const via = serving.find(({ cell }) => cell.tenant === owner.id) ?? serving[0];
      if (!brokenAt && admitted.length === 0) brokenAt = 'the API\'s resource policy admits it on no method';
      if (!brokenAt && !via) brokenAt = 'no router cell serves it (its tenant\'s cell does not list it)';
      if (via) {
        hops.push(via.hop, { kind: 'routes', from: `${via.method.method.httpMethod} ${via.method.method.path}`, to: via.cell.id, detail: `integrated with ${via.cell.fn.name}`, evidence: `${via.method.method.location.file}#${via.method.method.location.logicalId}` });
      }
      if (!brokenAt && via && via.cell.tenant !== owner.id) brokenAt = `its cell serves tenant ${via.cell.tenant}, whose route table does not offer ${id}`;
      hops.push({ kind: 'authorizes', from: via?.cell.id ?? workload.id, to: id, detail: cedar.allowed ? `the policy store allows it (${cedar.policies.join(', ')})` : `the policy store denies it${cedar.policies.length > 0 ? ` (${cedar.policies.join(', ')})` : ''}`, evidence: store ? `${store.location.file}#${store.location.logicalId}` : '' });
      if (!brokenAt && !cedar.allowed) brokenAt = 'the policy store denies it';
      if (kind === 'tool') return { kind, id, arns, cedar, delivered: !brokenAt, brokenAt, hops };
      if (!brokenAt && !credentialPath) brokenAt = `tenant ${owner.id}'s route table names no credential path for it`;
      const cellReach = via ? chain.cells.get(via.cell.id) : undefined;
      const credential = credentialPath ? world.vault.credentialRoles.find((c) => c.paths.includes(credentialPath)) : undefined;
      const target = credential?.roleArns.map((a) => find(cellReach, `target:${a}`)).find((i) => i);
      if (!brokenAt && !target) brokenAt = `cell ${via?.cell.tenant} cannot obtain ${credentialPath}`;
      if (target) hops.push(...target.hops);
      const targetArn = target?.target.slice('target:'.length);
      const final = targetArn && finalTarget ? find(chain.targets.get(targetArn), finalTarget) : undefined;
      if (!brokenAt && !final) brokenAt = `the target role ${targetArn?.split('/').pop()} may not ${kind === 'model' ? 'invoke' : 'read'} it`;
      if (final) hops.push(final.hops[final.hops.length - 1]);
      return { kind, id, arns, cedar, delivered: !brokenAt, brokenAt, hops };
    };

    for (const tenant of candidateTenants) {
      const own = tenant.id === workload.tenant;
      for (const [modelId, cedarId] of Object.entries(tenant.models)) {
        const cedar = ask('InvokeModel', 'Model', cedarId, { model: modelId });
        if (!own && !cedar.allowed) continue;
        const model = world.models.find((m) => m.id === modelId);
        entries.push(deliver('model', modelId, model ? [model.arn, ...model.destinations] : [], cedar, tenant.modelsCredentialsPath, `model:${modelId}`, tenant));
      }
      for (const key of tenant.providerKeys) {
        const cedar = ask('UseProviderKey', 'ProviderKey', key.cedarId, { resourceTenant: tenant.cedarId, resourceProvider: key.provider });
        if (!own && !cedar.allowed) continue;
        const secret = world.inventory.secrets.find((s) => s.name === key.secretName);
        entries.push(deliver('provider-key', key.id, [secret?.arn ?? key.secretName], cedar, key.credentialsPath, `key:${key.secretName}`, tenant));
      }
      for (const [toolId, cedarId] of Object.entries(tenant.tools)) {
        const cedar = ask('CallTool', 'Tool', cedarId);
        if (!own && !cedar.allowed) continue;
        entries.push(deliver('tool', toolId, [], cedar, undefined, undefined, tenant));
      }
    }
    // Datasets: read with database users Vault issues to the workload's own token, never through the router.
    const token = workload.jwtRole ? matcherFor(world.vault, workload.jwtRole.policies).matcher : undefined;
    for (const credential of world.vault.credentialRoles.filter((c) => c.engine === 'database')) {
      const tenant = world.tenantOfPath(credential.paths[0]);
      const obtained = token ? mayObtain(token, credential) : undefined;
      if (tenant !== workload.tenant && !obtained?.allowed) continue;
      const dataset = datasets.find((d) => d.id.endsWith(`/${credential.name}`) && (!d.tenant || d.tenant === tenantCedar)) ?? datasets.find((d) => d.id.endsWith(`/${credential.name}`));
      // The schema gives a dataset its access level; the statements that create its users say which.
      const access = credential.creationStatements.some((st) => /\b(INSERT|UPDATE|DELETE)\b/i.test(st) && /^\s*GRANT/i.test(st)) ? 'read-write' : 'read-only';
      const cedar = dataset ? ask('ReadDataset', 'Dataset', dataset.id, { resourceTenant: dataset.tenant, resourceStrings: { access } }) : { allowed: false, policies: [], errors: [] };
      const hops: Hop[] = [];
      if (workload.jwtRole) {
        hops.push({ kind: 'logs-in', from: workload.id, to: `Vault role ${workload.jwtRole.name}`, detail: `auth/${workload.jwtRole.mount} binds subject ${workload.jwtRole.boundSubject} and audience ${workload.jwtRole.boundAudiences.join(', ')}`, evidence: `${workload.jwtRole.location.file}#${workload.jwtRole.location.address}`, ttlSeconds: workload.jwtRole.ttl.maxSeconds });
      }
      if (obtained?.allowed) {
        hops.push({ kind: 'policy-reads', from: `Vault role ${workload.jwtRole!.name}`, to: obtained.path, detail: `policy ${obtained.policies.join(', ')} grants it at ${obtained.pattern}`, evidence: `${credential.location.file}#${credential.location.address}`, ttlSeconds: credential.ttl.maxSeconds ?? credential.mountTtl.maxSeconds });
      }
      entries.push({
        kind: 'dataset',
        id: dataset?.id ?? credential.name,
        arns: [credential.paths[0]],
        cedar: { allowed: cedar.allowed, policies: cedar.policies },
        delivered: !!obtained?.allowed,
        brokenAt: obtained?.allowed ? undefined : workload.jwtRole ? 'its Vault policy does not read the database path' : 'the router serves no datasets: only workloads with a Vault role read database users',
        hops,
      });
    }
    rows.push({
      workload: workload.id,
      identity: workload.identityId,
      provesIdentityBy: provesIdentityBy(workload),
      tenant: workload.tenant ?? '(unknown)',
      suspended: workload.suspended,
      admittedTo: admitted.map(({ method }) => `${method.method.httpMethod} ${method.method.path}`),
      servedBy: serving.map(({ cell }) => cell.id),
      entries,
    });
  }
  return rows;
}
