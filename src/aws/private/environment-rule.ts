import { Aws, CfnRule, Fn, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { GatewayBlueprint } from '../../spec';

/**
 * Makes the stack that holds `scope` refuse, at deploy time, any account, region or partition
 * other than the spec's. Every ARN and name of the gateway is derived from the spec at synth, so
 * a stack without `env` deployed elsewhere would otherwise deploy with wrong ARNs. One rule per
 * gateway and stack, however many of its constructs the stack holds.
 */
export function assertSpecEnvironment(scope: Construct, blueprint: GatewayBlueprint): void {
  const stack = Stack.of(scope);
  const id = `Gateward-${blueprint.name}-Environment`;
  if (stack.node.tryFindChild(id)) return;
  const where = `gateway ${blueprint.name}'s spec (spec.aws)`;
  new CfnRule(stack, id, {
    assertions: [
      {
        assert: Fn.conditionEquals(Aws.ACCOUNT_ID, blueprint.account),
        assertDescription: `This stack deploys only to account ${blueprint.account}, the one ${where} names: its ARNs are derived from it.`,
      },
      {
        assert: Fn.conditionEquals(Aws.REGION, blueprint.region),
        assertDescription: `This stack deploys only to region ${blueprint.region}, the one ${where} names: its ARNs are derived from it.`,
      },
      {
        assert: Fn.conditionEquals(Aws.PARTITION, blueprint.partition),
        assertDescription: `This stack deploys only to partition ${blueprint.partition}, the one ${where} names: its ARNs are derived from it.`,
      },
    ],
  });
}
