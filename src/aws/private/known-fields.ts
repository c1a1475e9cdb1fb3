/**
 * The field names of a props interface, for the unknown-key check. Typed so that adding a field
 * to the interface without listing it here fails to compile, and a listed name that is not a
 * field does too.
 */
export function fieldsOf<T>(fields: Record<keyof Required<T>, true>): readonly string[] {
  return Object.keys(fields);
}
