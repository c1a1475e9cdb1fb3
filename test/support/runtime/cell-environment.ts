import { ENV } from '../../../src/runtime/config';

/**
 * The environment the AWS plane gives the example's `support` cell, with its Vault address:
 * the names and ids a cell is configured with, and no secret.
 */
export function supportCellEnvironment(vaultAddress: string): Record<string, string> {
  return {
    [ENV.POLICY_STORE_ID]: 'ps-1',
    [ENV.VAULT_ADDR]: vaultAddress,
    [ENV.VAULT_AUTH_MOUNT]: 'acme-llm/aws',
    [ENV.VAULT_AUTH_ROLE]: 'router-support',
    [ENV.VAULT_SERVER_ID]: 'vault.example.internal',
    [ENV.TENANT]: 'support',
    [ENV.API_ID]: 'a1b2c3d4e5',
    [ENV.API_STAGE]: 'live',
  };
}
