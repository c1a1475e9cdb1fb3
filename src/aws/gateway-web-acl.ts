import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { GatewayBlueprint } from '../spec';
import { fieldsOf, refuseUnknownProps } from './private/known-fields';

/**
 * Properties of the gateway's web ACL.
 */
export interface GatewayWebAclProps {
  /** The gateway. */
  readonly blueprint: GatewayBlueprint;

  /** The key the WAF log is encrypted with. Its policy must let CloudWatch Logs use it for the WAF log group. */
  readonly logKey: kms.IKey;

  /**
   * Requests one source address may make in five minutes before WAF blocks it (at least 10).
   *
   * @default 1000
   */
  readonly wafRateLimit?: number;
}

const GATEWAY_WEB_ACL_FIELDS = fieldsOf<GatewayWebAclProps>({ blueprint: true, logKey: true, wafRateLimit: true });

/**
 * The web ACL in front of every API stage of a gateway: a per-source rate limit and AWS's
 * known-bad-inputs and IP-reputation rule groups, logged to an encrypted log group with the
 * callers' signatures and session tokens redacted. One web ACL serves all of the gateway's APIs,
 * so its cost does not grow with tenants.
 */
export class GatewayWebAcl extends Construct {
  /** The web ACL. */
  public readonly webAcl: wafv2.CfnWebACL;
  /** The log group WAF logs to. */
  public readonly wafLog: logs.LogGroup;

  constructor(scope: Construct, id: string, props: GatewayWebAclProps) {
    super(scope, id);
    refuseUnknownProps('GatewayWebAcl', props, GATEWAY_WEB_ACL_FIELDS);
    const { blueprint } = props;
    const naming = blueprint.naming;
    this.wafLog = new logs.LogGroup(this, 'WafLog', {
      logGroupName: naming.wafLogGroupName,
      encryptionKey: props.logKey,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: naming.webAclName,
      description: `Rate limit and known-bad inputs in front of gateway ${blueprint.name}.`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      // Sampled requests would keep callers' signed headers, session tokens included.
      visibilityConfig: visibility(`${blueprint.name}-api`),
      rules: [
        {
          name: 'RateLimitPerSource',
          priority: 0,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: props.wafRateLimit ?? 1000, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
          visibilityConfig: visibility(`${blueprint.name}-rate-limit`),
        },
        // Prompts are free text: rule groups that block SQL or script-like text (the common rule
        // set) would refuse legitimate requests, so only known-bad inputs and sources are blocked.
        managedRule('AWSManagedRulesKnownBadInputsRuleSet', 1, blueprint.name),
        managedRule('AWSManagedRulesAmazonIpReputationList', 2, blueprint.name),
      ],
    });
    const logging = new wafv2.CfnLoggingConfiguration(this, 'WebAclLogging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [naming.logGroupArn(naming.wafLogGroupName)],
      // The signature and the caller's session token stay out of the log.
      redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'x-amz-security-token' } }],
    });
    logging.node.addDependency(this.wafLog);
  }
}

function visibility(metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: false };
}

function managedRule(name: string, priority: number, gateway: string): wafv2.CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
    visibilityConfig: visibility(`${gateway}-${name}`),
  };
}
