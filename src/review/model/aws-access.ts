import { AwsInventory, FunctionFacts, KeyFacts, RoleFacts, SecretFacts } from './aws-inventory';
import { PolicyDocumentJson, StatementJson } from '../../nhi/private/cfn-template';
import { arnAccount, arnParts } from '../iam/arn-pattern';
import { ContextValue, requestContext } from '../iam/condition-operators';
import { EvaluationRequest, EvaluationResult, evaluate, ResourcePolicyKind } from '../iam/policy-evaluator';
import { GuardrailDocument } from '../inputs/guardrail-documents';

/** Someone who acts in AWS: a role of the output, a principal it names, or a synthetic administrator. */
export interface Actor {
  readonly arn: string;
  readonly label: string;
  /** Its identity policies; undefined when the output does not hold them (a role defined elsewhere). */
  readonly policies?: PolicyDocumentJson[];
  readonly boundary?: PolicyDocumentJson;
  /** Its tags; undefined when not known. */
  readonly tags?: Record<string, string>;
  /** When its tags are assumed rather than read from the output: what was assumed. */
  readonly tagsAssumed?: string;
}

/** The outcome of one question to IAM, with what decided it. */
export interface Outcome {
  readonly allowed: boolean;
  /** The statements that allowed or denied, as `<where> <sid>`. */
  readonly deciding: string[];
  readonly assumptions: string[];
  /** True when the organization's guardrails denied it. */
  readonly deniedByGuardrails: boolean;
}

/** Context keys the requester sets itself when it assumes a role: any value a trust policy asks for, it can send. */
const CALLER_KEYS = ['sts:externalid', 'sts:rolesessionname', 'sts:sourceidentity', 'aws:tagkeys', 'sts:transitivetagkeys'];
const CALLER_PREFIXES = ['aws:requesttag/'];

function isCallerKey(key: string): boolean {
  const k = key.toLowerCase();
  return CALLER_KEYS.includes(k) || CALLER_PREFIXES.some((p) => k.startsWith(p));
}

/** What a request is about besides its principal, action and resource. */
export interface RequestOptions {
  readonly resourcePolicy?: PolicyDocumentJson;
  readonly kind?: ResourcePolicyKind;
  readonly context?: Record<string, ContextValue | undefined>;
  readonly resourceTags?: Record<string, string>;
  readonly resourceAccount?: string;
}

/** Sees every IAM question the review asks, with the context as written (keys in their own case). */
export type EvaluationObserver = (request: EvaluationRequest, context: Record<string, ContextValue>) => void;

/** An administrator's identity policy, as AWS's AdministratorAccess grants it. */
export const ADMINISTRATOR_ACCESS: PolicyDocumentJson = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

function describe(result: EvaluationResult, names: Record<string, string>): string[] {
  return result.deciding.map((d) => `${names[d.source] ?? d.source}${d.sid ? ` ${d.sid}` : ''} (${d.effect})`);
}

/**
 * Answers the IAM questions the review asks, over an inventory, with or without the
 * organization's guardrails: may this actor assume that role, read that secret (and decrypt it),
 * invoke that model, invoke or change that function.
 */
export class AwsAccess {
  private readonly boundAccounts: Set<string>;

  constructor(
    private readonly inventory: AwsInventory,
    private readonly guardrails: GuardrailDocument[],
    /** Whether to apply the guardrails. */
    public readonly withGuardrails: boolean,
    private readonly observer?: EvaluationObserver,
  ) {
    const accounts = new Set(inventory.roles.map((r) => r.account));
    const targets = guardrails.flatMap((g) => g.targetIds ?? []);
    const named = targets.filter((t) => /^\d{12}$/.test(t));
    // Attached to OUs or roots, or to nothing the output says: read as binding the gateway's accounts.
    this.boundAccounts = named.length > 0 && named.length === targets.length ? new Set(named) : accounts;
  }

  /** True when guardrails exist to apply. */
  public get guardrailsGiven(): boolean {
    return this.guardrails.length > 0;
  }

  /** Evaluates one request. */
  public request(
    actor: Actor, action: string, resource: string,
    options: RequestOptions = {},
  ): Outcome {
    const principalAccount = arnAccount(actor.arn) ?? '';
    const resourceAccount = options.resourceAccount ?? arnAccount(resource) ?? principalAccount;
    const region = arnParts(resource)?.[3] || undefined;
    const values: Record<string, ContextValue | undefined> = {
      'aws:PrincipalArn': actor.arn,
      'aws:PrincipalAccount': principalAccount,
      'aws:PrincipalIsAWSService': 'false',
      'aws:PrincipalType': 'AssumedRole',
      'aws:SecureTransport': 'true',
      'aws:ResourceAccount': resourceAccount,
      ...(region ? { 'aws:RequestedRegion': region } : {}),
    };
    for (const [k, v] of Object.entries(actor.tags ?? {})) values[`aws:PrincipalTag/${k}`] = v;
    for (const [k, v] of Object.entries(options.resourceTags ?? {})) values[`aws:ResourceTag/${k}`] = v;
    Object.assign(values, options.context ?? {});
    const useGuardrails = this.withGuardrails && this.guardrails.length > 0;
    const scps = useGuardrails && this.boundAccounts.has(principalAccount) ? this.guardrails.filter((g) => g.type === 'SCP').map((g) => g.document) : undefined;
    const rcps = useGuardrails && this.boundAccounts.has(resourceAccount) ? this.guardrails.filter((g) => g.type === 'RCP').map((g) => g.document) : undefined;
    const unknownKeys = [
      ...(actor.tags === undefined ? ['aws:principaltag/'] : []),
      'aws:principalorgid', 'aws:principalorgpaths', 'aws:sourcevpc', 'aws:sourcevpce', 'aws:sourceip', 'aws:viaawsservice', 'aws:calledvia',
      'aws:calledviafirst', 'aws:calledvialast', 'aws:multifactorauthpresent', 'aws:userid', 'aws:username',
    ];
    const identityKnown = actor.policies !== undefined;
    const base = {
      principal: { arn: actor.arn },
      action,
      resource,
      resourceAccount,
      context: requestContext(values),
      boundaryPolicy: actor.boundary,
      resourcePolicy: options.resourcePolicy,
      resourcePolicyKind: options.kind,
      serviceControlPolicies: scps,
      resourceControlPolicies: rcps,
      unknownKeys: { unknownKeys, permissive: true },
    };
    // A principal whose own policies the output does not hold is read as allowed by them: the
    // answer is then what the policies of this output let it do.
    const evaluation: EvaluationRequest = { ...base, identityPolicies: identityKnown ? actor.policies! : [ADMINISTRATOR_ACCESS] };
    if (this.observer) {
      const written: Record<string, ContextValue> = {};
      for (const [k, v] of Object.entries(values)) if (v !== undefined) written[k] = v;
      this.observer(evaluation, written);
    }
    const result = evaluate(evaluation);
    const names = { identity: `${actor.label}'s policy`, boundary: `${actor.label}'s boundary`, resource: 'resource policy', scp: 'SCP', rcp: 'RCP' };
    const assumptions = [...result.assumed.map((k) => `the value of ${k} is not in the output; read as allowing`)];
    if (!identityKnown && result.decision === 'Allowed') assumptions.push(`${actor.label}'s own IAM policies are not in the output; read as allowing ${action}`);
    if (actor.tagsAssumed && result.decision === 'Allowed' && JSON.stringify([options.resourcePolicy, scps, rcps]).toLowerCase().includes('aws:principaltag')) assumptions.push(actor.tagsAssumed);
    let allowed = result.decision === 'Allowed';
    // Unknown identity policies may not stand in for a missing resource grant: only what a
    // resource, trust or key policy of the output grants it (or its account) counts.
    if (allowed && !identityKnown && !result.deciding.some((d) => d.source === 'resource')) allowed = false;
    const deniedByGuardrails = result.decision === 'ExplicitlyDenied' && result.deciding.some((d) => d.source === 'scp' || d.source === 'rcp');
    return { allowed, deciding: describe(result, names), assumptions: allowed ? assumptions : [], deniedByGuardrails };
  }

  /**
   * May the actor assume the role? Values the caller sets itself (`sts:ExternalId`, session
   * tags) are taken from `callerContext` when given (what Vault sends), otherwise chosen to meet
   * the trust policy: whoever can call AssumeRole can send any of them.
   */
  public assume(actor: Actor, role: RoleFacts, callerContext?: Record<string, ContextValue>): Outcome {
    const candidates = callerContext ? [callerContext] : satisfyingContexts(role.trust);
    let last: Outcome | undefined;
    for (const context of candidates) {
      const outcome = this.request(actor, 'sts:AssumeRole', role.arn, { resourcePolicy: role.trust, kind: ResourcePolicyKind.TRUST, context, resourceTags: role.tags });
      const tagged = Object.keys(context).some((k) => k.toLowerCase().startsWith('aws:requesttag/'));
      const tagging = tagged ? this.request(actor, 'sts:TagSession', role.arn, { resourcePolicy: role.trust, kind: ResourcePolicyKind.TRUST, context, resourceTags: role.tags }) : undefined;
      const combined: Outcome = tagging && !tagging.allowed ? tagging : outcome;
      if (combined.allowed) return { ...combined, assumptions: [...combined.assumptions, ...(tagging?.assumptions ?? [])] };
      last = combined;
    }
    return last ?? { allowed: false, deciding: [], assumptions: [], deniedByGuardrails: false };
  }

  /** May the actor read the secret's value: `GetSecretValue` on it, and `kms:Decrypt` of its key through Secrets Manager? */
  public readSecret(actor: Actor, secret: SecretFacts): Outcome {
    const read = this.request(actor, 'secretsmanager:GetSecretValue', secret.arn, { resourcePolicy: secret.policy, resourceTags: secret.tags });
    if (!read.allowed) return read;
    const key = this.keyOf(secret);
    if (!key) {
      return { ...read, assumptions: [...read.assumptions, secret.kmsKeyArn ? `its KMS key ${secret.kmsKeyArn} is not in the output; read as allowing Decrypt` : 'it is encrypted with the AWS managed key aws/secretsmanager, which any principal allowed to read it may use'] };
    }
    const decrypt = this.request(actor, 'kms:Decrypt', key.arn, {
      resourcePolicy: key.policy,
      kind: ResourcePolicyKind.KMS_KEY,
      resourceTags: key.tags,
      context: {
        'kms:ViaService': `secretsmanager.${secret.region}.amazonaws.com`,
        'kms:EncryptionContext:SecretARN': secret.arn,
        'kms:EncryptionContext:SecretVersionId': 'a-version-of-the-secret',
        'kms:CallerAccount': arnAccount(actor.arn),
        'kms:ResourceAliases': key.aliases,
      },
    });
    return decrypt.allowed
      ? {
        allowed: true,
        deciding: [...read.deciding, ...decrypt.deciding],
        assumptions: [...read.assumptions, ...decrypt.assumptions],
        deniedByGuardrails: false,
      }
      : { ...decrypt, deciding: decrypt.deciding.length > 0 ? decrypt.deciding : ['the key policy grants no kms:Decrypt'] };
  }

  /** The KMS key that encrypts a secret, when the output defines it. */
  public keyOf(secret: SecretFacts): KeyFacts | undefined {
    const wanted = secret.kmsKeyArn;
    return wanted ? this.inventory.keys.find((k) => k.arn === wanted || k.aliases.some((a) => wanted.endsWith(a))) : undefined;
  }

  /** May the actor invoke the model (for a foundation model reached through an inference profile, with that profile in the context)? */
  public invokeModel(actor: Actor, modelArn: string, throughProfile?: string): Outcome {
    return this.request(actor, 'bedrock:InvokeModel', modelArn, { context: throughProfile ? { 'bedrock:InferenceProfileArn': throughProfile } : {} });
  }

  /** May the actor invoke the function directly (`lambda:InvokeFunction`)? */
  public invokeFunction(actor: Actor, fn: FunctionFacts): Outcome {
    return this.request(actor, 'lambda:InvokeFunction', fn.arn, { resourcePolicy: fn.permissionPolicy, resourceTags: fn.tags });
  }
}

function asList<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** One value that meets a condition value (a wildcard is met by any character). */
function sample(value: unknown): string {
  return String(value).replace(/[*?]/g, 'x');
}

/**
 * For each Allow statement of a trust policy, the values of the caller's own keys that meet its
 * conditions: the external id it asks for, the session tags it requires.
 */
function satisfyingContexts(trust: PolicyDocumentJson): Array<Record<string, ContextValue>> {
  const contexts: Array<Record<string, ContextValue>> = [];
  for (const statement of asList<StatementJson>(trust.Statement)) {
    if (statement.Effect !== 'Allow') continue;
    const context: Record<string, ContextValue> = {};
    let tagKeys: string[] | undefined;
    for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
      const op = operator.toLowerCase();
      const negated = op.includes('not') && !op.startsWith('null');
      for (const [key, value] of Object.entries(keys ?? {})) {
        if (!isCallerKey(key) || negated) continue;
        if (key.toLowerCase() === 'aws:tagkeys') {
          tagKeys = asList(value as string | string[]).map(String);
          continue;
        }
        const first = asList(value as string | string[])[0];
        if (op.startsWith('null')) continue;
        if (first !== undefined) context[key] = sample(first);
      }
    }
    const requestTags = Object.keys(context).filter((k) => k.toLowerCase().startsWith('aws:requesttag/')).map((k) => k.slice('aws:RequestTag/'.length));
    if (tagKeys || requestTags.length > 0) context['aws:TagKeys'] = requestTags.length > 0 ? requestTags : (tagKeys ?? []).map(sample);
    contexts.push(context);
  }
  return contexts.length > 0 ? contexts : [{}];
}
