import { TtlLimits } from '../../../spec/ttl-limits';
import { NhiSeverity, OwaspNhi } from '../../finding';
import { VAULT_FIXTURES, VaultHit, vaultRule } from '../rule';
import {
  describe, isBrowserLoginRole, isUnknown, policiesOf, referencedAddress, seconds, TerraformResource, VaultCheckContext,
  workloadAuthRoles, workloadIdentities,
} from '../support/vault';

const TOKEN_CEILING = TtlLimits.VAULT_TOKENS.ceilingSeconds;

/**
 * True when the role names `default` as its tokens' only policy, and no identity entity or group
 * that logs in through its auth method adds one: such a token opens nothing, however long it lives.
 * (A role that names no policy at all is judged: what it is for is not written down.)
 */
function opensNothing(ctx: VaultCheckContext, role: TerraformResource): boolean {
  const named = ['token_policies', 'policies'].flatMap((key) => (Array.isArray(role.props[key]) ? role.props[key] as unknown[] : []));
  if (named.length === 0 || named.some((p) => isUnknown(p) || p !== 'default')) return false;
  if (['token_policies', 'policies'].some((key) => isUnknown(role.props[key]))) return false;
  const mount = referencedAddress(role.props.backend);
  const carries = (identity: TerraformResource) => [...policiesOf(ctx, identity.props).map((q) => q.name),
    ...(Array.isArray(identity.props.policies) ? identity.props.policies.map(String) : [])].some((name) => name !== 'default');
  return !workloadIdentities(ctx).some((identity) => (mount === undefined || identity.mounts.includes(mount)) && carries(identity.resource));
}

/**
 * True for a role Nomad's tasks log in to with their workload identity (its user claim or claim
 * mappings read Nomad's `nomad_*` claims) that makes periodic tokens with a period within the
 * ceiling: Nomad renews each task's token every period while the task runs and revokes it when the
 * task stops, so an abandoned token dies within one period. This is the role Nomad documents
 * for long-running tasks; a longer period, or a periodic role of any other login, is reported.
 */
function nomadPeriodicRole(role: TerraformResource, period: unknown, ceiling = TOKEN_CEILING): boolean {
  if (role.type !== 'vault_jwt_auth_backend_role') return false;
  const length = seconds(period);
  if (length === undefined || length <= 0 || length > ceiling) return false;
  const keys = (value: unknown) => (value && typeof value === 'object' ? Object.keys(value) : []);
  const claims = [role.props.user_claim, ...keys(role.props.claim_mappings), ...keys(role.props.bound_claims)];
  return claims.some((c) => typeof c === 'string' && /^\/?nomad_/.test(c));
}

/**
 * The lifetime of a token Terraform mints (`vault_token`): its ttl, capped by its own
 * explicit_max_ttl and by the explicit maximum of the token role it is created from.
 */
function mintedTokenProblems(ctx: VaultCheckContext, token: TerraformResource): string[] {
  const p = token.props;
  const role = ctx.resources.find((r) => r.type === 'vault_token_auth_backend_role' && p.role_name !== undefined && r.props.role_name === p.role_name);
  const caps = [seconds(p.explicit_max_ttl), seconds(role?.props.token_explicit_max_ttl)].filter((c): c is number => c !== undefined && c > 0);
  const ttl = seconds(p.ttl);
  if (isUnknown(p.ttl)) return [`ttl is ${describe(p.ttl)}: it must be at most ${TOKEN_CEILING} s`];
  const lifetime = Math.min(ttl ?? Infinity, ...caps);
  const renewable = p.renewable !== false && p.renewable !== 'false';
  if (lifetime <= TOKEN_CEILING) return [];
  if (lifetime === Infinity) return [`has no ttl or explicit_max_ttl: it lives for the token store's default${renewable ? ' and is renewable' : ''}`];
  return [`lives ${lifetime} s${renewable && caps.length === 0 ? ', renewable with no explicit maximum' : ''} (at most ${TOKEN_CEILING} s)`];
}

/** The longest a token that some maximum ends may live and still count as bounded for its job: a working day. */
const WORKING_DAY = 24 * 3600;

/**
 * The lifetime every token of a role ends within, when the role writes it as a literal maximum
 * (token_max_ttl or token_explicit_max_ttl) of at most a working day and makes no periodic
 * tokens: a bound chosen for the job (a shift-long agent, a renewing service), reported as a note
 * rather than as a lifetime without bound. Undefined otherwise.
 */
function boundWithinWorkingDay(p: Record<string, unknown>): number | undefined {
  const keys = ['token_ttl', 'token_max_ttl', 'token_explicit_max_ttl', 'token_period'];
  if (keys.some((key) => isUnknown(p[key])) || (seconds(p.token_period) ?? 0) > 0) return undefined;
  const maxima = ['token_max_ttl', 'token_explicit_max_ttl'].map((key) => seconds(p[key])).filter((m): m is number => m !== undefined && m > 0);
  if (maxima.length === 0) return undefined;
  const bound = Math.min(...maxima);
  return bound <= WORKING_DAY ? bound : undefined;
}

/** The identity groups and entities whose aliases sit on an auth method, with their separate policy attachments. */
function identitiesOn(ctx: VaultCheckContext, mount: string): TerraformResource[] {
  const identities = new Set(ctx.resources.filter((r) => (r.type === 'vault_identity_group_alias' || r.type === 'vault_identity_entity_alias')
    && referencedAddress(r.props.mount_accessor) === mount).map((r) => referencedAddress(r.props.canonical_id)));
  return ctx.resources.filter((r) => identities.has(r.address)
    || (r.type.endsWith('_policies') && identities.has(referencedAddress(r.props.group_id ?? r.props.entity_id))));
}

/**
 * A browser login of people whose tokens carry more than the default policy (its own, or its
 * identity groups' through the method) and that bounds them by nothing: no token_ttl, no
 * maximum, so each lives Vault's default of 768 hours. People's sessions are not the
 * non-human identities the rule holds to the hour, so this is a note; a written bound,
 * however long a person's working session, is the team's choice and is not mentioned.
 */
function unboundedBrowserLogin(ctx: VaultCheckContext, role: TerraformResource): VaultHit[] {
  const p = role.props;
  const written = ['token_ttl', 'ttl', 'token_max_ttl', 'max_ttl', 'token_explicit_max_ttl', 'token_period', 'period']
    .some((key) => p[key] !== undefined && p[key] !== null && (isUnknown(p[key]) || (seconds(p[key]) ?? 0) > 0));
  const mount = referencedAddress(p.backend);
  // The method's own tune bounds its tokens as a role's maximum would.
  const tune = ctx.resources.find((r) => r.address === mount)?.props.tune;
  const tuned = [tune].flat().some((t) => !!t && typeof t === 'object'
    && ['default_lease_ttl', 'max_lease_ttl'].some((key) => (t as Record<string, unknown>)[key] !== undefined && (t as Record<string, unknown>)[key] !== ''));
  if (written || tuned) return [];
  const held = [...policiesOf(ctx, p), ...(mount ? identitiesOn(ctx, mount).flatMap((r) => policiesOf(ctx, r.props)) : [])]
    .filter((policy) => policy.name !== 'default');
  if (held.length === 0) return [];
  const names = [...new Set(held.map((policy) => policy.name))].join(', ');
  return [{
    address: role.address,
    severity: NhiSeverity.INFO,
    message: `a browser login whose tokens have no token_ttl and no maximum: each lives Vault's default of 768 h with the policies ${names}`,
  }];
}

export const VaultTokenTtl = vaultRule({
  id: 'NHI-VAULT-TOKEN-TTL',
  title: 'Tokens of a workload auth role, or minted by Terraform, live too long or renew forever',
  nhi: OwaspNhi.NHI7,
  nist: ['AC-12', 'IA-5(f)'],
  severity: NhiSeverity.MEDIUM,
  fix: `set token_ttl and token_max_ttl or token_explicit_max_ttl (at most ${TOKEN_CEILING}); never token_period`,
  fixtures: VAULT_FIXTURES,
  check: (ctx) => [...workloadAuthRoles(ctx).filter((r) => !opensNothing(ctx, r)).flatMap((r) => {
    // The provider's older names (`ttl`, `max_ttl`, `period`) stand for the token_* arguments when those are absent.
    const p: Record<string, unknown> = {
      ...r.props,
      token_ttl: r.props.token_ttl ?? r.props.ttl,
      token_max_ttl: r.props.token_max_ttl ?? r.props.max_ttl,
      token_period: r.props.token_period ?? r.props.period,
    };
    // Nomad's periodic task role: the period is each token's lifetime, within the ceiling.
    if (nomadPeriodicRole(r, p.token_period) && (p.token_ttl === undefined || p.token_ttl === null)) return [];
    const problems: string[] = [];
    const ttl = seconds(p.token_ttl);
    // Either maximum caps the token (0 means unset); each one that is set must be within the ceiling.
    const maxima = (['token_max_ttl', 'token_explicit_max_ttl'] as const).filter((key) => p[key] !== undefined && p[key] !== null && seconds(p[key]) !== 0);
    // A token_ttl left unset defaults to the mount's TTL, which Vault cuts to the role's maximum:
    // a maximum within the ceiling already bounds it.
    const cappedByMaximum = maxima.some((key) => !isUnknown(p[key]) && (seconds(p[key]) ?? 0) > 0 && (seconds(p[key]) ?? 0) <= TOKEN_CEILING);
    const unset = p.token_ttl === undefined || p.token_ttl === null;
    if (isUnknown(p.token_ttl)) problems.push(`token_ttl is ${describe(p.token_ttl)}: it must be at most ${TOKEN_CEILING} s`);
    else if (!(unset && cappedByMaximum) && (ttl === undefined || ttl <= 0 || ttl > TOKEN_CEILING)) problems.push(`token_ttl is ${p.token_ttl ?? 'missing'} (at most ${TOKEN_CEILING} s)`);
    // With a bounded token_ttl and no maximum, renewals stop at the mount's maximum: a lifetime
    // with no bound at all is the finding, a missing maximum beside a short TTL is not.
    const bounded = ttl !== undefined && ttl > 0 && ttl <= TOKEN_CEILING;
    if (maxima.length === 0 && !bounded && !isUnknown(p.token_ttl)) problems.push(`token_max_ttl is ${p.token_max_ttl ?? 'missing'} (at most ${TOKEN_CEILING} s)`);
    for (const key of maxima) {
      const max = seconds(p[key]);
      if (isUnknown(p[key])) problems.push(`${key} is ${describe(p[key])}: it must be at most ${TOKEN_CEILING} s`);
      else if (max === undefined || max <= 0 || max > TOKEN_CEILING) problems.push(`${key} is ${JSON.stringify(p[key])} (at most ${TOKEN_CEILING} s)`);
    }
    // A periodic token renews for ever only without an explicit maximum: token_explicit_max_ttl is a
    // hard cap on every token, periodic ones included, so a cap within the ceiling ends them.
    const explicitCap = seconds(p.token_explicit_max_ttl);
    const periodCapped = !isUnknown(p.token_explicit_max_ttl) && explicitCap !== undefined && explicitCap > 0 && explicitCap <= TOKEN_CEILING;
    if (!periodCapped && isUnknown(p.token_period)) problems.push(`token_period is ${describe(p.token_period)}: any period renews tokens forever`);
    else if (!periodCapped && (seconds(p.token_period) ?? 0) > 0) problems.push(`token_period is ${p.token_period}: tokens renew forever`);
    if (problems.length === 0) return [];
    // Nomad's periodic task role with a longer period: an abandoned token still dies within it.
    const noTtl = p.token_ttl === undefined || p.token_ttl === null;
    const nomadPeriod = nomadPeriodicRole(r, p.token_period, WORKING_DAY) && noTtl ? seconds(p.token_period) : undefined;
    const bound = nomadPeriod ?? boundWithinWorkingDay(p);
    return [bound === undefined
      ? { address: r.address, message: problems.join('; ') }
      : {
        address: r.address,
        severity: NhiSeverity.INFO,
        message: nomadPeriod !== undefined
          ? `${problems.join('; ')}: Nomad renews each task's token while the task runs, so an abandoned token dies within its period of ${bound} s, within a working day but above the ${TOKEN_CEILING} s gateward holds its own tokens to`
          : `${problems.join('; ')}: every token ends within ${bound} s, a bound within a working day, above the ${TOKEN_CEILING} s gateward holds its own tokens to`,
      }];
  }), ...ctx.resources.filter((r) => isBrowserLoginRole(r, ctx.resources)).flatMap((r) => unboundedBrowserLogin(ctx, r)),
  ...ctx.resources.filter((r) => r.type === 'vault_token').flatMap((token) => {
    const problems = mintedTokenProblems(ctx, token);
    return problems.length > 0 ? [{ address: token.address, message: `the token Terraform mints ${problems.join('; ')}` }] : [];
  })],
});
