/**
 * Why the router refused or failed a request. Callers branch on these codes; they are part of the
 * API and never change meaning.
 */
export enum ReasonCode {
  /** The request body is not a valid chat request. */
  BAD_REQUEST = 'BAD_REQUEST',
  /**
   * The event did not come from this cell's API method (another API, stage, account, method or
   * path, or no signed caller): someone invoked the function directly.
   */
  FORGED_EVENT = 'FORGED_EVENT',
  /** The signed caller is not a workload of this gateway. */
  CALLER_UNKNOWN = 'CALLER_UNKNOWN',
  /** The signed caller is a workload of another tenant than the one this router cell serves. */
  TENANT_NOT_SERVED = 'TENANT_NOT_SERVED',
  /** The request names a tenant other than the caller's own. */
  TENANT_MISMATCH = 'TENANT_MISMATCH',
  /** The policy store denied the request. */
  DENIED_BY_POLICY = 'DENIED_BY_POLICY',
  /** The policy store allowed the request, but the tenant has no credentials for it. */
  NO_ROUTE = 'NO_ROUTE',
  /** The provider key's provider has no client in the router. */
  PROVIDER_NOT_SUPPORTED = 'PROVIDER_NOT_SUPPORTED',
  /** The provider key's secret is not `{"apiKey", "endpoint"}` JSON, so the key is bound to no host. */
  PROVIDER_KEY_UNBOUND = 'PROVIDER_KEY_UNBOUND',
  /** A provider endpoint (in the key's secret or the router's configuration) is not an https URL. */
  PROVIDER_ENDPOINT_INSECURE = 'PROVIDER_ENDPOINT_INSECURE',
  /** The configured provider endpoint is on another origin than the one the key is bound to. */
  PROVIDER_ENDPOINT_MISMATCH = 'PROVIDER_ENDPOINT_MISMATCH',
  /** The policy store could not be asked. */
  POLICY_STORE_UNAVAILABLE = 'POLICY_STORE_UNAVAILABLE',
  /** Vault could not be reached, or refused the router's login. */
  VAULT_UNAVAILABLE = 'VAULT_UNAVAILABLE',
  /** Vault was reached but did not issue the target's credentials. */
  CREDENTIALS_UNAVAILABLE = 'CREDENTIALS_UNAVAILABLE',
  /** The model or provider refused or failed the call. */
  MODEL_ERROR = 'MODEL_ERROR',
  /** A service the request waited for did not answer before the request's deadline. */
  UPSTREAM_TIMEOUT = 'UPSTREAM_TIMEOUT',
  /** An error in the router itself. */
  ROUTER_ERROR = 'ROUTER_ERROR',
}

/** The HTTP status each reason is answered with. */
export const STATUS_OF: Record<ReasonCode, number> = {
  [ReasonCode.BAD_REQUEST]: 400,
  [ReasonCode.FORGED_EVENT]: 403,
  [ReasonCode.CALLER_UNKNOWN]: 403,
  [ReasonCode.TENANT_NOT_SERVED]: 403,
  [ReasonCode.TENANT_MISMATCH]: 403,
  [ReasonCode.DENIED_BY_POLICY]: 403,
  [ReasonCode.NO_ROUTE]: 403,
  [ReasonCode.PROVIDER_NOT_SUPPORTED]: 501,
  // The key cannot be used until its secret or the router's configuration is fixed; nothing was sent.
  [ReasonCode.PROVIDER_KEY_UNBOUND]: 503,
  [ReasonCode.PROVIDER_ENDPOINT_INSECURE]: 503,
  [ReasonCode.PROVIDER_ENDPOINT_MISMATCH]: 503,
  [ReasonCode.POLICY_STORE_UNAVAILABLE]: 503,
  [ReasonCode.VAULT_UNAVAILABLE]: 503,
  [ReasonCode.CREDENTIALS_UNAVAILABLE]: 503,
  [ReasonCode.MODEL_ERROR]: 502,
  [ReasonCode.UPSTREAM_TIMEOUT]: 504,
  [ReasonCode.ROUTER_ERROR]: 500,
};

/**
 * A request the router ends early. The message goes to the caller and the identity-chain log, so
 * it never carries a secret or an upstream error's raw text.
 */
export class RouterError extends Error {
  public readonly status: number;

  constructor(public readonly reason: ReasonCode, message: string) {
    super(message);
    this.status = STATUS_OF[reason];
  }
}

/** The class of an error, without its message (which may echo request data). */
export function errorName(error: unknown): string {
  const e = error as { name?: string; code?: unknown; $metadata?: { httpStatusCode?: number }; cause?: { code?: string } };
  const status = e?.$metadata?.httpStatusCode;
  // Node's network errors carry their code themselves, fetch's in their cause.
  const code = e?.cause?.code ?? (typeof e?.code === 'string' ? e.code : undefined);
  return [e?.name ?? 'Error', status ? `HTTP ${status}` : undefined, code].filter(Boolean).join(', ');
}
