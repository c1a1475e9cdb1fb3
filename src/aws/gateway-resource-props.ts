import * as iam from 'aws-cdk-lib/aws-iam';
import { GatewayBlueprint } from '../spec';

/**
 * What every construct of the AWS plane that creates IAM roles is given.
 */
export interface GatewayResourceProps {
  /** The gateway, validated, with its derived names. */
  readonly blueprint: GatewayBlueprint;

  /**
   * A permissions boundary for every role the construct creates.
   *
   * @default - no boundary
   */
  readonly permissionsBoundary?: iam.IManagedPolicy;
}
