/**
 * A path the checks cannot read, or that holds nothing to check. The command exits 2 with the
 * file and the reason: a wrong input must never pass as "no findings".
 */
export class InputError extends Error {
  constructor(
    /** The file or directory at fault. */
    public readonly file: string,
    /** What is wrong with it, and what to give instead. */
    public readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'InputError';
  }
}

/** Reads JSON, naming the file and the parser's complaint when it is not JSON. */
export function readJsonFile(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(file, `is not valid JSON (${(error as Error).message})`);
  }
}
