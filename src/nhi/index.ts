export * from './finding';
export * from './rules';
export * from './aws-checker';
export * from './vault-checker';
export * from './nhi-checks';
export * from './nhi-report';
export * from './permission-snapshot';
export * from './principal-assertions';
