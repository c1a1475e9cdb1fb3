import { GatewayValidationError } from '../../problems/gateway-validation-error';
import { ProblemCollector } from '../../problems/problem-collector';
import { checkKnownKeys } from '../../spec/private/known-keys';

/**
 * The field names of a props interface, for the unknown-key check. Typed so that adding a field
 * to the interface without listing it here fails to compile, and a listed name that is not a
 * field does too.
 */
export function fieldsOf<T>(fields: Record<keyof Required<T>, true>): readonly string[] {
  return Object.keys(fields);
}

/**
 * Throws one error naming every key of `props` that is not one of `fields`, with a did-you-mean:
 * a misspelt optional prop would otherwise be dropped and its setting silently not made.
 */
export function refuseUnknownProps(subject: string, props: object | undefined, fields: readonly string[]): void {
  const c = new ProblemCollector();
  checkKnownKeys(c, 'props', props ?? {}, fields, `${subject}Props`);
  if (c.size > 0) throw new GatewayValidationError(subject, c.problems);
}
