import { NhiSeverity, OwaspNhi } from '../../finding';
import { VAULT_FIXTURES, vaultRule, VaultHit } from '../rule';
import { describe, isUnknown } from '../support/vault';

export const VaultAwsAuthServerId = vaultRule({
  id: 'NHI-VAULT-AWS-AUTH-SERVER-ID',
  title: 'AWS auth accepts signed requests meant for another Vault, or roles bound to reusable ARNs',
  nhi: OwaspNhi.NHI4,
  nist: ['IA-9', 'IA-3'],
  severity: NhiSeverity.HIGH,
  fix: 'set iam_server_id_header_value on the AWS auth client (and X-Vault-AWS-IAM-Server-ID on logins); keep resolve_aws_unique_ids true',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => {
    const hits: VaultHit[] = [];
    const clients = ctx.resources.filter((r) => r.type === 'vault_aws_auth_backend_client');
    for (const client of clients) {
      const header = client.props.iam_server_id_header_value;
      if (header === undefined || header === null || header === '') {
        hits.push({ address: client.address, message: 'sets no iam_server_id_header_value: a login signed for any other Vault is accepted here' });
      } else if (isUnknown(header)) {
        hits.push({ address: client.address, message: `iam_server_id_header_value is ${describe(header)}: it must be non-empty`, severity: NhiSeverity.LOW });
      }
    }
    const iamRoles = ctx.resources.filter((r) => r.type === 'vault_aws_auth_backend_role' && (r.props.auth_type ?? 'iam') === 'iam');
    if (clients.length === 0 && iamRoles.length > 0) {
      for (const backend of ctx.resources.filter((r) => r.type === 'vault_auth_backend' && r.props.type === 'aws')) {
        hits.push({ address: backend.address, message: 'has IAM roles but no vault_aws_auth_backend_client, so no server-id header is required' });
      }
    }
    for (const role of ctx.resources.filter((r) => r.type === 'vault_aws_auth_backend_role')) {
      const value = role.props.resolve_aws_unique_ids;
      if (value === false || value === 'false') {
        hits.push({ address: role.address, message: 'sets resolve_aws_unique_ids = false: a role deleted and re-created under the same ARN by anyone logs in' });
      }
    }
    return hits;
  },
});
