import { CEDAR_NAMESPACE } from '../../contract/cedar-names';
import { RouterRoutes } from '../../contract/router-routes';
import { GatewayBlueprint, TargetKind } from '../../spec/blueprint';
import { parseRoleArn } from '../../spec/identifiers';

/**
 * The routing table of a gateway. Workloads that authenticate as Kubernetes service accounts are
 * not listed: they read their database credentials from Vault directly and do not call the API.
 */
export function routerRoutes(blueprint: GatewayBlueprint): RouterRoutes {
  const naming = blueprint.naming;
  return {
    version: 1,
    gateway: blueprint.name,
    region: blueprint.region,
    partition: blueprint.partition,
    cedarNamespace: CEDAR_NAMESPACE,
    stsEndpoint: naming.stsEndpoint(),
    workloads: blueprint.workloads.filter((w) => w.roleArn).map((w) => {
      // The blueprint holds only role ARNs the spec's validation accepted.
      const role = parseRoleArn(w.roleArn!)!;
      return {
        id: w.id,
        tenant: w.tenantId,
        cedarId: w.cedarId,
        account: role.account,
        roleName: role.name,
        roleArn: w.roleArn!,
      };
    }),
    tenants: blueprint.tenants.map((tenant) => {
      const models = tenant.targets.find((t) => t.kind === TargetKind.BEDROCK_MODELS);
      const modelIds = [...tenant.foundationModels, ...tenant.inferenceProfiles.map((p) => p.id)];
      return {
        id: tenant.id,
        cedarId: tenant.cedarId,
        modelsCredentialsPath: models?.vaultCredentialsPath,
        models: Object.fromEntries(modelIds.map((id) => [id, naming.cedarModelId(id)])),
        tools: Object.fromEntries(tenant.tools.map((id) => [id, naming.cedarToolId(id)])),
        guardrails: tenant.guardrails.map((g) => ({ id: g.id, arn: g.arn, ...(g.version !== undefined ? { version: g.version } : {}) })),
        providerKeys: tenant.targets.filter((t) => t.kind === TargetKind.PROVIDER_KEY && t.providerKey).map((t) => ({
          id: t.providerKey!.id,
          provider: t.providerKey!.provider,
          cedarId: naming.cedarProviderKeyId(tenant.id, t.providerKey!.id),
          credentialsPath: t.vaultCredentialsPath,
          secretName: t.providerKey!.secretName,
        })),
      };
    }),
  };
}
