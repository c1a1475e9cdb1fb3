import { arnAccount, arnMatches, globMatches } from './arn-pattern';
import { conditionHolds, RequestContext, UnknownKeyPolicy } from './condition-operators';
import { PolicyDocumentJson, StatementJson } from '../../nhi/private/cfn-template';

/**
 * The minimal IAM evaluation the access review needs, over the statements the planes generate:
 * identity policies, a permissions boundary, one resource policy (a resource policy, a role's
 * trust policy or a KMS key policy), and the organization's SCPs and RCPs. Allow and Deny,
 * Action and NotAction, Resource and NotResource, Principal and NotPrincipal, and the condition
 * operators of `condition-operators.ts`. Session policies, ACLs and VPC endpoint policies are not
 * read: nothing the gateway synthesizes uses them.
 */

/** Who makes the request. */
export interface RequestPrincipal {
  /**
   * The principal's ARN as policies name it: a role's ARN (for its sessions too), a user's, or
   * an account root. For an AWS service, its service name (`lambda.amazonaws.com`).
   */
  readonly arn: string;
  /** True for an AWS service principal, which SCPs do not bind and which has no identity policy. */
  readonly isService?: boolean;
}

/** Which kind of resource policy the request meets: each has its own rule for identity policies. */
export enum ResourcePolicyKind {
  /** A resource policy (secret, bucket, API): in the same account, an identity policy alone suffices. */
  RESOURCE = 'resource',
  /** A role's trust policy: it must allow the principal, or the principal's account and then its identity policy too. */
  TRUST = 'trust',
  /** A KMS key policy: like a trust policy, nothing is allowed that the key policy does not allow or delegate to the account. */
  KMS_KEY = 'kms-key',
}

/** One request to evaluate. */
export interface EvaluationRequest {
  readonly principal: RequestPrincipal;
  readonly action: string;
  /** The resource's ARN. */
  readonly resource: string;
  /** The account that owns the resource. @default the ARN's account */
  readonly resourceAccount?: string;
  readonly context: RequestContext;
  readonly identityPolicies: PolicyDocumentJson[];
  readonly boundaryPolicy?: PolicyDocumentJson;
  readonly resourcePolicy?: PolicyDocumentJson;
  /** @default ResourcePolicyKind.RESOURCE */
  readonly resourcePolicyKind?: ResourcePolicyKind;
  /**
   * SCPs that bind the principal, besides FullAWSAccess (always in effect in an organization).
   * @default - no organization binds the principal
   */
  readonly serviceControlPolicies?: PolicyDocumentJson[];
  /**
   * RCPs that bind the resource, besides RCPFullAWSAccess.
   * @default - no organization binds the resource
   */
  readonly resourceControlPolicies?: PolicyDocumentJson[];
  /** Keys whose values the output cannot know, and how to read conditions on them. */
  readonly unknownKeys?: Omit<UnknownKeyPolicy, 'onUnknown'>;
}

/** IAM's three outcomes. */
export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** Where a deciding statement is. */
export interface DecidingStatement {
  /** `identity`, `boundary`, `resource`, `scp` or `rcp`. */
  readonly source: 'identity' | 'boundary' | 'resource' | 'scp' | 'rcp';
  /** The policy's index in its list. */
  readonly policy: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  /** For resource policy statements: whether it names the principal itself or only its account. */
  readonly principalMatch?: 'direct' | 'account';
}

/** The outcome, and what decided it. */
export interface EvaluationResult {
  readonly decision: Decision;
  /** The statements that denied (for ExplicitlyDenied) or allowed (for Allowed). */
  readonly deciding: DecidingStatement[];
  /** Context keys whose values were unknown and were read as permissively as the facts allow. */
  readonly assumed: string[];
}

function asList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function actionMatches(statement: StatementJson, action: string): boolean {
  if (statement.Action !== undefined) return asList(statement.Action).some((a) => globMatches(a, action, true));
  if (statement.NotAction !== undefined) return !asList(statement.NotAction).some((a) => globMatches(a, action, true));
  return false;
}

/**
 * A policy value with its variables (`${aws:PrincipalTag/gateward:tenant}`) replaced by the
 * request's values; undefined when a variable names a key the request does not carry, so the
 * pattern matches nothing.
 */
function substitute(pattern: string, context: RequestContext): string | undefined {
  if (!pattern.includes('${')) return pattern;
  let missing = false;
  const text = pattern.replace(/\$\{([^}]+)\}/g, (_m, key: string) => {
    if (key === '*' || key === '?' || key === '$') return key;
    const value = context.get(key.toLowerCase());
    if (typeof value !== 'string') {
      missing = true;
      return '';
    }
    return value;
  });
  return missing ? undefined : text;
}

function patternMatches(pattern: string, resource: string, context: RequestContext): boolean {
  const concrete = substitute(pattern, context);
  return concrete !== undefined && arnMatches(concrete, resource);
}

function resourceMatches(statement: StatementJson, resource: string, requireResource: boolean, context: RequestContext): boolean {
  if (statement.Resource !== undefined) return asList(statement.Resource).some((r) => patternMatches(String(r), resource, context));
  if (statement.NotResource !== undefined) return !asList(statement.NotResource).some((r) => patternMatches(String(r), resource, context));
  // Resource policies (and trust policies) may leave Resource out: the policy's own resource.
  return !requireResource;
}

/** How a statement's Principal names the requester: directly, through its account, or not at all. */
type PrincipalMatch = 'direct' | 'account' | 'none';

function accountOf(principal: RequestPrincipal): string | undefined {
  return principal.isService ? undefined : arnAccount(principal.arn);
}

function principalValueMatch(value: unknown, principal: RequestPrincipal): PrincipalMatch {
  if (value === '*') return 'direct';
  if (value === null || typeof value !== 'object') return 'none';
  let best: PrincipalMatch = 'none';
  for (const [kind, names] of Object.entries(value as Record<string, unknown>)) {
    for (const name of asList(names as string | string[]).map(String)) {
      if (kind === 'Service') {
        if (principal.isService && name.toLowerCase() === principal.arn.toLowerCase()) return 'direct';
        continue;
      }
      if (kind !== 'AWS' || principal.isService) continue;
      if (name === '*') return 'direct';
      if (name === principal.arn) return 'direct';
      const account = /^\d{12}$/.test(name) ? name : /^arn:[^:]+:iam::(\d{12}):root$/.exec(name)?.[1];
      if (account && account === accountOf(principal)) best = 'account';
    }
  }
  return best;
}

function principalMatch(statement: StatementJson, principal: RequestPrincipal): PrincipalMatch {
  if (statement.Principal !== undefined) return principalValueMatch(statement.Principal, principal);
  if (statement.NotPrincipal !== undefined) return principalValueMatch(statement.NotPrincipal, principal) === 'none' ? 'direct' : 'none';
  return 'none';
}

interface Matched {
  readonly statement: StatementJson;
  readonly ref: DecidingStatement;
  readonly principal: PrincipalMatch;
}

/**
 * Evaluates one request the way IAM does: an explicit Deny anywhere wins; SCPs and RCPs must
 * allow (FullAWSAccess and RCPFullAWSAccess always do); then, in the resource's account, either
 * an identity policy (within the boundary) or a resource policy naming the principal allows,
 * except for trust and key policies, which must allow the principal or delegate to its account;
 * across accounts, both the identity policy and the resource policy must allow.
 */
export function evaluate(request: EvaluationRequest): EvaluationResult {
  const assumed = new Set<string>();
  const unknown: UnknownKeyPolicy | undefined = request.unknownKeys
    ? { ...request.unknownKeys, onUnknown: (key) => assumed.add(key) } : undefined;
  const matches = (source: DecidingStatement['source'], policies: PolicyDocumentJson[] | undefined, withPrincipal: boolean): Matched[] => {
    const found: Matched[] = [];
    (policies ?? []).forEach((policy, index) => {
      for (const statement of asList(policy?.Statement)) {
        if (!statement || (statement.Effect !== 'Allow' && statement.Effect !== 'Deny')) continue;
        const principal = withPrincipal ? principalMatch(statement, request.principal) : 'direct';
        if (principal === 'none') continue;
        if (!actionMatches(statement, request.action)) continue;
        if (!resourceMatches(statement, request.resource, !withPrincipal, request.context)) continue;
        if (!conditionHolds(statement.Condition, request.context, statement.Effect, unknown)) continue;
        found.push({ statement, principal, ref: { source, policy: index, sid: statement.Sid, effect: statement.Effect, ...(withPrincipal ? { principalMatch: principal as 'direct' | 'account' } : {}) } });
      }
    });
    return found;
  };

  const isService = request.principal.isService === true;
  const identity = isService ? [] : matches('identity', request.identityPolicies, false);
  const boundary = request.boundaryPolicy && !isService ? matches('boundary', [request.boundaryPolicy], false) : undefined;
  const resource = request.resourcePolicy ? matches('resource', [request.resourcePolicy], true) : [];
  const scps = request.serviceControlPolicies && !isService ? matches('scp', request.serviceControlPolicies, false) : [];
  // RCPs name their principal (always "*"); their statements are matched like a resource policy's.
  const rcps = request.resourceControlPolicies ? matches('rcp', request.resourceControlPolicies, true) : [];

  const denies = [...identity, ...(boundary ?? []), ...resource, ...scps, ...rcps].filter((m) => m.statement.Effect === 'Deny');
  const done = (decision: Decision, deciding: Matched[]): EvaluationResult => ({
    decision,
    deciding: deciding.map((m) => m.ref),
    assumed: [...assumed].sort(),
  });
  if (denies.length > 0) return done('ExplicitlyDenied', denies);

  const allows = (list: Matched[]) => list.filter((m) => m.statement.Effect === 'Allow');
  const identityAllows = allows(identity);
  const withinBoundary = boundary === undefined || allows(boundary).length > 0;
  const resourceDirect = allows(resource).filter((m) => m.principal === 'direct');
  const resourceAccount = allows(resource).filter((m) => m.principal === 'account');
  const identityGrants = identityAllows.length > 0 && withinBoundary;

  const sameAccount = !isService && (request.resourceAccount ?? arnAccount(request.resource)) === accountOf(request.principal);
  const kind = request.resourcePolicyKind ?? ResourcePolicyKind.RESOURCE;
  let granted: Matched[] = [];
  if (isService) {
    granted = resourceDirect;
  } else if (sameAccount && kind === ResourcePolicyKind.RESOURCE) {
    granted = identityGrants ? [...identityAllows, ...resourceDirect, ...resourceAccount] : resourceDirect;
  } else if (sameAccount) {
    // Trust and key policies: they must allow the principal, or its account (then IAM must too).
    const delegated = resourceAccount.length > 0 && identityGrants ? [...resourceAccount, ...identityAllows] : [];
    granted = resourceDirect.length > 0 ? resourceDirect : delegated;
  } else {
    const resourceAllows = [...resourceDirect, ...resourceAccount];
    granted = identityGrants && resourceAllows.length > 0 ? [...identityAllows, ...resourceAllows] : [];
  }
  return granted.length > 0 ? done('Allowed', granted) : done('ImplicitlyDenied', []);
}
