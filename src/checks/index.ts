export * from './permission-snapshot';
