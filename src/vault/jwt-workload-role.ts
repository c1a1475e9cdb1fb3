import { JwtAuthBackendRole } from '@cdktf/provider-vault/lib/jwt-auth-backend-role';
import { Construct } from 'constructs';
import { hasWildcard } from '../spec/identifiers';
import { throwIfProblems } from './private/prop-validation';

/**
 * Properties of one workload's JWT role.
 */
export interface JwtWorkloadRoleProps {
  /** The JWT auth mount. */
  readonly backend: string;
  /** The role name. */
  readonly roleName: string;
  /** Audiences a token must carry, at least one: Vault rejects tokens with an audience when none is bound. */
  readonly boundAudiences: string[];
  /** The exact subject a token must carry, e.g. `system:serviceaccount:support:ticket-summarizer`. */
  readonly boundSubject: string;
  /** The policies the workload's tokens carry, and nothing else. */
  readonly tokenPolicies: string[];
  /** Token lifetime, in seconds. */
  readonly tokenTtlSeconds: number;
  /** Longest token lifetime, in seconds. */
  readonly tokenMaxTtlSeconds: number;
}

/**
 * One workload's role in a JWT auth method: `role_type = jwt` (Vault's default is `oidc`, a
 * browser flow), audiences and subject pinned exactly, a stable user claim, short tokens with no
 * default policy.
 *
 * Built only by `WorkloadJwtAuth`, from the validated spec (whose TTL ceilings apply). What it
 * still refuses is a role that would accept tokens it should not: no audience, a subject that is
 * not one exact subject (the spec's wildcard rule), no policy.
 */
export class JwtWorkloadRole extends Construct {
  /** The role resource. */
  public readonly resource: JwtAuthBackendRole;

  constructor(scope: Construct, id: string, props: JwtWorkloadRoleProps) {
    super(scope, id);
    throwIfProblems(`JwtWorkloadRole "${props.roleName}"`, (c) => {
      if (props.boundAudiences.length === 0 || props.boundAudiences.some((a) => !a)) {
        c.add('props.boundAudiences', props.boundAudiences, 'is empty: Vault 1.16.3+ rejects tokens with an audience when none is bound, and an unbound role accepts tokens minted for anything',
          'bind the audience the workload\'s projected token carries');
      }
      if (!props.boundSubject || hasWildcard(props.boundSubject)) {
        c.add('props.boundSubject', props.boundSubject, 'the boundSubject of a workload role must be one exact subject, without wildcards', 'give system:serviceaccount:<namespace>:<name>');
      }
      if (props.tokenPolicies.length === 0) {
        c.add('props.tokenPolicies', props.tokenPolicies, 'is empty; a token with no policy grants nothing', 'give the workload\'s policy');
      }
    });

    this.resource = new JwtAuthBackendRole(this, 'Resource', {
      backend: props.backend,
      roleName: props.roleName,
      roleType: 'jwt',
      boundAudiences: props.boundAudiences,
      boundSubject: props.boundSubject,
      // The subject names the service account, which is stable across pods and deployments.
      userClaim: 'sub',
      tokenTtl: props.tokenTtlSeconds,
      tokenMaxTtl: props.tokenMaxTtlSeconds,
      tokenExplicitMaxTtl: props.tokenMaxTtlSeconds,
      tokenNoDefaultPolicy: true,
      tokenPolicies: props.tokenPolicies,
      tokenType: 'service',
    });
  }
}
