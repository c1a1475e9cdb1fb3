/**
 * Props objects a composing construct built from inputs it has already validated. A public
 * construct that is also an entry point of its own (RouterFunction, GatewayApi) skips its checks
 * for these, so that each input is validated once, where it was received.
 */
const VALIDATED = new WeakSet<object>();

/** Marks props built from validated inputs, and returns them. */
export function validatedProps<T extends object>(props: T): T {
  VALIDATED.add(props);
  return props;
}

/** Whether the props were built from inputs a composing construct has validated. */
export function wasValidated(props: object | undefined): boolean {
  return props !== undefined && props !== null && VALIDATED.has(props);
}
