import type { Construct } from 'constructs';

/** Where each tenant's part of a building block is created: its cell's scope. */
export type TenantPlacement = (tenantId: string) => Construct;

const PLACEMENTS = new WeakMap<object, TenantPlacement>();

/**
 * Gives a building block's props the scope each tenant's resources go in (the plane's cell
 * stacks), and returns them. A building block made on its own keeps every tenant's resources in
 * its own scope.
 */
export function withTenantPlacement<T extends object>(props: T, placement: TenantPlacement): T {
  PLACEMENTS.set(props, placement);
  return props;
}

/** The placement given with these props, if any. */
export function tenantPlacementOf(props: object): TenantPlacement | undefined {
  return PLACEMENTS.get(props);
}
