/**
 * The kind of the second audit device.
 */
export enum SecondAuditDevice {
  /** A local Unix socket, read by a log shipper that forwards off the host. */
  UNIX_SOCKET = 'socket',
  /** The local syslog daemon. */
  SYSLOG = 'syslog',
}
