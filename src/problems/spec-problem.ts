/**
 * One problem found in a gateway spec or in a construct's props: where, what was given, what is
 * wrong and how to fix it.
 */
export interface SpecProblem {
  /** Where in the spec or the props, e.g. `tenants[1].workloads[0].roleArn`. */
  readonly path: string;
  /** The offending value as written, or `(missing)`. */
  readonly value: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}
