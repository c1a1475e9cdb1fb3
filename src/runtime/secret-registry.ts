const REDACTED = '[redacted]';

/** How many secrets are remembered at most; the oldest is forgotten first. */
export const MAX_REMEMBERED_SECRETS = 512;

/** Very short values would redact ordinary words; no real credential is that short. */
const MIN_SECRET_LENGTH = 8;

/** Every non-ASCII character as `\uXXXX`, as JSON encoders that emit ASCII only write it. */
const asciiEscaped = (text: string) => text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The secret as a URL carries it; a lone surrogate has no percent-encoding, and no URL form. */
function percentEncoded(secret: string): string {
  try {
    return encodeURIComponent(secret);
  } catch {
    return secret;
  }
}

/**
 * The forms a secret takes in a log line: as it is; inside a JSON string (as `JSON.stringify`
 * writes it, and again when that JSON is itself put in a string, as an upstream error body
 * quoted in a message would be); with `/` escaped and non-ASCII written as `\uXXXX` in upper
 * or lower case hex, as other JSON encoders write them; base64 (standard and URL-safe) and
 * percent-encoded, as headers and URLs carry it. Longest first, so a longer form is replaced
 * before a shorter one inside it could break it up.
 */
export function secretForms(secret: string): string[] {
  const inJson = (text: string) => JSON.stringify(text).slice(1, -1);
  const once = inJson(secret);
  const json = [once, inJson(once)];
  for (const form of [...json]) {
    const ascii = asciiEscaped(form);
    json.push(form.replace(/\//g, '\\/'), ascii, ascii.replace(/\\u([0-9a-f]{4})/g, (_, hex: string) => `\\u${hex.toUpperCase()}`));
  }
  const base64 = Buffer.from(secret, 'utf-8').toString('base64');
  const forms = [secret, ...json, base64, base64.replace(/=+$/, ''), Buffer.from(secret, 'utf-8').toString('base64url'), percentEncoded(secret)];
  return [...new Set(forms)].filter((f) => f.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/**
 * The secret values the router has handled (Vault tokens, STS secret keys and session tokens,
 * provider keys). Every log line passes through `redact`, so a secret that reached a message by
 * mistake is replaced, in any of the forms `secretForms` lists, before it is written. A secret
 * stays remembered after the router stops using it: the lease that carried it may have ended,
 * but the value itself (an STS key until its session ends, a provider key until it is rotated)
 * can still be valid. Records are built without secrets in the first place; this is the second
 * line.
 */
export class SecretRegistry {
  /** The forms of each secret, oldest secret first. */
  private readonly secrets = new Map<string, string[]>();
  private forms: string[] = [];

  constructor(private readonly limit = MAX_REMEMBERED_SECRETS) {}

  /** Remembers secret values for the life of the process, or until `limit` newer ones push them out. */
  public add(...values: Array<string | undefined>): void {
    let changed = false;
    for (const value of values) {
      if (!value || value.length < MIN_SECRET_LENGTH) continue;
      // Seen again: now the newest.
      this.secrets.delete(value);
      this.secrets.set(value, secretForms(value));
      changed = true;
    }
    while (this.secrets.size > this.limit) this.secrets.delete(this.secrets.keys().next().value!);
    if (changed) this.forms = [...new Set([...this.secrets.values()].flat())].sort((a, b) => b.length - a.length);
  }

  /** The text with every form of every remembered secret replaced. */
  public redact(text: string): string {
    let out = text;
    for (const form of this.forms) {
      if (out.includes(form)) out = out.split(form).join(REDACTED);
    }
    return out;
  }
}
