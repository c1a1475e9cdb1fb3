export * from './gateway-spec';
export * from './ttl-limits';
export * from './naming';
export * from './validation';
export * from './blueprint';
export * from './cedar-model';
export * from './advisories';
export * from './loader';
