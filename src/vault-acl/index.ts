export * from './vault-capability';
export * from './vault-operation';
export * from './vault-policy-rule';
export * from './vault-policy-document';
export * from './vault-policy-matcher';
