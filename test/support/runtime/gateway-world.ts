import { randomBytes } from 'crypto';
import { performance } from 'perf_hooks';
import { VerifiedPermissionsClient } from '@aws-sdk/client-verifiedpermissions';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { exampleSpec } from '../../../examples/bedrock-gateway/spec';
import { GatewayBlueprint, GatewaySpec } from '../../../src';
import { PolicyStoreAuthorizer } from '../../../src/runtime/authorizer';
import { ENV, RouterSettings, settingsFromEnvironment } from '../../../src/runtime/config';
import { createRouter, Router } from '../../../src/runtime/router';
import { routerDeployment, synthesizeAwsPlane } from '../aws-example';
import { IamWorld } from '../iam-world';
import { synthesizeVaultPlane } from '../vault-example';
import { FakeAws } from './fake-aws';
import { CredentialRegistry, FakeVault } from './fake-vault';
import { Holds, LoopbackServer } from './loopback';
import { ManualTimers } from './manual-timers';
import { KnownCredentials, sessionArn } from './sigv4';

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
   * (holding the emulator's credentials), and the router's own emulator credentials.
   */
  readonly realVault?: { readonly url: string; readonly registry: CredentialRegistry; readonly routerCredentials: KnownCredentials };
}

/**
 * A gateway's surroundings on loopback, built from the two planes' synthesized output: a Vault
 * configured from the Terraform JSON, AWS services judging with the template's policies and the
 * policy store's Cedar policies, and an OpenAI-compatible provider that accepts only the
 * tenant's key. The router under test talks to them exactly as it would to the real ones.
 */
export class GatewayWorld {
  public static async start(
    spec: GatewaySpec = exampleSpec, settingsOverride?: (s: RouterSettings) => RouterSettings, options: WorldOptions = {},
  ): Promise<GatewayWorld> {
    const world = new GatewayWorld(spec, options);
    await world.startServers();
    world.settings = settingsOverride ? settingsOverride(world.defaultSettings()) : world.defaultSettings();
    world.router = world.newRouter();
    return world;
  }

  private readonly blueprint: GatewayBlueprint;
  public readonly clock = new TestClock();
  /** The router's deadline timers: a request's deadline passes only when a test advances them. */
  public readonly deadlineTimers = new ManualTimers();
  /** The stand-ins' held answers, by service (`vault`, `verifiedpermissions`, `bedrock`, `secretsmanager`, `provider`). */
  public readonly holds = new Holds();
  private readonly registry: CredentialRegistry;
  private readonly realVault: WorldOptions['realVault'];
  private readonly iam: IamWorld;
  /** The router function's environment and code directory, as synthesized. */
  private readonly deployed: { env: Record<string, unknown>; codeDirectory: string };
  public readonly logLines: string[] = [];
  /** The value of every provider key, by secret name. */
  public readonly providerKeys: Record<string, string> = {};
  /** The models of the calls the provider accepted. */
  public readonly providerCalls: Array<{ model: string }> = [];
  /** Calls the provider refused for a wrong key. */
  public providerRefusals = 0;
  /** How long the provider holds its answers, in ms, as a slow model would (`HOLD_UNTIL_STOPPED`: never answered). */
  public providerHoldMs = 0;
  /** The stand-in Vault; not started (undefined) when the world is given a real Vault. */
  public vault!: FakeVault;
  public aws!: FakeAws;
  public provider!: LoopbackServer;
  public settings!: RouterSettings;
  public router!: Router;
  private readonly vaultConfig: { resource: any };

  private constructor(spec: GatewaySpec, options: WorldOptions) {
    this.realVault = options.realVault;
    this.registry = options.realVault?.registry ?? new CredentialRegistry();
    const aws = synthesizeAwsPlane(spec);
    this.blueprint = aws.plane.blueprint;
    const template = aws.template.toJSON();
    options.editTemplate?.(template);
    this.iam = new IamWorld(template, { account: spec.aws.account, region: spec.aws.region });
    const router = routerDeployment(aws);
    this.deployed = { env: router.properties.Environment.Variables, codeDirectory: router.codeDirectory };
    this.vaultConfig = options.realVault ? { resource: {} } : synthesizeVaultPlane(spec).config;
    for (const target of this.blueprint.targets) {
      if (target.providerKey) this.providerKeys[target.providerKey.secretName] = `sk-proj-${randomBytes(24).toString('base64url')}`;
    }
  }

  /** A router with fresh caches, wired to the world, signing as a session of the router role. */
  private newRouter(): Router {
    const credentials = this.routerCredentials();
    return createRouter(this.settings, {
      endpoints: { verifiedPermissions: this.aws.url, bedrockRuntime: this.aws.url, secretsManager: this.aws.url },
      credentials: async () => credentials,
      clock: this.clock.read,
      deadlineTimers: this.deadlineTimers,
      logLine: (line) => this.logLines.push(line),
    });
  }

  /** The router's own policy-store client, signing as the router role, as `createRouter` wires it. */
  public authorizer(): PolicyStoreAuthorizer {
    const credentials = this.routerCredentials();
    const client = new VerifiedPermissionsClient({ region: this.blueprint.region, endpoint: this.aws.url, credentials, maxAttempts: 1 });
    return new PolicyStoreAuthorizer(client, this.settings.policyStoreId, this.settings.routes);
  }

  private routerCredentials(): KnownCredentials {
    return this.realVault?.routerCredentials ?? this.registry.issue(this.blueprint.naming.roleArn(this.blueprint.naming.routerRoleName));
  }

  /** API Gateway's proxy event for a signed call from a role session. */
  public event(callerRoleArn: string, body: unknown, requestId = `req-${randomBytes(4).toString('hex')}`): APIGatewayProxyEvent {
    return {
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
      multiValueHeaders: {},
      httpMethod: 'POST',
      isBase64Encoded: false,
      path: '/v1/chat',
      pathParameters: null,
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      stageVariables: null,
      resource: '/v1/chat',
      requestContext: { requestId, identity: { userArn: sessionArn(callerRoleArn, 'session-1'), caller: 'AROAEXAMPLE:session-1' } } as any,
    };
  }

  /** The identity-chain records written so far. */
  public records(): any[] {
    return this.logLines.map((line) => JSON.parse(line));
  }

  /** Every secret value the world has handed out: Vault tokens, STS secrets, provider keys. */
  public secrets(): string[] {
    return [...this.registry.secrets(), ...(this.vault?.tokens ?? []), ...Object.values(this.providerKeys)];
  }

  public async stop(): Promise<void> {
    await Promise.all([this.vault?.stop(), this.aws.stop(), this.provider.stop()]);
  }

  /**
   * The settings the deployed router reads: its synthesized environment and the routing table in
   * its code asset. Only what the template cannot know is replaced: the policy store id (a
   * deploy-time attribute) and the addresses of the local servers.
   */
  private defaultSettings(): RouterSettings {
    const settings = settingsFromEnvironment({
      ...(this.deployed.env as Record<string, string>),
      [ENV.POLICY_STORE_ID]: this.aws.policyStoreId,
      [ENV.VAULT_ADDR]: this.realVault?.url ?? this.vault.url,
    }, this.deployed.codeDirectory);
    return { ...settings, providerEndpoints: { ...settings.providerEndpoints, openai: `${this.provider.url}/v1` } };
  }

  private async startServers(): Promise<void> {
    if (!this.realVault) this.vault = await FakeVault.start(this.vaultConfig, this.registry, this.clock.read, this.holds);
    this.aws = await FakeAws.start(this.iam, this.registry, this.providerKeys, this.holds);
    this.provider = await LoopbackServer.start(async (request) => {
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
    });
  }
}
