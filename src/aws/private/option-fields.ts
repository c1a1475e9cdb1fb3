import type { AuditOptions } from '../audit-options';
import type { GatewayApiOptions } from '../gateway-api';
import type { RouterOptions } from '../router-function';

/**
 * The fields of the option structs that both a building block and `LlmGateway` accept, listed
 * once: each props' field list spreads them (typed, so a new option that is not listed fails to
 * compile).
 */
export const ROUTER_OPTION_FIELDS: Record<keyof Required<RouterOptions>, true> = {
  vpc: true,
  vpcSubnets: true,
  vaultConnection: true,
  createInterfaceEndpoints: true,
  providerEgress: true,
  providerEndpoints: true,
  reservedConcurrency: true,
  memorySize: true,
  codeSigning: true,
};

export const API_OPTION_FIELDS: Record<keyof Required<GatewayApiOptions>, true> = {
  throttlingRateLimit: true,
  throttlingBurstLimit: true,
  wafRateLimit: true,
};

export const AUDIT_OPTION_FIELDS: Record<keyof Required<AuditOptions>, true> = {
  auditRetentionDays: true,
  auditLockMode: true,
  decisionLogRetention: true,
  serverAccessLogsBucket: true,
};
