import { NhiSeverity, OwaspNhi } from '../../finding';
import { VAULT_FIXTURES, vaultRule } from '../rule';
import { describe } from '../support/vault';

export const VaultAppRoleNoSecretId = vaultRule({
  id: 'NHI-VAULT-APPROLE-NO-SECRET-ID',
  title: 'An AppRole logs in with its role id alone (bind_secret_id = false)',
  nhi: OwaspNhi.NHI4,
  nist: ['IA-5', 'IA-9'],
  severity: NhiSeverity.HIGH,
  fix: 'keep bind_secret_id true and deliver secret ids response-wrapped; the role id is an identifier, not a secret',
  fixtures: VAULT_FIXTURES,
  // The role id is not a secret (it is readable at auth/<mount>/role/<name>/role-id and often the
  // role's name); without a secret id only network bounds stand between any caller and the role.
  check: (ctx) => ctx.resources
    .filter((r) => r.type === 'vault_approle_auth_backend_role' && (r.props.bind_secret_id === false || r.props.bind_secret_id === 'false'))
    .map((r) => {
      const cidrs = [r.props.secret_id_bound_cidrs, r.props.token_bound_cidrs].find((v) => v !== undefined);
      const id = r.props.role_id === undefined ? '' : `; role_id is ${describe(r.props.role_id)}`;
      return {
        address: r.address,
        message: `bind_secret_id is false, so the role id alone logs in${cidrs === undefined ? ', from anywhere' : `, from ${describe(cidrs)}`}${id}`,
      };
    }),
});
