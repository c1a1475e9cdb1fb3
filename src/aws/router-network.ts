import { Annotations, Fn } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { ENDPOINT_URL_ENV } from './private/endpoint-env';
import { CellTenant, cellHasModels, cellHasProviderKeys } from './private/router-cells';
import { VaultConnection } from './vault-connection';
import { GatewayBlueprint } from '../spec';

/** The stable id of the warning that provider egress admits any host. */
export const PROVIDER_EGRESS_ANY_HOST = 'gateward:router:provider-egress-any-host';

/**
 * Properties of the router cells' network.
 */
export interface RouterNetworkProps {
  /** The gateway. */
  readonly blueprint: GatewayBlueprint;
  /** The tenants whose cells use this network. */
  readonly cells: CellTenant[];
  /** The VPC the cells run in. */
  readonly vpc: ec2.IVpc;
  /**
   * The cells' subnets.
   *
   * @default - the VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** How the cells reach Vault. */
  readonly vaultConnection: VaultConnection;
  /**
   * Whether to create interface endpoints.
   *
   * @default true
   */
  readonly createInterfaceEndpoints?: boolean;
  /**
   * Where providers are reached on port 443.
   *
   * @default ec2.Peer.anyIpv4()
   */
  readonly providerEgress?: ec2.IPeer;
}

/**
 * The network parts every router cell of a gateway shares: the interface endpoints of the AWS
 * services the cells call, the endpoints' security group, and at most two security groups for
 * the cells themselves. Cells without provider keys get the one that reaches Vault and the
 * endpoints only; cells with provider keys the one that also reaches the providers on port 443.
 * Sharing keeps the number of endpoints and groups constant in tenants.
 */
export class RouterNetwork extends Construct {
  /** The subnets the cells run in. */
  public readonly subnets: ec2.SelectedSubnets;
  /** The interface endpoints, by service. */
  public readonly endpoints: Record<string, ec2.InterfaceVpcEndpoint> = {};
  /** The security group of cells without provider keys, when there is such a cell. */
  public readonly routerSecurityGroup?: ec2.SecurityGroup;
  /** The security group of cells with provider keys, when there is such a cell. */
  public readonly providerRouterSecurityGroup?: ec2.SecurityGroup;
  private readonly endpointUrls: Record<string, string> = {};

  constructor(scope: Construct, id: string, props: RouterNetworkProps) {
    super(scope, id);
    const { blueprint, cells, vpc } = props;
    this.subnets = vpc.selectSubnets(props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
    const withKeys = cells.filter(cellHasProviderKeys);
    const groups: ec2.SecurityGroup[] = [];
    if (withKeys.length < cells.length) {
      this.routerSecurityGroup = new ec2.SecurityGroup(this, 'RouterSecurityGroup', {
        vpc,
        description: `Router cells of gateway ${blueprint.name} without provider keys: out to AWS endpoints and Vault only`,
        allowAllOutbound: false,
      });
      groups.push(this.routerSecurityGroup);
    }
    if (withKeys.length > 0) {
      this.providerRouterSecurityGroup = new ec2.SecurityGroup(this, 'ProviderRouterSecurityGroup', {
        vpc,
        description: `Router cells of gateway ${blueprint.name} with provider keys: out to AWS endpoints, Vault and providers only`,
        allowAllOutbound: false,
      });
      groups.push(this.providerRouterSecurityGroup);
    }
    for (const group of groups) {
      group.addEgressRule(props.vaultConnection.peer, ec2.Port.tcp(props.vaultConnection.port), 'Vault API');
    }
    if (this.providerRouterSecurityGroup) {
      this.providerRouterSecurityGroup.addEgressRule(props.providerEgress ?? ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'Model providers');
      if (!props.providerEgress) {
        Annotations.of(this.providerRouterSecurityGroup).addWarningV2(PROVIDER_EGRESS_ANY_HOST,
          `The router cells of ${namedTenants(withKeys)} reach any IPv4 address on port 443 (providerEgress is left at its default). `
          + 'Each provider key is bound to its endpoint\'s host at run time (the router sends it only to the endpoint stored with the key), but the network admits any host. '
          + 'To narrow it, send provider traffic through an egress proxy or a NAT gateway and set providerEgress to its prefix list (ec2.Peer.prefixList) or security group, '
          + 'or allow only the providers\' domains with an AWS Network Firewall domain list; pass ec2.Peer.anyIpv4() to keep any host and silence this warning.');
      }
    }

    const services: Array<[string, ec2.InterfaceVpcEndpointAwsService]> = [['VerifiedPermissions', ec2.InterfaceVpcEndpointAwsService.VERIFIED_PERMISSIONS]];
    if (cells.some(cellHasModels)) services.push(['BedrockRuntime', ec2.InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME]);
    if (withKeys.length > 0) services.push(['SecretsManager', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER]);
    if (props.createInterfaceEndpoints ?? true) {
      const endpointGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
        vpc,
        description: `AWS service endpoints of gateway ${blueprint.name}: in from its router cells only`,
        allowAllOutbound: false,
      });
      for (const group of groups) group.connections.allowTo(endpointGroup, ec2.Port.tcp(443), 'AWS service endpoints');
      for (const [name, service] of services) {
        this.endpoints[name] = new ec2.InterfaceVpcEndpoint(this, `Endpoint-${name}`, {
          vpc,
          service,
          subnets: props.vpcSubnets ?? { subnets: this.subnets.subnets },
          securityGroups: [endpointGroup],
          // The VPC is not the gateway's: private DNS would send every workload of it to endpoints
          // that admit only the router cells.
          privateDnsEnabled: false,
          open: false,
        });
        // The first DNS entry is the endpoint's regional name, `<hosted zone id>:<dns name>`.
        const dnsName = Fn.select(1, Fn.split(':', Fn.select(0, this.endpoints[name].vpcEndpointDnsEntries)));
        this.endpointUrls[name] = `https://${dnsName}`;
      }
    } else {
      for (const group of groups) group.addEgressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(443), 'AWS service endpoints of the VPC');
    }
  }

  /** The security group of one tenant's cell. */
  public securityGroupOf(tenant: CellTenant): ec2.SecurityGroup {
    return (cellHasProviderKeys(tenant) ? this.providerRouterSecurityGroup : this.routerSecurityGroup)!;
  }

  /**
   * The endpoint URLs one tenant's cell is pointed at (`AWS_ENDPOINT_URL_*`): only the services
   * it calls. Empty when the VPC's own endpoints are used.
   */
  public endpointUrlsOf(tenant: CellTenant): Record<string, string> {
    const calls = ['VerifiedPermissions'];
    if (cellHasModels(tenant)) calls.push('BedrockRuntime');
    if (cellHasProviderKeys(tenant)) calls.push('SecretsManager');
    return Object.fromEntries(calls.filter((name) => this.endpointUrls[name]).map((name) => [ENDPOINT_URL_ENV[name], this.endpointUrls[name]]));
  }
}

/** `tenant "a"`, `tenants "a", "b"`, or the first five and how many more. */
function namedTenants(tenants: CellTenant[]): string {
  const shown = tenants.slice(0, 5).map((t) => `"${t.id}"`).join(', ');
  const more = tenants.length > 5 ? ` and ${tenants.length - 5} more` : '';
  return `${tenants.length === 1 ? 'tenant' : 'tenants'} ${shown}${more}`;
}
