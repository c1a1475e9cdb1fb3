import { SecondAuditDevice } from './second-audit-device';

/**
 * Where and how the Vault plane audits: written once, for the plane's props and its audit
 * devices alike.
 */
export interface VaultAuditOptions {
  /**
   * Whether the plane manages the gateway's audit devices. Turn off only when the server's audit
   * devices are managed elsewhere (for example in OpenBao's server configuration).
   *
   * @default true
   */
  readonly manageAuditDevices?: boolean;

  /**
   * The second audit device.
   *
   * @default SecondAuditDevice.UNIX_SOCKET
   */
  readonly secondAuditDevice?: SecondAuditDevice;

  /**
   * The file the file audit device writes, an absolute path on the Vault server's audit volume.
   *
   * @default '/vault/audit/<gateway name>.log'
   */
  readonly auditFilePath?: string;

  /**
   * The local Unix socket the second audit device writes to, an absolute path on the Vault
   * server. Only for the `UNIX_SOCKET` second device.
   *
   * @default '/run/vault/<gateway name>-audit.sock'
   */
  readonly auditSocketPath?: string;
}
