import { randomUUID } from 'crypto';
import { VerifiedPermissionsClient } from '@aws-sdk/client-verifiedpermissions';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { AuthorizationRequest, IAuthorizer, PolicyStoreAuthorizer } from './authorizer';
import { CallerIndex } from './caller';
import { RouterSettings } from './config';
import { ANSWER_MARGIN_MS, Deadline, DeadlineTimers, InvocationTime, REAL_TIMERS } from './deadline';
import { errorName, ReasonCode, RouterError } from './errors';
import { forgedEventProblems } from './event-origin';
import { ConsoleIdentityChainLog, IdentityChainRecord, IIdentityChainLog } from './identity-chain';
import { AwsEndpoints, BedrockInvoker, IBedrockInvoker, IProviderInvoker, ProviderInvoker } from './model-clients';
import { SecretRegistry } from './secret-registry';
import { ICredentialSource, VaultClient } from './vault-client';
import { ChatRequest, ChatResponse, GuardrailConfig, parseChatRequest, requestedTools } from './wire';
import { CedarAction, CedarEntityType } from '../contract/cedar-vocabulary';
import { RoutedGuardrail, RoutedProviderKey, RoutedTenant, tenantChatPath } from '../contract/router-routes';

/** What the router works with; `createRouter` wires the real clients. */
export interface RouterDependencies {
  readonly settings: RouterSettings;
  readonly authorizer: IAuthorizer;
  readonly credentials: ICredentialSource;
  readonly bedrock: IBedrockInvoker;
  readonly providers: IProviderInvoker;
  readonly log: IIdentityChainLog;
  readonly clock?: () => number;
  /** What request deadlines run on. @default real time */
  readonly deadlineTimers?: DeadlineTimers;
}

type Draft = { -readonly [K in keyof IdentityChainRecord]?: IdentityChainRecord[K] };
type Latency = { -readonly [K in 'authorize' | 'credentials' | 'model']?: number };
/** What a request is waiting for, to name it when the deadline passes. */
type Progress = { waitingFor: string };

/**
 * One tenant's router cell: check that the event came from the cell's API method, resolve the
 * signed caller to a workload of the tenant the cell serves, authorize every resource the request
 * uses with the policy store, then (and only then) read the tenant target's credentials from
 * Vault and call the model with them. One identity-chain record per request, whatever the outcome.
 */
export class Router {
  private readonly clock: () => number;
  private readonly callers: CallerIndex;
  private readonly providerKeys: Map<string, RoutedProviderKey>;

  constructor(private readonly deps: RouterDependencies) {
    this.clock = deps.clock ?? Date.now;
    // Indexed once: a request costs lookups, not scans, however many tenants the table holds.
    this.callers = new CallerIndex(deps.settings.routes);
    this.providerKeys = new Map(deps.settings.tenant.providerKeys.map((k) => [k.id, k]));
  }

  /**
   * Answers one API Gateway event. With the Lambda context, the request ends (answered and
   * logged) a margin before the invocation's time runs out, whatever it is waiting for.
   */
  public async handle(event: APIGatewayProxyEvent, context?: InvocationTime): Promise<APIGatewayProxyResult> {
    const started = this.clock();
    const deadline = Deadline.forInvocation(context, ANSWER_MARGIN_MS, this.deps.deadlineTimers ?? REAL_TIMERS);
    const requestId = event?.requestContext?.requestId || randomUUID();
    const record: Draft = { callerArn: event?.requestContext?.identity?.userArn ?? undefined };
    const latency: Latency = {};
    const progress: Progress = { waitingFor: 'The router' };
    let result: APIGatewayProxyResult;
    let outcome: IdentityChainRecord['outcome'];
    try {
      // The race ends the request at the deadline even if a step ignores its abort signal.
      const answer = await deadline.race(this.serve(event, requestId, record, latency, progress, deadline), () => progress.waitingFor);
      outcome = { status: 200, reason: 'OK' };
      result = respond(200, answer, requestId);
    } catch (error) {
      const failure = error instanceof RouterError ? error : unexpected(error);
      // The caller learns nothing of an unexpected failure; the record names its class.
      const message = error instanceof RouterError ? failure.message : `${failure.message} (${errorName(error)})`;
      outcome = { status: failure.status, reason: failure.reason, message };
      result = respond(failure.status, { error: { code: failure.reason, message: failure.message, requestId } }, requestId);
    } finally {
      deadline.close();
    }
    this.deps.log.write({
      type: 'gateward.identity-chain',
      version: 1,
      timestamp: new Date(started).toISOString(),
      gateway: this.deps.settings.routes.gateway,
      cell: this.deps.settings.tenant.id,
      requestId,
      ...record,
      latencyMs: { total: this.clock() - started, ...latency },
      outcome,
    });
    return result;
  }

  private async serve(
    event: APIGatewayProxyEvent, requestId: string, record: Draft, latency: Latency, progress: Progress, deadline: Deadline,
  ): Promise<ChatResponse> {
    const { tenant, method } = this.deps.settings;
    // Before anything else is read from the event: an event API Gateway did not send is refused
    // without asking the policy store or reading a credential.
    const forged = forgedEventProblems(event, method);
    if (forged.length > 0) {
      throw new RouterError(ReasonCode.FORGED_EVENT, `The event did not come from this router cell's API method: ${forged.join('; ')}.`);
    }
    const workload = this.callers.workloadOf(event.requestContext.identity);
    if (!workload) throw new RouterError(ReasonCode.CALLER_UNKNOWN, 'The caller is not a workload of this gateway.');
    record.workload = workload.id;
    record.tenant = workload.tenant;
    // A cell serves one tenant; the API's resource policy admits no other tenant's workload on
    // its path, and the cell refuses one itself, so its Vault token is never used for another.
    if (workload.tenant !== tenant.id) {
      throw new RouterError(ReasonCode.TENANT_NOT_SERVED,
        `Workload ${workload.id} belongs to tenant ${workload.tenant}; this router cell serves tenant ${tenant.id} only. Call your tenant's path, ${tenantChatPath(workload.tenant)}.`);
    }

    const request = parseChatRequest(event.body, event.isBase64Encoded);
    // A workload acts for its own tenant only. The router refuses any other itself, before the
    // policy store is asked or a credential read, so the refusal does not rest on a policy that
    // a policy-store writer could delete (the store's forbid stays, as a second line).
    if (request.tenant !== undefined && request.tenant !== workload.tenant) {
      record.claimedTenant = request.tenant;
      throw new RouterError(ReasonCode.TENANT_MISMATCH,
        `Workload ${workload.id} belongs to tenant ${workload.tenant} and cannot make a request for tenant ${request.tenant}; omit "tenant" or set it to "${workload.tenant}".`);
    }
    const tenantId = tenant.id;
    // Like the tenant, the guardrail is checked before the policy store is asked: the target role
    // may apply the tenant's guardrails only, so any other would fail at Bedrock after a credential read.
    if (request.guardrailConfig) checkGuardrail(request.guardrailConfig, tenantId, tenant.guardrails);
    const key = request.providerKey ? this.providerKeys.get(request.providerKey) : undefined;
    record.model = request.modelId;
    record.providerKey = request.providerKey;

    // Every resource the request would use is authorized before any credential is requested.
    const asks = authorizationRequests(workload, tenantId, tenant, key, request, requestId);
    record.action = asks[0].action;
    record.resources = asks.map((a) => `${a.resourceType}::${a.resourceId}`);
    const authorizeStart = this.clock();
    progress.waitingFor = 'The policy store';
    const decisions = await Promise.all(asks.map((a) => this.deps.authorizer.authorize(a, deadline)));
    latency.authorize = this.clock() - authorizeStart;
    record.determiningPolicies = [...new Set(decisions.flatMap((d) => d.determiningPolicies))].sort();
    const denied = asks.filter((_, i) => !decisions[i].allowed);
    record.decision = denied.length === 0 ? 'ALLOW' : 'DENY';
    if (denied.length > 0) {
      throw new RouterError(ReasonCode.DENIED_BY_POLICY, `Denied: ${denied.map((a) => `${a.action} on ${a.resourceType} ${a.resourceId}`).join('; ')}.`);
    }

    const path = request.providerKey ? key?.credentialsPath : tenant.modelsCredentialsPath;
    if (!path) throw new RouterError(ReasonCode.NO_ROUTE, `Tenant ${tenantId} has no credentials for this request.`);
    // A provider the router cannot call, or not over https, is refused before its key target's
    // credentials are issued.
    if (key) this.deps.providers.endpointFor(key.provider);
    record.credentialsPath = path;
    const credentialsStart = this.clock();
    progress.waitingFor = 'Vault';
    const credentials = await this.deps.credentials.awsCredentials(path, deadline);
    latency.credentials = this.clock() - credentialsStart;
    record.vaultTokenAccessor = credentials.tokenAccessor;
    record.vaultLeaseId = credentials.leaseId;
    record.assumedRoleArn = credentials.assumedRoleArn;
    record.assumedRoleSessionName = credentials.assumedRoleArn?.split('/').pop();
    record.credentialsReused = credentials.reused;

    const modelStart = this.clock();
    progress.waitingFor = key ? `Provider "${key.provider}"` : 'Bedrock';
    const answer = key
      ? await this.deps.providers.chat(credentials, key, request, deadline)
      : await this.deps.bedrock.converse(credentials, request, deadline);
    latency.model = this.clock() - modelStart;
    record.usage = { inputTokens: answer.usage.inputTokens, outputTokens: answer.usage.outputTokens };
    return answer;
  }
}

/**
 * What a request asks the policy store: the model (or the provider key) and every tool it offers,
 * each in the request's context.
 */
function authorizationRequests(
  workload: AuthorizationRequest['workload'], tenantId: string, tenant: RoutedTenant, key: RoutedProviderKey | undefined,
  request: ChatRequest, requestId: string,
): AuthorizationRequest[] {
  const base = { workload, tenant: tenantId, requestId, model: request.modelId };
  const main: AuthorizationRequest = request.providerKey
    ? {
      ...base,
      action: CedarAction.USE_PROVIDER_KEY,
      resourceType: CedarEntityType.PROVIDER_KEY,
      resourceId: key?.cedarId ?? `${tenantId}/${request.providerKey}`,
      resourceTenant: tenantId,
      resourceProvider: key?.provider ?? 'unknown',
    }
    : {
      ...base,
      action: CedarAction.INVOKE_MODEL,
      resourceType: CedarEntityType.MODEL,
      resourceId: own(tenant.models, request.modelId) ?? request.modelId,
    };
  const tools = requestedTools(request).map((tool): AuthorizationRequest => ({
    ...base,
    action: CedarAction.CALL_TOOL,
    resourceType: CedarEntityType.TOOL,
    resourceId: own(tenant.tools, tool) ?? tool,
  }));
  return [main, ...tools];
}

/** Refuses a guardrail (or a version of it) the tenant may not apply. */
function checkGuardrail(config: GuardrailConfig, tenantId: string, guardrails: readonly RoutedGuardrail[]): void {
  const { guardrailIdentifier: identifier, guardrailVersion: version } = config;
  const guardrail = guardrails.find((g) => g.id === identifier || g.arn === identifier);
  const listed = guardrails.length > 0
    ? `use one of ${guardrails.map((g) => JSON.stringify(g.id)).join(', ')}` : 'the tenant has none; remove guardrailConfig';
  if (!guardrail) {
    throw new RouterError(ReasonCode.BAD_REQUEST,
      `The chat request is invalid: guardrailConfig.guardrailIdentifier: tenant ${tenantId} may not apply guardrail ${JSON.stringify(identifier)}; ${listed}.`);
  }
  if (guardrail.version !== undefined && guardrail.version !== version) {
    throw new RouterError(ReasonCode.BAD_REQUEST,
      `The chat request is invalid: guardrailConfig.guardrailVersion: tenant ${tenantId} may apply version ${JSON.stringify(guardrail.version)} of guardrail ${JSON.stringify(guardrail.id)} only, not ${JSON.stringify(version)}; set guardrailVersion to "${guardrail.version}".`);
  }
}

/** A map entry of the routing table, never an inherited property (`constructor`, `toString`). */
function own(map: Record<string, string> | undefined, key: string): string | undefined {
  return map && Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

/** The answer to a failure the router did not foresee: no detail reaches the caller. */
export function unexpected(error: unknown): RouterError {
  return error instanceof RouterError
    ? error
    : new RouterError(ReasonCode.ROUTER_ERROR, 'The router failed; the request id identifies the failure in the decision log.');
}

/** API Gateway's proxy answer, with the request id in a header. */
export function respond(status: number, body: unknown, requestId: string): APIGatewayProxyResult {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json', 'x-gateward-request-id': requestId, 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  };
}

/** Replacements for the real environment: tests point the clients at local servers. */
export interface RouterOverrides {
  readonly endpoints?: AwsEndpoints;
  /** The router's own AWS credentials. @default the Lambda runtime's (environment variables) */
  readonly credentials?: AwsCredentialIdentityProvider;
  readonly clock?: () => number;
  /** What request deadlines run on; tests move them by hand. @default real time */
  readonly deadlineTimers?: DeadlineTimers;
  /** Where identity-chain lines are written. @default standard output */
  readonly logLine?: (line: string) => void;
  /**
   * PEM certificates provider connections trust in place of the runtime's root authorities, for
   * providers on loopback in tests; only those connections, not Vault's or AWS's.
   * @default the runtime's root certificates
   */
  readonly providerCa?: string;
}

/**
 * A router with the real clients: Verified Permissions with the router's own credentials, Vault
 * over HTTPS, and Bedrock or the provider with the credentials Vault issues.
 */
export function createRouter(settings: RouterSettings, overrides: RouterOverrides = {}): Router {
  const clock = overrides.clock ?? Date.now;
  const secrets = new SecretRegistry();
  const region = settings.routes.region;
  const credentials = overrides.credentials ?? fromEnv();
  return new Router({
    settings,
    authorizer: new PolicyStoreAuthorizer(new VerifiedPermissionsClient({
      region,
      endpoint: overrides.endpoints?.verifiedPermissions,
      credentials,
      maxAttempts: 2,
      requestHandler: { requestTimeout: 3000, connectionTimeout: 1000 },
    }), settings.policyStoreId, settings.routes),
    credentials: new VaultClient({ vault: settings.vault, stsEndpoint: settings.routes.stsEndpoint, stsRegion: region, credentials, secrets, clock }),
    bedrock: new BedrockInvoker({ region, endpoints: overrides.endpoints, secrets }),
    providers: new ProviderInvoker({
      region, endpoints: overrides.endpoints, secrets, clock, providerEndpoints: settings.providerEndpoints, providerCa: overrides.providerCa,
    }),
    log: new ConsoleIdentityChainLog(secrets, overrides.logLine),
    clock,
    deadlineTimers: overrides.deadlineTimers,
  });
}


