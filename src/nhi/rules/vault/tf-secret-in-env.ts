import { NhiSeverity, OwaspNhi } from '../../finding';
import { isUnresolved } from '../../private/unresolved';
import { VAULT_FIXTURES, vaultRule, VaultHit } from '../rule';
import { TerraformResource } from '../support/vault';

/** Kubernetes workloads the Kubernetes provider writes, whose pod template holds containers. */
const WORKLOAD_TYPE = /^kubernetes_(deployment|stateful_set|daemon_?set|job|cron_job|pod|replication_controller)(_v1|_v2)?$/;

/** Variable names that hold a credential, not a pointer to one (a secret's name, a header's name, a file). */
const SECRET_NAME = /(api_?key|apikey|access_?key|secret|password|passwd|pwd|token|private_?key|credential|auth_?key|master_?key)s?$/i;
const POINTER_NAME = /(_arn|_name|_id|_url|_uri|_header|_path|_file|_region|_ttl|_env|_type|_endpoint|_prefix|_param(eter)?)$/i;
/** Values that are settings, not secrets. */
const PLAIN_VALUE = /^(true|false|yes|no|on|off|none|null|enabled|disabled|required|optional|\d+)$/i;
/** A connection URL with a password in it (`postgresql://user:pw@host`), written or built from an input. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/:@\s]+:[^@\s]+@/i;

/** The `env` entries of every container (and init container) under a workload's pod template. */
function envEntries(value: unknown, inContainer = false): Array<Record<string, unknown>> {
  if (isUnresolved(value) || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((v) => envEntries(v, inContainer));
  const props = value as Record<string, unknown>;
  const own = inContainer && Array.isArray(props.env) ? (props.env as unknown[]).filter((e): e is Record<string, unknown> => !!e && typeof e === 'object' && !isUnresolved(e)) : [];
  return [...own, ...Object.entries(props).filter(([key]) => key !== 'env').flatMap(([key, child]) => envEntries(child, key === 'container' || key === 'init_container'))];
}

/** Why an env entry's plain value is a secret, or undefined: a connection URL with a password, or a secret-named variable with a value. */
function secretInValue(entry: Record<string, unknown>): string | undefined {
  const name = typeof entry.name === 'string' ? entry.name : undefined;
  const value = entry.value;
  if (!name || value === undefined || value === null || value === '' || entry.value_from !== undefined) return undefined;
  const text = isUnresolved(value) ? value.expression : typeof value === 'string' ? value : undefined;
  if (text === undefined) return undefined;
  if (URL_WITH_PASSWORD.test(text)) return `${name} holds a connection URL with its password`;
  if (!SECRET_NAME.test(name) || POINTER_NAME.test(name)) return undefined;
  if (text.includes('${')) return `${name} takes its value from ${text}`;
  if (PLAIN_VALUE.test(text) || text.length < 4) return undefined;
  return `${name} holds a literal value`;
}

/**
 * A Kubernetes workload that Terraform writes with a credential as a plain `env` value (a
 * variable's value, a generated password, a literal) instead of `value_from` a Secret: the value
 * is in the pod spec for every reader of the workload, and in the Terraform state.
 */
export const TfSecretInEnv = vaultRule({
  id: 'NHI-TF-SECRET-IN-ENV',
  title: 'A Kubernetes workload written by Terraform carries a secret as a plain environment value',
  nhi: OwaspNhi.NHI2,
  nist: ['IA-5(7)', 'SC-28'],
  severity: NhiSeverity.HIGH,
  fix: 'reference the credential with env value_from secret_key_ref (or env_from a Secret) created outside Terraform, e.g. by External Secrets or the Secrets Store CSI driver',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => ctx.resources.filter((r: TerraformResource) => WORKLOAD_TYPE.test(r.type)).flatMap((r): VaultHit[] => {
    const problems = [...new Set(envEntries(r.props).map(secretInValue).filter((p): p is string => p !== undefined))];
    return problems.length > 0 ? [{ address: r.address, message: `${problems.join('; ')}, passed as plain container environment: every reader of the workload's spec reads the secret` }] : [];
  }),
});
