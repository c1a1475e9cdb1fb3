import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Acknowledges one rule finding on one construct, with its reason, as `Validations.acknowledge`
 * does. cdk-nag names a wildcard-resource finding after the resource
 * (`AwsSolutions-IAM5[Resource::<ARN>]`), and an IAM ARN holds `::` itself, which
 * `Validations.acknowledge` refuses to parse; such an id is recorded in the same metadata entry
 * that `acknowledge` writes and cdk-nag reads.
 */
export function acknowledgeFinding(scope: IConstruct, id: string, reason: string): void {
  if (id.split('::').length <= 2) {
    Validations.of(scope).acknowledge({ id, reason });
  } else {
    scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
  }
}
