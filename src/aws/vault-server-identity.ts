import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { GatewaySpec } from '../spec';
import { isAccountRootArn, isRoleArn } from '../spec/identifiers';
import { fieldsOf } from './private/known-fields';
import { ProblemCollector } from '../problems/problem-collector';
import { checkKnownKeys } from '../spec/private/known-keys';

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
   * The audience Vault puts in the plugin identity token. Both planes read it from the spec
   * (`spec.vault.workloadIdentityAudience`); when given here it must be the same value.
   *
   * @default - the spec's `vault.workloadIdentityAudience`
   */
  readonly audience?: string;

  /**
   * The exact token subjects allowed, `plugin-identity:<namespace id>:secret:<mount accessor>`,
   * one per tenant AWS secrets mount.
   *
   * @default - any secrets-engine plugin of the issuer (`plugin-identity:*:secret:*`); the exact
   * audience still has to match. Pin the subjects once the mounts exist.
   */
  readonly subjects?: string[];
}

const FEDERATION_FIELDS = fieldsOf<VaultWorkloadIdentityOptions>({ oidcProviderArn: true, audience: true, subjects: true });

const PARTITION = '(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[a-z]|aws-eusc)';
const OIDC_PROVIDER_ARN = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:oidc-provider/[^\\s*]+$`);

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
   * @param roleArn the exact ARN of the Vault server's role (not `*`, an account root or a session)
   */
  public static fromRoleArn(roleArn: string): VaultServerIdentity {
    return new RoleIdentity(roleArn);
  }

  /**
   * Vault (Enterprise 1.16 or later) assumes the broker with a plugin identity token through
   * `sts:AssumeRoleWithWebIdentity`. No AWS credentials are stored anywhere. The spec's
   * `vault.workloadIdentityAudience` must be set: the Vault plane sends it.
   */
  public static fromWorkloadIdentityFederation(options: VaultWorkloadIdentityOptions): VaultServerIdentity {
    return new FederatedIdentity(options);
  }

  /** A one-line account of the identity, for role descriptions and reviews. */
  public abstract readonly description: string;

  /**
   * The principal that a role assumed by one of Vault's AWS plugins trusts: the secrets engines
   * (`secret`, the broker) or the auth method (`auth`, the verifier).
   *
   * @internal
   */
  public abstract _principal(spec: GatewaySpec, plugin: 'secret' | 'auth'): iam.IPrincipal;

  /**
   * Problems with the identity and its agreement with the spec, under `path`.
   *
   * @internal
   */
  public abstract _problems(c: ProblemCollector, path: string, spec: GatewaySpec | undefined): void;
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

  public _problems(c: ProblemCollector, path: string, spec: GatewaySpec | undefined): void {
    const arn = this.roleArn;
    if (typeof arn !== 'string' || (!Token.isUnresolved(arn) && !isRoleArn(arn))) {
      const what = arn === '*' ? 'is every principal'
        : typeof arn === 'string' && isAccountRootArn(arn) ? 'is an account root, which every principal of the account can act as'
          : typeof arn === 'string' && arn.includes(':assumed-role/') ? 'is a session, not the role'
            : 'is not an IAM role ARN';
      c.add(`${path}.roleArn`, arn, `the broker trusts exactly the Vault server's role, and this ${what}`,
        'pass the exact ARN of the role Vault runs as, e.g. arn:aws:iam::111122223333:role/vault-server');
    }
    const audience = spec?.vault?.workloadIdentityAudience;
    if (audience !== undefined) {
      c.add('spec.vault.workloadIdentityAudience', audience, 'the Vault plane then assumes the broker with plugin identity tokens, but the broker would trust a role',
        `use VaultServerIdentity.fromWorkloadIdentityFederation({ oidcProviderArn }) for ${path}, or remove workloadIdentityAudience from the spec`);
    }
  }
}

class FederatedIdentity extends VaultServerIdentity {
  public readonly description: string;

  constructor(private readonly options: VaultWorkloadIdentityOptions) {
    super();
    this.description = `Vault plugin identity tokens of ${issuerOf(options?.oidcProviderArn ?? '')}`;
  }

  public _principal(spec: GatewaySpec, plugin: 'secret' | 'auth'): iam.IPrincipal {
    const issuer = issuerOf(this.options.oidcProviderArn);
    const audience = this.options.audience ?? spec.vault!.workloadIdentityAudience!;
    // The pinned subjects are secrets mounts; the auth method's tokens carry its own subject.
    const exact = plugin === 'secret' && this.options.subjects !== undefined;
    const subjects = exact ? this.options.subjects! : [`plugin-identity:*:${plugin}:*`];
    return new iam.WebIdentityPrincipal(this.options.oidcProviderArn, {
      StringEquals: {
        [`${issuer}:aud`]: audience,
        ...(exact ? { [`${issuer}:sub`]: subjects } : {}),
      },
      ...(exact ? {} : { StringLike: { [`${issuer}:sub`]: subjects } }),
    });
  }

  public _problems(c: ProblemCollector, path: string, spec: GatewaySpec | undefined): void {
    const options = this.options ?? {};
    checkKnownKeys(c, path, options, FEDERATION_FIELDS, 'VaultWorkloadIdentityOptions');
    const arn = options.oidcProviderArn;
    if (typeof arn !== 'string' || (!Token.isUnresolved(arn) && !OIDC_PROVIDER_ARN.test(arn))) {
      c.add(`${path}.oidcProviderArn`, arn, 'the broker trusts tokens of exactly one OIDC provider, and this is not an IAM OIDC provider ARN',
        'pass arn:aws:iam::<account>:oidc-provider/<vault host>/v1/identity/oidc/plugins');
    }
    const specAudience = spec?.vault?.workloadIdentityAudience;
    if (specAudience === undefined) {
      c.add('spec.vault.workloadIdentityAudience', undefined, 'the broker trusts Vault\'s plugin identity tokens, so both planes need their audience',
        `set spec.vault.workloadIdentityAudience${options.audience ? ` to "${options.audience}"` : ' to an audience that names this gateway'}`);
    } else if (options.audience !== undefined && options.audience !== specAudience) {
      c.add(`${path}.audience`, options.audience, `the Vault plane sends the spec's audience "${specAudience}", so the broker would refuse every token`,
        'remove audience here (the spec\'s is used) or make the two equal');
    }
    for (const [i, subject] of (options.subjects ?? []).entries()) {
      if (typeof subject !== 'string' || (!Token.isUnresolved(subject) && !/^plugin-identity:[^*:]+:secret:[^*:]+$/.test(subject))) {
        c.add(`${path}.subjects[${i}]`, subject, 'each subject names one secrets mount exactly', 'use plugin-identity:<namespace id>:secret:<mount accessor>');
      }
    }
  }
}

/** Condition keys name the provider by its URL: the part of its ARN after `oidc-provider/`. */
function issuerOf(oidcProviderArn: string): string {
  return oidcProviderArn.split(':oidc-provider/')[1] ?? oidcProviderArn;
}
