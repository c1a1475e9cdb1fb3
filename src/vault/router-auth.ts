import { AuthBackend } from '@cdktf/provider-vault/lib/auth-backend';
import { AwsAuthBackendClient } from '@cdktf/provider-vault/lib/aws-auth-backend-client';
import { AwsAuthBackendRole } from '@cdktf/provider-vault/lib/aws-auth-backend-role';
import { AwsAuthBackendStsRole } from '@cdktf/provider-vault/lib/aws-auth-backend-sts-role';
import { Construct } from 'constructs';
import { GatewayBlueprint } from '../spec';
import { AwsApiEndpoints } from './aws-api-endpoints';
import { ownedDescription } from './private/ownership';
import { duration } from './private/prop-validation';

/**
 * Properties of the routers' auth method.
 */
export interface RouterAuthProps {
  /** The gateway. */
  readonly blueprint: GatewayBlueprint;

  /**
   * Where Vault verifies logins (STS) and resolves the router roles' unique ids (IAM).
   *
   * @default - AWS's own endpoints for the spec's region and partition
   */
  readonly endpoints?: AwsApiEndpoints;
}

/**
 * The AWS IAM auth method the tenants' router cells log in with: a signed `sts:GetCallerIdentity`
 * carrying the server-id header. Each cell has its own role, `router-<tenant>`, bound to exactly
 * that cell's router role ARN and unique id, so one cell's AWS identity cannot log in as another
 * cell's role. No shared secret exists.
 *
 * Tokens are short (the spec's Vault token TTLs), carry no default policy and exactly their cell's
 * policy (`<gateway>-<tenant>-router`), and cannot be renewed past their explicit maximum.
 *
 * Built only by `GatewayVaultPlane`, which has validated the spec (TTLs, the Vault section and
 * its federation support) and the endpoints.
 */
export class RouterAuth extends Construct {
  /** The auth mount, one per gateway. */
  public readonly backend: AuthBackend;
  /** The client configuration (server-id header, STS endpoint). */
  public readonly client: AwsAuthBackendClient;
  /** The router cells' roles, in tenant order. */
  public readonly roles: AwsAuthBackendRole[];
  /**
   * The verifier role Vault assumes to read the router roles' unique ids in the gateway's account.
   *
   * @default - none with workload identity federation: the client's `role_arn` names the verifier
   */
  public readonly verifier?: AwsAuthBackendStsRole;

  constructor(scope: Construct, id: string, props: RouterAuthProps) {
    super(scope, id);
    const { blueprint } = props;
    const vault = blueprint.vault;
    const naming = blueprint.naming;
    const ttl = blueprint.ttls.vaultTokens;
    const audience = vault?.workloadIdentityAudience;
    const federated = audience !== undefined;
    const endpoints = props.endpoints ?? {};
    const verifierArn = naming.roleArn(naming.vaultAuthVerifierRoleName);

    this.backend = new AuthBackend(this, 'Resource', {
      type: 'aws',
      path: naming.vaultAwsAuthMountPath,
      description: ownedDescription(blueprint, 'each tenant\'s router logs in with its own AWS identity'),
      tune: [{ defaultLeaseTtl: duration(ttl.defaultSeconds), maxLeaseTtl: duration(ttl.maxSeconds), tokenType: 'default-service' }],
    });
    this.client = new AwsAuthBackendClient(this, 'Client', {
      backend: this.backend.path,
      // Required in every signed login, so a login signed for this Vault cannot be replayed elsewhere.
      iamServerIdHeaderValue: vault!.iamServerIdHeaderValue,
      stsEndpoint: endpoints.stsEndpoint ?? naming.stsEndpoint(),
      stsRegion: endpoints.stsRegion ?? blueprint.region,
      iamEndpoint: endpoints.iamEndpoint,
      // With federation the whole client acts as the verifier, through a plugin identity token.
      ...(federated ? { identityTokenAudience: audience, roleArn: verifierArn } : {}),
    });
    if (!federated) {
      // resolve_aws_unique_ids makes Vault call iam:GetRole for each bound router role when its
      // role below is written; it does so as the verifier, whose only right that is.
      this.verifier = new AwsAuthBackendStsRole(this, 'Verifier', {
        backend: this.backend.path,
        accountId: blueprint.account,
        stsRole: verifierArn,
      });
    }
    this.roles = blueprint.tenants.flatMap((tenant) => {
      const cell = tenant.router;
      if (!cell) return [];
      return [new AwsAuthBackendRole(this, `RouterRole-${tenant.id}`, {
        backend: this.backend.path,
        role: cell.vaultAuthRoleName,
        authType: 'iam',
        // This cell's router role only: another cell's identity is refused at login.
        boundIamPrincipalArns: [cell.roleArn],
        // Binds to the role's unique id: a deleted and re-created role of the same name is not trusted.
        resolveAwsUniqueIds: true,
        tokenTtl: ttl.defaultSeconds,
        tokenMaxTtl: ttl.maxSeconds,
        tokenExplicitMaxTtl: ttl.maxSeconds,
        tokenNoDefaultPolicy: true,
        // The cell's own policy (written by the plane under this name), and nothing else.
        tokenPolicies: [cell.vaultPolicyName],
        tokenType: 'service',
        dependsOn: [this.client, ...(this.verifier ? [this.verifier] : [])],
      })];
    });
  }
}
