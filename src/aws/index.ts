// The AWS plane's public API. The building blocks only the plane composes (broker, target and
// verifier roles, the policy store, the audit sinks, provider-key secrets and the key-age
// monitor) are not exported: the plane validates their inputs, and their classes stay in their
// modules for the plane and the tests.
export * from './gateway-resource-props';
export * from './vault-server-identity';
export * from './router-role';
export * from './provider-key-rotation';
export * from './audit-options';
export * from './aws-plane';
export * from './vault-connection';
export * from './router-code-signing';
export * from './router-function';
export * from './gateway-api';
export * from './gateway-web-acl';
export * from './gateway-api-deployer';
export * from './llm-gateway';
export * from './gateway-guardrails';
