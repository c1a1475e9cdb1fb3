import * as gateward from '../../src';
import { synthesizeVaultPlane } from '../support/vault-example';

// The Vault plane's building blocks are composed by the plane alone: they are not part of the
// package's API, so the plane is the one entry point whose input is validated.
const INTERNAL = [
  'RouterAuth', 'WorkloadJwtAuth', 'TenantAwsSecrets', 'TenantDatabaseSecrets', 'AwsCredentialRole', 'AwsCredentialType', 'JwtWorkloadRole',
  'DatabaseCredentialRole', 'DatabaseStaticRole', 'PostgresConnection', 'VaultAuditDevices', 'GatewayVaultPolicy',
];

test('the package exports the Vault plane, its props\' types and the provider login, not the building blocks', () => {
  const exported = gateward as Record<string, unknown>;
  expect(INTERNAL.filter((name) => exported[name] !== undefined)).toEqual([]);
  for (const name of ['GatewayVaultPlane', 'VaultProviderLogin', 'SecondAuditDevice']) expect(exported[name]).toBeDefined();
});

test('the plane shows its policies as the documents written to Vault', () => {
  const { plane, resources } = synthesizeVaultPlane();
  expect(plane.routerPolicies).toHaveLength(2);
  for (const policy of plane.routerPolicies) expect(policy).toBeInstanceOf(gateward.VaultPolicyDocument);
  const written = Object.values(resources('vault_policy')).map((p) => [p.name, p.policy]);
  expect(written.sort()).toEqual([...plane.routerPolicies, ...plane.workloadPolicies].map((d) => [d.name, d.toHcl()]).sort());
});
