/**
 * Facts about AWS partitions, regions and Bedrock identifiers that validation and naming rely on.
 */

/** Region prefixes of every partition but `aws`, which holds all other regions. */
const PARTITION_REGION_PREFIXES: Record<string, string[]> = {
  'aws': [],
  'aws-cn': ['cn-'],
  'aws-us-gov': ['us-gov-'],
  'aws-iso': ['us-iso-'],
  'aws-iso-b': ['us-isob-'],
  'aws-iso-e': ['eu-isoe-'],
  'aws-iso-f': ['us-isof-'],
  'aws-eusc': ['eusc-'],
};

export const KNOWN_PARTITIONS = Object.keys(PARTITION_REGION_PREFIXES);

/** The DNS suffix of each partition's service endpoints. */
const PARTITION_DNS_SUFFIXES: Record<string, string> = {
  'aws': 'amazonaws.com',
  'aws-cn': 'amazonaws.com.cn',
  'aws-us-gov': 'amazonaws.com',
  'aws-iso': 'c2s.ic.gov',
  'aws-iso-b': 'sc2s.sgov.gov',
  'aws-iso-e': 'cloud.adc-e.uk',
  'aws-iso-f': 'csp.hci.ic.gov',
  'aws-eusc': 'amazonaws.eu',
};

/**
 * The regional STS endpoint, e.g. `https://sts.us-east-1.amazonaws.com`. Vault verifies IAM
 * logins against it, and the router signs them for it.
 */
export function stsEndpoint(partition: string, region: string): string {
  return `https://sts.${region}.${PARTITION_DNS_SUFFIXES[partition] ?? PARTITION_DNS_SUFFIXES.aws}`;
}

/** e.g. `us-east-1`, `us-gov-west-1`, `eu-isoe-west-1`, `eusc-de-east-1`. */
export const REGION_PATTERN = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

/**
 * Every AWS region, in every partition, as published in the AWS SDK's partition data and the
 * AWS CDK's region facts. A code of the right shape that is not here (`us-east-7`) is a typo
 * that would otherwise surface only at deploy time, as endpoints that do not resolve. Add new
 * regions here when AWS opens them.
 */
export const KNOWN_REGIONS: readonly string[] = [
  // aws
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2',
  'eu-west-3', 'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-1',
  'us-west-2',
  // aws-cn
  'cn-north-1', 'cn-northwest-1',
  // aws-us-gov
  'us-gov-east-1', 'us-gov-west-1',
  // aws-iso, aws-iso-b, aws-iso-e, aws-iso-f
  'us-iso-east-1', 'us-iso-west-1', 'us-isob-east-1', 'us-isob-west-1', 'eu-isoe-west-1', 'us-isof-east-1', 'us-isof-south-1',
  // aws-eusc
  'eusc-de-east-1',
];

/** True when `region` is a region AWS operates (see `KNOWN_REGIONS`). */
export function isKnownRegion(region: string): boolean {
  return KNOWN_REGIONS.includes(region);
}

/**
 * The partition a region belongs to.
 */
export function partitionOfRegion(region: string): string {
  for (const [partition, prefixes] of Object.entries(PARTITION_REGION_PREFIXES)) {
    if (prefixes.some((prefix) => region.startsWith(prefix))) return partition;
  }
  return 'aws';
}

/**
 * Geographies of system-defined cross-region inference profiles, with the regions each routes to.
 * `global` routes to any commercial region and is authorized against the region-less model ARN.
 */
const PROFILE_GEOGRAPHIES: Record<string, (region: string) => boolean> = {
  'us': (r) => r.startsWith('us-') && partitionOfRegion(r) === 'aws',
  'us-gov': (r) => r.startsWith('us-gov-'),
  'eu': (r) => r.startsWith('eu-') && partitionOfRegion(r) === 'aws',
  'apac': (r) => r.startsWith('ap-'),
  'jp': (r) => r.startsWith('ap-northeast-'),
  'au': (r) => r.startsWith('ap-southeast-'),
  'ca': (r) => r.startsWith('ca-'),
  'global': (r) => partitionOfRegion(r) === 'aws',
};

export const GLOBAL_GEOGRAPHY = 'global';
export const KNOWN_GEOGRAPHIES = Object.keys(PROFILE_GEOGRAPHIES);

/**
 * True when a region is in an inference-profile geography.
 */
export function regionInGeography(geography: string, region: string): boolean {
  return PROFILE_GEOGRAPHIES[geography]?.(region) ?? false;
}

/**
 * Bedrock foundation-model id: `<provider>.<model>` with an optional version and context suffix,
 * e.g. `anthropic.claude-3-5-haiku-20241022-v1:0`, `amazon.titan-embed-text-v2:0`.
 */
export const FOUNDATION_MODEL_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*\.[a-z0-9][a-z0-9._:-]*$/;

/**
 * Splits an inference-profile id into its geography and foundation-model id, or returns undefined
 * when the id does not start with a known geography.
 */
export function splitInferenceProfileId(id: string): { geography: string; foundationModelId: string } | undefined {
  const dot = id.indexOf('.');
  if (dot <= 0) return undefined;
  const geography = id.slice(0, dot);
  const foundationModelId = id.slice(dot + 1);
  if (!KNOWN_GEOGRAPHIES.includes(geography) || !FOUNDATION_MODEL_ID.test(foundationModelId)) return undefined;
  return { geography, foundationModelId };
}
