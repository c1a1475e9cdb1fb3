import * as fs from 'fs';
import * as path from 'path';
import { RouterRoutes } from '../spec/private/router-routes';

/** The file next to the router's code that holds its routing table. */
export const ROUTES_FILE = 'gateway-routes.json';

/**
 * The environment variables the router reads. All hold names, ids and addresses; none holds a
 * secret (the router's own AWS credentials come from the Lambda runtime, everything else from
 * Vault per request).
 */
export const ENV = {
  POLICY_STORE_ID: 'GATEWARD_POLICY_STORE_ID',
  VAULT_ADDR: 'GATEWARD_VAULT_ADDR',
  VAULT_NAMESPACE: 'GATEWARD_VAULT_NAMESPACE',
  VAULT_AUTH_MOUNT: 'GATEWARD_VAULT_AUTH_MOUNT',
  VAULT_AUTH_ROLE: 'GATEWARD_VAULT_AUTH_ROLE',
  VAULT_SERVER_ID: 'GATEWARD_VAULT_SERVER_ID',
  PROVIDER_ENDPOINTS: 'GATEWARD_PROVIDER_ENDPOINTS',
} as const;

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

/** Base URLs of the providers the router can call with a provider key, unless configured otherwise. */
export const DEFAULT_PROVIDER_ENDPOINTS: Record<string, string> = {
  openai: 'https://api.openai.com/v1',
};

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
