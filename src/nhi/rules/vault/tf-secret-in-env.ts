import { NhiSeverity, OwaspNhi } from '../../finding';
import { isPlainSetting, namesASecret } from '../../private/secret-names';
import { isUnresolved } from '../../private/unresolved';
import { VAULT_FIXTURES, vaultRule, VaultHit } from '../rule';
import { TerraformResource } from '../support/vault';

/** Kubernetes workloads the Kubernetes provider writes, whose pod template holds containers. */
const WORKLOAD_TYPE = /^kubernetes_(deployment|stateful_set|daemon_?set|job|cron_job|pod|replication_controller)(_v1|_v2)?$/;

/**
 * A connection URL with a password in it (`postgresql://user:pw@host`), written or built from an
 * input: unlike a template's literal check, a password interpolated from a variable counts, since
 * the built value lands in the pod spec either way.
 */
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
  if (!namesASecret(name)) return undefined;
  if (text.includes('${')) return `${name} takes its value from ${text}`;
  if (isPlainSetting(text)) return undefined;
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
