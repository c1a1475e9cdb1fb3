import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as signer from 'aws-cdk-lib/aws-signer';
import { Construct } from 'constructs';
import { ProblemCollector } from '../problems/problem-collector';
import { GatewayBlueprint } from '../spec';

/** Lambda accepts at most this many signing profile versions as a code signing config's publishers. */
const MAX_SIGNING_PROFILES = 20;

/**
 * Whether, and how strictly, Lambda checks the signature of the router cells' code. One
 * `lambda.CodeSigningConfig` is created for the gateway and attached to every cell.
 *
 * With `enforce`, Lambda refuses to deploy a router package that is not signed by one of the
 * profiles. The asset `cdk deploy` uploads is not signed, so the pipeline must sign the router's
 * package (the staged asset: the bundle and the routing table) with one of the profiles and deploy
 * that; otherwise the deployment fails. With `warn`, unsigned or untrusted code is deployed and
 * Lambda records a warning in CloudWatch, which is a way to roll signing out before enforcing it.
 */
export class RouterCodeSigning {
  /**
   * Lambda refuses router code not signed by one of these profiles.
   *
   * @param signingProfiles the AWS Signer profiles whose signatures are trusted (1 to 20)
   */
  public static enforce(signingProfiles: signer.ISigningProfile[]): RouterCodeSigning {
    return new RouterCodeSigning(signingProfiles, lambda.UntrustedArtifactOnDeployment.ENFORCE);
  }

  /**
   * Lambda deploys router code whatever its signature, and logs a warning for code not signed by
   * one of these profiles.
   *
   * @param signingProfiles the AWS Signer profiles whose signatures are trusted (1 to 20)
   */
  public static warn(signingProfiles: signer.ISigningProfile[]): RouterCodeSigning {
    return new RouterCodeSigning(signingProfiles, lambda.UntrustedArtifactOnDeployment.WARN);
  }

  /** The profiles whose signatures Lambda trusts. */
  public readonly signingProfiles: signer.ISigningProfile[];
  /** What Lambda does with code they did not sign. */
  public readonly untrustedArtifactOnDeployment: lambda.UntrustedArtifactOnDeployment;

  private constructor(signingProfiles: signer.ISigningProfile[], untrusted: lambda.UntrustedArtifactOnDeployment) {
    this.signingProfiles = [...(signingProfiles ?? [])];
    this.untrustedArtifactOnDeployment = untrusted;
  }

  /** @internal */
  public _problems(c: ProblemCollector, path: string): void {
    const count = this.signingProfiles.length;
    if (count < 1 || count > MAX_SIGNING_PROFILES) {
      c.add(`${path}.signingProfiles`, this.signingProfiles, `Lambda trusts 1 to ${MAX_SIGNING_PROFILES} signing profiles per code signing config`,
        `pass 1 to ${MAX_SIGNING_PROFILES} signer.SigningProfile (or signer.SigningProfile.fromSigningProfileAttributes) values`);
    }
  }

  /** The one code signing config of a gateway's router cells. @internal */
  public _create(scope: Construct, id: string, blueprint: GatewayBlueprint): lambda.CodeSigningConfig {
    return new lambda.CodeSigningConfig(scope, id, {
      signingProfiles: this.signingProfiles,
      untrustedArtifactOnDeployment: this.untrustedArtifactOnDeployment,
      description: `Router cells of gateway ${blueprint.name}: code not signed by the listed profiles is ${this.untrustedArtifactOnDeployment === lambda.UntrustedArtifactOnDeployment.ENFORCE ? 'refused' : 'deployed with a warning'}`.slice(0, 256),
    });
  }
}
