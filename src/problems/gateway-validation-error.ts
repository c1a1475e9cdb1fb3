import { formatProblems } from './problem-collector';
import type { SpecProblem } from './spec-problem';

/**
 * The error every validation in the library throws: a spec, a spec file, a plane's or a
 * construct's props. Its message lists every problem in one format (see `formatProblems`), and
 * `problems` carries them as data.
 */
class ValidationError extends Error {
  /** What was validated, e.g. `GatewaySpec "acme-llm"` or `GatewayAwsPlane "Gateway"`. */
  public readonly subject: string;
  /** Every problem found, each with its path, value, message and fix. */
  public readonly problems: SpecProblem[];

  /**
   * @param subject what was validated
   * @param problems every problem found
   * @param shown the problems as the message shows them, when they carry more (e.g. a file
   *   position in each path) than `problems`; defaults to `problems`
   */
  constructor(subject: string, problems: SpecProblem[], shown: SpecProblem[] = problems) {
    super(formatProblems(subject, shown));
    this.name = 'GatewayValidationError';
    this.subject = subject;
    this.problems = [...problems];
  }
}

/*
 * jsii cannot export a subclass of Error (the type system of the other languages has no place
 * for it), so the class is exported to TypeScript and JavaScript as a value and a type that the
 * jsii assembly does not carry. In other languages the error surfaces with the same message.
 */
// eslint-disable-next-line @typescript-eslint/no-redeclare
export const GatewayValidationError = ValidationError;
// eslint-disable-next-line @typescript-eslint/no-redeclare
export type GatewayValidationError = ValidationError;
