import { NhiSeverity, OwaspNhi } from '../../finding';
import { asList, TemplateModel } from '../../private/cfn-template';
import { AWS_FIXTURES, awsRule, AwsHit } from '../rule';
import { EnvironmentEntry, environmentEntries, secretOfValue } from '../support/aws';

/**
 * Names under which a proxy keeps the key it checks callers against (LiteLLM's master key, a
 * gateway's shared API key). A provider's key (`OPENAI_API_KEY`) is what the proxy sends, not
 * what it checks, and is left out.
 */
const CALLER_KEY = /(^|_)(master|proxy|gateway|admin|auth|bearer|client|caller|access|shared|service|app)_?(api_?)?(key|token)s?$|^(api_?keys?|allowed_?(api_?)?keys|valid_?(api_?)?keys|auth_?tokens?|bearer_?tokens?)$/i;
const PROVIDER_PREFIX = /^(openai|anthropic|azure|cohere|gemini|google|mistral|hf|huggingface|groq|together|replicate|langfuse|langsmith|datadog|dd|sentry|aws|github|slack|stripe|perplexity|deepseek|xai|fireworks|voyage|pinecone|serper|tavily)_/i;

/**
 * The suffix of a name that says where a key is kept rather than holding it: a secret's ARN, name
 * or id (`_SECRET_ARN`), an SSM parameter's name, ARN or path (`_PARAM_NAME`, `_SSM_PARAMETER`).
 */
const STORE_SUFFIX = /_(secret_?)?(arn|name|id)$|_(ssm_?)?(param|parameter)(_?(arn|name|path|id))?$|_ssm(_?(arn|name|path))?$/i;

/** True for a store's name worth showing: a parameter path or an ARN under a store-naming variable, never a value. */
const storeName = (name: string, value: unknown) => STORE_SUFFIX.test(name) && typeof value === 'string' && /^(\/[\w./-]+|arn:[\w:/.-]+)$/.test(value);

/** A proxy's admin key, which mints per-caller keys when the proxy has a database for them. */
const ADMIN_KEY = /(^|_)(master|admin)_?(api_?)?(key|token)s?$/i;
const DATABASE_URL = /^(database|db)_(url|uri|connection_string)$/i;

/** A database connection given in parts (`DB_HOST` beside `DB_USER`, `DATABASE_HOST` beside `DATABASE_USERNAME`), which the proxy joins into its URL. */
const DATABASE_HOST = /^(database|db)_(host|hostname|endpoint|address)$/i;
/**
 * Where a proxy keeps per-caller keys when it is not a SQL database: a table or a secret prefix
 * named for callers' keys (`DYNAMODB_API_KEYS_TABLE`, `CLIENT_KEYS_SECRET_PREFIX`). A table of
 * provider keys holds what the proxy sends, not what callers present, and is left out.
 */
const CALLER_KEY_STORE = /(^|_)(api|caller|client|consumer|tenant|user|virtual|access)_?keys?_(table|table_name|table_arn|store|secret_prefix|prefix|secrets_prefix)$/i;

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

/** Service principals that front HTTP callers when they may invoke a function: API Gateway, load balancers, VPC Lattice. */
const HTTP_FRONT_PRINCIPALS = /^(apigateway|elasticloadbalancing|vpc-lattice)\.amazonaws\.com$/;

/** SAM event sources that put an HTTP API in front of the function. */
const SAM_HTTP_EVENTS = ['Api', 'HttpApi'];

/**
 * The functions an HTTP caller can reach, and whether that is known for every function: a function
 * URL targets it, an invoke permission lets an HTTP front (API Gateway, a load balancer, VPC
 * Lattice, anyone) call it, or SAM puts an API in front of it. A permission whose function or
 * principal cannot be read may front any function, so then every function counts as reachable.
 */
function httpReachable(model: TemplateModel): { functions: Set<string>; all: boolean } {
  const functions = new Set<string>();
  let all = false;
  const target = (value: unknown) => {
    const id = model.targetOf(value)?.logicalId;
    if (id) functions.add(id);
    else all = true;
  };
  for (const [, url] of model.ofType('AWS::Lambda::Url')) target(url.Properties?.TargetFunctionArn);
  for (const [, permission] of model.ofType('AWS::Lambda::Permission')) {
    const principal = permission.Properties?.Principal;
    const fronts = typeof principal !== 'string' || principal === '*' || HTTP_FRONT_PRINCIPALS.test(principal) || permission.Properties?.FunctionUrlAuthType !== undefined;
    if (fronts) target(permission.Properties?.FunctionName);
  }
  for (const [logicalId, fn] of Object.entries(model.resources)) {
    const events = Object.values((fn.Properties?.Events ?? {}) as Record<string, { Type?: unknown }>);
    if (events.some((e) => SAM_HTTP_EVENTS.includes(String(e?.Type)))) functions.add(logicalId);
  }
  return { functions, all };
}

/** True for a function no HTTP caller can reach: the key it holds authenticates no caller. */
function unreachableFunction(model: TemplateModel, logicalId: string, reachable: { functions: Set<string>; all: boolean }): boolean {
  const type = model.resources[logicalId]?.Type;
  return (type === 'AWS::Lambda::Function' || type === 'AWS::Serverless::Function') && !reachable.all && !reachable.functions.has(logicalId);
}

/**
 * True when another container of the same task is given the same key under another name (a
 * sidecar's `API_KEY` and the main container's `CODE_EXECUTION_API_KEY`, from one parameter): the
 * key authenticates one container to its neighbour over the task's loopback, not outside callers.
 */
function sidecarKey(entry: EnvironmentEntry, entries: EnvironmentEntry[]): boolean {
  if (entry.container === undefined || entry.value === undefined || entry.value === null || entry.value === '') return false;
  const value = JSON.stringify(entry.value);
  return entries.some((other) => other.logicalId === entry.logicalId && other.container !== undefined && other.container !== entry.container
    && other.name !== entry.name && JSON.stringify(other.value) === value);
}

/** A value that names a store: a reference into a stack or a non-empty name, not an empty or switched-off setting. */
function namesAStore(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'object') return true;
  const text = String(value).trim();
  return text !== '' && !/^(false|none|null|disabled?|0)$/i.test(text);
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
    const reachable = httpReachable(ctx.model);
    // A function no HTTP caller can reach (invoked by a queue, a schedule, another service) checks no caller.
    const entries = environmentEntries(ctx.model).filter((e) => !unreachableFunction(ctx.model, e.logicalId, reachable));
    // A proxy's admin key beside the database it keeps per-caller keys in (LiteLLM's master key
    // with DATABASE_URL, or the URL's parts), or beside the table or secret prefix it looks callers' keys up in, is
    // an administrator's break-glass key: callers present their own keys, not this one.
    // A file database inside the container (`sqlite:////tmp/proxy.db`) is lost with the task: it keeps no callers' keys.
    const fileDatabase = (value: unknown) => typeof value === 'string' && /^(sqlite(\+\w+)?|file):/i.test(value.trim());
    const namesDatabase = (e: (typeof entries)[number]) => (DATABASE_URL.test(e.name) && !fileDatabase(e.value)) || DATABASE_HOST.test(e.name);
    const withDatabase = new Set(entries.filter((e) => namesDatabase(e) || (CALLER_KEY_STORE.test(e.name) && namesAStore(e.value)))
      .map((e) => e.logicalId));
    const keyEntries = entries.filter((entry) => {
      // MASTER_KEY_SECRET_ARN or API_KEY_PARAM_NAME names where the proxy reads the key from (a
      // secret, an SSM parameter): the same single key, when the value names a store.
      const base = entry.name.replace(STORE_SUFFIX, '');
      if (base !== entry.name && !namesAStore(entry.value)) return false;
      if (!CALLER_KEY.test(base) || PROVIDER_PREFIX.test(base) || /_header$/i.test(base)) return false;
      if (sidecarKey(entry, entries)) return false;
      return !(ADMIN_KEY.test(base) && withDatabase.has(entry.logicalId));
    });
    for (const logicalId of new Set(keyEntries.map((e) => e.logicalId))) {
      const own = keyEntries.filter((e) => e.logicalId === logicalId);
      // A key the function or task reads only from one secret of this template is reported on that
      // secret, where it is kept, rotated and shared; otherwise on the function or task.
      const secrets = new Set(own.map((e) => secretOfValue(ctx.model, e.value)));
      const [secret] = secrets;
      const where = secrets.size === 1 && secret !== undefined ? secret : logicalId;
      const names = own.map((e) => `${e.name}${storeName(e.name, e.value) ? ` = ${e.value}` : ''}${e.fromSecret ? ' (from a secret)' : ''}${where !== logicalId ? ` of ${logicalId}` : ''}`);
      keysOf.set(where, [...(keysOf.get(where) ?? []), ...names]);
    }
    // A function URL with AuthType NONE takes requests from anyone: the key is all that stands in the way.
    const publicUrls = new Set(ctx.model.ofType('AWS::Lambda::Url').filter(([, u]) => u.Properties?.AuthType === 'NONE')
      .map(([, u]) => ctx.model.targetOf(u.Properties?.TargetFunctionArn)?.logicalId).filter((id): id is string => !!id));
    const hits: AwsHit[] = [...keysOf].map(([logicalId, names]) => ({
      logicalId,
      message: `checks callers against one static key (${names.join(', ')}), and nothing in the template authenticates callers by identity${publicUrls.has(logicalId) ? '; its function URL (AuthType NONE) takes requests from anyone' : ''}`,
    }));
    return hits;
  },
});
