/**
 * A value that only stands in for the real one (`PLACEHOLDER`, `CHANGEME`, `FIXME`, `<set me>`, `xxxx`,
 * `staging secret 1`):
 * the real value is set outside the code.
 */
const PLACEHOLDER = /^(<[^>]*>|x{3,}|\*{3,}|(placeholder|changeme|change[_-]?me|replace[_-]?me|to[_-]?do|fixme|tbd|dummy|set[_-]?me)[\w-]*)$/i;

/**
 * Words that say what a value stands for (`development secret 1`, `my test password`): a
 * description written in place of the value, not one. A secret has no spaces between the words
 * that name it.
 */
const DESCRIBED = /^(?=.*\b(secret|password|passwd|key|token|example|sample|demo|dummy|test)\b)[A-Za-z0-9]+( [A-Za-z0-9]+)+$/i;

/** True for words that describe the value they stand in for (`staging secret 1`): never a secret, whoever later changes it. */
export function isDescription(value: string): boolean {
  return DESCRIBED.test(value.trim());
}

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value.trim()) || isDescription(value);
}
