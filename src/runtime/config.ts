import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_PROVIDER_ENDPOINTS, ROUTER_ENV as ENV, ROUTES_FILE, RouterRoutes } from '../contract/router-routes';

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

/** Everything the router is configured with. */
export interface RouterSettings {
  readonly routes: RouterRoutes;
  readonly policyStoreId: string;
  readonly vault: VaultSettings;
  /** Base URLs of third-party providers' OpenAI-compatible APIs, by provider. */
  readonly providerEndpoints: Record<string, string>;
}

/**
 * Reads the settings from the environment and the routing table next to the code. Names every
 * missing variable at once.
 */
export function settingsFromEnvironment(env: Record<string, string | undefined>, codeDirectory: string): RouterSettings {
  const required = [ENV.POLICY_STORE_ID, ENV.VAULT_ADDR, ENV.VAULT_AUTH_MOUNT, ENV.VAULT_AUTH_ROLE, ENV.VAULT_SERVER_ID];
  const missing = required.filter((name) => !env[name]);
  if (missing.length > 0) throw new Error(`The router is missing its configuration: ${missing.join(', ')}`);
  const routes = JSON.parse(fs.readFileSync(path.join(codeDirectory, ROUTES_FILE), 'utf-8')) as RouterRoutes;
  if (routes.version !== 1) throw new Error(`${ROUTES_FILE} has version ${routes.version}; this router reads version 1`);
  return {
    routes,
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
