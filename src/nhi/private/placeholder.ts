/**
 * A value that only stands in for the real one (`PLACEHOLDER`, `CHANGEME`, `FIXME`, `<set me>`, `xxxx`,
 * `staging secret 1`, `xoxb-1234-5678-foo`):
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

/** Filler words and digit runs that make up a made-up key: `foo`, `example`, `xxxx`; `1234`, `0000`. */
const FILLER = /^(foo|bar|baz|qux|example|sample|dummy|fake|your|here|x{3,}|\*{3,})$/i;
const runOfDigits = (part: string) => /^\d{3,}$/.test(part)
  && [...part].every((c, i) => i === 0 || Number(c) === (Number(part[i - 1]) + 1) % 10 || c === part[i - 1]);

/**
 * A service's key prefix followed only by filler words and digit runs, with at least one filler
 * word (`xoxb-1234-5678-foo`, `sk-xxxx`, `ghp_example`): the shape of a key, written to be replaced.
 */
function madeUpKey(value: string): boolean {
  const [prefix, ...rest] = value.trim().split(/[-_]/);
  // At least one filler word: digits alone (`pass-1234`) are a weak password, not a stand-in.
  return /^[a-z]{2,5}$/i.test(prefix) && rest.some((part) => FILLER.test(part)) && rest.every((part) => FILLER.test(part) || runOfDigits(part));
}

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value.trim()) || isDescription(value) || madeUpKey(value);
}
