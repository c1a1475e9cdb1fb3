import { randomBytes } from 'crypto';
import { Answer, Holds, LoopbackOptions, LoopbackServer, lowerCaseHeaders, Received } from './loopback';
import { KnownCredentials, sessionArn, verifySigV4 } from './sigv4';
import { VaultCapability, VaultPolicyDocument, VaultPolicyMatcher } from '../../../src';
import { readPolicyRules } from '../../../src/vault-acl/policy-text';

type Resources = Record<string, Record<string, Record<string, any>>>;

/** Every credential a test world has issued, so fake AWS services can check signatures. */
export class CredentialRegistry {
  private readonly byKey = new Map<string, KnownCredentials>();

  public add(credentials: KnownCredentials): KnownCredentials {
    this.byKey.set(credentials.accessKeyId, credentials);
    return credentials;
  }

  public lookup = (accessKeyId: string): KnownCredentials | undefined => this.byKey.get(accessKeyId);

  /** New STS-like credentials of a role session. */
  public issue(roleArn: string): KnownCredentials {
    return this.add({
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: `IQoJb3JpZ2luX2Vj${randomBytes(60).toString('base64')}`,
      roleArn,
    });
  }

  /** Every secret value issued so far: none may appear in a log. */
  public secrets(): string[] {
    return [...this.byKey.values()].flatMap((c) => [c.secretAccessKey, c.sessionToken ?? '']).filter(Boolean);
  }
}

interface AuthRole { mount: string; role: string; boundArns: string[]; tokenTtl: number; policies: string[] }
interface SecretRole { mount: string; name: string; roleArn: string; ttl: number; externalId?: string }

/**
 * Vault's HTTP API, as far as the router uses it, configured from the Vault plane's Terraform
 * JSON: the AWS auth method (server-id header, role bound to exact principal ARNs, token TTL and
 * policies) and the tenants' AWS secrets roles. Logins are checked by recomputing the signature
 * of the `sts:GetCallerIdentity` request; reads are allowed by the token's policies, judged with
 * the Vault plane's matcher.
 */
export class FakeVault {
  public static async start(
    config: { resource: Resources }, registry: CredentialRegistry, clock: () => number, holds = new Holds(), server: LoopbackOptions = {},
  ): Promise<FakeVault> {
    const vault = new FakeVault(config, registry, clock, holds);
    vault.server = await LoopbackServer.start((r) => vault.answer(r), undefined, server);
    return vault;
  }

  /** Successful logins, and credential reads by path. */
  public logins = 0;
  public readonly reads: string[] = [];
  /** Every read asked for, with the auth role whose token asked and the status answered. */
  public readonly readAttempts: Array<{ role?: string; path: string; status: number }> = [];
  /** Every token issued (none may appear in a log). */
  public readonly tokens: string[] = [];
  /** Set to answer every request with this status, as a failing Vault would. */
  public failWith?: number;
  /** Set to refuse every credential read (403), as a policy without the path would. */
  public refuseReads = false;
  /** Set to redirect every request there, as a misbehaving proxy would. */
  public redirectTo?: string;
  /** How long every answer is held, in ms, as a slow Vault would (`HOLD_UNTIL_STOPPED`: never answered). */
  public holdMs = 0;

  private server!: LoopbackServer;
  private readonly serverId: string;
  private readonly authRoles: AuthRole[];
  private readonly secretRoles: SecretRole[];
  private readonly policies = new Map<string, VaultPolicyDocument>();
  private readonly liveTokens = new Map<string, { role: string; accessor: string; policies: string[]; expires: number }>();

  private constructor(config: { resource: Resources }, private readonly registry: CredentialRegistry, private readonly clock: () => number,
    private readonly holds: Holds) {
    const r = config.resource;
    const ref = (value: string) => {
      const m = /^\$\{(\w+)\.([\w-]+)\.path\}$/.exec(value);
      return m ? String(r[m[1]][m[2]].path) : value;
    };
    this.serverId = String(Object.values(r.vault_aws_auth_backend_client ?? {})[0]?.iam_server_id_header_value);
    this.authRoles = Object.values(r.vault_aws_auth_backend_role ?? {}).map((role) => ({
      mount: ref(role.backend), role: role.role, boundArns: role.bound_iam_principal_arns, tokenTtl: role.token_ttl, policies: role.token_policies,
    }));
    this.secretRoles = Object.values(r.vault_aws_secret_backend_role ?? {}).map((role) => ({
      mount: ref(role.backend), name: role.name, roleArn: role.role_arns[0], ttl: role.default_sts_ttl, externalId: role.external_id,
    }));
    for (const policy of Object.values(r.vault_policy ?? {})) {
      this.policies.set(policy.name, VaultPolicyDocument.forAnalysis(policy.name, readPolicyRules(policy.policy)!));
    }
  }

  public get url(): string {
    return this.server.url;
  }

  public async stop(): Promise<void> {
    await this.server.stop();
  }

  private async answer(request: Received): Promise<Answer> {
    await this.holds.hold('vault', this.holdMs);
    if (this.failWith) return { status: this.failWith, body: { errors: ['unavailable'] } };
    if (this.redirectTo) return { status: 307, headers: { location: `${this.redirectTo}${request.path}` } };
    const path = request.path.split('?')[0];
    const login = /^\/v1\/auth\/(.+)\/login$/.exec(path);
    if (login && request.method === 'POST') return this.login(login[1], JSON.parse(request.body.toString('utf-8')));
    if (request.method === 'GET' && path.startsWith('/v1/')) return this.read(path.slice(4), request.headers['x-vault-token']);
    return { status: 404, body: { errors: [] } };
  }

  private async login(mount: string, body: Record<string, string>): Promise<Answer> {
    const role = this.authRoles.find((a) => a.mount === mount && a.role === body.role);
    if (!role) return { status: 400, body: { errors: [`invalid role name "${body.role}"`] } };
    const decode = (v: string) => Buffer.from(v ?? '', 'base64').toString('utf-8');
    const url = new URL(decode(body.iam_request_url));
    const headers = lowerCaseHeaders(JSON.parse(decode(body.iam_request_headers)) as Record<string, string[]>);
    if (headers['x-vault-aws-iam-server-id'] !== this.serverId) return { status: 400, body: { errors: ['missing or wrong server id header'] } };
    if (!/SignedHeaders=[^,]*x-vault-aws-iam-server-id/.test(headers.authorization ?? '')) {
      return { status: 400, body: { errors: ['the server id header is not signed'] } };
    }
    if (decode(body.iam_request_body) !== 'Action=GetCallerIdentity&Version=2011-06-15' || body.iam_http_request_method !== 'POST') {
      return { status: 400, body: { errors: ['not a GetCallerIdentity request'] } };
    }
    let roleArn: string;
    try {
      const signer = await verifySigV4({ method: 'POST', path: url.pathname, headers, body: decode(body.iam_request_body) }, this.registry.lookup);
      if (signer.service !== 'sts' || url.hostname !== headers.host) throw new Error('not an STS request');
      roleArn = signer.credentials.roleArn;
    } catch (error) {
      return { status: 400, body: { errors: [`error making upstream request: ${(error as Error).message}`] } };
    }
    if (!role.boundArns.includes(roleArn)) return { status: 403, body: { errors: ['permission denied'] } };
    const token = `hvs.${randomBytes(24).toString('base64url')}`;
    const accessor = randomBytes(12).toString('base64url');
    this.tokens.push(token);
    this.liveTokens.set(token, { role: role.role, accessor, policies: role.policies, expires: this.clock() + role.tokenTtl * 1000 });
    this.logins++;
    const auth = { client_token: token, accessor, policies: role.policies, lease_duration: role.tokenTtl, renewable: true };
    return { status: 200, body: { auth } };
  }

  private read(path: string, token: string | undefined): Answer {
    const session = token ? this.liveTokens.get(token) : undefined;
    const answer = this.readAs(session, path);
    this.readAttempts.push({ role: session?.role, path, status: answer.status });
    return answer;
  }

  private readAs(session: { policies: string[]; expires: number } | undefined, path: string): Answer {
    if (!session || session.expires <= this.clock() || this.refuseReads) return { status: 403, body: { errors: ['permission denied'] } };
    const matcher = new VaultPolicyMatcher(session.policies.map((p) => this.policies.get(p)!).filter(Boolean));
    if (!matcher.check(VaultCapability.READ, path).allowed) return { status: 403, body: { errors: ['permission denied'] } };
    const role = this.secretRoles.find((r) => path === `${r.mount}/creds/${r.name}`);
    if (!role) return { status: 404, body: { errors: [] } };
    this.reads.push(path);
    const issued = this.registry.issue(role.roleArn);
    const session_ = `vault-aws-${role.name}-${this.clock()}-${randomBytes(4).toString('hex')}`;
    return {
      status: 200,
      body: {
        lease_id: `${path}/${randomBytes(6).toString('hex')}`,
        lease_duration: role.ttl,
        renewable: false,
        data: {
          access_key: issued.accessKeyId,
          secret_key: issued.secretAccessKey,
          security_token: issued.sessionToken,
          arn: sessionArn(role.roleArn, session_),
        },
      },
    };
  }
}
