/**
 * The variables through which the AWS SDK for JavaScript takes a service's endpoint
 * (`AWS_ENDPOINT_URL_<service id>`), by endpoint. The router's clients set no endpoint of their
 * own, so these reach them unchanged.
 */
export const ENDPOINT_URL_ENV: Record<string, string> = {
  VerifiedPermissions: 'AWS_ENDPOINT_URL_VERIFIEDPERMISSIONS',
  BedrockRuntime: 'AWS_ENDPOINT_URL_BEDROCK_RUNTIME',
  SecretsManager: 'AWS_ENDPOINT_URL_SECRETS_MANAGER',
};
