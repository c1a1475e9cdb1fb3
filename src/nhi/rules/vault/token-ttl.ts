import { TtlLimits } from '../../../spec/ttl-limits';
import { NhiSeverity, OwaspNhi } from '../../finding';
import { VAULT_FIXTURES, vaultRule } from '../rule';
import { describe, isUnknown, seconds, workloadAuthRoles } from '../support/vault';

const TOKEN_CEILING = TtlLimits.VAULT_TOKENS.ceilingSeconds;

export const VaultTokenTtl = vaultRule({
  id: 'NHI-VAULT-TOKEN-TTL',
  title: 'Tokens of a workload auth role live too long or renew forever',
  nhi: OwaspNhi.NHI7,
  nist: ['AC-12', 'IA-5(f)'],
  severity: NhiSeverity.MEDIUM,
  fix: `set token_ttl and token_max_ttl or token_explicit_max_ttl (at most ${TOKEN_CEILING}); never token_period`,
  fixtures: VAULT_FIXTURES,
  check: (ctx) => workloadAuthRoles(ctx).flatMap((r) => {
    const p = r.props;
    const problems: string[] = [];
    const ttl = seconds(p.token_ttl);
    if (isUnknown(p.token_ttl)) problems.push(`token_ttl is ${describe(p.token_ttl)}: it must be at most ${TOKEN_CEILING} s`);
    else if (ttl === undefined || ttl <= 0 || ttl > TOKEN_CEILING) problems.push(`token_ttl is ${p.token_ttl ?? 'missing'} (at most ${TOKEN_CEILING} s)`);
    // Either maximum caps the token (0 means unset); each one that is set must be within the ceiling.
    const maxima = (['token_max_ttl', 'token_explicit_max_ttl'] as const).filter((key) => p[key] !== undefined && p[key] !== null && seconds(p[key]) !== 0);
    // With a bounded token_ttl and no maximum, renewals stop at the mount's maximum: a lifetime
    // with no bound at all is the finding, a missing maximum beside a short TTL is not.
    const bounded = ttl !== undefined && ttl > 0 && ttl <= TOKEN_CEILING;
    if (maxima.length === 0 && !bounded && !isUnknown(p.token_ttl)) problems.push(`token_max_ttl is ${p.token_max_ttl ?? 'missing'} (at most ${TOKEN_CEILING} s)`);
    for (const key of maxima) {
      const max = seconds(p[key]);
      if (isUnknown(p[key])) problems.push(`${key} is ${describe(p[key])}: it must be at most ${TOKEN_CEILING} s`);
      else if (max === undefined || max <= 0 || max > TOKEN_CEILING) problems.push(`${key} is ${JSON.stringify(p[key])} (at most ${TOKEN_CEILING} s)`);
    }
    if (isUnknown(p.token_period)) problems.push(`token_period is ${describe(p.token_period)}: any period renews tokens forever`);
    else if ((seconds(p.token_period) ?? 0) > 0) problems.push(`token_period is ${p.token_period}: tokens renew forever`);
    return problems.length > 0 ? [{ address: r.address, message: problems.join('; ') }] : [];
  }),
});
