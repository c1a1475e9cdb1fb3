import { TtlLimits } from '../../../spec/ttl-limits';
import { NhiSeverity, OwaspNhi } from '../../finding';
import { unresolvedExpression } from '../../private/unresolved';
import { VAULT_FIXTURES, vaultRule } from '../rule';
import { isUnknown, referencedAddress, seconds, TerraformResource, ttlProblems, VaultCheckContext } from '../support/vault';

const DATABASE_CEILING = TtlLimits.DATABASE_CREDENTIALS.ceilingSeconds;

/** The database secrets engine a role is written on: the mount its `backend` references, or the one at that path. */
function mountOf(ctx: VaultCheckContext, role: TerraformResource): TerraformResource | undefined {
  const mounts = ctx.resources.filter((r) => r.type === 'vault_database_secrets_mount' || (r.type === 'vault_mount' && r.props.type === 'database'));
  const address = referencedAddress(role.props.backend);
  if (address) return mounts.find((m) => m.address === address);
  const trim = (v: unknown) => String(v ?? '').replace(/^\/+|\/+$/g, '');
  if (role.props.backend === undefined || isUnknown(role.props.backend)) return undefined;
  return mounts.find((m) => trim(m.props.path) === trim(role.props.backend));
}

/** A positive number of seconds, or undefined (0 and missing mean "inherit"). */
const positive = (value: unknown) => {
  const s = seconds(value);
  return s !== undefined && s > 0 ? s : undefined;
};

/**
 * The role's TTL pair as Vault applies it: a missing role TTL inherits the mount's lease TTL
 * (`default_lease_ttl_seconds`, `max_lease_ttl_seconds`), and the mount's maximum caps the role's.
 */
function effectiveTtls(role: TerraformResource, mount: TerraformResource | undefined): { props: Record<string, unknown>; fromMount: string[] } {
  const props: Record<string, unknown> = { ...role.props };
  const fromMount: string[] = [];
  if (!mount) return { props, fromMount };
  const mountDefault = mount.props.default_lease_ttl_seconds;
  const mountMax = mount.props.max_lease_ttl_seconds;
  const inheritsDefault = positive(props.default_ttl) === undefined && !isUnknown(props.default_ttl);
  if (inheritsDefault && (positive(mountDefault) !== undefined || isUnknown(mountDefault))) {
    props.default_ttl = mountDefault;
    fromMount.push(`default_ttl inherits ${mount.address}'s default_lease_ttl_seconds`);
  }
  const cap = positive(mountMax);
  const own = positive(props.max_ttl);
  if (cap !== undefined && (own === undefined ? !isUnknown(props.max_ttl) : own > cap)) {
    props.max_ttl = cap;
    fromMount.push(own === undefined ? `max_ttl inherits ${mount.address}'s max_lease_ttl_seconds` : `max_ttl is capped by ${mount.address}'s max_lease_ttl_seconds (${cap} s)`);
  } else if (own === undefined && !isUnknown(props.max_ttl) && isUnknown(mountMax)) {
    props.max_ttl = mountMax;
    fromMount.push(`max_ttl inherits ${mount.address}'s max_lease_ttl_seconds`);
  }
  return { props, fromMount };
}

/** What is wrong with a dynamic database role's lifetime as Vault applies it, and what it took from its mount. */
function dbRoleTtlProblems(
  ctx: VaultCheckContext, role: TerraformResource,
): { problems: string[]; fromMount: string[]; mount?: TerraformResource } {
  const mount = mountOf(ctx, role);
  const { props, fromMount } = effectiveTtls(role, mount);
  // A TTL taken from an element of the caller's collection (`each.value["max_ttl"]` over a
  // variable with no elements here) is written by the caller, once per role: the module holds
  // nothing to judge, and each caller's value is judged where it is written.
  const callerWritten = (key: string) => isUnknown(props[key]) && /^\$\{\s*each\.value\b/.test(unresolvedExpression(props[key]) ?? '');
  const problems = ttlProblems(props, 'default_ttl', 'max_ttl', DATABASE_CEILING)
    .filter((problem) => !['default_ttl', 'max_ttl'].some((key) => callerWritten(key) && problem.startsWith(`${key} is `)));
  return { problems, fromMount, mount };
}

/** The mount's own lease problems, said on the role they let through. */
function mountLets(mount: TerraformResource | undefined): string {
  if (!mount) return '';
  const own = ttlProblems(mount.props, 'default_lease_ttl_seconds', 'max_lease_ttl_seconds', DATABASE_CEILING);
  return own.length > 0 ? `; its mount ${mount.address} does not bound it either (${own.join('; ')})` : '';
}

export const VaultDbRoleTtl = vaultRule({
  id: 'NHI-VAULT-DB-ROLE-TTL',
  title: 'A dynamic database role\'s lifetime is missing or too long',
  nhi: OwaspNhi.NHI7,
  nist: ['IA-5(f)'],
  severity: NhiSeverity.MEDIUM,
  fix: `set default_ttl and max_ttl (at most ${DATABASE_CEILING}) on the role, or default_lease_ttl_seconds and max_lease_ttl_seconds on its mount`,
  fixtures: VAULT_FIXTURES,
  check: (ctx) => ctx.resources.filter((r) => r.type === 'vault_database_secret_backend_role').flatMap((r) => {
    const { problems, fromMount, mount } = dbRoleTtlProblems(ctx, r);
    if (problems.length === 0) return [];
    return [{ address: r.address, message: `${problems.join('; ')}${fromMount.length > 0 ? ` (${fromMount.join('; ')})` : ''}${mountLets(mount)}` }];
  }),
});
