import { SecretRegistry } from './secret-registry';

/**
 * One record per request: who called, as which workload of which tenant, what the policy store
 * decided and why, which Vault token (by accessor) and which assumed-role session carried the
 * call, and how it ended. Identifiers only: no token, key or credential is ever a field.
 */
export interface IdentityChainRecord {
  readonly type: 'gateward.identity-chain';
  readonly version: 1;
  readonly timestamp: string;
  readonly gateway: string;
  /** The tenant whose router cell answered: the only tenant whose credentials it can read. */
  readonly cell?: string;
  readonly requestId: string;
  /** The signed caller, as API Gateway verified it. */
  readonly callerArn?: string;
  readonly workload?: string;
  readonly tenant?: string;
  /** The tenant the request was made for, when it differs from the workload's. */
  readonly claimedTenant?: string;
  readonly action?: string;
  /** The Cedar resources asked about, e.g. `Model::anthropic.claude-...`, `Tool::web-search`. */
  readonly resources?: string[];
  readonly decision?: 'ALLOW' | 'DENY';
  /**
   * The policy store's ids of the policies that decided, as Verified Permissions returns them.
   * A tenant's grant is a template-linked policy per resource: its id maps to the template and the
   * linked tenant and resource (`GetPolicy`), and to its resource in the tenant's cell stack,
   * `.../Tenant-<tenant>/Policy-<grant>/<resource>` (its `PolicyId`); with `tenant`, `action`
   * and `resources` above, the record names the grant's link that decided.
   */
  readonly determiningPolicies?: string[];
  readonly model?: string;
  readonly providerKey?: string;
  /** The Vault path the credentials were read from. */
  readonly credentialsPath?: string;
  /** The accessor of the router's Vault token: revocable and traceable in Vault's audit log. */
  readonly vaultTokenAccessor?: string;
  readonly vaultLeaseId?: string;
  /** The assumed-role session ARN, which CloudTrail records on the model call. */
  readonly assumedRoleArn?: string;
  readonly assumedRoleSessionName?: string;
  readonly credentialsReused?: boolean;
  readonly latencyMs: { total: number; authorize?: number; credentials?: number; model?: number };
  readonly outcome: { status: number; reason: string; message?: string };
  readonly usage?: { inputTokens: number; outputTokens: number };
}

/** Where identity-chain records go. */
export interface IIdentityChainLog {
  write(record: IdentityChainRecord): void;
}

/**
 * Writes records as JSON lines to standard output, which the Lambda runtime sends to the
 * function's log group (the gateway's decision log). Every line is redacted of the secrets the
 * router has handled before it is written.
 */
export class ConsoleIdentityChainLog implements IIdentityChainLog {
  constructor(private readonly secrets: SecretRegistry, private readonly out: (line: string) => void = (line) => console.log(line)) {}

  public write(record: IdentityChainRecord): void {
    this.out(this.secrets.redact(JSON.stringify(record)));
  }
}
