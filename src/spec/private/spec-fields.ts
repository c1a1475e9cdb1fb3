import { GATEWAY_SPEC_SCHEMA } from './spec-schema';

type Definitions = typeof GATEWAY_SPEC_SCHEMA.definitions;

/** The name of every struct (not enum) of the spec. */
export type SpecStructName = { [K in keyof Definitions]: Definitions[K] extends { readonly properties: object } ? K : never }[keyof Definitions];

/**
 * The fields of one spec struct, read from the schema generated from `gateway-spec.ts`, so the
 * validator's unknown-key check cannot drift from the types.
 */
export function specFields(struct: SpecStructName): readonly string[] {
  return Object.keys(GATEWAY_SPEC_SCHEMA.definitions[struct].properties);
}
