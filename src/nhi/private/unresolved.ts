/**
 * A value the input does not hold: a Terraform variable without a default, a module input, an
 * intrinsic that cannot be resolved offline (an `Fn::ImportValue` with no exporting stack, a
 * `Ref` to a parameter without a default). Rules say "unresolved" for it instead of "missing",
 * because the deployed value may well be right.
 */
export class Unresolved {
  /**
   * Builds the marker for an expression, as the source wrote it (`${var.postgres_ttl}`);
   * `nullDefault` when it is a variable declared with `default = null`; `readsFile` when it is
   * unknown because it reads a file the input does not hold.
   */
  public static of(expression: string, nullDefault = false, readsFile?: string): Unresolved {
    return new Unresolved(expression, nullDefault, readsFile);
  }

  private constructor(
    /** The expression as written in the source, for the finding's message. */
    public readonly expression: string,
    /**
     * True for a variable declared with `default = null`: an optional input, so the argument it
     * sets is left out (null) unless the operator chooses to give it.
     */
    public readonly nullDefault: boolean,
    /**
     * The path, as the configuration gives it, of a file the value is read from that the input
     * does not hold (`file("../.secrets/token")`, kept out of the repository): it exists where
     * Terraform runs, so the value is unknown here, but where it comes from is known.
     */
    public readonly readsFile?: string,
  ) {}

  /** Shown in messages: `unresolved (${var.postgres_ttl})`. */
  public toString(): string {
    return `unresolved (${this.expression})`;
  }

  /** Keeps the marker visible when a model is serialized (snapshots, `--json`). */
  public toJSON(): { unresolved: string } {
    return { unresolved: this.expression };
  }
}

/** True when `value` is the marker for a value the input does not hold. */
export function isUnresolved(value: unknown): value is Unresolved {
  return value instanceof Unresolved;
}

/**
 * True when `value` or anything inside it (array element, object property) is unresolved: a
 * policy statement whose `Resource` is unresolved is itself only partly known.
 */
export function containsUnresolved(value: unknown): boolean {
  if (isUnresolved(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnresolved);
  if (value !== null && typeof value === 'object') return Object.values(value).some(containsUnresolved);
  return false;
}

/** The text a value is written as: an unresolved value's expression, a string itself, '' for anything else. */
export function writtenText(value: unknown): string {
  return isUnresolved(value) ? value.expression : typeof value === 'string' ? value : '';
}

/** The file a value is read from that the input does not hold (`Unresolved.readsFile`), or undefined. */
export function fileReadOf(value: unknown): string | undefined {
  return isUnresolved(value) ? value.readsFile : undefined;
}

/** The expression of an unresolved value, or undefined for a known one (for messages). */
export function unresolvedExpression(value: unknown): string | undefined {
  return isUnresolved(value) ? value.expression : undefined;
}
