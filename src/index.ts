export * from './spec';
export * from './aws';
export * from './checks';
