import { NhiSeverity, OwaspNhi } from '../../finding';
import { asList, TemplateModel } from '../../private/cfn-template';
import { AWS_FIXTURES, awsRule, AwsHit } from '../rule';
import { environmentEntries } from '../support/aws';

/**
 * Names under which a proxy keeps the key it checks callers against (LiteLLM's master key, a
 * gateway's shared API key). A provider's key (`OPENAI_API_KEY`) is what the proxy sends, not
 * what it checks, and is left out.
 */
const CALLER_KEY = /(^|_)(master|proxy|gateway|admin|auth|bearer|client|caller|access|shared|service|app)_?(api_?)?(key|token)s?$|^(api_?keys?|allowed_?(api_?)?keys|valid_?(api_?)?keys|auth_?tokens?|bearer_?tokens?)$/i;
const PROVIDER_PREFIX = /^(openai|anthropic|azure|cohere|gemini|google|mistral|hf|huggingface|groq|together|replicate|langfuse|langsmith|datadog|dd|sentry|aws|github|slack|stripe|perplexity|deepseek|xai|fireworks|voyage|pinecone|serper|tavily)_/i;

/** What authenticates callers by identity somewhere in the template, described for the message. */
function identityAuthentication(model: TemplateModel): boolean {
  return Object.values(model.resources).some((r) => {
    const props = r.Properties ?? {};
    switch (r.Type) {
      case 'AWS::Lambda::Url': return props.AuthType === 'AWS_IAM';
      case 'AWS::ApiGateway::Method': return ['AWS_IAM', 'COGNITO_USER_POOLS', 'CUSTOM'].includes(String(props.AuthorizationType));
      case 'AWS::ApiGateway::Authorizer':
      case 'AWS::ApiGatewayV2::Authorizer': return true;
      case 'AWS::ApiGatewayV2::Route': return ['AWS_IAM', 'JWT', 'CUSTOM'].includes(String(props.AuthorizationType));
      case 'AWS::ElasticLoadBalancingV2::Listener':
      case 'AWS::ElasticLoadBalancingV2::ListenerRule':
        return asList((props.DefaultActions ?? props.Actions) as Array<{ Type?: string }> | undefined)
          .some((a) => a?.Type === 'authenticate-oidc' || a?.Type === 'authenticate-cognito');
      case 'AWS::ElasticLoadBalancingV2::TrustStore': return true;
      default: return false;
    }
  });
}

export const SharedCallerKey = awsRule({
  id: 'NHI-SHARED-CALLER-KEY',
  title: 'Callers share one static bearer key that the proxy checks as their only authentication',
  nhi: OwaspNhi.NHI4,
  nist: ['IA-2', 'IA-5(7)', 'IA-9'],
  severity: NhiSeverity.HIGH,
  fix: 'authenticate each caller with its own identity (IAM SigV4, an OIDC or Cognito authorizer, mTLS) and keep per-caller keys only behind it',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => {
    if (identityAuthentication(ctx.model)) return [];
    const keysOf = new Map<string, string[]>();
    for (const entry of environmentEntries(ctx.model)) {
      // MASTER_KEY_SECRET_ARN names where the proxy reads the key from: the same single key.
      const base = entry.name.replace(/_(secret_?)?(arn|name|id)$/i, '');
      if (!CALLER_KEY.test(base) || PROVIDER_PREFIX.test(base) || /_header$/i.test(base)) continue;
      keysOf.set(entry.logicalId, [...(keysOf.get(entry.logicalId) ?? []), `${entry.name}${entry.fromSecret ? ' (from a secret)' : ''}`]);
    }
    const hits: AwsHit[] = [...keysOf].map(([logicalId, names]) => ({
      logicalId,
      message: `checks callers against one static key (${names.join(', ')}), and nothing in the template authenticates callers by identity`,
    }));
    return hits;
  },
});
