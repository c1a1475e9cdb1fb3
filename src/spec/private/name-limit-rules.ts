import { ProblemCollector } from '../../problems/problem-collector';
import { GatewayNaming, NameKind } from '../naming';

/**
 * One physical name the gateway will create, with the spec field that contributes most to it.
 */
export interface DerivedName {
  readonly name: string;
  readonly kind: NameKind;
  /** Names must be unique within a scope: an account, a Vault server, one Vault mount. */
  readonly scope: string;
  /** The spec path an overlong or colliding name is reported at. */
  readonly path: string;
  /** The spec values the name is built from, for the fix. */
  readonly builtFrom: string;
  /** True for names several spec entries legitimately share, such as one cluster's JWT mount. */
  readonly shared?: boolean;
}

/** One spec entry names are derived from: its id and the spec path of that id. */
export interface NamedEntry {
  readonly path: string;
  readonly id: string;
}

/** A workload with a Kubernetes service account: its JWT auth mount is keyed by its cluster's issuer. */
export interface NamedWorkload extends NamedEntry {
  readonly eksIssuer: string;
}

/** The valid parts of one tenant, as far as names are derived from them. */
export interface NamedTenant extends NamedEntry {
  readonly hasBedrock: boolean;
  readonly keys: NamedEntry[];
  readonly stores: NamedEntry[];
  readonly workloads: NamedWorkload[];
}

/** The valid parts of a spec names are derived from. */
export interface NamedParts {
  /** The spec path of the gateway name. */
  readonly path: string;
  /** True when account and region are literals, so bucket names (which hold both) can be checked. */
  readonly literalEnvironment: boolean;
  readonly tenants: NamedTenant[];
}

/**
 * Checks derived names against their service limits and against each other.
 */
export function checkDerivedNames(c: ProblemCollector, names: DerivedName[]): void {
  const seen = new Map<string, DerivedName>();
  // One clash between two spec entries usually repeats in every name derived from them (role,
  // policy, secret); it is reported once.
  const reportedClashes = new Set<string>();
  for (const derived of names) {
    const limit = GatewayNaming.limit(derived.kind);
    if (derived.name.length > limit.maxLength) {
      c.add(
        derived.path,
        derived.name,
        `the ${derived.kind} "${derived.name}" would be ${derived.name.length} characters; the limit is ${limit.maxLength}`,
        `shorten ${derived.builtFrom} by at least ${derived.name.length - limit.maxLength} characters`,
      );
    } else if (!new RegExp(limit.pattern).test(derived.name)) {
      c.add(derived.path, derived.name, `the ${derived.kind} "${derived.name}" may contain ${limit.allowed} only`, `rename ${derived.builtFrom}`);
    }
    if (derived.kind === NameKind.SECRET && /-[^-/]{6}$/.test(derived.name)) {
      c.add(
        derived.path,
        derived.name,
        `the secret name "${derived.name}" ends in a hyphen and six characters, which Secrets Manager confuses with the random suffix of a secret ARN`,
        `rename ${derived.builtFrom} so the name does not end in "-" and six characters`,
      );
    }
    if (derived.shared) continue;
    const key = `${derived.kind}\u0000${derived.scope}\u0000${derived.name}`;
    const first = seen.get(key);
    const clash = `${first?.path}\u0000${derived.path}`;
    if (first && !reportedClashes.has(clash)) {
      reportedClashes.add(clash);
      c.add(
        derived.path,
        derived.name,
        `the ${derived.kind} "${derived.name}" is also derived from ${first.path}; names must be unique`,
        `rename ${derived.builtFrom} or the value at ${first.path}`,
      );
    } else if (!first) {
      seen.set(key, derived);
    }
  }
}
