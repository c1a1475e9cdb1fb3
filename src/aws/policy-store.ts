import * as verifiedpermissions from 'aws-cdk-lib/aws-verifiedpermissions';
import { Construct } from 'constructs';
import { CedarPolicyDefinition, GatewayBlueprint, GatewayCedarModel } from '../spec';
import { validatePolicies } from './private/cedar-validation';
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
 * An Amazon Verified Permissions policy store in STRICT mode, with the Cedar schema and policies
 * generated from the gateway spec: each workload may use exactly its tenant's grants, nothing
 * crosses tenants, and suspended workloads and tenants are forbidden everything.
 *
 * Every policy, generated or added, is validated against the schema with the Cedar engine when
 * the app is synthesized; an invalid policy fails synthesis, not the deployment.
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
  /** The last policy created in each scope: each scope's policies are created one after another. */
  private readonly lastPolicy = new Map<Construct, verifiedpermissions.CfnPolicy>();

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

    for (const policy of [...GatewayCedarModel.gatewayPolicies(), ...(props.additionalPolicies ?? [])]) {
      this.addPolicy(policy);
    }
    // Each tenant's policies live with its cell when the plane places them there.
    const placement = tenantPlacementOf(props);
    for (const tenant of blueprint.tenants) {
      const tenantScope = placement?.(tenant.id) ?? this;
      for (const policy of GatewayCedarModel.tenantPolicies(blueprint, tenant.id)) {
        this.createPolicy(tenantScope, policy);
      }
    }
    this.node.addValidation({ validate: () => validatePolicies(this.schemaJson, this.definitions) });
  }

  /** Every policy the store will hold, generated and added. */
  public get policies(): CedarPolicyDefinition[] {
    return [...this.definitions];
  }

  /**
   * Adds a policy. It is validated against the gateway's schema at synth.
   */
  public addPolicy(policy: CedarPolicyDefinition): void {
    this.createPolicy(this, policy);
  }

  private createPolicy(scope: Construct, policy: CedarPolicyDefinition): void {
    this.definitions.push(policy);
    const resource = new verifiedpermissions.CfnPolicy(scope, `Policy-${policy.id}`, {
      policyStoreId: this.policyStoreId,
      definition: { static: { statement: policy.statement, description: policy.description } },
    });
    // Created one after another within a scope (Verified Permissions throttles parallel policy
    // writes): a tenant's few policies form a chain of their own, never one through all tenants.
    const last = this.lastPolicy.get(scope);
    if (last) resource.addResourceDependency(last);
    this.lastPolicy.set(scope, resource);
  }
}
