/**
 * The router's deploy-time contract: the routing table written next to its code and the
 * environment variables it reads. Synth writes both, the router reads both, so this module
 * imports nothing: the runtime bundle holds only what it uses.
 */

/** The file next to the router's code that holds its routing table. */
export const ROUTES_FILE = 'gateway-routes.json';

/**
 * The environment variables the router reads. All hold names, ids and addresses; none holds a
 * secret (the router's own AWS credentials come from the Lambda runtime, everything else from
 * Vault per request).
 */
export const ROUTER_ENV = {
  POLICY_STORE_ID: 'GATEWARD_POLICY_STORE_ID',
  VAULT_ADDR: 'GATEWARD_VAULT_ADDR',
  VAULT_NAMESPACE: 'GATEWARD_VAULT_NAMESPACE',
  VAULT_AUTH_MOUNT: 'GATEWARD_VAULT_AUTH_MOUNT',
  VAULT_AUTH_ROLE: 'GATEWARD_VAULT_AUTH_ROLE',
  VAULT_SERVER_ID: 'GATEWARD_VAULT_SERVER_ID',
  PROVIDER_ENDPOINTS: 'GATEWARD_PROVIDER_ENDPOINTS',
  /** The one tenant this router cell serves. */
  TENANT: 'GATEWARD_TENANT',
  /** The id of the REST API whose events the router serves; any other event is refused. */
  API_ID: 'GATEWARD_API_ID',
  /** The stage of that API. */
  API_STAGE: 'GATEWARD_API_STAGE',
} as const;

/** The stage callers use: `https://<api id>.execute-api.<region>.amazonaws.com/live/v1/tenants/<tenant>/chat`. */
export const GATEWAY_STAGE = 'live';

/**
 * The API resource path of one tenant's chat method. Each tenant's path is integrated with that
 * tenant's router cell only, and its resource policy admits that tenant's workloads only.
 */
export function tenantChatPath(tenantId: string): string {
  return `/v1/tenants/${tenantId}/chat`;
}

/**
 * What a provider key's secret holds: the key, and the one https base URL it may be sent to.
 * Both are written by the credential-lifecycle owner (or its rotation function), the only
 * principals that may put a value; the router's configuration cannot move the key elsewhere.
 */
export interface ProviderKeySecretValue {
  /** The provider's API key. */
  readonly apiKey: string;
  /** The provider API's base URL (`https://host[:port]/path`), which binds the key to its host. */
  readonly endpoint: string;
}

/** The JSON field names of a provider key's secret value. */
export const PROVIDER_KEY_SECRET_FIELDS = { API_KEY: 'apiKey', ENDPOINT: 'endpoint' } as const;

/**
 * Base URLs of the providers the router can call with a provider key, unless configured
 * otherwise. The AWS plane refuses a provider key whose provider has none, at synth.
 */
export const DEFAULT_PROVIDER_ENDPOINTS: Record<string, string> = {
  openai: 'https://api.openai.com/v1',
};

/**
 * The routing table the router is deployed with: who may call, which tenant they belong to, and
 * where each tenant's credentials are read. Derived from the blueprint and written next to the
 * router's code at synth, so the router looks nothing up. It holds names and paths, never a
 * secret.
 */
export interface RouterRoutes {
  /** Format version, bumped when the shape changes incompatibly. */
  readonly version: 1;
  readonly gateway: string;
  readonly region: string;
  readonly partition: string;
  readonly cedarNamespace: string;
  /** The STS endpoint Vault verifies the router's logins against. */
  readonly stsEndpoint: string;
  readonly workloads: RoutedWorkload[];
  readonly tenants: RoutedTenant[];
}

/** A workload that calls the gateway with its IAM role. */
export interface RoutedWorkload {
  readonly id: string;
  readonly tenant: string;
  readonly cedarId: string;
  /** The workload role's account. */
  readonly account: string;
  /** The workload role's name (without path): what an assumed-role session ARN shows. */
  readonly roleName: string;
  /** The workload role's ARN as the spec gives it. */
  readonly roleArn: string;
}

/** Where one tenant's calls get their credentials. */
export interface RoutedTenant {
  readonly id: string;
  readonly cedarId: string;
  /** The Vault path of the tenant's Bedrock target credentials, when the tenant has models. */
  readonly modelsCredentialsPath?: string;
  /** Cedar ids of the tenant's models, by model or inference-profile id. */
  readonly models: Record<string, string>;
  /** Cedar ids of the tenant's tools, by tool id. */
  readonly tools: Record<string, string>;
  /** The guardrails the tenant's Bedrock calls may apply; a request naming any other is refused. */
  readonly guardrails: RoutedGuardrail[];
  readonly providerKeys: RoutedProviderKey[];
}

/** A guardrail one tenant may apply. */
export interface RoutedGuardrail {
  readonly id: string;
  readonly arn: string;
  /** The one version the tenant may apply; absent when any version may be. */
  readonly version?: string;
}

/** One provider key: the target credentials that may read it, and the secret. */
export interface RoutedProviderKey {
  readonly id: string;
  readonly provider: string;
  readonly cedarId: string;
  readonly credentialsPath: string;
  readonly secretName: string;
}

/** The tenant with this id in a routing table. */
export function findTenant(routes: RouterRoutes, tenantId: string): RoutedTenant | undefined {
  return routes.tenants.find((t) => t.id === tenantId);
}
