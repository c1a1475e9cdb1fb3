import * as https from 'https';
import { BedrockRuntimeClient, ConverseCommand, ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Deadline } from './deadline';
import { errorName, ReasonCode, RouterError } from './errors';
import { BoundProviderKey, chatCompletionsUrl, httpsEndpoint, parseProviderKeySecret, postOverHttps, ProviderAnswer } from './provider-key';
import { SecretRegistry } from './secret-registry';
import { IssuedCredentials } from './vault-client';
import { ChatRequest, ChatResponse } from './wire';
import { RoutedProviderKey } from '../contract/router-routes';

/** Calls a Bedrock model with a target's credentials. */
export interface IBedrockInvoker {
  converse(credentials: IssuedCredentials, request: ChatRequest, deadline: Deadline): Promise<ChatResponse>;
}

/** Calls a third-party provider with a tenant's key, read with the key target's credentials. */
export interface IProviderInvoker {
  /**
   * The provider's configured API base URL; throws `PROVIDER_NOT_SUPPORTED` when it has none and
   * `PROVIDER_ENDPOINT_INSECURE` when it is not https.
   */
  endpointFor(provider: string): string;
  chat(credentials: IssuedCredentials, key: RoutedProviderKey, request: ChatRequest, deadline: Deadline): Promise<ChatResponse>;
}

/** Where the AWS clients connect, for tests and private endpoints. */
export interface AwsEndpoints {
  readonly bedrockRuntime?: string;
  readonly secretsManager?: string;
  readonly verifiedPermissions?: string;
}

/** Options shared by the clients. */
export interface ModelClientOptions {
  readonly region: string;
  readonly endpoints?: AwsEndpoints;
  readonly secrets: SecretRegistry;
  /** @default Date.now */
  readonly clock?: () => number;
}

const MAX_CACHED_CLIENTS = 32;

/**
 * Clients by the credentials they sign with, forgetting (and closing) the oldest, so clients of
 * expired credentials do not pile up or keep their connections.
 */
class Bounded<V extends { destroy(): void }> {
  private readonly map = new Map<string, V>();
  public get(key: string, create: () => V): V {
    let value = this.map.get(key);
    if (!value) {
      value = create();
      this.map.set(key, value);
      if (this.map.size > MAX_CACHED_CLIENTS) {
        const oldest = this.map.keys().next().value!;
        this.map.get(oldest)!.destroy();
        this.map.delete(oldest);
      }
    }
    return value;
  }
}

/**
 * How long one attempt of an SDK call may go without an answer. The request's deadline bounds
 * every call (attempts and retries together) more tightly; this only keeps a stalled socket from
 * outliving a deadline whose signal the call did not get.
 */
const SDK_ATTEMPT_TIMEOUT_MS = 30000;

/** How long a provider key is kept at most: a rotated key is picked up within this time. */
const KEY_CACHE_MS = 5 * 60 * 1000;

function staticCredentials(c: IssuedCredentials) {
  return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken };
}

/**
 * Bedrock's Converse API, called with the credentials Vault issued for the tenant's models
 * target: the router's own role could not make the call.
 */
export class BedrockInvoker implements IBedrockInvoker {
  private readonly clients = new Bounded<BedrockRuntimeClient>();

  constructor(private readonly options: ModelClientOptions) {}

  public async converse(credentials: IssuedCredentials, request: ChatRequest, deadline: Deadline): Promise<ChatResponse> {
    const client = this.clients.get(credentials.accessKeyId, () => new BedrockRuntimeClient({
      region: this.options.region,
      endpoint: this.options.endpoints?.bedrockRuntime,
      credentials: staticCredentials(credentials),
      maxAttempts: 2,
      // Converse is request-response: HTTP/1.1 with keep-alive, not the client's default HTTP/2
      // (which only its bidirectional streaming operations need).
      requestHandler: new NodeHttpHandler({ requestTimeout: SDK_ATTEMPT_TIMEOUT_MS, connectionTimeout: 2000 }),
    }));
    const input: ConverseCommandInput = {
      modelId: request.modelId,
      messages: request.messages as unknown as ConverseCommandInput['messages'],
      system: request.system,
      inferenceConfig: request.inferenceConfig,
      toolConfig: request.toolConfig as unknown as ConverseCommandInput['toolConfig'],
      guardrailConfig: request.guardrailConfig,
    };
    try {
      const out = await client.send(new ConverseCommand(input), { abortSignal: deadline.signal });
      return {
        output: { message: { role: 'assistant', content: (out.output?.message?.content ?? []) as unknown as Array<Record<string, unknown>> } },
        stopReason: out.stopReason ?? 'end_turn',
        usage: {
          inputTokens: out.usage?.inputTokens ?? 0,
          outputTokens: out.usage?.outputTokens ?? 0,
          totalTokens: out.usage?.totalTokens ?? 0,
        },
        // The guardrail's assessment, when the request asked for its trace.
        ...(out.trace ? { trace: out.trace as unknown as Record<string, unknown> } : {}),
      };
    } catch (error) {
      if (deadline.signal.aborted) throw deadline.timeout('Bedrock');
      throw new RouterError(ReasonCode.MODEL_ERROR, `Bedrock did not answer the call (${errorName(error)}).`);
    }
  }
}

const FINISH_REASONS: Record<string, string> = { stop: 'end_turn', length: 'max_tokens', content_filter: 'content_filtered', tool_calls: 'tool_use' };

/** Options of the provider client. */
export interface ProviderInvokerOptions extends ModelClientOptions {
  /** The configured base URL of each provider's API. */
  readonly providerEndpoints: Record<string, string>;
  /**
   * PEM certificates the provider connections trust in place of the default authorities; for
   * loopback providers in tests. @default the runtime's root certificates
   */
  readonly providerCa?: string;
}

/**
 * Third-party providers with an OpenAI-compatible chat-completions API. The key is read from
 * Secrets Manager with the key target's credentials, and kept no longer than those credentials.
 * The secret binds the key to one https endpoint; the key is sent there and nowhere else, and
 * only when the configured endpoint of the provider is on the same origin, so neither a changed
 * configuration nor a changed secret alone moves the key to another host.
 */
export class ProviderInvoker implements IProviderInvoker {
  private readonly clients = new Bounded<SecretsManagerClient>();
  private readonly keys = new Map<string, { value: BoundProviderKey; usableUntil: number }>();
  private readonly clock: () => number;
  /** Each configured endpoint, parsed once, or why it cannot be used. */
  private readonly endpoints: Map<string, URL | string>;
  private readonly agent: https.Agent;

  constructor(private readonly options: ProviderInvokerOptions) {
    this.clock = options.clock ?? Date.now;
    this.endpoints = new Map(Object.entries(options.providerEndpoints).map(([provider, url]) => [provider, httpsEndpoint(String(url))]));
    this.agent = new https.Agent({ keepAlive: true, ...(options.providerCa ? { ca: options.providerCa } : {}) });
  }

  public endpointFor(provider: string): string {
    return this.configuredEndpoint(provider).href;
  }

  private configuredEndpoint(provider: string): URL {
    const endpoint = this.endpoints.get(provider);
    if (endpoint === undefined) {
      throw new RouterError(ReasonCode.PROVIDER_NOT_SUPPORTED,
        `The router has no endpoint for provider "${provider}"; configure an OpenAI-compatible endpoint for it.`);
    }
    if (typeof endpoint === 'string') {
      throw new RouterError(ReasonCode.PROVIDER_ENDPOINT_INSECURE,
        `No key was sent: the endpoint configured for provider "${provider}" ${endpoint}; a key is sent over https only.`);
    }
    return endpoint;
  }

  public async chat(credentials: IssuedCredentials, key: RoutedProviderKey, request: ChatRequest, deadline: Deadline): Promise<ChatResponse> {
    const configured = this.configuredEndpoint(key.provider);
    const messages: Array<{ role: string; content: string }> = (request.system ?? []).map((b) => ({ role: 'system', content: b.text }));
    for (const message of request.messages) {
      messages.push({ role: message.role, content: message.content.map((b) => b.text as string).join('\n') });
    }
    const config = request.inferenceConfig ?? {};
    const payload = JSON.stringify({
      model: request.modelId,
      messages,
      max_tokens: config.maxTokens,
      temperature: config.temperature,
      top_p: config.topP,
      stop: config.stopSequences,
    });
    let response = await this.post(configured, await this.readKey(credentials, key, false, deadline), payload, key, deadline);
    if (response.status === 401 || response.status === 403) {
      // The key may have been rotated since it was read: read it again, once.
      response = await this.post(configured, await this.readKey(credentials, key, true, deadline), payload, key, deadline);
    }
    if (response.status !== 200) {
      throw new RouterError(ReasonCode.MODEL_ERROR, `Provider "${key.provider}" refused the call (HTTP ${response.status}).`);
    }
    let body: {
      choices?: Array<{ message?: { content?: string }; finish_reason?: string }>;
      usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number };
    };
    try {
      body = JSON.parse(response.text) as typeof body;
    } catch {
      throw new RouterError(ReasonCode.MODEL_ERROR, `Provider "${key.provider}" answered with something that is not JSON.`);
    }
    const choice = body.choices?.[0];
    return {
      output: { message: { role: 'assistant', content: [{ text: choice?.message?.content ?? '' }] } },
      stopReason: FINISH_REASONS[choice?.finish_reason ?? 'stop'] ?? choice?.finish_reason ?? 'end_turn',
      usage: {
        inputTokens: body.usage?.prompt_tokens ?? 0,
        outputTokens: body.usage?.completion_tokens ?? 0,
        totalTokens: body.usage?.total_tokens ?? 0,
      },
    };
  }

  /** Sends the request with the key to the key's own endpoint, once the configuration agrees with it. */
  private async post(configured: URL, bound: BoundProviderKey, payload: string, key: RoutedProviderKey, deadline: Deadline): Promise<ProviderAnswer> {
    if (bound.endpoint.origin !== configured.origin) {
      throw new RouterError(ReasonCode.PROVIDER_ENDPOINT_MISMATCH,
        `The provider key ${key.id} was not sent: its secret binds it to ${bound.endpoint.origin}, and provider "${key.provider}" `
        + `is configured at ${configured.origin}. Configure the provider at the key's endpoint, or have the credential-lifecycle owner bind the key to the configured one.`);
    }
    try {
      return await postOverHttps(chatCompletionsUrl(bound.endpoint),
        { 'content-type': 'application/json', 'authorization': `Bearer ${bound.apiKey}` }, payload, this.agent, deadline.signal);
    } catch (error) {
      if (deadline.signal.aborted) throw deadline.timeout(`Provider "${key.provider}"`);
      throw new RouterError(ReasonCode.MODEL_ERROR, `Provider "${key.provider}" did not answer (${errorName(error)}).`);
    }
  }

  private async readKey(credentials: IssuedCredentials, key: RoutedProviderKey, fresh: boolean, deadline: Deadline): Promise<BoundProviderKey> {
    const cached = this.keys.get(key.secretName);
    if (!fresh && cached && cached.usableUntil > this.clock()) return cached.value;
    this.keys.delete(key.secretName);
    const client = this.clients.get(credentials.accessKeyId, () => new SecretsManagerClient({
      region: this.options.region,
      endpoint: this.options.endpoints?.secretsManager,
      credentials: staticCredentials(credentials),
      maxAttempts: 2,
      requestHandler: { requestTimeout: 3000, connectionTimeout: 1000 },
    }));
    let value: string | undefined;
    try {
      value = (await client.send(new GetSecretValueCommand({ SecretId: key.secretName }), { abortSignal: deadline.signal })).SecretString;
    } catch (error) {
      if (deadline.signal.aborted) throw deadline.timeout('Secrets Manager');
      throw new RouterError(ReasonCode.CREDENTIALS_UNAVAILABLE, `The provider key ${key.id} could not be read (${errorName(error)}).`);
    }
    if (!value) throw new RouterError(ReasonCode.CREDENTIALS_UNAVAILABLE, `The provider key ${key.id} has no value.`);
    // Registered for redaction, whole and as the key alone, before anything else is done with it.
    const bound = parseProviderKeySecret(value, key.id, this.options.secrets);
    // Kept no longer than the credentials that read it, and a few minutes at most.
    const usableUntil = Math.min(credentials.usableUntil, this.clock() + KEY_CACHE_MS);
    this.keys.set(key.secretName, { value: bound, usableUntil });
    return bound;
  }
}
