import { VaultProviderConfig } from '@cdktf/provider-vault/lib/provider';
import { Token } from 'cdktf';
import { ProblemCollector } from '../problems/problem-collector';
import { fieldsOf, throwIfProblems } from './private/prop-validation';
import { checkKnownKeys } from '../spec/private/known-keys';

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

/** The login block of the Vault provider: exactly one of the two. */
type ProviderLoginBlock = Pick<VaultProviderConfig, 'authLoginAws' | 'authLoginJwt'>;

/**
 * How Terraform logs in to Vault. There is no token option: the provider never uses a root or
 * long-lived token, only a platform identity, and always works with a short child token.
 */
export abstract class VaultProviderLogin {
  /** Log in with the pipeline's AWS identity (a signed `sts:GetCallerIdentity`). */
  public static aws(options: VaultAwsLoginOptions): VaultProviderLogin {
    throwIfProblems('VaultProviderLogin.aws', (c) => checkKnownKeys(c, 'options', options, AWS_FIELDS, 'VaultAwsLoginOptions'));
    return new AwsLogin(options.role, options.mount ?? 'aws', options.headerValue);
  }

  /** Log in with a JWT the pipeline holds. */
  public static jwt(options: VaultJwtLoginOptions): VaultProviderLogin {
    throwIfProblems('VaultProviderLogin.jwt', (c) => checkKnownKeys(c, 'options', options, JWT_FIELDS, 'VaultJwtLoginOptions'));
    return new JwtLogin(options.role, options.mount, options.jwt);
  }

  /** The auth role. */
  public readonly role: string;
  /** The auth mount. */
  public readonly mount: string;

  protected constructor(role: string, mount: string) {
    this.role = role;
    this.mount = mount;
  }

  /**
   * The provider's login block.
   *
   * @param defaultHeaderValue the gateway's server-id header value, for an AWS login that names none
   * @internal
   */
  public abstract _providerLogin(defaultHeaderValue: string): ProviderLoginBlock;

  /**
   * Reports what would make the login unsafe, under `path` (the prop that holds the login).
   *
   * @internal
   */
  public abstract _problems(c: ProblemCollector, path: string): void;
}

class AwsLogin extends VaultProviderLogin {
  constructor(role: string, mount: string, private readonly headerValue: string | undefined) {
    super(role, mount);
  }

  public _providerLogin(defaultHeaderValue: string): ProviderLoginBlock {
    return { authLoginAws: [{ role: this.role, mount: this.mount, headerValue: this.headerValue ?? defaultHeaderValue }] };
  }

  public _problems(): void {
    // The signed request is made at apply time; nothing of it is written into the configuration.
  }
}

class JwtLogin extends VaultProviderLogin {
  constructor(role: string, mount: string, private readonly jwtReference: string | undefined) {
    super(role, mount);
  }

  public _providerLogin(): ProviderLoginBlock {
    return { authLoginJwt: [{ role: this.role, mount: this.mount, jwt: this.jwtReference! }] };
  }

  public _problems(c: ProblemCollector, path: string): void {
    if (!this.jwtReference || !Token.isUnresolved(this.jwtReference)) {
      c.add(`${path}.jwt`, this.jwtReference ? '(a literal token)' : undefined, 'the login JWT would be written into the synthesized configuration',
        'pass a sensitive TerraformVariable\'s value or an environment reference, never the token itself');
    }
  }
}
