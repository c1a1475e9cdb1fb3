import { GraphEdge, GraphNode, MatrixRow, ReachItem } from './review-model';
import { ReviewWorld } from './review-world';
import { matcherFor, mayObtain } from './vault-inventory';

/** Above this many tenants the graph draws the first ones only, and says so. */
export const GRAPH_TENANT_LIMIT = 12;

/**
 * The identity chain as a layered graph: workloads, the API methods that admit them, the router
 * cells, the Vault roles they log in as, the credential paths those roles read, the broker and the
 * Vault server, the target roles, and the models, keys and databases at the end.
 */
export function identityGraph(
  world: ReviewWorld, matrix: MatrixRow[], reachOf: Map<string, ReachItem[]>,
): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const tenants = new Set(world.tenants.slice(0, GRAPH_TENANT_LIMIT));
  const shown = (tenant: string | undefined) => tenant === undefined || tenants.has(tenant);
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const node = (n: GraphNode) => {
    if (!nodes.has(n.id)) nodes.set(n.id, n);
    return n.id;
  };
  const edge = (from: string, to: string, label: string) => {
    if (nodes.has(from) && nodes.has(to)) edges.set(`${from}>${to}`, { from, to, label });
  };

  for (const row of matrix.filter((r) => shown(r.tenant))) {
    node({ id: row.identity, label: row.workload, layer: 0, kind: row.suspended ? 'suspended-workload' : 'workload', tenant: row.tenant });
  }
  for (const cell of world.cells.filter((c) => shown(c.tenant))) {
    node({ id: cell.id, label: `cell ${cell.tenant}`, layer: 2, kind: 'router-cell', tenant: cell.tenant });
    for (const m of cell.methods) {
      const id = `method:${m.method.httpMethod} ${m.method.path}`;
      node({ id, label: `${m.method.httpMethod} ${m.method.path}`, layer: 1, kind: 'api-method', tenant: cell.tenant });
      edge(id, cell.id, 'invokes');
    }
  }
  for (const row of matrix.filter((r) => shown(r.tenant))) {
    for (const method of row.admittedTo) edge(row.identity, `method:${method}`, 'admitted');
  }
  for (const role of world.vault.authRoles) {
    const tenant = world.cells.find((c) => c.authRoleName === role.name)?.tenant ?? world.workloads.find((w) => w.jwtRole === role)?.tenant;
    if (!shown(tenant)) continue;
    const id = `vault:${role.id}`;
    node({ id, label: `Vault ${role.method} role ${role.name}`, layer: 3, kind: 'vault-role', tenant });
    const cell = world.cells.find((c) => role.boundPrincipalArns.includes(c.role?.arn ?? ''));
    if (cell) edge(cell.id, id, 'logs in');
    const workload = world.workloads.find((w) => w.jwtRole === role);
    if (workload) edge(workload.identityId, id, 'logs in (JWT)');
    const { matcher } = matcherFor(world.vault, role.policies);
    for (const credential of world.vault.credentialRoles) {
      if (!mayObtain(matcher, credential).allowed) continue;
      const path = credential.paths[0];
      node({ id: `path:${path}`, label: path, layer: 4, kind: credential.engine === 'aws' ? 'sts-path' : 'database-path', tenant: world.tenantOfPath(path) });
      edge(id, `path:${path}`, 'reads');
    }
  }
  for (const server of world.vaultServerArns) node({ id: `vault-server:${server}`, label: `Vault server ${server.split('/').pop()}`, layer: 5, kind: 'vault-server' });
  for (const broker of world.brokers) {
    node({ id: `role:${broker.arn}`, label: `broker ${broker.name}`, layer: 5, kind: 'broker' });
    for (const server of world.vaultServerArns) {
      if (reachOf.get(`vault-server:${server}`)?.some((i) => i.target === `role:${broker.arn}`)) edge(`vault-server:${server}`, `role:${broker.arn}`, 'assumes');
    }
  }
  for (const target of world.targets.filter((t) => shown(t.tenant))) {
    const id = `role:${target.role.arn}`;
    node({ id, label: target.role.name, layer: 6, kind: 'target-role', tenant: target.tenant });
    for (const credential of target.credentials) edge(`path:${credential.paths[0]}`, id, 'issues');
    for (const broker of world.brokers) {
      if (reachOf.get(`role:${broker.arn}`)?.some((i) => i.target === `target:${target.role.arn}`)) edge(`role:${broker.arn}`, id, 'assumes');
    }
    for (const item of reachOf.get(id) ?? []) {
      if (item.target.startsWith('model:')) {
        node({ id: item.target, label: item.target.slice('model:'.length), layer: 7, kind: 'model', tenant: target.tenant });
        edge(id, item.target, 'invokes');
      } else if (item.target.startsWith('key:')) {
        node({ id: item.target, label: item.target.slice('key:'.length), layer: 7, kind: 'provider-key', tenant: target.tenant });
        edge(id, item.target, 'reads');
      }
    }
  }
  for (const credential of world.vault.credentialRoles.filter((c) => c.engine === 'database')) {
    const path = `path:${credential.paths[0]}`;
    if (!nodes.has(path)) continue;
    const id = `database:${credential.paths[0]}`;
    node({ id, label: `database user (${credential.databaseUrl?.replace(/^postgresql:\/\//, '').split('?')[0] ?? credential.connection})`, layer: 7, kind: 'database-user', tenant: world.tenantOfPath(credential.paths[0]) });
    edge(path, id, 'creates');
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}
