/**
 * Where Vault sends its AWS API calls: the router's login check (`sts:GetCallerIdentity`, and
 * `iam:GetRole` to resolve the role's unique id) and each tenant's credential issuance
 * (`sts:AssumeRole`). Leave it unset against AWS itself; set it to point both at an emulator.
 *
 * Each endpoint is an `https://` URL, or an `http://` URL on a loopback host (an emulator on the
 * Vault server's own machine); plain http to any other host would send signed requests in clear.
 */
export interface AwsApiEndpoints {
  /**
   * The STS endpoint.
   *
   * @default - the regional STS endpoint of the spec's region and partition
   */
  readonly stsEndpoint?: string;

  /**
   * The IAM endpoint.
   *
   * @default - AWS's IAM endpoint of the partition
   */
  readonly iamEndpoint?: string;

  /**
   * The region the auth method signs its STS calls for.
   *
   * @default - the spec's region
   */
  readonly stsRegion?: string;
}
