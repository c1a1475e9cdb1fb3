/**
 * The access review as data: what `review.json` holds and what the Markdown, the HTML page and
 * the diff are rendered from. Every answer carries the hops that make it true, each with the file
 * and resource that says so.
 */

/** What an identity is in the gateway's identity chain. */
export type IdentityKind =
  | 'workload' | 'router-cell' | 'broker' | 'vault-server' | 'verifier' | 'target-role' | 'owner'
  | 'deployment-role' | 'administrator' | 'rotation-function' | 'vault-role' | 'other-role' | 'external-principal';

/** One identity: who it is, how it proves it, and where the output defines or names it. */
export interface ReviewIdentity {
  /** A stable id (`workload:support-bot`, `cell:support`, `role:<arn>`, `vault:auth/<mount>/role/<name>`). */
  readonly id: string;
  readonly kind: IdentityKind;
  readonly label: string;
  readonly arn?: string;
  readonly tenant?: string;
  /** How it proves its identity: an IAM role signing with SigV4, an EKS service account's JWT, ... */
  readonly provesIdentityBy: string;
  readonly suspended: boolean;
  /** Where the output defines it, or the resources that name it. */
  readonly evidence: string[];
  /** Its own IAM permissions, one line per statement, as the output states them. */
  readonly permissions: string[];
  readonly description?: string;
}

/** One step of an access path. */
export interface Hop {
  /** `admits`, `routes`, `authorizes`, `runs-as`, `logs-in`, `policy-reads`, `issues`, `assumes`, `reads-secret`, `invokes`, `uses`. */
  readonly kind: string;
  readonly from: string;
  readonly to: string;
  /** What makes the step possible, in words (the statement, the bound ARN, the pattern). */
  readonly detail: string;
  /** File and resource (`<file>#<logical id>` or `<file>#<terraform address>`). */
  readonly evidence: string;
  /** The lifetime this step grants, in seconds, when it has one. */
  readonly ttlSeconds?: number;
}

/** Lifetimes of a credential. */
export interface CredentialTtl {
  readonly defaultSeconds?: number;
  readonly maxSeconds?: number;
  /** For provider keys: how often the value is rotated. */
  readonly rotationDays?: number;
  /** What sets each, in words. */
  readonly explanation: string;
}

/** What it means for the guardrails that an access exists. */
export type GuardrailStatus = 'not given' | 'not covered' | 'denied by guardrails';

/** One principal that can obtain a credential, and how. */
export interface CredentialAccess {
  readonly identity: string;
  readonly label: string;
  readonly hops: Hop[];
  /** How long what it obtains lasts, at most, in seconds. */
  readonly ttlSeconds?: number;
  readonly guardrails: GuardrailStatus;
  /** What the answer had to assume (values the output does not hold). */
  readonly assumptions: string[];
}

/** A credential: a target role's sessions, a provider key, a database user. */
export interface ReviewCredential {
  /** `target:<arn>`, `key:<secret name>`, `database:<vault path>`. */
  readonly id: string;
  readonly kind: 'target-role' | 'provider-key' | 'database-user';
  readonly label: string;
  readonly tenant?: string;
  readonly arn?: string;
  /** The Vault path it is read at, for Vault-issued credentials. */
  readonly vaultPath?: string;
  /** What it gives: actions on resources, schemas. */
  readonly grants: string[];
  readonly ttl: CredentialTtl;
  /** Every principal that can obtain it. */
  readonly obtainedBy: CredentialAccess[];
  /** Workloads whose requests the router serves with it (they never hold it). */
  readonly usedFor: CredentialAccess[];
  readonly evidence: string[];
}

/** One thing a workload may use, with the Cedar decision and whether the chain delivers it. */
export interface MatrixEntry {
  readonly kind: 'model' | 'provider-key' | 'tool' | 'dataset';
  readonly id: string;
  /** Exact model and inference-profile ARNs, the key's secret, the database path. */
  readonly arns: string[];
  readonly cedar: { readonly allowed: boolean; readonly policies: string[] };
  /** True when every hop holds: admitted, served, authorized, credentials issued, resource granted. */
  readonly delivered: boolean;
  /** Why not, when it is not delivered. */
  readonly brokenAt?: string;
  readonly hops: Hop[];
}

/** One row of the identity-chain matrix: a workload and what it may use. */
export interface MatrixRow {
  readonly workload: string;
  readonly identity: string;
  readonly provesIdentityBy: string;
  readonly tenant: string;
  readonly suspended: boolean;
  /** The API methods its calls are admitted to. */
  readonly admittedTo: string[];
  /** The router cells that serve it. */
  readonly servedBy: string[];
  readonly entries: MatrixEntry[];
}

/** One thing an identity reaches. */
export interface ReachItem {
  /** `credential`, `resource` (a model, a key), `serves` (requests as a workload), `permission`, `probe` (a change it can make). */
  readonly kind: 'credential' | 'resource' | 'serves' | 'permission' | 'probe';
  readonly target: string;
  readonly description: string;
  readonly tenant?: string;
  readonly hops: Hop[];
  readonly ttlSeconds?: number;
  readonly assumptions: string[];
}

/** What a change an administrator could make would give it, and whether the guardrails stop it. */
export interface ProbeResult {
  readonly action: string;
  readonly resource: string;
  readonly consequence: string;
  readonly withoutGuardrails: 'allowed' | 'denied';
  /** `not given` when the review has no guardrails. */
  readonly withGuardrails: 'allowed' | 'denied' | 'not given';
  readonly deniedBy: string[];
}

/** The blast radius of one identity. */
export interface BlastRadius {
  readonly identity: string;
  readonly label: string;
  readonly kind: IdentityKind;
  readonly tenant?: string;
  /** One sentence. */
  readonly summary: string;
  /** Tenants whose credentials or resources it reaches. */
  readonly tenantsReached: string[];
  readonly reaches: ReachItem[];
  /** For identities whose own IAM policies are known to be broad: what each change would give. */
  readonly probes: ProbeResult[];
  readonly assumptions: string[];
}

/** The three owners. */
export interface OwnerEntry {
  readonly role: 'policy' | 'operations' | 'credential-lifecycle';
  readonly contact?: string;
  readonly roleArns: string[];
  readonly evidence: string[];
}

/** A suspended tenant or workload, and where the output shows it. */
export interface SuspendedEntry {
  readonly kind: 'tenant' | 'workload';
  readonly id: string;
  readonly evidence: string[];
}

/** A finding of a rule pack acknowledged in the output, with its reason. */
export interface AcknowledgedFinding {
  readonly rule: string;
  readonly location: string;
  readonly reason: string;
  readonly file: string;
}

/** An open finding of the NHI rule pack. */
export interface OpenFinding {
  readonly rule: string;
  readonly severity: string;
  readonly location: string;
  readonly message: string;
  readonly file: string;
}

/** "Who can read provider key X". */
export interface ProviderKeyAnswer {
  readonly key: string;
  readonly secretArn: string;
  readonly tenant?: string;
  /** Principals that can obtain the key's value. */
  readonly readers: CredentialAccess[];
  /** Workloads whose requests are served with it. */
  readonly usedFor: CredentialAccess[];
  /** Changes an account administrator could make to read it, and whether the guardrails stop them. */
  readonly administrator: ProbeResult[];
  readonly text: string;
}

/** "Which workloads can invoke model Y". */
export interface ModelAnswer {
  readonly model: string;
  readonly arns: string[];
  readonly workloads: Array<{ readonly workload: string; readonly tenant: string; readonly policies: string[]; readonly hops: Hop[] }>;
  /** Workloads the policy store allows but the chain does not deliver, with the broken hop. */
  readonly blocked: Array<{ readonly workload: string; readonly brokenAt: string }>;
  /** Identities that can obtain credentials that invoke it (target role, cells, broker, Vault). */
  readonly credentialHolders: string[];
  readonly text: string;
}

/** "What does a compromise of the router (of tenant T) reach". */
export interface RouterAnswer {
  readonly cell: string;
  readonly tenant: string;
  readonly reaches: ReachItem[];
  readonly otherTenantsReached: string[];
  readonly text: string;
}

/** Nodes and edges of the identity-chain graph. */
export interface GraphNode {
  readonly id: string;
  readonly label: string;
  /** The graph's column: workloads, API, cells, Vault, engines, broker, targets, resources. */
  readonly layer: number;
  readonly kind: string;
  readonly tenant?: string;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
}

/** One condition of a policy statement. */
export interface PolicyCondition {
  readonly operator: string;
  readonly key: string;
  readonly values: string[];
}

/**
 * One grant or denial as a policy states it: one action on one resource pattern for one
 * principal, with its conditions. Every policy the review reads is flattened into these lines
 * (identity, trust, secret, key, API, bucket and function policies, SCPs and RCPs, Vault
 * policies and roles, Cedar policies), so that two outputs can be compared line by line.
 */
export interface PolicyLine {
  /** Which policy: `identity policy`, `trust policy`, `secret policy`, `key policy`, `API policy`, `Vault policy`, `Cedar policy`, ... */
  readonly policy: string;
  /** What the policy is attached to (a role, secret, key alias, API, Vault policy name). */
  readonly resource: string;
  /** Who it is about: the role holding an identity policy, a statement's principal, a Vault role's bound principal. */
  readonly principal: string;
  readonly effect: 'Allow' | 'Deny';
  readonly action: string;
  /** The resource pattern (a path, for Vault; the statement text, for Cedar). */
  readonly target: string;
  readonly conditions: PolicyCondition[];
  readonly evidence: string;
}

/** One lifetime the output sets, for the diff. */
export interface TtlFact {
  readonly key: string;
  readonly label: string;
  readonly seconds: number;
}

/** The whole review. */
export interface AccessReviewModel {
  readonly format: 'gateward-access-review/1';
  readonly inputs: string[];
  readonly gateways: string[];
  readonly accounts: string[];
  readonly tenants: string[];
  readonly identities: ReviewIdentity[];
  readonly credentials: ReviewCredential[];
  readonly matrix: MatrixRow[];
  readonly blastRadius: BlastRadius[];
  readonly answers: {
    readonly providerKeys: ProviderKeyAnswer[];
    readonly models: ModelAnswer[];
    readonly routers: RouterAnswer[];
  };
  readonly owners: OwnerEntry[];
  readonly suspended: SuspendedEntry[];
  readonly guardrails: {
    readonly given: boolean;
    readonly documents: Array<{ readonly name: string; readonly type: string; readonly source: string }>;
  };
  readonly acknowledgedFindings: AcknowledgedFinding[];
  readonly openFindings: OpenFinding[];
  readonly graph: { readonly nodes: GraphNode[]; readonly edges: GraphEdge[] };
  /** Every policy statement, flattened (what the diff compares). */
  readonly policyLines: PolicyLine[];
  /** Every lifetime (what the diff compares). */
  readonly ttls: TtlFact[];
  /** What the review did not read, or had to assume, with the file. */
  readonly limits: string[];
}
