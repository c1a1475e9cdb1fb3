import { throwIfProblems } from '../../problems/throw-if-problems';
import { checkKnownKeys } from '../../spec/private/known-keys';

export { fieldsOf } from '../../spec/private/known-keys';

/**
 * Throws one error naming every key of `props` that is not one of `fields`, with a did-you-mean:
 * a misspelt optional prop would otherwise be dropped and its setting silently not made.
 */
export function refuseUnknownProps(subject: string, props: object | undefined, fields: readonly string[]): void {
  throwIfProblems(subject, (c) => checkKnownKeys(c, 'props', props ?? {}, fields, `${subject}Props`));
}
