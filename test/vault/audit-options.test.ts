import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayVaultPlane, SecondAuditDevice, VaultAuditOptions, VaultProviderLogin } from '../../src';
import { synthesizeVaultPlane } from '../support/vault-example';

// The audit options are one struct: the plane's props extend it and its audit devices read it.
test('audit options given as one VaultAuditOptions reach the devices unchanged', () => {
  const audit: VaultAuditOptions = { secondAuditDevice: SecondAuditDevice.SYSLOG, auditFilePath: '/srv/audit/gw.log' };
  const plane = synthesizeVaultPlane(exampleSpec, (stack, spec) =>
    new GatewayVaultPlane(stack, 'Gateway', { spec, providerLogin: VaultProviderLogin.aws({ role: 'ci' }), ...audit }));
  const devices = Object.values(plane.resources('vault_audit'));
  expect(devices.map((d) => d.type).sort()).toEqual(['file', 'syslog']);
  expect(devices.find((d) => d.type === 'file')!.options.file_path).toBe('/srv/audit/gw.log');
});
