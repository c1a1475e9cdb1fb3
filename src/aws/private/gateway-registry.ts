import { Construct, IConstruct } from 'constructs';

/** Per app: which construct holds each gateway's plane, or its gateway. */
const claims = new WeakMap<IConstruct, Map<string, string>>();

/**
 * The path of the construct that already holds `what` (`plane` or `gateway`) of the gateway named
 * `gatewayName` in this app, if any. Two would share every physical name and collide at deploy.
 */
export function existingClaim(scope: Construct, what: string, gatewayName: string): string | undefined {
  return claims.get(scope.node.root)?.get(`${what}:${gatewayName}`);
}

/** Records that `scope` holds `what` of the gateway named `gatewayName`. */
export function claim(scope: Construct, what: string, gatewayName: string): void {
  const root = scope.node.root;
  const byName = claims.get(root) ?? new Map<string, string>();
  claims.set(root, byName);
  byName.set(`${what}:${gatewayName}`, scope.node.path);
}
