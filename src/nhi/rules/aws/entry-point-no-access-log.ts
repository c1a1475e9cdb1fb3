import { NhiSeverity, OwaspNhi } from '../../finding';
import { asList, CfnResource } from '../../private/cfn-template';
import { AWS_FIXTURES, awsRule, AwsHit } from '../rule';
import { isWebsiteBucket, mentionedIds } from '../support/aws';

function accessLogsEnabled(attributes: unknown): boolean {
  return asList(attributes as Array<{ Key?: string; Value?: unknown }> | undefined)
    .some((a) => a?.Key === 'access_logs.s3.enabled' && String(a.Value) === 'true');
}

/** True when a CloudWatch Logs delivery source names the resource (CloudFront's standard logging, version 2). */
function deliversLogs(resources: Record<string, CfnResource>, logicalId: string): boolean {
  return Object.values(resources).some((r) => r.Type === 'AWS::Logs::DeliverySource' && mentionedIds(r.Properties?.ResourceArn).includes(logicalId));
}

export const EntryPointNoAccessLog = awsRule({
  id: 'NHI-ENTRY-POINT-NO-ACCESS-LOG',
  title: 'The gateway\'s entry point (API stage, load balancer, CloudFront distribution) keeps no access log',
  nhi: OwaspNhi.NHI1,
  nist: ['AU-2', 'AU-3', 'AU-12'],
  severity: NhiSeverity.MEDIUM,
  fix: 'enable access logging: AccessLogSetting on an API Gateway stage (StageDescription.AccessLogSetting on a deployment that creates its stage), AccessLogSettings on an HTTP API stage, access_logs.s3.enabled on a load balancer, Logging (or a log delivery) on a CloudFront distribution',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => {
    const hits: AwsHit[] = [];
    for (const [logicalId, resource] of Object.entries(ctx.model.resources)) {
      const props = resource.Properties ?? {};
      if (resource.Type === 'AWS::ApiGateway::Stage' && !(props.AccessLogSetting as { DestinationArn?: unknown } | undefined)?.DestinationArn) {
        hits.push({ logicalId, message: 'has no AccessLogSetting: no record says which caller sent which request' });
      }
      // A deployment with a StageName creates that stage itself; its StageDescription is the stage's settings.
      if (resource.Type === 'AWS::ApiGateway::Deployment' && props.StageName !== undefined && props.StageName !== ''
        && !(props.StageDescription as { AccessLogSetting?: { DestinationArn?: unknown } } | undefined)?.AccessLogSetting?.DestinationArn) {
        hits.push({ logicalId, message: 'creates its StageName stage with no StageDescription.AccessLogSetting: no record says which caller sent which request' });
      }
      if (resource.Type === 'AWS::ApiGatewayV2::Stage' && !(props.AccessLogSettings as { DestinationArn?: unknown } | undefined)?.DestinationArn) {
        hits.push({ logicalId, message: 'has no AccessLogSettings: no record says which caller sent which request' });
      }
      // CloudFront in front of an application (a custom origin, not a bucket) is the entry point
      // callers reach: with no standard logging and no log delivery, nothing records them there.
      if (resource.Type === 'AWS::CloudFront::Distribution') {
        const config = (props.DistributionConfig ?? {}) as { Logging?: unknown; Origins?: unknown };
        const custom = asList(config.Origins as Array<{ CustomOriginConfig?: unknown; DomainName?: unknown }> | undefined)
          .some((o) => o?.CustomOriginConfig !== undefined && !isWebsiteBucket(ctx.model, o.DomainName));
        if (custom && !config.Logging && !deliversLogs(ctx.model.resources, logicalId)) {
          hits.push({ logicalId, message: 'fronts an application origin with no Logging and no log delivery: no record says which caller sent which request' });
        }
      }
      if (resource.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer' && (props.Type ?? 'application') === 'application'
        && !accessLogsEnabled(props.LoadBalancerAttributes)) {
        hits.push({ logicalId, message: 'does not set access_logs.s3.enabled: no record says which caller sent which request' });
      }
    }
    // SAM: an explicit API, and the implicit `ServerlessRestApi` a function's Api event creates, which never logs access.
    for (const [logicalId, resource] of Object.entries(ctx.model.resources)) {
      const props = resource.Properties ?? {};
      if (resource.Type === 'AWS::Serverless::Api' && !(props.AccessLogSetting as { DestinationArn?: unknown } | undefined)?.DestinationArn) {
        hits.push({ logicalId, message: 'has no AccessLogSetting: no record says which caller sent which request' });
      }
      if (resource.Type === 'AWS::Serverless::HttpApi' && !(props.AccessLogSettings as { DestinationArn?: unknown } | undefined)?.DestinationArn) {
        hits.push({ logicalId, message: 'has no AccessLogSettings: no record says which caller sent which request' });
      }
    }
    const implicit = Object.values(ctx.model.resources).some((r) => r.Type === 'AWS::Serverless::Function'
      && Object.values((r.Properties?.Events ?? {}) as Record<string, { Type?: string; Properties?: { RestApiId?: unknown } }>)
        .some((event) => event?.Type === 'Api' && event.Properties?.RestApiId === undefined));
    if (implicit && !ctx.model.resources.ServerlessRestApi) {
      hits.push({ logicalId: 'ServerlessRestApi', message: 'is the API SAM creates for the functions\' Api events, which keeps no access log' });
    }
    return hits;
  },
});
