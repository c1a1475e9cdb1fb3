import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * Options for trusting Vault through plugin workload identity federation.
 */
export interface VaultWorkloadIdentityOptions {
  /**
   * ARN of the IAM OIDC identity provider for Vault's plugin identity issuer
   * (`<vault issuer>/v1/identity/oidc/plugins`), e.g.
   * `arn:aws:iam::111122223333:oidc-provider/vault.example.com/v1/identity/oidc/plugins`.
   */
  readonly oidcProviderArn: string;

  /**
   * The audience Vault puts in the plugin identity token (the AWS secrets engine's
   * `identity_token_audience`). Use one that names this gateway.
   */
  readonly audience: string;

  /**
   * The exact token subjects allowed, `plugin-identity:<namespace id>:secret:<mount accessor>`,
   * one per tenant AWS secrets mount.
   *
   * @default - any secrets-engine plugin of the issuer (`plugin-identity:*:secret:*`); the exact
   * audience still has to match. Pin the subjects once the mounts exist.
   */
  readonly subjects?: string[];
}

/**
 * How the Vault server proves its identity to AWS: the identity the broker role trusts.
 *
 * The broker is the one role Vault's AWS secrets engine uses; from it Vault assumes a tenant's
 * target role per request. Vault never holds static AWS keys.
 */
export abstract class VaultServerIdentity {
  /**
   * Vault runs as an IAM role (an EC2 instance profile, an ECS task or an EKS pod role) and its
   * AWS credential chain assumes the broker role.
   *
   * @param roleArn the exact ARN of the Vault server's role
   */
  public static fromRoleArn(roleArn: string): VaultServerIdentity {
    return new RoleIdentity(roleArn);
  }

  /**
   * Vault (Enterprise 1.16 or later) assumes the broker with a plugin identity token through
   * `sts:AssumeRoleWithWebIdentity`. No AWS credentials are stored anywhere.
   */
  public static fromWorkloadIdentityFederation(options: VaultWorkloadIdentityOptions): VaultServerIdentity {
    return new FederatedIdentity(options);
  }

  /** A one-line account of the identity, for role descriptions and reviews. */
  public abstract readonly description: string;

  /**
   * The principal the broker's trust policy names.
   *
   * @internal
   */
  public abstract _principal(): iam.IPrincipal;
}

class RoleIdentity extends VaultServerIdentity {
  public readonly description: string;

  constructor(private readonly roleArn: string) {
    super();
    this.description = `the Vault server role ${roleArn}`;
  }

  public _principal(): iam.IPrincipal {
    return new iam.ArnPrincipal(this.roleArn);
  }
}

class FederatedIdentity extends VaultServerIdentity {
  public readonly description: string;

  constructor(private readonly options: VaultWorkloadIdentityOptions) {
    super();
    this.description = `Vault plugin identity tokens for audience ${options.audience}`;
  }

  public _principal(): iam.IPrincipal {
    // Condition keys are the provider's URL (the part of its ARN after "oidc-provider/").
    const issuer = this.options.oidcProviderArn.split(':oidc-provider/')[1] ?? this.options.oidcProviderArn;
    const subjects = this.options.subjects ?? ['plugin-identity:*:secret:*'];
    const exact = this.options.subjects !== undefined;
    return new iam.WebIdentityPrincipal(this.options.oidcProviderArn, {
      StringEquals: {
        [`${issuer}:aud`]: this.options.audience,
        ...(exact ? { [`${issuer}:sub`]: subjects } : {}),
      },
      ...(exact ? {} : { StringLike: { [`${issuer}:sub`]: subjects } }),
    });
  }
}
