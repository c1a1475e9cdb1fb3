// The Vault plane's public API: the plane, its props' types and the provider login. The building
// blocks it composes (auth methods, secrets engines, roles, connections, policies, audit devices)
// are internal: tests import them by module path.
export * from './vault-provider-login';
export * from './aws-api-endpoints';
export * from './second-audit-device';
export * from './vault-plane';
export * from './vault-audit-options';
