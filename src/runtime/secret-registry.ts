const REDACTED = '[redacted]';

/**
 * The secret values the router holds (Vault tokens, STS secret keys and session tokens, provider
 * keys), each until it expires. Every log line passes through `redact`, so a secret that reached
 * a message by mistake is replaced before it is written. Records are built without secrets in
 * the first place; this is the second line.
 */
export class SecretRegistry {
  private readonly secrets = new Map<string, number>();

  constructor(private readonly clock: () => number = Date.now) {}

  /**
   * Remembers secret values until `expiresAt` (epoch ms), when nothing can use them any more.
   */
  public add(expiresAt: number, ...values: Array<string | undefined>): void {
    for (const value of values) {
      // Very short values would redact ordinary words; no real credential is that short.
      if (!value || value.length < 8) continue;
      this.secrets.set(value, Math.max(expiresAt, this.secrets.get(value) ?? 0));
    }
  }

  /** The text with every secret still held replaced. */
  public redact(text: string): string {
    const now = this.clock();
    let out = text;
    for (const [secret, expiresAt] of this.secrets) {
      if (expiresAt < now) {
        this.secrets.delete(secret);
        continue;
      }
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out;
  }
}
