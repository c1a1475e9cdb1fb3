import { ProblemCollector } from '../../problems/problem-collector';
import { GatewayBlueprint, TargetKind, TenantBlueprint, TenantRouterBlueprint } from '../../spec/blueprint';

/** Concurrent executions reserved for each router cell unless configured. */
export const DEFAULT_CELL_CONCURRENCY = 10;

/** A tenant that has a router cell, with its cell's names. */
export type CellTenant = TenantBlueprint & { readonly router: TenantRouterBlueprint };

/** The tenants that have a router cell (those with at least one target), in spec order. */
export function cellTenants(blueprint: GatewayBlueprint): CellTenant[] {
  return blueprint.tenants.filter((t): t is CellTenant => t.router !== undefined);
}

/** Whether a tenant's cell calls third-party providers with a key (and so needs their egress). */
export function cellHasProviderKeys(tenant: TenantBlueprint): boolean {
  return tenant.targets.some((t) => t.kind === TargetKind.PROVIDER_KEY);
}

/** Whether a tenant's cell calls Bedrock. */
export function cellHasModels(tenant: TenantBlueprint): boolean {
  return tenant.targets.some((t) => t.kind === TargetKind.BEDROCK_MODELS);
}

/** The ARN of a tenant's router function, derived from its name (never a reference). */
export function cellFunctionArn(blueprint: GatewayBlueprint, tenant: CellTenant): string {
  return blueprint.naming.lambdaFunctionArn(tenant.router.functionName);
}

/** The tenant ids with a router cell, quoted, for a fix. */
export function knownCells(blueprint: GatewayBlueprint): string {
  const cells = cellTenants(blueprint).map((t) => `"${t.id}"`);
  return cells.length > 0 ? cells.join(', ') : '(none: no tenant of the spec has a target)';
}

/**
 * Reports a tenant id that names no router cell: no tenant, or a tenant without targets (nothing
 * to route, so it has no cell). Returns the cell's tenant when there is one.
 */
export function cellTenantProblems(c: ProblemCollector, path: string, blueprint: GatewayBlueprint, tenantId: unknown): CellTenant | undefined {
  const tenant = blueprint._findTenant(tenantId);
  if (!tenant) {
    c.add(path, tenantId, `names no tenant of gateway "${blueprint.name}"`, `use one of ${knownCells(blueprint)}`);
    return undefined;
  }
  if (!tenant.router) {
    c.add(path, tenantId, `tenant "${tenant.id}" has no target (no models and no provider keys), so it has no router cell: there is nothing to route`,
      `use one of ${knownCells(blueprint)}, or give the tenant models or a provider key`);
    return undefined;
  }
  return tenant as CellTenant;
}
