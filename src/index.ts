export * from './contract';
export * from './vault-acl';
export * from './problems';
export * from './spec';
export * from './aws';
export * from './vault';
export * from './nhi';
export * from './review';
