const REDACTED = '[redacted]';
const MAX_SECRETS = 256;

/**
 * The secret values the router has handled (Vault tokens, STS secret keys and session tokens,
 * provider keys). Every log line passes through `redact`, so a secret that reached a message by
 * mistake is replaced before it is written. Records are built without secrets in the first
 * place; this is the second line.
 */
export class SecretRegistry {
  private readonly secrets: string[] = [];

  /** Remembers secret values (the newest few hundred). */
  public add(...values: Array<string | undefined>): void {
    for (const value of values) {
      // Very short values would redact ordinary words; no real credential is that short.
      if (!value || value.length < 8 || this.secrets.includes(value)) continue;
      this.secrets.push(value);
      if (this.secrets.length > MAX_SECRETS) this.secrets.shift();
    }
  }

  /** The text with every remembered secret replaced. */
  public redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out;
  }
}
