/**
 * A value that only stands in for the real one (`PLACEHOLDER`, `CHANGEME`, `FIXME`, `<set me>`, `xxxx`, `fake_password`,
 * `staging secret 1`, `xoxb-1234-5678-foo`):
 * the real value is set outside the code.
 */
const PLACEHOLDER = /^(<[^>]*>|x{3,}|\*{3,}|(placeholder|changeme|change[_-]?me|replace[_-]?me|to[_-]?do|fixme|tbd|dummy|set[_-]?me|fake[_-])[\w-]*)$/i;

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

/** Prefixes services give their keys: Slack's, OpenAI's and Stripe's, GitHub's, GitLab's, Hugging Face's, AWS access key ids. */
const KEY_PREFIX = /^(xox[abprs]|xapp|sk|pk|rk|ghp|gho|ghs|ghu|ghr|glpat|hf|akia|asia)$/i;
/** Words a made-up key is written with (`your`, `here`, `example`, `xxxx`), beside the words such keys carry (`key`, `token`, `test`, `live`). */
const FILLER = /^(foo|bar|baz|example|sample|dummy|fake|your|here|replace|change|x{3,}|\*{3,})$/i;
const KEY_WORD = /^(key|token|test|live|api|secret)$/i;
const runOfDigits = (part: string) => /^\d{3,}$/.test(part)
  && [...part].every((c, i) => i === 0 || Number(c) === (Number(part[i - 1]) + 1) % 10 || c === part[i - 1]);

/**
 * A service's key prefix followed only by filler words, the words such keys carry and digit
 * runs, with at least one filler word (`xoxb-1234-5678-foo`, `sk-your-key-here`, `sk_test_xxxx`):
 * the shape of a key, written to be replaced. A word of one's own (`admin-example`) is no key prefix.
 */
function madeUpKey(value: string): boolean {
  const [prefix, ...rest] = value.trim().split(/[-_]/);
  return KEY_PREFIX.test(prefix) && rest.some((part) => FILLER.test(part))
    && rest.every((part) => FILLER.test(part) || KEY_WORD.test(part) || runOfDigits(part));
}

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value.trim()) || isDescription(value) || madeUpKey(value);
}
