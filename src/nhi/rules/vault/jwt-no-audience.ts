import { NhiSeverity, OwaspNhi } from '../../finding';
import { isUnresolved, writtenText } from '../../private/unresolved';
import { VAULT_FIXTURES, VaultHit, vaultRule } from '../rule';
import { DEFAULT_ACCOUNT_REACH, isBrowserLoginRole, isFalse, isUnknown, TerraformResource } from '../support/vault';

/**
 * OIDC claims that hold a person's display name, which others can share and the person can
 * change: Vault keys each login's entity alias on the user claim, so two people of one name
 * become one entity, with every group policy either of them is given.
 */
const DISPLAY_NAME_CLAIMS = ['name', 'given_name', 'family_name', 'nickname'];

/** A browser login role whose user claim is a display name. */
function displayNameLogin(role: TerraformResource): VaultHit[] {
  const claim = role.props.user_claim;
  if (typeof claim !== 'string' || !DISPLAY_NAME_CLAIMS.includes(claim)) return [];
  return [{
    address: role.address,
    message: `user_claim is "${claim}", a display name people can share and change: everyone signing in with the same ${claim} becomes one Vault entity, with the policies of each other's groups; use sub (or oid for Azure AD)`,
  }];
}

/**
 * A Terraform Cloud workload identity subject (`organization:<o>:project:<p>:workspace:<w>:run_phase:<phase>`)
 * that admits every run phase: plans, which also run speculatively for pull requests, get the
 * policies meant for applies. `onlyPhaseOpen` when it names one workspace and leaves only the
 * phase open; otherwise it admits other workspaces (or projects) too.
 */
function everyTfcRunPhase(subjects: unknown[]): { subject: string; onlyPhaseOpen: boolean } | undefined {
  // An unresolved subject (`format("organization:%s:...:run_phase:*", var.org, ...)`) is read as written.
  const subject = subjects.map((s) => (isUnresolved(s) ? s.expression : s)).find((s): s is string => {
    if (typeof s !== 'string' || !s.includes('organization:')) return false;
    return s.includes(':run_phase:*') || (/^organization:.*\*$/.test(s) && !/:run_phase:(plan|apply)$/.test(s));
  });
  if (subject === undefined) return undefined;
  const beforePhase = subject.split(':run_phase:*')[0];
  return { subject, onlyPhaseOpen: subject.includes(':run_phase:*') && /:workspace:[^:*]+$/.test(beforePhase) && !beforePhase.includes('*') };
}

/**
 * True when the configuration creates Terraform Cloud workspaces that run speculative plans (the
 * provider's default): pull requests then plan with the workspace's identity.
 */
function runsSpeculativePlans(resources: TerraformResource[]): boolean {
  return resources.some((r) => r.type === 'tfe_workspace' && !isFalse(r.props.speculative_enabled));
}

const GITHUB_ACTIONS_ISSUER = 'token.actions.githubusercontent.com';

/**
 * Claims of a GitHub Actions token that name what runs (a branch or tag, an environment, a
 * workflow, or the subject that combines them). `repository`, `repository_owner`, `actor` and the
 * like name only where or by whom: any branch, pull-request workflow or job of the repository has them.
 */
const GITHUB_RUN_CLAIMS = ['sub', 'ref', 'environment', 'workflow', 'workflow_ref', 'job_workflow_ref', 'job_workflow_sha', 'workflow_sha', 'base_ref', 'head_ref'];

/** True when the role's auth method (or the role itself) trusts GitHub Actions' token issuer. */
function trustsGithubActions(role: TerraformResource, resources: TerraformResource[]): boolean {
  const backend = typeof role.props.backend === 'string' ? /^\$\{(vault_jwt_auth_backend\.[A-Za-z0-9_-]+)\.(path|id)\}$/.exec(role.props.backend) : null;
  const method = backend ? resources.find((r) => r.address === backend[1]) : undefined;
  return [method?.props.oidc_discovery_url, method?.props.bound_issuer, method?.props.jwks_url, role.props.bound_issuer]
    .some((v) => typeof v === 'string' && v.includes(GITHUB_ACTIONS_ISSUER));
}

export const VaultJwtNoAudience = vaultRule({
  id: 'NHI-VAULT-JWT-NO-AUDIENCE',
  title: 'A JWT role accepts tokens of any audience or subject, or an OIDC role names people by a display name',
  nhi: OwaspNhi.NHI4,
  nist: ['IA-9', 'IA-5'],
  severity: NhiSeverity.HIGH,
  fix: 'set role_type = "jwt", non-empty bound_audiences and a pinned bound_subject or bound_claims (for Terraform Cloud, one run phase per role); for a browser login, user_claim = "sub"',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => [...ctx.resources.filter((r) => r.type === 'vault_jwt_auth_backend_role' && !isBrowserLoginRole(r, ctx.resources)).flatMap((r): VaultHit[] => {
    const p = r.props;
    const audiences = Array.isArray(p.bound_audiences) ? p.bound_audiences : [];
    const claims = (p.bound_claims && typeof p.bound_claims === 'object' ? p.bound_claims : {}) as Record<string, unknown>;
    const pinned = (typeof p.bound_subject === 'string' && p.bound_subject !== '' && p.bound_subject !== '*')
      || (Object.keys(claims).length > 0 && !Object.values(claims).some((v) => v === '*'))
      || isUnknown(p.bound_claims) || isUnknown(p.bound_subject);
    const problems = [
      ...(p.role_type === undefined ? ['role_type is missing, so it is "oidc" (a browser flow), not "jwt"'] : []),
      ...(audiences.length === 0 && !isUnknown(p.bound_audiences) ? ['bound_audiences is empty'] : []),
      ...(pinned ? [] : ['neither bound_subject nor bound_claims pins the workload']),
    ];
    // A GitHub Actions role bound by claims that name no branch, environment or workflow admits
    // every workflow of the repository (a pull request's included).
    const runBound = (typeof p.bound_subject === 'string' && p.bound_subject !== '') || isUnknown(p.bound_subject) || isUnknown(p.bound_claims)
      || GITHUB_RUN_CLAIMS.some((claim) => claims[claim] !== undefined && claims[claim] !== '*');
    if (pinned && !runBound && trustsGithubActions(r, ctx.resources)) {
      problems.push(`bound_claims binds only ${Object.keys(claims).join(', ')}: any branch or workflow of it can log in; bind ref, environment, job_workflow_ref or sub as well`);
    }
    // A GitHub subject glob over every ref (`repo:org/app:ref:*`, `repo:org/app:*`) admits every
    // branch, tag and pull request of the repository, unless another claim pins what runs.
    const subjects = [...(Array.isArray(claims.sub) ? claims.sub : [claims.sub]), p.bound_subject].map(writtenText);
    const everyRef = p.bound_claims_type === 'glob' && subjects.find((s) => /repo:[^:\s,]+:(ref:)?\*/.test(s));
    const refPinned = ['ref', 'environment', 'job_workflow_ref', 'base_ref', 'head_ref'].some((claim) => claims[claim] !== undefined && claims[claim] !== '*');
    if (everyRef && !refPinned) {
      problems.push(`the GitHub Actions subject ${everyRef} admits every branch, tag and pull request of the repository: bind the branch (ref:refs/heads/main) or an environment`);
    }
    // A Terraform Cloud token names its organization; claims that do not bind it (only a project
    // or workspace name) admit a run of any organization that uses the same names.
    const tfcClaims = Object.keys(claims).some((k) => k.startsWith('terraform_')) || subjects.some((s) => s.includes('organization:'));
    const organizationBound = ['terraform_organization_id', 'terraform_organization_name'].some((k) => claims[k] !== undefined && claims[k] !== '*')
      || subjects.some((s) => /organization:[^:*]+:/.test(s)) || isUnknown(p.bound_claims);
    if (tfcClaims && !organizationBound) {
      problems.push('bound_claims bind no Terraform Cloud organization (terraform_organization_id, or a sub of organization:<org>): a run of any organization with the same project or workspace names can log in');
    }
    // A Kubernetes service-account token of the default namespace's `default` account.
    const defaultAccount = subjects.find((s) => s === 'system:serviceaccount:default:default');
    if (defaultAccount) problems.push(`the subject ${defaultAccount} is the default service account of the default namespace: ${DEFAULT_ACCOUNT_REACH}`);
    // Globs apply to bound_claims only (bound_subject is compared exactly).
    const everyPhase = p.bound_claims_type === 'glob' ? everyTfcRunPhase(Array.isArray(claims.sub) ? claims.sub : [claims.sub]) : undefined;
    // One workspace's plan and apply sharing a role is HashiCorp's documented binding; it is a
    // problem where pull requests plan with it, which the configuration shows by creating workspaces.
    const shownAProblem = everyPhase !== undefined && (!everyPhase.onlyPhaseOpen || runsSpeculativePlans(ctx.resources));
    if (everyPhase !== undefined && (shownAProblem || problems.length > 0)) {
      problems.push(`the Terraform Cloud subject "${everyPhase.subject}" admits every run phase${everyPhase.onlyPhaseOpen ? '' : ' of more than one workspace'}, so plans (also run speculatively for pull requests) get the apply's policies; bind plan and apply to separate roles (run_phase:plan, run_phase:apply)`);
    } else if (everyPhase !== undefined) {
      return [{
        address: r.address,
        severity: NhiSeverity.INFO,
        message: `the Terraform Cloud subject "${everyPhase.subject}" admits both run phases of its workspace: if the workspace runs speculative plans for pull requests, they get the apply's policies; bind plan and apply to separate roles (run_phase:plan, run_phase:apply)`,
      }];
    }
    return problems.length > 0 ? [{ address: r.address, message: problems.join('; ') }] : [];
  }), ...ctx.resources.filter((r) => isBrowserLoginRole(r, ctx.resources)).flatMap(displayNameLogin)],
});
