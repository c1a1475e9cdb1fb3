import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { GatewayApi, RouterFunction, RouterRole } from '../../src';
// The plane's building blocks are not exported from the package; they are built by the plane alone.
import { AuditBuckets } from '../../src/aws/audit-buckets';
import { AuditSinks } from '../../src/aws/audit-sinks';
import { AuditTrail } from '../../src/aws/audit-trail';
import { BrokerRole } from '../../src/aws/broker-role';
import { DecisionLog } from '../../src/aws/decision-log';
import { KeyAgeMonitor } from '../../src/aws/key-age-monitor';
import { GatewayPolicyStore } from '../../src/aws/policy-store';
import { ProviderKeySecret } from '../../src/aws/provider-key-secret';
import { TargetRole } from '../../src/aws/target-role';
import { VaultAuthVerifier } from '../../src/aws/vault-auth-verifier';

// Every construct of the AWS plane refuses a prop it does not have, naming it, before anything
// else: a misspelt optional prop would otherwise be dropped and its setting silently not made.

type AnyConstruct = new (scope: Construct, id: string, props: any) => Construct;

test.each([
  ['AuditBuckets', AuditBuckets, 'retentionDay', 'retentionDays'],
  ['AuditTrail', AuditTrail, 'logRetentions', 'logRetention'],
  ['AuditSinks', AuditSinks, 'auditLockmode', 'auditLockMode'],
  ['DecisionLog', DecisionLog, 'retension', 'retention'],
  ['KeyAgeMonitor', KeyAgeMonitor, 'alarmTopik', 'alarmTopic'],
  ['GatewayPolicyStore', GatewayPolicyStore, 'deletionProtect', 'deletionProtection'],
  ['ProviderKeySecret', ProviderKeySecret, 'rotations', 'rotation'],
  ['RouterRole', RouterRole, 'assumeBy', 'assumedBy'],
  ['TargetRole', TargetRole, 'providerkey', 'providerKey'],
  ['BrokerRole', BrokerRole, 'sessionTags', undefined],
  ['VaultAuthVerifier', VaultAuthVerifier, 'vaultserver', 'vaultServer'],
  ['RouterFunction', RouterFunction, 'memory', 'memorySize'],
  ['GatewayApi', GatewayApi, 'wafRateLimits', 'wafRateLimit'],
] as Array<[string, AnyConstruct, string, string | undefined]>)('%s refuses the unknown prop %s', (name, type, typo, meant) => {
  const stack = new cdk.Stack(new cdk.App(), 's');
  const fix = meant ? `did you mean "${meant}"? Rename or remove it` : `remove it; the fields of ${name}Props are`;
  expect(() => new type(stack, 'X', { [typo]: 1 })).toThrow(`${name} is invalid (1 problem):\n  - props.${typo}: is not a field of ${name}Props (got "${typo}"). Fix: ${fix}`);
});
