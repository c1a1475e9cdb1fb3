import { AwsSecretBackend } from '@cdktf/provider-vault/lib/aws-secret-backend';
import { Construct } from 'constructs';
import { GatewayBlueprint, GatewayNaming, TenantBlueprint } from '../spec';
import { AwsApiEndpoints } from './aws-api-endpoints';
import { AwsCredentialRole } from './aws-credential-role';
import { ownedDescription } from './private/ownership';

/**
 * Properties of a tenant's AWS secrets engine.
 */
export interface TenantAwsSecretsProps {
  /** The gateway. */
  readonly blueprint: GatewayBlueprint;
  /** The tenant. */
  readonly tenant: TenantBlueprint;

  /**
   * Where Vault assumes the target roles (STS) and calls IAM. Only `stsEndpoint` and
   * `iamEndpoint` apply; the engine signs for the spec's region.
   *
   * @default - AWS's own endpoints for the spec's region and partition
   */
  readonly endpoints?: AwsApiEndpoints;
}

/**
 * One tenant's AWS secrets engine: its own mount (so the tenant's leases share one revocable
 * prefix), short explicit lease TTLs, no static AWS keys, and one role per target that assumes
 * exactly that target role. Built only by `GatewayVaultPlane`, which has validated the spec (TTLs,
 * federation support) and the endpoints.
 */
export class TenantAwsSecrets extends Construct {
  /** The secrets mount. */
  public readonly backend: AwsSecretBackend;
  /** The credential roles, one per target. */
  public readonly roles: AwsCredentialRole[];

  constructor(scope: Construct, id: string, props: TenantAwsSecretsProps) {
    super(scope, id);
    const { blueprint, tenant } = props;
    const naming = blueprint.naming;
    const ttl = blueprint.ttls.cloudCredentials;
    const audience = blueprint.vault?.workloadIdentityAudience;
    const federated = audience !== undefined;

    this.backend = new AwsSecretBackend(this, 'Resource', {
      path: naming.vaultAwsSecretsMountPath(tenant.id),
      description: ownedDescription(blueprint, `STS credentials of tenant ${tenant.id}'s target roles`),
      region: blueprint.region,
      stsEndpoint: props.endpoints?.stsEndpoint ?? naming.stsEndpoint(),
      iamEndpoint: props.endpoints?.iamEndpoint,
      defaultLeaseTtlSeconds: ttl.defaultSeconds,
      maxLeaseTtlSeconds: ttl.maxSeconds,
      // Vault never holds static AWS keys: it is the broker, through federation or its own identity.
      ...(federated ? { identityTokenAudience: audience, roleArn: naming.roleArn(naming.brokerRoleName) } : {}),
    });
    this.roles = tenant.targets.map((target) => new AwsCredentialRole(this, `Target-${target.id}`, {
      backend: this.backend.path,
      name: target.vaultRoleName,
      roleArn: target.roleArn,
      defaultStsTtlSeconds: ttl.defaultSeconds,
      maxStsTtlSeconds: ttl.maxSeconds,
      externalId: naming.externalId(tenant.id),
      // Only when the spec asks for them: the AWS plane allows sts:TagSession on the same condition,
      // and tags without that permission fail every AssumeRole.
      sessionTags: blueprint.sessionTags ? { [GatewayNaming.GATEWAY_TAG]: blueprint.name, [GatewayNaming.TENANT_TAG]: tenant.id } : undefined,
    }));
  }
}
