import { NhiSeverity, OwaspNhi } from '../../finding';
import { asList } from '../../private/cfn-template';
import { AWS_FIXTURES, awsRule, AwsHit } from '../rule';
import { describeValue, isUnresolvedValue, isWebsiteBucket, referencedId } from '../support/aws';

function redirectsToHttps(actions: unknown): boolean {
  const list = asList(actions as Array<{ Type?: string; RedirectConfig?: { Protocol?: string } }> | undefined);
  return list.length > 0 && list.every((a) => a?.Type === 'redirect' && String(a.RedirectConfig?.Protocol ?? '').toUpperCase() === 'HTTPS');
}

export const HttpListener = awsRule({
  id: 'NHI-HTTP-LISTENER',
  title: 'An internet-facing entry point accepts plain HTTP, so bearer keys cross the network in clear',
  nhi: OwaspNhi.NHI2,
  nist: ['SC-8', 'SC-8(1)', 'IA-5(1)'],
  severity: NhiSeverity.HIGH,
  fix: 'listen on HTTPS only (a TLS certificate on the listener) and redirect port 80 to HTTPS; CloudFront: ViewerProtocolPolicy redirect-to-https or https-only',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => {
    const { model } = ctx;
    const hits: AwsHit[] = [];
    for (const [logicalId, listener] of model.ofType('AWS::ElasticLoadBalancingV2::Listener')) {
      const props = listener.Properties ?? {};
      if (String(props.Protocol ?? '').toUpperCase() !== 'HTTP' || redirectsToHttps(props.DefaultActions)) continue;
      const lbId = referencedId(props.LoadBalancerArn);
      const scheme = lbId ? model.resources[lbId]?.Properties?.Scheme : undefined;
      if (scheme === 'internal') continue;
      const where = isUnresolvedValue(scheme) ? `, and its load balancer's Scheme is ${describeValue(scheme)}` : ' on an internet-facing load balancer';
      hits.push({ logicalId, message: `accepts HTTP on port ${props.Port ?? 80}${where}: callers' Authorization headers travel unencrypted` });
    }
    for (const [logicalId, distribution] of model.ofType('AWS::CloudFront::Distribution')) {
      const config = (distribution.Properties?.DistributionConfig ?? {}) as Record<string, unknown>;
      const behaviours = [config.DefaultCacheBehavior, ...asList(config.CacheBehaviors as unknown[] | undefined)];
      if (behaviours.some((b) => (b as { ViewerProtocolPolicy?: string } | undefined)?.ViewerProtocolPolicy === 'allow-all')) {
        hits.push({ logicalId, message: 'serves viewers over HTTP (ViewerProtocolPolicy allow-all): callers\' Authorization headers travel unencrypted' });
      }
      // A bucket's website endpoint speaks HTTP only and serves static files: no caller's key goes there.
      type Origin = { Id?: string; DomainName?: unknown; CustomOriginConfig?: { OriginProtocolPolicy?: string } };
      const origins = config.Origins as Origin[] | undefined;
      const plainOrigins = asList(origins)
        .filter((o) => o?.CustomOriginConfig?.OriginProtocolPolicy === 'http-only' && !isWebsiteBucket(model, o.DomainName));
      if (plainOrigins.length > 0) {
        hits.push({
          logicalId,
          message: `forwards callers' requests to ${plainOrigins.map((o) => `origin ${o.Id ?? '?'}`).join(', ')} over plain HTTP (OriginProtocolPolicy http-only): their Authorization headers cross the network between CloudFront and the origin in clear`,
        });
      }
    }
    return hits;
  },
});
