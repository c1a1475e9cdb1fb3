/**
 * A value that only stands in for the real one (`PLACEHOLDER`, `CHANGEME`, `<set me>`, `xxxx`):
 * the real value is set outside the code.
 */
const PLACEHOLDER = /^(<[^>]*>|x{3,}|\*{3,}|(placeholder|changeme|change[_-]?me|replace[_-]?me|to[_-]?do|tbd|dummy|set[_-]?me)[\w-]*)$/i;

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value.trim());
}
