import { Audit } from '@cdktf/provider-vault/lib/audit';
import { AuditRequestHeader } from '@cdktf/provider-vault/lib/audit-request-header';
import { Construct } from 'constructs';
import { GatewayBlueprint } from '../spec';
import { ownedDescription } from './private/ownership';
import { SecondAuditDevice } from './second-audit-device';
import { VaultAuditOptions } from './vault-audit-options';

/**
 * Properties of the audit devices.
 */
export interface VaultAuditDevicesProps extends Omit<VaultAuditOptions, 'manageAuditDevices'> {
  /** The gateway. */
  readonly blueprint: GatewayBlueprint;

  /**
   * Request headers recorded (HMAC'd, never in clear) in every audit entry.
   *
   * @default ['Authorization', 'X-Vault-AWS-IAM-Server-ID']
   */
  readonly hmacRequestHeaders?: string[];
}

/** Options every device shares. `log_raw` is never set: it would write secrets unhashed. */
const COMMON_OPTIONS = {
  // Lists are reduced to counts: they name secrets and are rarely worth their size.
  elide_list_responses: 'true',
  // Accessors are not secrets; in clear they let responders revoke a token from the log.
  hmac_accessor: 'false',
  format: 'json',
};

/**
 * Two Vault audit devices of different types, so Vault (which refuses requests it cannot log)
 * keeps auditing when one fails: a file with mode 0600, and a local Unix socket or syslog. Every
 * option change replaces a device, so both are protected from destruction, and sensitive request
 * headers are recorded only as HMACs. Built only by `GatewayVaultPlane`, which has checked the
 * paths (`auditFilePath`, `auditSocketPath`).
 */
export class VaultAuditDevices extends Construct {
  /** The file device. */
  public readonly fileDevice: Audit;
  /** The second device. */
  public readonly secondDevice: Audit;
  /** The audited request headers. */
  public readonly requestHeaders: AuditRequestHeader[];

  constructor(scope: Construct, id: string, props: VaultAuditDevicesProps) {
    super(scope, id);
    const name = props.blueprint.name;
    const filePath = props.auditFilePath ?? `/vault/audit/${name}.log`;
    const socketPath = props.auditSocketPath ?? `/run/vault/${name}-audit.sock`;
    const lifecycle = { preventDestroy: true };
    this.fileDevice = new Audit(this, 'File', {
      type: 'file',
      path: `${name}-file`,
      description: ownedDescription(props.blueprint, 'audit log file'),
      options: { ...COMMON_OPTIONS, file_path: filePath, mode: '0600' },
      lifecycle,
    });
    const second = props.secondAuditDevice ?? SecondAuditDevice.UNIX_SOCKET;
    this.secondDevice = new Audit(this, second === SecondAuditDevice.UNIX_SOCKET ? 'Socket' : 'Syslog', {
      type: second,
      path: `${name}-${second}`,
      description: ownedDescription(props.blueprint, second === SecondAuditDevice.UNIX_SOCKET ? 'audit to a local socket' : 'audit to syslog'),
      options: second === SecondAuditDevice.UNIX_SOCKET
        ? { ...COMMON_OPTIONS, address: socketPath, socket_type: 'unix' }
        : { ...COMMON_OPTIONS, facility: 'AUTH', tag: `vault-${name}` },
      lifecycle,
    });
    this.requestHeaders = (props.hmacRequestHeaders ?? ['Authorization', 'X-Vault-AWS-IAM-Server-ID']).map((header) =>
      new AuditRequestHeader(this, `Header-${header}`, { name: header, hmac: true }));
  }
}
