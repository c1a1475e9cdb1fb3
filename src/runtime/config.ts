import * as fs from 'fs';
import * as path from 'path';
import {
  DEFAULT_PROVIDER_ENDPOINTS, findTenant, ROUTER_ENV as ENV, ROUTES_FILE, RoutedTenant, RouterRoutes, tenantChatPath,
} from '../contract/router-routes';

export { ENV, ROUTES_FILE };

/** Where the router finds Vault and how it logs in. */
export interface VaultSettings {
  readonly address: string;
  /** Vault Enterprise namespace. */
  readonly namespace?: string;
  /** The AWS auth mount path. */
  readonly authMount: string;
  /** The router's role in that mount. */
  readonly authRole: string;
  /** The `X-Vault-AWS-IAM-Server-ID` value the auth method requires. */
  readonly serverIdHeader: string;
}

/**
 * The one API method whose events a router cell serves. An event that names anything else did
 * not come from API Gateway through that method: someone invoked the function directly.
 */
export interface ServedMethod {
  /** The REST API's id. */
  readonly apiId: string;
  readonly stage: string;
  /** The gateway's account, which owns the API and the function. */
  readonly account: string;
  /** The resource path of the tenant's chat method. */
  readonly resource: string;
}

/** Everything the router is configured with. */
export interface RouterSettings {
  /** The full routing table, as deployed with every cell. */
  readonly routes: RouterRoutes;
  /** The one tenant this cell serves, from the routing table. */
  readonly tenant: RoutedTenant;
  readonly method: ServedMethod;
  readonly policyStoreId: string;
  readonly vault: VaultSettings;
  /** Base URLs of third-party providers' OpenAI-compatible APIs, by provider. */
  readonly providerEndpoints: Record<string, string>;
}

const FUNCTION_ARN = /^arn:[\w-]+:lambda:[\w-]+:(\d{12}):function:[\w-]+(:[\w$-]+)?$/;

/**
 * Reads the settings from the environment, the routing table next to the code, and the ARN
 * Lambda invoked the function by (`context.invokedFunctionArn`), whose account is the gateway's:
 * the Lambda runtime sets it, so no configuration can get it wrong. Names every missing variable
 * at once, and refuses a tenant the routing table does not route.
 */
export function settingsFromEnvironment(
  env: Record<string, string | undefined>, codeDirectory: string, invokedFunctionArn: string | undefined,
): RouterSettings {
  const required = [
    ENV.POLICY_STORE_ID, ENV.VAULT_ADDR, ENV.VAULT_AUTH_MOUNT, ENV.VAULT_AUTH_ROLE, ENV.VAULT_SERVER_ID, ENV.TENANT, ENV.API_ID, ENV.API_STAGE,
  ];
  const missing: string[] = required.filter((name) => !env[name]);
  const account = FUNCTION_ARN.exec(invokedFunctionArn ?? '')?.[1];
  if (!account) missing.push('the invoked function ARN (the Lambda context\'s invokedFunctionArn)');
  if (missing.length > 0) throw new Error(`The router is missing its configuration: ${missing.join(', ')}`);
  const routes = JSON.parse(fs.readFileSync(path.join(codeDirectory, ROUTES_FILE), 'utf-8')) as RouterRoutes;
  if (routes.version !== 1) throw new Error(`${ROUTES_FILE} has version ${routes.version}; this router reads version 1`);
  const tenantId = env[ENV.TENANT]!;
  const tenant = findTenant(routes, tenantId);
  if (!tenant) throw new Error(`${ENV.TENANT} is "${tenantId}", which is not a tenant in ${ROUTES_FILE}`);
  if (!tenant.modelsCredentialsPath && tenant.providerKeys.length === 0) {
    throw new Error(`${ENV.TENANT} is "${tenantId}", a tenant with no targets in ${ROUTES_FILE}: it has no router cell`);
  }
  return {
    routes,
    tenant,
    method: { apiId: env[ENV.API_ID]!, stage: env[ENV.API_STAGE]!, account: account!, resource: tenantChatPath(tenantId) },
    policyStoreId: env[ENV.POLICY_STORE_ID]!,
    vault: {
      address: env[ENV.VAULT_ADDR]!.replace(/\/+$/, ''),
      namespace: env[ENV.VAULT_NAMESPACE] || undefined,
      authMount: env[ENV.VAULT_AUTH_MOUNT]!,
      authRole: env[ENV.VAULT_AUTH_ROLE]!,
      serverIdHeader: env[ENV.VAULT_SERVER_ID]!,
    },
    providerEndpoints: { ...DEFAULT_PROVIDER_ENDPOINTS, ...JSON.parse(env[ENV.PROVIDER_ENDPOINTS] || '{}') },
  };
}
