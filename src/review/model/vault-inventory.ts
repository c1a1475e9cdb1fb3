import { seconds, TerraformResource } from '../../nhi/rules/support/vault';
import { readPolicy } from '../../vault-acl/policy-text';
import { VaultCapability } from '../../vault-acl/vault-capability';
import { VaultPolicyDocument } from '../../vault-acl/vault-policy-document';
import { VaultPolicyMatcher } from '../../vault-acl/vault-policy-matcher';
import { globMatches } from '../iam/arn-pattern';
import { VaultOutput } from '../inputs/vault-output';

/** Where a Vault object is: its Terraform address and file. */
export interface VaultLocation {
  readonly file: string;
  readonly address: string;
}

/** A token lifetime, in seconds, as a role (or its mount) sets it. */
export interface TokenTtl {
  readonly defaultSeconds?: number;
  readonly maxSeconds?: number;
}

/** A role of an auth method: who may log in as it, and the policies its tokens carry. */
export interface VaultAuthRole {
  /** `aws` (IAM principals) or `jwt` (tokens of an OIDC issuer, e.g. EKS service accounts). */
  readonly method: 'aws' | 'jwt';
  readonly mount: string;
  readonly name: string;
  /** `auth/<mount>/role/<name>`: a stable id. */
  readonly id: string;
  readonly location: VaultLocation;
  /** AWS: the IAM principal ARNs it binds (Vault accepts a trailing `*`). */
  readonly boundPrincipalArns: string[];
  readonly resolvesUniqueIds: boolean;
  /** JWT: the subject, audiences and issuer it binds. */
  readonly boundSubject?: string;
  readonly boundAudiences: string[];
  readonly issuer?: string;
  readonly policies: string[];
  readonly noDefaultPolicy: boolean;
  readonly ttl: TokenTtl;
}

/** A credential a secrets engine issues at a path. */
export interface VaultCredentialRole {
  readonly engine: 'aws' | 'database';
  readonly mount: string;
  readonly name: string;
  /** The paths a token reads to get it (`<mount>/creds/<name>`, and `<mount>/sts/<name>` for STS). */
  readonly paths: string[];
  readonly location: VaultLocation;
  /** AWS: the roles the engine assumes, the credential type, external id and session tags. */
  readonly roleArns: string[];
  readonly credentialType?: string;
  readonly externalId?: string;
  readonly sessionTags: Record<string, string>;
  /** Database: the connection, its host and database, the statements that create the user. */
  readonly connection?: string;
  readonly databaseUrl?: string;
  readonly creationStatements: string[];
  readonly ttl: TokenTtl;
  /** The mount's own lease limits, which cap the role's. */
  readonly mountTtl: TokenTtl;
}

/** A Vault policy and its rules. */
export interface VaultPolicyFacts {
  readonly name: string;
  readonly location: VaultLocation;
  readonly document?: VaultPolicyDocument;
  /** Why the text could not be read, when it could not. */
  readonly unreadable?: string;
}

/** The Vault side of the outputs. */
export interface VaultInventory {
  readonly authRoles: VaultAuthRole[];
  readonly credentialRoles: VaultCredentialRole[];
  readonly policies: VaultPolicyFacts[];
  /** The roles the AWS auth methods assume to verify logins (`sts_role`), by account. */
  readonly verifierRoles: Array<{ readonly account: string; readonly roleArn: string; readonly location: VaultLocation }>;
  /** Role ARNs the AWS secrets engines run as (workload identity federation), by mount. */
  readonly engineRoles: Array<{ readonly mount: string; readonly roleArn: string }>;
  /** The identities Terraform logs in to Vault with (the Vault plane's own deployment identity). */
  readonly providerLogins: Array<{ readonly method: string; readonly role?: string; readonly file: string }>;
  readonly files: string[];
  readonly unread: string[];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && !value.includes('${') ? value : undefined;
}

function strings(value: unknown): string[] {
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((v) => str(v)).filter((v): v is string => !!v);
}

function trim(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

/** The lease limits a mount's `tune` (auth) or lease settings (secrets) give. */
function mountTtlOf(mount: TerraformResource | undefined): TokenTtl {
  if (!mount) return {};
  const tune = (Array.isArray(mount.props.tune) ? mount.props.tune[0] : mount.props.tune) as Record<string, unknown> | undefined;
  return {
    defaultSeconds: seconds(mount.props.default_lease_ttl_seconds) ?? seconds(tune?.default_lease_ttl),
    maxSeconds: seconds(mount.props.max_lease_ttl_seconds) ?? seconds(tune?.max_lease_ttl),
  };
}

/** Reads the Vault side: auth roles, policies, secrets engine roles, verifiers, provider logins. */
export function vaultInventory(outputs: VaultOutput[]): VaultInventory {
  const authRoles: VaultAuthRole[] = [];
  const credentialRoles: VaultCredentialRole[] = [];
  const policies: VaultPolicyFacts[] = [];
  const verifierRoles: VaultInventory['verifierRoles'] = [];
  const engineRoles: VaultInventory['engineRoles'] = [];
  const providerLogins: VaultInventory['providerLogins'] = [];
  const unread: string[] = [];
  const files: string[] = [];

  for (const stack of outputs.flatMap((o) => o.stacks)) {
    files.push(stack.file);
    const at = (r: TerraformResource): VaultLocation => ({ file: stack.file, address: r.address });
    const ofType = (...types: string[]) => stack.resources.filter((r) => types.includes(r.type));
    const mountAt = (mountPath: string, types: string[]) => ofType(...types).find((m) => trim(String(m.props.path ?? '')) === mountPath);

    for (const r of ofType('vault_policy')) {
      const name = str(r.props.name) ?? r.name;
      const text = str(r.props.policy);
      const read = text ? readPolicy(text) : undefined;
      if (!read) {
        policies.push({ name, location: at(r), unreadable: text ? 'its HCL could not be read' : 'its text is computed at apply time' });
        unread.push(`${stack.file}: Vault policy ${name} (${r.address}) could not be read; tokens holding it are judged without it`);
        continue;
      }
      policies.push({ name, location: at(r), document: VaultPolicyDocument.forAnalysis(name, read.rules) });
    }

    for (const r of ofType('vault_aws_auth_backend_role', 'vault_jwt_auth_backend_role')) {
      const aws = r.type === 'vault_aws_auth_backend_role';
      const mount = trim(String(r.props.backend ?? (aws ? 'aws' : 'jwt')));
      const name = String(aws ? r.props.role : r.props.role_name);
      if (!aws && r.props.role_type === 'oidc') continue;
      const authMount = mountAt(mount, ['vault_auth_backend', 'vault_jwt_auth_backend']);
      const mountTtl = mountTtlOf(authMount);
      authRoles.push({
        method: aws ? 'aws' : 'jwt',
        mount,
        name,
        id: `auth/${mount}/role/${name}`,
        location: at(r),
        boundPrincipalArns: strings(r.props.bound_iam_principal_arns),
        resolvesUniqueIds: r.props.resolve_aws_unique_ids !== false,
        boundSubject: str(r.props.bound_subject),
        boundAudiences: strings(r.props.bound_audiences),
        issuer: str(authMount?.props.bound_issuer) ?? str(authMount?.props.oidc_discovery_url),
        policies: [...strings(r.props.token_policies), ...strings(r.props.policies)],
        noDefaultPolicy: r.props.token_no_default_policy === true,
        ttl: {
          defaultSeconds: seconds(r.props.token_ttl) ?? seconds(r.props.ttl) ?? mountTtl.defaultSeconds,
          maxSeconds: minDefined(
            seconds(r.props.token_explicit_max_ttl),
            seconds(r.props.token_max_ttl) ?? seconds(r.props.max_ttl) ?? mountTtl.maxSeconds,
          ),
        },
      });
    }

    for (const r of ofType('vault_aws_auth_backend_sts_role')) {
      const roleArn = str(r.props.sts_role);
      if (roleArn) verifierRoles.push({ account: String(r.props.account_id ?? ''), roleArn, location: at(r) });
    }

    for (const r of ofType('vault_aws_secret_backend')) {
      const roleArn = str(r.props.role_arn);
      if (roleArn) engineRoles.push({ mount: trim(String(r.props.path ?? 'aws')), roleArn });
      if (r.props.access_key !== undefined) unread.push(`${stack.file}: ${r.address} holds a static access key; the identity it belongs to is not in the output`);
    }

    for (const r of ofType('vault_aws_secret_backend_role')) {
      const mount = trim(String(r.props.backend ?? 'aws'));
      const name = String(r.props.name);
      const engineMount = mountAt(mount, ['vault_aws_secret_backend']);
      const sessionTags: Record<string, string> = {};
      for (const [k, v] of Object.entries((r.props.session_tags ?? {}) as Record<string, unknown>)) if (typeof v === 'string') sessionTags[k] = v;
      const type = str(r.props.credential_type);
      credentialRoles.push({
        engine: 'aws',
        mount,
        name,
        paths: [`${mount}/creds/${name}`, ...(type === 'assumed_role' || type === 'federation_token' ? [`${mount}/sts/${name}`] : [])],
        location: at(r),
        roleArns: strings(r.props.role_arns),
        credentialType: type,
        externalId: str(r.props.external_id),
        sessionTags,
        creationStatements: [],
        ttl: { defaultSeconds: seconds(r.props.default_sts_ttl), maxSeconds: seconds(r.props.max_sts_ttl) },
        mountTtl: mountTtlOf(engineMount),
      });
      if (type === 'iam_user') unread.push(`${stack.file}: ${r.address} issues IAM users; their policies are not evaluated`);
    }

    for (const r of ofType('vault_database_secret_backend_role')) {
      const mount = trim(String(r.props.backend ?? 'database'));
      const name = String(r.props.name);
      const connection = ofType('vault_database_secret_backend_connection')
        .find((c) => trim(String(c.props.backend ?? '')) === mount && c.props.name === r.props.db_name);
      const plugin = connection ? Object.values(connection.props).find((v) => v && typeof v === 'object' && 'connection_url' in (v as object)) as Record<string, unknown> | undefined : undefined;
      credentialRoles.push({
        engine: 'database',
        mount,
        name,
        paths: [`${mount}/creds/${name}`],
        location: at(r),
        roleArns: [],
        sessionTags: {},
        connection: str(r.props.db_name),
        databaseUrl: str(plugin?.connection_url)?.replace(/\{\{(username|password)\}\}:?\{?\{?(password)?\}?\}?@/, ''),
        creationStatements: strings(r.props.creation_statements),
        ttl: { defaultSeconds: seconds(r.props.default_ttl), maxSeconds: seconds(r.props.max_ttl) },
        mountTtl: mountTtlOf(mountAt(mount, ['vault_mount', 'vault_database_secrets_mount'])),
      });
    }

    for (const login of (stack.config.provider?.vault ?? []) as Array<Record<string, unknown>>) {
      for (const [key, value] of Object.entries(login)) {
        if (!key.startsWith('auth_login')) continue;
        const body = (Array.isArray(value) ? value[0] : value) as Record<string, unknown> | undefined;
        const role = str(body?.role);
        providerLogins.push({ method: key.replace(/^auth_login_?/, '') || 'login', role, file: stack.file });
      }
    }
  }
  return { authRoles, credentialRoles, policies, verifierRoles, engineRoles, providerLogins, files, unread };
}

function minDefined(...values: Array<number | undefined>): number | undefined {
  const known = values.filter((v): v is number => v !== undefined && v > 0);
  return known.length > 0 ? Math.min(...known) : undefined;
}

/** A matcher over the policies a token of an auth role holds (the policies the output defines). */
export function matcherFor(inventory: VaultInventory, policyNames: string[]): { matcher: VaultPolicyMatcher; missing: string[] } {
  const documents: VaultPolicyDocument[] = [];
  const missing: string[] = [];
  for (const name of policyNames) {
    if (name === 'default') continue;
    if (name === 'root') {
      documents.push(VaultPolicyDocument.forAnalysis('root', []));
      continue;
    }
    const found = inventory.policies.find((p) => p.name === name);
    if (found?.document) documents.push(found.document);
    else missing.push(name);
  }
  return { matcher: new VaultPolicyMatcher(documents), missing };
}

/** True when an AWS auth role admits an IAM principal ARN (Vault accepts a trailing `*` in bound ARNs). */
export function bindsPrincipal(role: VaultAuthRole, principalArn: string): boolean {
  return role.method === 'aws' && role.boundPrincipalArns.some((bound) => (bound.endsWith('*') ? globMatches(bound, principalArn) : bound === principalArn));
}

/** What a matcher lets a token do at a credential's paths: `read` (or `update`, which the AWS engine also serves), and which pattern decided. */
export function mayObtain(
  matcher: VaultPolicyMatcher, credential: VaultCredentialRole,
): { allowed: boolean; path: string; pattern?: string; policies: string[] } {
  let denied: { allowed: boolean; path: string; pattern?: string; policies: string[] } | undefined;
  for (const path of credential.paths) {
    for (const capability of [VaultCapability.READ, VaultCapability.UPDATE]) {
      if (capability === VaultCapability.UPDATE && credential.engine !== 'aws') continue;
      const decision = matcher.check(capability, path);
      if (decision.allowed) return { allowed: true, path, pattern: decision.pattern, policies: decision.grantingPolicies ?? decision.policies };
      if (!denied && decision.pattern) denied = { allowed: false, path, pattern: decision.pattern, policies: decision.policies };
    }
  }
  return denied ?? { allowed: false, path: credential.paths[0], policies: [] };
}
