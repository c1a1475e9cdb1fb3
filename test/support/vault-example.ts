import { TerraformStack, Testing } from 'cdktf';
import { buildVaultPlane } from '../../examples/bedrock-gateway/app';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewaySpec, GatewayVaultPlane } from '../../src';

export interface SynthesizedVaultPlane {
  readonly plane: GatewayVaultPlane;
  /** The stack's Terraform JSON. */
  readonly config: any;
  /** Every resource of one type, by logical id. */
  resources(type: string): Record<string, any>;
}

/**
 * The example's Vault plane synthesized to Terraform JSON. `build` replaces the example's wiring.
 */
export function synthesizeVaultPlane(
  spec: GatewaySpec = exampleSpec,
  build: (stack: TerraformStack, spec: GatewaySpec) => GatewayVaultPlane = buildVaultPlane,
): SynthesizedVaultPlane {
  const stack = new TerraformStack(Testing.app(), `${spec.name}-vault`);
  const plane = build(stack, spec);
  const config = JSON.parse(Testing.synth(stack));
  return { plane, config, resources: (type: string) => config.resource?.[type] ?? {} };
}
