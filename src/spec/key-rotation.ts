// Facts about provider-key rotation that the spec, the AWS plane and the rule pack all read.
// Not part of the package's public API (src/spec/index.ts does not export it).

/** The longest rotation period a provider key may have, in days (the spec refuses more). */
export const MAX_KEY_ROTATION_DAYS = 90;

/** The rotation period of a provider key whose spec names none, in days. */
export const DEFAULT_KEY_ROTATION_DAYS = 30;

/**
 * The metric the key-age check reports for each watched key: its age in days, under the dimensions
 * below (the namespace is the check function's `NAMESPACE`). The check, its alarms and the rule
 * pack's proof that a manual rotation is watched all name it.
 */
export const KEY_AGE_METRIC = 'KeyAgeDays';

/** The dimensions of the key-age metric, in this order: the gateway name and the secret name. */
export const KEY_AGE_DIMENSIONS: readonly string[] = ['Gateway', 'SecretName'];
