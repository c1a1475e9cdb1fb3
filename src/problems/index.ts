export * from './spec-problem';
export * from './gateway-validation-error';
