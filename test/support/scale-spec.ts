import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { DataAccess, GatewaySpec, GatewaySpecValidator, ProviderKeyRotation, TenantSpec } from '../../src';

/** The account the scale tenants' workloads run in (not the gateway's). */
export const SCALE_WORKLOAD_ACCOUNT = '444455556666';

/** Options of `scaleSpec`. */
export interface ScaleSpecOptions {
  /**
   * The index of the first tenant (0-based): tenant `i` is the same object whatever the offset,
   * so `scaleSpec(1, { offset: n })` is the tenant that `scaleSpec(n + 1)` adds to `scaleSpec(n)`.
   *
   * @default 0
   */
  readonly offset?: number;
  /**
   * The gateway's name.
   *
   * @default the example spec's name
   */
  readonly name?: string;
  /**
   * Provider keys per tenant (`openai`, then `openai-2`, ...), each manually rotated: a heavier
   * tenant than the measured shape, to show how much a cell stack holds.
   *
   * @default 1
   */
  readonly providerKeys?: number;
  /**
   * The tenant ids: `scale` is `scaleTenantId`; `named` is a word and a base-36 number
   * (`acme-0`, `globex-5lz`, ...), which the cell-stack hash spreads less evenly than the
   * sequential ids, as real names may be.
   *
   * @default 'scale'
   */
  readonly ids?: 'scale' | 'named';
}

const NAMED_ID_WORDS = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark', 'wayne', 'wonka'];

/** A tenant id of the `named` form: a word and a base-36 number, a pure function of the index. */
export function namedTenantId(index: number): string {
  return `${NAMED_ID_WORDS[index % NAMED_ID_WORDS.length]}-${(index * 7919).toString(36)}`;
}

/** The id of the tenant at a 0-based index: `t0001`, `t0002`, ... (more digits past 9,999). */
export function scaleTenantId(index: number): string {
  return `t${String(index + 1).padStart(4, '0')}`;
}

/**
 * The tenant at a 0-based index, in the shape issue 14 measured: two workloads (IAM roles in a
 * workload account), a foundation model, a cross-region inference profile, a provider key, a data
 * store and a tool. A pure function of the index.
 */
export function scaleTenant(index: number, options: Pick<ScaleSpecOptions, 'providerKeys' | 'ids'> = {}): TenantSpec {
  const id = options.ids === 'named' ? namedTenantId(index) : scaleTenantId(index);
  const keys = options.providerKeys ?? 1;
  return {
    id,
    description: `Scale tenant ${index + 1}`,
    workloads: [
      { id: `${id}-chat`, description: 'Chat assistant', roleArn: `arn:aws:iam::${SCALE_WORKLOAD_ACCOUNT}:role/${id}-chat` },
      { id: `${id}-batch`, description: 'Batch summarizer', roleArn: `arn:aws:iam::${SCALE_WORKLOAD_ACCOUNT}:role/${id}-batch` },
    ],
    foundationModels: ['anthropic.claude-3-5-haiku-20241022-v1:0'],
    inferenceProfiles: [{ id: 'us.anthropic.claude-sonnet-4-20250514-v1:0', destinationRegions: ['us-east-1', 'us-east-2', 'us-west-2'] }],
    providerKeys: Array.from({ length: keys }, (_, k) => ({ id: k === 0 ? 'openai' : `openai-${k + 1}`, provider: 'openai', rotationPeriodDays: 30 })),
    dataStores: [{
      id: 'kb',
      host: 'kb-vectors.cluster-c0abcdefghij.us-east-1.rds.amazonaws.com',
      database: 'knowledge',
      schema: id.replace(/-/g, '_'),
      access: DataAccess.READ_ONLY,
    }],
    tools: ['web-search'],
  };
}

/**
 * A valid gateway spec with `tenants` tenants of the measured shape, built on the example spec's
 * owners, AWS environment, Vault server and TTLs. Deterministic: the first n tenants of
 * `scaleSpec(n + 1)` equal those of `scaleSpec(n)`.
 */
export function scaleSpec(tenants: number, options: ScaleSpecOptions = {}): GatewaySpec {
  if (!Number.isInteger(tenants) || tenants < 1) throw new Error(`scaleSpec: tenants must be a whole number of at least 1, got ${tenants}`);
  const offset = options.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0) throw new Error(`scaleSpec: offset must be a whole number of at least 0, got ${offset}`);
  const spec: GatewaySpec = {
    name: options.name ?? exampleSpec.name,
    aws: exampleSpec.aws,
    owners: exampleSpec.owners,
    vault: exampleSpec.vault,
    ttls: exampleSpec.ttls,
    tenants: Array.from({ length: tenants }, (_, i) => scaleTenant(offset + i, options)),
  };
  GatewaySpecValidator.validate(spec);
  return spec;
}

/**
 * The `providerKeyRotation` prop of the AWS plane for a spec: every provider key rotated
 * manually (a daily age check alarms when a key outlives its period).
 */
export function scaleRotations(spec: GatewaySpec): Record<string, ProviderKeyRotation> {
  const rotations: Record<string, ProviderKeyRotation> = {};
  for (const tenant of spec.tenants) {
    for (const key of tenant.providerKeys ?? []) rotations[`${tenant.id}/${key.id}`] = ProviderKeyRotation.manual();
  }
  return rotations;
}
