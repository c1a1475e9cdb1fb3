import { randomBytes } from 'crypto';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { VerifiedPermissionsClient } from '@aws-sdk/client-verifiedpermissions';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { exampleSpec } from '../../../examples/bedrock-gateway/spec';
import { GatewayBlueprint, GatewaySpec, TenantRouterBlueprint } from '../../../src';
import { GATEWAY_STAGE, tenantChatPath } from '../../../src/contract/router-routes';
import { PolicyStoreAuthorizer } from '../../../src/runtime/authorizer';
import { ENV, RouterSettings, settingsFromEnvironment } from '../../../src/runtime/config';
import { InvocationTime } from '../../../src/runtime/deadline';
import { AwsEndpoints } from '../../../src/runtime/model-clients';
import { createRouter, Router } from '../../../src/runtime/router';
import { synthesizeAwsPlane } from '../aws-example';
import { IamWorld } from '../iam-world';
import { synthesizeVaultPlane } from '../vault-example';
import { FakeAws } from './fake-aws';
import { CredentialRegistry, FakeVault } from './fake-vault';
import { Holds, LoopbackServer, Received } from './loopback';
import { ManualTimers } from './manual-timers';
import { KnownCredentials, sessionArn } from './sigv4';
import { loopbackCertificate } from './tls';

/** A clock tests move by hand; benchmarks let it run. */
export class TestClock {
  public now = Date.UTC(2026, 10, 22, 12, 0, 0);
  /** When set, the clock follows real time (with sub-millisecond precision) from `now`. */
  public running = false;
  private readonly startedAt = performance.now();
  public readonly read = () => (this.running ? this.now + (performance.now() - this.startedAt) : this.now);
  public advance(seconds: number): void {
    this.now += seconds * 1000;
  }
}

/** How a world is built, beyond the spec. */
export interface WorldOptions {
  /**
   * Changes the synthesized template before the world reads it, for a grant the plane does not
   * make (yet); a test that uses it says which.
   */
  readonly editTemplate?: (template: any) => void;

  /**
   * A real Vault in place of the stand-in (the live suite's OpenBao, which issues STS credentials
   * from an AWS emulator): its address, the registry the AWS stand-ins verify signatures with
   * (holding the emulator's credentials), and sessions of router roles from the emulator. Each
   * cell signs with the session of its own role; a cell none is given for signs with stand-in
   * credentials, which only the stand-in services accept.
   */
  readonly realVault?: {
    readonly url: string;
    readonly registry: CredentialRegistry;
    readonly routerCredentials: KnownCredentials | readonly KnownCredentials[];
  };

  /**
   * How long the stand-in services keep an idle connection open, in ms. Real endpoints keep the
   * router's connections open, so a measurement of the router's overhead sets this (a benchmark
   * that did not would pay a new connection per call). @default the loopback servers' own
   */
  readonly serverKeepAliveMs?: number;
}

/**
 * What `createRouter` needs to build a cell's router against the world, as plain data (no
 * functions), so a router can be built in another thread: the deployed settings, the stand-ins'
 * addresses, the credentials of a session of the cell's router role, and the provider's CA.
 */
export interface RouterWiring {
  readonly settings: RouterSettings;
  readonly endpoints: AwsEndpoints;
  readonly credentials: KnownCredentials;
  readonly providerCa: string;
}

/** One tenant's router cell, as deployed: its function's name, ARN and settings, and a router built from them. */
export interface WorldCell {
  readonly tenantId: string;
  /** The cell's names from the blueprint. */
  readonly names: TenantRouterBlueprint;
  /** The ARN Lambda invokes the function by (the context's `invokedFunctionArn`). */
  readonly functionArn: string;
  readonly settings: RouterSettings;
  readonly router: Router;
}

/** What API Gateway does with a request: hand it to the function integrated with its method. */
export interface ApiRouting {
  handle(event: APIGatewayProxyEvent, context?: InvocationTime): Promise<APIGatewayProxyResult>;
}

/** Changes the settings a cell's router is built with, as a test needs them. */
export type SettingsOverride = (settings: RouterSettings) => RouterSettings;

/**
 * A gateway's surroundings on loopback, built from the two planes' synthesized output: a Vault
 * configured from the Terraform JSON, AWS services judging with the template's policies and the
 * policy store's Cedar policies, and an OpenAI-compatible provider on https that accepts only the
 * tenant's key. Each tenant's router cell runs with its function's synthesized environment and
 * signs as its own role; the routers under test talk to the services exactly as they would to
 * the real ones.
 */
export class GatewayWorld {
  public static async start(spec: GatewaySpec = exampleSpec, settingsOverride?: SettingsOverride, options: WorldOptions = {}): Promise<GatewayWorld> {
    const world = new GatewayWorld(spec, options);
    await world.startServers();
    world.reconfigure(settingsOverride);
    return world;
  }

  public readonly blueprint: GatewayBlueprint;
  public readonly clock = new TestClock();
  /** The routers' deadline timers: a request's deadline passes only when a test advances them. */
  public readonly deadlineTimers = new ManualTimers();
  /** The stand-ins' held answers, by service (`vault`, `verifiedpermissions`, `bedrock`, `secretsmanager`, `provider`). */
  public readonly holds = new Holds();
  /** The certificate the loopback providers present; the routers trust it for provider connections only. */
  public readonly providerTls = loopbackCertificate();
  private readonly registry: CredentialRegistry;
  private readonly realVault: WorldOptions['realVault'];
  private readonly serverKeepAliveMs?: number;
  private readonly iam: IamWorld;
  /** Each cell's function environment and code directory, as synthesized. */
  private readonly deployed = new Map<string, { env: Record<string, string>; codeDirectory: string }>();
  private readonly cells = new Map<string, WorldCell>();
  public readonly logLines: string[] = [];
  /** The API key of every provider key, by secret name: what the provider accepts. */
  public readonly providerKeys: Record<string, string> = {};
  /** What Secrets Manager holds for every provider key, by secret name (`{"apiKey", "endpoint"}` JSON). */
  public readonly providerSecrets: Record<string, string> = {};
  /** Every request the provider received, accepted or not. */
  public readonly providerRequests: Received[] = [];
  /** The models of the calls the provider accepted. */
  public readonly providerCalls: Array<{ model: string }> = [];
  /** Calls the provider refused for a wrong key. */
  public providerRefusals = 0;
  /** How long the provider holds its answers, in ms, as a slow model would (`HOLD_UNTIL_STOPPED`: never answered). */
  public providerHoldMs = 0;
  /** The stand-in Vault; not started (undefined) when the world is given a real Vault. */
  public vault!: FakeVault;
  public aws!: FakeAws;
  /** The provider every key is bound to, on https. */
  public provider!: LoopbackServer;
  private readonly vaultConfig: { resource: any };

  /** API Gateway in front of the cells: each event goes to the cell of its method's path. */
  public readonly router: ApiRouting = {
    handle: (event, context) => {
      const cell = [...this.cells.values()].find((c) => c.settings.method.resource === event.resource);
      if (!cell) throw new Error(`no method of the API has the path ${event.resource}; use cell(tenant).router to invoke a cell directly`);
      return cell.router.handle(event, context);
    },
  };

  private constructor(spec: GatewaySpec, options: WorldOptions) {
    this.realVault = options.realVault;
    this.serverKeepAliveMs = options.serverKeepAliveMs;
    this.registry = options.realVault?.registry ?? new CredentialRegistry();
    const aws = synthesizeAwsPlane(spec);
    this.blueprint = aws.plane.blueprint;
    const template = aws.template.toJSON();
    options.editTemplate?.(template);
    this.iam = new IamWorld(template, { account: spec.aws.account, region: spec.aws.region });
    const assembly = aws.app.synth().directory;
    for (const tenant of this.blueprint.tenants) {
      if (!tenant.router) continue;
      const name = tenant.router.functionName;
      const found = this.iam.model.ofType('AWS::Lambda::Function').filter(([, r]) => (r.Properties as any)?.FunctionName === name);
      if (found.length !== 1) throw new Error(`expected one function ${name}, found ${found.length}`);
      const properties = found[0][1].Properties as any;
      const env = this.iam.model.resolve(properties.Environment?.Variables ?? {}) as Record<string, string>;
      const assetKey = String(properties.Code.S3Key).replace(/\.zip$/, '');
      this.deployed.set(tenant.id, { env, codeDirectory: path.join(assembly, `asset.${assetKey}`) });
    }
    if (this.deployed.size === 0) throw new Error('the gateway has no router cell');
    this.vaultConfig = options.realVault ? { resource: {} } : synthesizeVaultPlane(spec).config;
    for (const target of this.blueprint.targets) {
      if (target.providerKey) this.providerKeys[target.providerKey.secretName] = `sk-proj-${randomBytes(24).toString('base64url')}`;
    }
  }

  /** Each cell's REST API id (one API per cell stack), as the template's Ref resolves: what API Gateway puts in `requestContext.apiId`. */
  public apiIdOf(tenantId: string): string {
    const env = this.deployed.get(tenantId)?.env;
    if (!env) throw new Error(`tenant ${tenantId} has no router cell`);
    return env.GATEWARD_API_ID;
  }

  /** The cell of a tenant. */
  public cell(tenantId: string): WorldCell {
    const cell = this.cells.get(tenantId);
    if (!cell) throw new Error(`tenant ${tenantId} has no router cell; the cells are ${[...this.cells.keys()].join(', ')}`);
    return cell;
  }

  /** The tenants with a router cell, in the blueprint's order. */
  public cellTenants(): string[] {
    return [...this.cells.keys()];
  }

  /**
   * Builds every cell's router again, with fresh caches, from its deployed settings changed by
   * `override` (for what a test deploys differently). Keeps the servers and what they recorded.
   */
  public reconfigure(override?: SettingsOverride): void {
    for (const [tenantId, deployed] of this.deployed) {
      const names = this.blueprint.tenant(tenantId).router!;
      const functionArn = `arn:${this.blueprint.partition}:lambda:${this.blueprint.region}:${this.blueprint.account}:function:${names.functionName}`;
      const settings = this.deployedSettings(deployed, functionArn);
      const cellSettings = override ? override(settings) : settings;
      this.cells.set(tenantId, { tenantId, names, functionArn, settings: cellSettings, router: this.newRouter(names, cellSettings) });
    }
  }

  /**
   * Forgets what the servers recorded and undoes what tests set on them (failures, holds of the
   * services, redirects), binds every provider key anew to the world's provider, and builds the
   * cells' routers again from their deployed settings: a world shared by a file's tests starts
   * each test as a new one would, without synthesizing the planes again.
   */
  public reset(): void {
    this.logLines.length = 0;
    this.providerRequests.length = 0;
    this.providerCalls.length = 0;
    this.providerRefusals = 0;
    this.providerHoldMs = 0;
    this.aws.calls.length = 0;
    this.aws.policyStoreTimesMs.length = 0;
    this.aws.policyStoreFailure = undefined;
    for (const service of Object.keys(this.aws.holdMs) as Array<keyof FakeAws['holdMs']>) delete this.aws.holdMs[service];
    if (this.vault) {
      this.vault.logins = 0;
      this.vault.reads.length = 0;
      this.vault.readAttempts.length = 0;
      this.vault.failWith = undefined;
      this.vault.refuseReads = false;
      this.vault.redirectTo = undefined;
      this.vault.holdMs = 0;
    }
    for (const secretName of Object.keys(this.providerKeys)) this.putProviderKey(secretName, `sk-proj-${randomBytes(24).toString('base64url')}`);
    this.reconfigure();
  }

  /**
   * Writes a provider key's secret as the credential-lifecycle owner would: the key bound to
   * `endpoint` (default: the world's provider), or `secretString` as it is.
   */
  public putProviderKey(secretName: string, apiKey: string, endpoint = `${this.provider.url}/v1`): void {
    this.providerKeys[secretName] = apiKey;
    this.providerSecrets[secretName] = JSON.stringify({ apiKey, endpoint });
  }

  /** A router with fresh caches, wired to the world, signing as a session of the cell's router role. */
  private newRouter(names: TenantRouterBlueprint, settings: RouterSettings): Router {
    const { endpoints, credentials, providerCa } = this.wiring(names, settings);
    return createRouter(settings, {
      endpoints,
      credentials: async () => credentials,
      clock: this.clock.read,
      deadlineTimers: this.deadlineTimers,
      logLine: (line) => this.logLines.push(line),
      providerCa,
    });
  }

  /** How the cell of `tenantId` is wired to the world, for a router built outside it (see `RouterWiring`). */
  public routerWiring(tenantId: string): RouterWiring {
    const cell = this.cell(tenantId);
    return this.wiring(cell.names, cell.settings);
  }

  private wiring(names: TenantRouterBlueprint, settings: RouterSettings): RouterWiring {
    return {
      settings,
      endpoints: { verifiedPermissions: this.aws.url, bedrockRuntime: this.aws.url, secretsManager: this.aws.url },
      credentials: this.routerCredentials(names),
      providerCa: this.providerTls.cert,
    };
  }

  /** A cell's own policy-store client, signing as its router role, as `createRouter` wires it. */
  public authorizer(tenantId: string): PolicyStoreAuthorizer {
    const cell = this.cell(tenantId);
    const credentials = this.routerCredentials(cell.names);
    const client = new VerifiedPermissionsClient({ region: this.blueprint.region, endpoint: this.aws.url, credentials, maxAttempts: 1 });
    return new PolicyStoreAuthorizer(client, cell.settings.policyStoreId, cell.settings.routes);
  }

  private routerCredentials(names: TenantRouterBlueprint): KnownCredentials {
    const given = this.realVault?.routerCredentials;
    const sessions = given === undefined ? [] : Array.isArray(given) ? given : [given as KnownCredentials];
    return sessions.find((c) => c.roleArn === names.roleArn) ?? this.registry.issue(names.roleArn);
  }

  /**
   * API Gateway's proxy event for a signed call from a role session, on the chat method of
   * `tenantId` (default: the caller's own tenant, as its workload calls it), exactly as API
   * Gateway writes it for the deployed API.
   */
  public event(callerRoleArn: string, body: unknown, requestId = `req-${randomBytes(4).toString('hex')}`, tenantId?: string): APIGatewayProxyEvent {
    const tenant = tenantId ?? this.blueprint.workloads.find((w) => w.roleArn === callerRoleArn)?.tenantId ?? this.cellTenants()[0];
    const resource = tenantChatPath(tenant);
    return {
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
      multiValueHeaders: {},
      httpMethod: 'POST',
      isBase64Encoded: false,
      path: resource,
      pathParameters: null,
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      stageVariables: null,
      resource,
      requestContext: {
        accountId: this.blueprint.account,
        apiId: this.deployed.has(tenant) ? this.apiIdOf(tenant) : this.apiIdOf([...this.deployed.keys()][0]),
        stage: GATEWAY_STAGE,
        httpMethod: 'POST',
        resourcePath: resource,
        path: `/${GATEWAY_STAGE}${resource}`,
        protocol: 'HTTP/1.1',
        requestId,
        identity: { userArn: sessionArn(callerRoleArn, 'session-1'), caller: 'AROAEXAMPLE:session-1' },
      } as any,
    };
  }

  /** The identity-chain records written so far. */
  public records(): any[] {
    return this.logLines.map((line) => JSON.parse(line));
  }

  /** Every secret value the world has handed out: Vault tokens, STS secrets, provider keys and their secrets' values. */
  public secrets(): string[] {
    return [...this.registry.secrets(), ...(this.vault?.tokens ?? []), ...Object.values(this.providerKeys), ...Object.values(this.providerSecrets)];
  }

  public async stop(): Promise<void> {
    await Promise.all([this.vault?.stop(), this.aws.stop(), this.provider.stop()]);
  }

  /**
   * The settings a deployed cell reads: its synthesized environment, the routing table in its
   * code asset, and its function's ARN. Only what the template cannot know is replaced: the
   * policy store id (a deploy-time attribute) and the addresses of the local servers.
   */
  private deployedSettings(deployed: { env: Record<string, string>; codeDirectory: string }, functionArn: string): RouterSettings {
    const settings = settingsFromEnvironment({
      ...deployed.env,
      [ENV.POLICY_STORE_ID]: this.aws.policyStoreId,
      [ENV.VAULT_ADDR]: this.realVault?.url ?? this.vault.url,
    }, deployed.codeDirectory, functionArn);
    return { ...settings, providerEndpoints: { ...settings.providerEndpoints, openai: `${this.provider.url}/v1` } };
  }

  private async startServers(): Promise<void> {
    const server = { keepAliveMs: this.serverKeepAliveMs };
    if (!this.realVault) this.vault = await FakeVault.start(this.vaultConfig, this.registry, this.clock.read, this.holds, server);
    this.aws = await FakeAws.start(this.iam, this.registry, this.providerSecrets, this.holds, server);
    this.provider = await LoopbackServer.start(async (request) => {
      this.providerRequests.push(request);
      await this.holds.hold('provider', this.providerHoldMs);
      const bearer = (request.headers.authorization ?? '').replace(/^Bearer /, '');
      // Only the keys' current values are accepted: a rotated-out value is refused.
      if (request.path !== '/v1/chat/completions' || !Object.values(this.providerKeys).includes(bearer)) {
        this.providerRefusals++;
        return { status: 401, body: { error: { message: 'invalid key' } } };
      }
      const body = JSON.parse(request.body.toString('utf-8'));
      this.providerCalls.push({ model: body.model });
      return {
        status: 200,
        body: {
          choices: [{ message: { role: 'assistant', content: `${body.model} answers ${JSON.stringify(body.messages.at(-1).content)}` }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 },
        },
      };
    }, this.providerTls, server);
    for (const [secretName, apiKey] of Object.entries(this.providerKeys)) this.putProviderKey(secretName, apiKey);
  }
}
