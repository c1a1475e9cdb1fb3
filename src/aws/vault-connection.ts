import * as ec2 from 'aws-cdk-lib/aws-ec2';

/** Vault's default API port. */
const VAULT_PORT = 8200;

/**
 * How the router reaches Vault from its subnets: the network Vault is in (a peered VPC, a
 * transit gateway route, a PrivateLink endpoint) and its port. The router's security group lets
 * it out to exactly this destination; routing to it is the VPC's.
 */
export class VaultConnection {
  /**
   * Vault at a CIDR range or prefix list, e.g. `ec2.Peer.ipv4('10.50.0.0/16')` for a peered VPC.
   *
   * @param peer where Vault's listeners are
   * @param port Vault's API port (default 8200)
   */
  public static fromPeer(peer: ec2.IPeer, port: number = VAULT_PORT): VaultConnection {
    return new VaultConnection(peer, port);
  }

  /**
   * Vault behind a security group in a VPC the router's security group can reference (the same
   * VPC, or a peered one in the same region).
   *
   * @param securityGroup the security group of Vault's listeners or load balancer
   * @param port Vault's API port (default 8200)
   */
  public static fromSecurityGroup(securityGroup: ec2.ISecurityGroup, port: number = VAULT_PORT): VaultConnection {
    return new VaultConnection(securityGroup, port);
  }

  private constructor(
    /** Where Vault is. */
    public readonly peer: ec2.IPeer,
    /** Vault's API port. */
    public readonly port: number,
  ) {}
}
