/**
 * The names of the gateway's Cedar schema, shared by the policy generator (which writes the
 * schema and the policies) and the router (which asks the policy store), so that what is
 * deployed and what is asked are spelled by one table.
 */

/**
 * The actions a workload may be authorized for.
 */
export enum CedarAction {
  /** Invoke a Bedrock foundation model or inference profile. */
  INVOKE_MODEL = 'InvokeModel',
  /** Call a tool. */
  CALL_TOOL = 'CallTool',
  /** Read a tenant's dataset. */
  READ_DATASET = 'ReadDataset',
  /** Write a tenant's dataset (only where the data store grants read-write). */
  WRITE_DATASET = 'WriteDataset',
  /** Call a third-party model provider with one of the tenant's provider keys. */
  USE_PROVIDER_KEY = 'UseProviderKey',
}

/**
 * The entity types of the gateway's Cedar schema.
 */
export enum CedarEntityType {
  /** A tenant; workloads are members of their tenant. */
  TENANT = 'Tenant',
  /** A workload (the principal of every request). */
  WORKLOAD = 'Workload',
  /** A Bedrock foundation model or inference profile. */
  MODEL = 'Model',
  /** A tool. */
  TOOL = 'Tool',
  /** A tenant's data store. */
  DATASET = 'Dataset',
  /** A tenant's third-party provider key. */
  PROVIDER_KEY = 'ProviderKey',
}
