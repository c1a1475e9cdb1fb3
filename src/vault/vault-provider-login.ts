import { checkFields, fieldsOf, throwIfProblems } from './private/prop-validation';

/**
 * Options for a provider login through Vault's AWS IAM auth method.
 */
export interface VaultAwsLoginOptions {
  /** The role of the pipeline that runs Terraform, in the AWS auth method it logs in to. */
  readonly role: string;

  /**
   * The auth mount the pipeline logs in to.
   *
   * @default 'aws'
   */
  readonly mount?: string;

  /**
   * The `X-Vault-AWS-IAM-Server-ID` value to sign.
   *
   * @default - the gateway's `vault.iamServerIdHeaderValue`
   */
  readonly headerValue?: string;
}

/**
 * Options for a provider login through a JWT auth method (for example a CI OIDC token).
 */
export interface VaultJwtLoginOptions {
  /** The JWT auth role of the pipeline. */
  readonly role: string;

  /** The JWT auth mount, e.g. `jwt-ci`. */
  readonly mount: string;

  /**
   * The token: a reference to a sensitive Terraform variable or environment value, never a
   * literal (it would be written into the synthesized configuration).
   */
  readonly jwt: string;
}

const AWS_FIELDS = fieldsOf<VaultAwsLoginOptions>({ role: true, mount: true, headerValue: true });
const JWT_FIELDS = fieldsOf<VaultJwtLoginOptions>({ role: true, mount: true, jwt: true });

/**
 * How Terraform logs in to Vault. There is no token option: the provider never uses a root or
 * long-lived token, only a platform identity, and always works with a short child token.
 */
export class VaultProviderLogin {
  /** Log in with the pipeline's AWS identity (a signed `sts:GetCallerIdentity`). */
  public static aws(options: VaultAwsLoginOptions): VaultProviderLogin {
    throwIfProblems('VaultProviderLogin.aws', (c) => checkFields(c, 'options', options, AWS_FIELDS, 'VaultAwsLoginOptions'));
    return new VaultProviderLogin('aws', options.role, options.mount ?? 'aws', options.headerValue);
  }

  /** Log in with a JWT the pipeline holds. */
  public static jwt(options: VaultJwtLoginOptions): VaultProviderLogin {
    throwIfProblems('VaultProviderLogin.jwt', (c) => checkFields(c, 'options', options, JWT_FIELDS, 'VaultJwtLoginOptions'));
    return new VaultProviderLogin('jwt', options.role, options.mount, undefined, options.jwt);
  }

  /** `aws` or `jwt`. */
  public readonly method: string;
  /** The auth role. */
  public readonly role: string;
  /** The auth mount. */
  public readonly mount: string;

  /**
   * The server-id header value for AWS logins.
   *
   * @default - the gateway's header value
   */
  public readonly headerValue?: string;

  /**
   * The JWT reference for JWT logins.
   *
   * @default - none for AWS logins
   */
  public readonly jwtReference?: string;

  private constructor(method: string, role: string, mount: string, headerValue?: string, jwtReference?: string) {
    this.method = method;
    this.role = role;
    this.mount = mount;
    this.headerValue = headerValue;
    this.jwtReference = jwtReference;
  }
}
