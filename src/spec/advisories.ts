import { GatewaySpec } from './gateway-spec';
import { GatewayNaming } from './naming';
import { splitInferenceProfileId } from './private/aws-facts';
import { isKnownFoundationModel } from './private/bedrock-models';
import { join } from '../problems/problem-collector';

/**
 * Something in a valid spec that is probably a mistake but cannot be refused: the planes turn
 * each into a warning annotation with its `id`, so it can be acknowledged by id.
 */
export interface SpecWarning {
  /** A stable id for the kind of warning, e.g. `gateward:spec:unknown-bedrock-model`. */
  readonly id: string;
  /** Where in the spec, e.g. `tenants[0].foundationModels[1]`. */
  readonly path: string;
  /** What is probably wrong, and what to do about it. */
  readonly message: string;
}

/** Audiences that name no particular Vault or gateway, so tokens minted for others carry them too. */
const GENERIC_AUDIENCES = ['vault', 'sts.amazonaws.com', 'kubernetes.default.svc', 'https://kubernetes.default.svc'];

/**
 * Advisory checks of a spec: things a reviewer should look at that are not errors, each with a
 * stable id. The validator has already refused what is certainly wrong.
 */
export class GatewaySpecAdvisor {
  /** A foundation model (or an inference profile's model) the bundled Bedrock catalogue does not know. */
  public static readonly UNKNOWN_BEDROCK_MODEL = 'gateward:spec:unknown-bedrock-model';

  /** A service-account audience that names no particular Vault or gateway. */
  public static readonly GENERIC_TOKEN_AUDIENCE = 'gateward:spec:generic-token-audience';

  /**
   * Every advisory warning for the spec, in spec order. Fields the validator would refuse are
   * skipped, so this never throws, whatever the input.
   */
  public static warnings(spec: GatewaySpec): SpecWarning[] {
    const warnings: SpecWarning[] = [];
    const root: Record<string, unknown> = isRecord(spec) ? (spec as unknown as Record<string, unknown>) : {};
    const naming = typeof root.name === 'string' ? new GatewayNaming(root.name, { account: '', region: '' }) : undefined;
    list(root.tenants).forEach((tenant, i) => {
      if (!isRecord(tenant)) return;
      const tenantPath = join('tenants', i);
      list(tenant.foundationModels).forEach((model, j) => {
        if (typeof model === 'string' && !isKnownFoundationModel(model) && !splitInferenceProfileId(model)) {
          warnings.push(unknownModel(join(join(tenantPath, 'foundationModels'), j), `foundation model "${model}"`));
        }
      });
      list(tenant.inferenceProfiles).forEach((profile, j) => {
        const id = isRecord(profile) ? profile.id : undefined;
        const split = typeof id === 'string' ? splitInferenceProfileId(id) : undefined;
        if (split && !isKnownFoundationModel(split.foundationModelId)) {
          warnings.push(unknownModel(join(join(join(tenantPath, 'inferenceProfiles'), j), 'id'), `inference profile "${id}", whose model "${split.foundationModelId}"`));
        }
      });
      list(tenant.workloads).forEach((workload, j) => {
        const sa = isRecord(workload) ? workload.eksServiceAccount : undefined;
        const audience = isRecord(sa) ? sa.audience : undefined;
        if (typeof audience === 'string' && GENERIC_AUDIENCES.includes(audience.toLowerCase())) {
          warnings.push({
            id: GatewaySpecAdvisor.GENERIC_TOKEN_AUDIENCE,
            path: join(join(join(tenantPath, 'workloads'), j), 'eksServiceAccount.audience'),
            message: `the audience "${audience}" names no particular Vault, so Vault accepts tokens minted for any other Vault of the organization; `
              + `leave audience out for the gateway's own ("${naming?.workloadTokenAudience ?? 'gateward:<gateway name>'}"), or name this Vault`,
          });
        }
      });
    });
    return warnings;
  }

  private constructor() {}
}

function unknownModel(path: string, what: string): SpecWarning {
  return {
    id: GatewaySpecAdvisor.UNKNOWN_BEDROCK_MODEL,
    path,
    message: `the ${what} is not in the bundled Bedrock model catalogue; check the id against \`aws bedrock list-foundation-models\` (a typo is refused only at request time, as access denied)`,
  };
}

function isRecord(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
