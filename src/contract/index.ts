// Only the Cedar vocabulary is public API; the route table, env names and chat schema are the
// router's internal contract with the AWS plane.
export * from './cedar-vocabulary';
