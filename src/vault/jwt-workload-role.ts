import { JwtAuthBackendRole } from '@cdktf/provider-vault/lib/jwt-auth-backend-role';
import { Construct } from 'constructs';
import { TtlLimits } from '../spec';
import { hasWildcard } from '../spec/identifiers';
import { fieldsOf, refuse, ttlProblems, unknownKeyProblems } from './private/prop-validation';

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

const FIELDS = fieldsOf<JwtWorkloadRoleProps>({
  backend: true, roleName: true, boundAudiences: true, boundSubject: true, tokenPolicies: true, tokenTtlSeconds: true, tokenMaxTtlSeconds: true,
});

/**
 * One workload's role in a JWT auth method: `role_type = jwt` (Vault's default is `oidc`, a
 * browser flow), audiences and subject pinned exactly, a stable user claim, short tokens with no
 * default policy.
 */
export class JwtWorkloadRole extends Construct {
  /** The role resource. */
  public readonly resource: JwtAuthBackendRole;

  constructor(scope: Construct, id: string, props: JwtWorkloadRoleProps) {
    super(scope, id);
    const problems = unknownKeyProblems(props, FIELDS, 'JwtWorkloadRoleProps');
    if (props.boundAudiences.length === 0 || props.boundAudiences.some((a) => !a)) {
      problems.push('boundAudiences is empty; bind the audience the workload\'s projected token carries (Vault 1.16.3+ rejects such tokens otherwise, and an unbound role accepts tokens minted for anything)');
    }
    if (!props.boundSubject || hasWildcard(props.boundSubject)) {
      problems.push(`boundSubject "${props.boundSubject}" must be one exact subject, e.g. system:serviceaccount:<namespace>:<name>`);
    }
    if (props.tokenPolicies.length === 0) problems.push('tokenPolicies is empty; a token with no policy grants nothing');
    problems.push(...ttlProblems('workload token', props.tokenTtlSeconds, props.tokenMaxTtlSeconds, TtlLimits.VAULT_TOKENS.ceilingSeconds));
    refuse(`JWT role "${props.roleName}"`, problems);

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
