import { JwtAuthBackend } from '@cdktf/provider-vault/lib/jwt-auth-backend';
import { Construct } from 'constructs';
import { GatewayBlueprint, WorkloadBlueprint } from '../spec';
import { JwtWorkloadRole } from './jwt-workload-role';
import { ownedDescription } from './private/ownership';
import { duration } from './private/prop-validation';

/**
 * Properties of a cluster's JWT auth method.
 */
export interface WorkloadJwtAuthProps {
  /** The gateway. */
  readonly blueprint: GatewayBlueprint;
  /** The cluster's OIDC issuer. */
  readonly issuerUrl: string;
  /** The cluster's workloads that get a role, each with the policy its tokens carry. */
  readonly workloads: WorkloadBlueprint[];
  /** The policy name of each workload, by workload id. */
  readonly policyNames: Record<string, string>;
}

/**
 * A JWT auth method for one Kubernetes cluster: it trusts exactly the cluster's OIDC issuer and
 * gives each of the cluster's workloads a role bound to its service account. Built only by
 * `GatewayVaultPlane`, from the validated spec.
 */
export class WorkloadJwtAuth extends Construct {
  /** The auth mount. */
  public readonly backend: JwtAuthBackend;
  /** The workload roles, in the order of `workloads`. */
  public readonly roles: JwtWorkloadRole[];

  constructor(scope: Construct, id: string, props: WorkloadJwtAuthProps) {
    super(scope, id);
    const { blueprint } = props;
    const ttl = blueprint.ttls.vaultTokens;
    this.backend = new JwtAuthBackend(this, 'Resource', {
      type: 'jwt',
      path: blueprint.naming.vaultJwtAuthMountPath(props.issuerUrl),
      description: ownedDescription(blueprint, `workloads of cluster ${props.issuerUrl}`),
      oidcDiscoveryUrl: props.issuerUrl,
      boundIssuer: props.issuerUrl,
      jwtSupportedAlgs: ['RS256'],
      tune: [{ defaultLeaseTtl: duration(ttl.defaultSeconds), maxLeaseTtl: duration(ttl.maxSeconds), tokenType: 'default-service' }],
    });
    this.roles = props.workloads.map((workload) => {
      const sa = workload.eksServiceAccount!;
      return new JwtWorkloadRole(this, `Workload-${workload.id}`, {
        backend: this.backend.path,
        roleName: blueprint.naming.vaultWorkloadAuthRoleName(workload.id),
        boundAudiences: sa.audience ? [sa.audience] : [],
        boundSubject: `system:serviceaccount:${sa.namespace}:${sa.name}`,
        tokenPolicies: [props.policyNames[workload.id]],
        tokenTtlSeconds: ttl.defaultSeconds,
        tokenMaxTtlSeconds: ttl.maxSeconds,
      });
    });
  }
}
