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
