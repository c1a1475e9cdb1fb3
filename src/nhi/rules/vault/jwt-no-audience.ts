import { NhiSeverity, OwaspNhi } from '../../finding';
import { VAULT_FIXTURES, vaultRule } from '../rule';
import { isUnknown } from '../support/vault';

export const VaultJwtNoAudience = vaultRule({
  id: 'NHI-VAULT-JWT-NO-AUDIENCE',
  title: 'A JWT role accepts tokens of any audience or subject',
  nhi: OwaspNhi.NHI4,
  nist: ['IA-9', 'IA-5'],
  severity: NhiSeverity.HIGH,
  fix: 'set role_type = "jwt", non-empty bound_audiences and a pinned bound_subject or bound_claims',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => ctx.resources.filter((r) => r.type === 'vault_jwt_auth_backend_role' && r.props.role_type !== 'oidc').flatMap((r) => {
    const p = r.props;
    const audiences = Array.isArray(p.bound_audiences) ? p.bound_audiences : [];
    const claims = (p.bound_claims && typeof p.bound_claims === 'object' ? p.bound_claims : {}) as Record<string, unknown>;
    const pinned = (typeof p.bound_subject === 'string' && p.bound_subject !== '' && p.bound_subject !== '*')
      || (Object.keys(claims).length > 0 && !Object.values(claims).some((v) => v === '*'))
      || isUnknown(p.bound_claims) || isUnknown(p.bound_subject);
    const problems = [
      ...(p.role_type === undefined ? ['role_type is missing, so it is "oidc" (a browser flow), not "jwt"'] : []),
      ...(audiences.length === 0 && !isUnknown(p.bound_audiences) ? ['bound_audiences is empty'] : []),
      ...(pinned ? [] : ['neither bound_subject nor bound_claims pins the workload']),
    ];
    return problems.length > 0 ? [{ address: r.address, message: problems.join('; ') }] : [];
  }),
});
