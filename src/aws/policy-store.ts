import { CfnResource, Stack } from 'aws-cdk-lib';
import * as verifiedpermissions from 'aws-cdk-lib/aws-verifiedpermissions';
import { Construct } from 'constructs';
import { CedarPolicyDefinition, CedarPolicyTemplateDefinition, CedarTemplateLinkDefinition, GatewayBlueprint, GatewayCedarModel } from '../spec';
import { validatePolicyStore } from './private/cedar-validation';
import { fieldsOf, refuseUnknownProps } from './private/known-fields';
import { tenantPlacementOf } from './private/tenant-placement';

/**
 * Properties of the gateway's policy store.
 */
export interface GatewayPolicyStoreProps {
  /** The gateway whose grants the store holds. */
  readonly blueprint: GatewayBlueprint;

  /**
   * Policies to add to the generated ones. Each is validated against the gateway's schema at
   * synth.
   *
   * @default - only the generated policies
   */
  readonly additionalPolicies?: CedarPolicyDefinition[];

  /**
   * Whether the store refuses deletion.
   *
   * @default true
   */
  readonly deletionProtection?: boolean;
}

const GATEWAY_POLICY_STORE_FIELDS = fieldsOf<GatewayPolicyStoreProps>({ blueprint: true, additionalPolicies: true, deletionProtection: true });

/**
 * An Amazon Verified Permissions policy store in STRICT mode, with the Cedar schema, policies and
 * policy templates generated from the gateway spec: each workload may use exactly its tenant's
 * grants, nothing crosses tenants, and suspended workloads and tenants are forbidden everything.
 *
 * The templates and the gateway-wide policies live with the store; each tenant's grants and
 * suspensions are template-linked policies in the tenant's own scope (its cell), one per granted
 * resource, so no per-resource size total of the store grows with the number of tenants beyond
 * one short link per tenant (see `GatewayCedarModel`).
 *
 * Every policy, template and link, generated or added, is validated against the schema with the
 * Cedar engine when the app is synthesized; an invalid one fails synthesis, not the deployment.
 */
export class GatewayPolicyStore extends Construct {
  /** The policy store. */
  public readonly resource: verifiedpermissions.CfnPolicyStore;
  /** The policy store id. */
  public readonly policyStoreId: string;
  /** The policy store ARN. */
  public readonly policyStoreArn: string;
  /** The Cedar schema in JSON form. */
  public readonly schemaJson: string;

  private readonly definitions: CedarPolicyDefinition[] = [];
  private readonly templateDefinitions: CedarPolicyTemplateDefinition[] = [];
  private readonly linkDefinitions: CedarTemplateLinkDefinition[] = [];
  private readonly templateResources = new Map<string, verifiedpermissions.CfnPolicyTemplate>();
  /** The last policy created in each scope: each scope's policies are created one after another. */
  private readonly lastPolicy = new Map<Construct, CfnResource>();

  constructor(scope: Construct, id: string, props: GatewayPolicyStoreProps) {
    super(scope, id);
    refuseUnknownProps('GatewayPolicyStore', props, GATEWAY_POLICY_STORE_FIELDS);
    const { blueprint } = props;
    this.schemaJson = GatewayCedarModel.schemaJson();
    this.resource = new verifiedpermissions.CfnPolicyStore(this, 'Resource', {
      description: `Who may use what in gateway ${blueprint.name}: generated from its spec.`.slice(0, 150),
      validationSettings: { mode: 'STRICT' },
      schema: { cedarJson: this.schemaJson },
      deletionProtection: { mode: props.deletionProtection === false ? 'DISABLED' : 'ENABLED' },
    });
    this.policyStoreId = this.resource.attrPolicyStoreId;
    this.policyStoreArn = this.resource.attrArn;

    const placement = tenantPlacementOf(props);
    for (const template of GatewayCedarModel.templates()) {
      const resource = this.createTemplate(template);
      // Cells import each template's id. Exported whether or not a cell links it yet, so the last
      // suspension lifted (or the first one made) never has to remove (or add) an export that a
      // cell stack still imports.
      if (placement) Stack.of(this).exportValue(resource.attrPolicyTemplateId);
    }
    for (const policy of [...GatewayCedarModel.gatewayPolicies(), ...(props.additionalPolicies ?? [])]) {
      this.addPolicy(policy);
    }
    // Each tenant's links live with its cell when the plane places them there.
    for (const tenant of blueprint.tenants) {
      const tenantScope = placement?.(tenant.id) ?? this;
      for (const link of GatewayCedarModel.tenantLinks(blueprint, tenant.id)) {
        this.createLink(tenantScope, link);
      }
    }
    this.node.addValidation({
      validate: () => validatePolicyStore(this.schemaJson, {
        policies: this.definitions,
        templates: this.templateDefinitions,
        links: this.linkDefinitions,
      }),
    });
  }

  /** Every static policy the store will hold, generated and added. */
  public get policies(): CedarPolicyDefinition[] {
    return [...this.definitions];
  }

  /** Every policy template the store will hold. */
  public get templates(): CedarPolicyTemplateDefinition[] {
    return [...this.templateDefinitions];
  }

  /** Every template-linked policy the store will hold. */
  public get links(): CedarTemplateLinkDefinition[] {
    return [...this.linkDefinitions];
  }

  /**
   * Adds a policy. It is validated against the gateway's schema at synth.
   */
  public addPolicy(policy: CedarPolicyDefinition): void {
    this.definitions.push(policy);
    const resource = new verifiedpermissions.CfnPolicy(this, `Policy-${policy.id}`, {
      policyStoreId: this.policyStoreId,
      definition: { static: { statement: policy.statement, description: policy.description } },
    });
    this.inOrder(this, resource);
  }

  private createTemplate(template: CedarPolicyTemplateDefinition): verifiedpermissions.CfnPolicyTemplate {
    this.templateDefinitions.push(template);
    const resource = new verifiedpermissions.CfnPolicyTemplate(this, `PolicyTemplate-${template.id}`, {
      policyStoreId: this.policyStoreId,
      statement: template.statement,
      description: template.description,
    });
    this.templateResources.set(template.id, resource);
    // Side by side, not in the policies' chain: seven writes, once, which every cell's links wait
    // for (a cell stack deploys after the plane's) and which would otherwise lengthen the
    // longest chain of the deployment by seven.
    return resource;
  }

  /**
   * A link is `Policy-<grant>` in the tenant's scope, or, when the grant has one link per
   * resource, `Policy-<grant>/<resource>`: its id (and so its logical id) depends on nothing but
   * the tenant and the resource.
   */
  private createLink(tenantScope: Construct, link: CedarTemplateLinkDefinition): void {
    this.linkDefinitions.push(link);
    const template = this.templateResources.get(link.templateId);
    // An unknown template is reported by the validation; nothing can be linked to it.
    if (!template) return;
    let parent = tenantScope;
    let id = `Policy-${link.grant}`;
    if (link.id !== link.grant) {
      parent = (tenantScope.node.tryFindChild(id) as Construct | undefined) ?? new Construct(tenantScope, id);
      id = link.id.slice(link.grant.length + 1);
    }
    const entity = (e: { entityType: string; entityId: string } | undefined) => (e ? { entityType: e.entityType, entityId: e.entityId } : undefined);
    const resource = new verifiedpermissions.CfnPolicy(parent, id, {
      policyStoreId: this.policyStoreId,
      definition: {
        templateLinked: {
          policyTemplateId: template.attrPolicyTemplateId,
          principal: entity(link.principal),
          resource: entity(link.resource),
        },
      },
    });
    this.inOrder(tenantScope, resource);
  }

  /**
   * Created one after another within a scope (Verified Permissions throttles parallel policy
   * writes): a tenant's few links form a chain of their own, never one through all tenants.
   */
  private inOrder(scope: Construct, resource: CfnResource): void {
    const last = this.lastPolicy.get(scope);
    if (last) resource.addResourceDependency(last);
    this.lastPolicy.set(scope, resource);
  }
}
