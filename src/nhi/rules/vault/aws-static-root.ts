import { NhiSeverity, OwaspNhi } from '../../finding';
import { hasValue } from '../../private/secret-names';
import { VAULT_FIXTURES, vaultRule } from '../rule';
import { describe, isUnknown } from '../support/vault';

export const VaultAwsStaticRoot = vaultRule({
  id: 'NHI-VAULT-AWS-STATIC-ROOT',
  title: 'Vault\'s AWS secrets engine or AWS auth method runs on a static access key',
  nhi: OwaspNhi.NHI7,
  nist: ['IA-5(7)', 'IA-5(f)'],
  severity: NhiSeverity.HIGH,
  fix: 'let the engine use the Vault server\'s own identity (instance profile, IRSA) or workload identity federation (identity_token_audience); if a key is unavoidable, rotate it with Vault\'s rotate-root and never create it in Terraform',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => ctx.resources
    .filter((r) => ['vault_aws_secret_backend', 'vault_aws_auth_backend_client'].includes(r.type)
      && hasValue(r.props.access_key))
    .map((r) => {
      const key = r.props.access_key;
      const created = typeof key === 'string' && /\$\{aws_iam_access_key\./.test(key);
      const how = created
        ? 'an access key created in this configuration, so the key and its secret are in Terraform state'
        : isUnknown(key) ? `a static access key, ${describe(key)}` : 'a static access key written literally';
      // Terraform records the secret key it passes to Vault, wherever the key comes from.
      const state = !created && hasValue(r.props.secret_key) ? '; Terraform passes its secret_key to Vault and keeps it in its state in clear' : '';
      return { address: r.address, message: `authenticates to AWS with ${how}${state}` };
    }),
});
