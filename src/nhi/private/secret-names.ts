/** True when an argument or property is given (written, or an expression), not left out or empty. */
export function hasValue(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/** Terraform data sources whose result is a secret's value (which Terraform records in its state). */
export const SECRET_DATA_SOURCES = [
  'aws_secretsmanager_secret_version', 'aws_ssm_parameter', 'vault_generic_secret', 'vault_kv_secret_v2', 'vault_kv_secret',
  'google_secret_manager_secret_version', 'azurerm_key_vault_secret', 'kubernetes_secret', 'kubernetes_secret_v1',
];

/** Variable names that hold a credential, not a pointer to one (an ARN, a secret's name, a header's name, a file). */
const SECRET_NAME = /(api_?key|apikey|access_?key|secret|secret_?key|signing_?key|password|passwd|pwd|token|private_?key|credential|auth_?key|master_?key)s?$/i;
const POINTER_NAME = /(_arn|_name|_id|_url|_uri|_header|_path|_file|_region|_ttl|_env|_type|_endpoint|_prefix|_param(eter)?)$/i;
/** Values that are settings, not secrets. */
const PLAIN_VALUE = /^(true|false|yes|no|on|off|none|null|enabled|disabled|required|optional|\d+)$/i;

/** Whether an environment variable's name says it holds a credential itself (`API_KEY`), not where one is (`API_KEY_ARN`). */
export function namesASecret(name: string): boolean {
  return SECRET_NAME.test(name) && !POINTER_NAME.test(name);
}

/** Whether a value is a setting (`true`, `off`, `30`) or too short to be a credential. */
export function isPlainSetting(value: string): boolean {
  return PLAIN_VALUE.test(value) || value.length < 4;
}
