import * as fs from 'fs';
import * as path from 'path';
import { Annotations, Stack, Tags, Token } from 'aws-cdk-lib';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct } from 'constructs';
import { GatewayBlueprint, GatewaySpec, TargetKind } from '../spec';
import { claim, existingClaim } from './private/gateway-registry';
import { MAX_DOCUMENTS_PER_TYPE, MAX_POLICY_CHARACTERS, packDocuments } from './private/guardrail-documents';
import { guardrailRules, GuardrailExemptions } from './private/guardrail-rules';
import { checkGuardrailSpec, checkRoleArn, checkRoleArns, checkTargetIds } from './private/guardrail-validation';
import { fieldsOf } from './private/known-fields';
import { GatewayValidationError } from '../problems/gateway-validation-error';
import { ProblemCollector } from '../problems/problem-collector';
import { checkKnownKeys } from '../spec/private/known-keys';

/**
 * The two kinds of AWS Organizations authorization policy the guardrails are made of.
 */
export enum GuardrailPolicyType {
  /** A service control policy: binds every IAM principal of the target accounts. */
  SERVICE_CONTROL_POLICY = 'SERVICE_CONTROL_POLICY',
  /** A resource control policy: binds every request to a resource of the target accounts, from any account. */
  RESOURCE_CONTROL_POLICY = 'RESOURCE_CONTROL_POLICY',
}

/**
 * One guardrail policy document, as AWS Organizations stores it.
 */
export interface GuardrailDocument {
  /** The policy's name in AWS Organizations, and its file name (`<name>.json`). */
  readonly name: string;
  /** Whether it is a service or a resource control policy. */
  readonly type: GuardrailPolicyType;
  /** The policy, minified: exactly what is deployed and counted against the 5,120-character limit. */
  readonly content: string;
}

/**
 * Properties of a gateway's organization guardrails.
 */
export interface GatewayGuardrailsProps {
  /** The gateway description the guardrails protect: every ARN and name in them is derived from it. */
  readonly spec: GatewaySpec;

  /**
   * The exact ARNs of the roles that deploy the gateway: the role CloudFormation acts as, and the
   * role that starts deployments and passes it to CloudFormation (with CDK's bootstrap,
   * `cdk-<qualifier>-cfn-exec-role-<account>-<region>` and `cdk-<qualifier>-deploy-role-<account>-<region>`).
   * Only they may change the router cells, the gateway's roles and policies, and the audit sinks,
   * and from inside the target accounts only they may assume one another. No wildcards.
   */
  readonly deploymentRoleArns: string[];

  /**
   * The exact ARN of the credential-lifecycle owner's role: the only principal, besides the
   * rotation functions, that may put provider-key values, and the only one that may change a key's
   * secret or KMS key policy.
   *
   * @default - the spec's `owners.credentialLifecycle.roleArn`; required when the spec has provider keys
   */
  readonly credentialLifecycleRoleArn?: string;

  /**
   * The exact ARNs of the execution roles of the provider keys' rotation functions: they may read
   * and put the keys they rotate. No wildcards.
   *
   * @default - none; keys are rotated by the credential-lifecycle owner
   */
  readonly rotationRoleArns?: string[];

  /**
   * Further exact role ARNs whose trust, permissions and boundary only the deployment roles may
   * change, such as the Vault server's role, which the broker and verifier roles trust. (The
   * gateway's roles and every exempted role are protected already.)
   *
   * @default - none
   */
  readonly protectedRoleArns?: string[];

  /**
   * Where the policies are attached: the gateway's 12-digit account id, or the id of an OU
   * (`ou-...`) or of the root (`r-...`) above it. SCPs and RCPs do not apply to the management
   * account: the gateway must run in a member account.
   *
   * @default - none; required unless `createPolicies` is false
   */
  readonly targetIds?: string[];

  /**
   * Whether to create the policies in AWS Organizations (`AWS::Organizations::Policy`). Turn off
   * to manage them elsewhere: `documents` and `writeDocuments()` give the same documents.
   *
   * @default true
   */
  readonly createPolicies?: boolean;

  /**
   * Whether the deployment roles may also put provider-key values and change the keys' secret
   * and KMS key policies, so that a pipeline can add a provider key (CloudFormation writes the
   * new secret's policy). The deployment roles already change the router cells' code, so this
   * widens what a compromised deployment role reaches only by the keys' policies; it does widen
   * it, and a warning says so.
   *
   * @default false
   */
  readonly deploymentRolesManageProviderKeyPolicies?: boolean;
}

const GUARDRAILS_FIELDS = fieldsOf<GatewayGuardrailsProps>({
  spec: true,
  deploymentRoleArns: true,
  credentialLifecycleRoleArn: true,
  rotationRoleArns: true,
  protectedRoleArns: true,
  targetIds: true,
  createPolicies: true,
  deploymentRolesManageProviderKeyPolicies: true,
});

/** Stable id of the warning given when the deployment roles may change provider-key policies. */
const DEPLOYMENT_MANAGES_KEYS_WARNING = 'gateward:guardrails-deployment-manages-provider-keys';

const POLICY_TYPES: Record<'scp' | 'rcp', GuardrailPolicyType> = {
  scp: GuardrailPolicyType.SERVICE_CONTROL_POLICY,
  rcp: GuardrailPolicyType.RESOURCE_CONTROL_POLICY,
};

/**
 * The organization guardrails of one gateway: service control policies and resource control
 * policies, for the organization's management account (or a delegated administrator of
 * Organizations policies), that deny every principal of the gateway's account (the account root
 * and its administrators included) and, for Secrets Manager, KMS and S3, every caller from any
 * account, what would let it reach a tenant's credentials or erase the record:
 *
 * - reading a provider key, except its target role and the rotation functions' roles; putting a
 *   value, except the credential-lifecycle owner and the rotation roles; changing a key's secret
 *   or KMS key policy, except the credential-lifecycle owner;
 * - changing the router cells (code, configuration, concurrency, code signing, permissions,
 *   function URLs), any role or managed policy of the gateway or any exempted role, or passing
 *   them, or assuming a deployment role from inside the account, except the deployment roles;
 *   invoking a router cell at all (the API invokes it as a service principal, which SCPs do not
 *   bind);
 * - stopping, deleting or reconfiguring the trail, the audit buckets (Object Lock, policy,
 *   versioning, lifecycle, replication, public access), the decision log (deletion, retention,
 *   key, data protection, unmasking) and the audit key, except that the deployment roles may
 *   update their configuration.
 *
 * Everything is derived from the spec, so the documents exist before the gateway does, and their
 * size does not grow with tenants. The documents are also available as JSON (`documents`,
 * `writeDocuments()`) for teams that manage organization policies elsewhere.
 */
export class GatewayGuardrails extends Construct {
  /** The most characters AWS Organizations accepts in one SCP or RCP. */
  public static readonly MAX_POLICY_CHARACTERS: number = MAX_POLICY_CHARACTERS;

  /** How many guardrail documents of one type a target takes (5 attached per type, one of which allows). */
  public static readonly MAX_DOCUMENTS_PER_TYPE: number = MAX_DOCUMENTS_PER_TYPE;

  /** The validated spec with its derived names. */
  public readonly blueprint: GatewayBlueprint;
  /** Every guardrail document: the service control policies, then the resource control policies. */
  public readonly documents: GuardrailDocument[];
  /** The policies created in AWS Organizations, in the order of `documents`; empty when `createPolicies` is false. */
  public readonly policies: organizations.CfnPolicy[];

  constructor(scope: Construct, id: string, props: GatewayGuardrailsProps) {
    super(scope, id);
    const exemptions = validateGuardrails(this, props);
    const blueprint = GatewayBlueprint._fromValidatedSpec(props.spec);
    this.blueprint = blueprint;

    const c = new ProblemCollector();
    const packed = packDocuments(guardrailRules(blueprint, exemptions), c, 'props');
    if (c.size > 0) throw new GatewayValidationError(`GatewayGuardrails "${blueprint.name}"`, c.problems);

    const numbered = packed.map((doc, i) => ({ ...doc, number: packed.slice(0, i + 1).filter((d) => d.kind === doc.kind).length }));
    // Policy names are unique in an organization: the account keeps two gateways of one name apart.
    this.documents = numbered.map((doc) => ({
      name: `gateward-${blueprint.name}-${blueprint.account}-${doc.kind}-${doc.number}`,
      type: POLICY_TYPES[doc.kind],
      content: doc.content,
    }));

    this.policies = [];
    if (props.createPolicies ?? true) {
      claim(this, 'guardrails', blueprint.name);
      numbered.forEach((doc, i) => {
        const [idPrefix, kindWords] = doc.kind === 'scp'
          ? ['ServiceControlPolicy', 'Service control policy'] : ['ResourceControlPolicy', 'Resource control policy'];
        this.policies.push(new organizations.CfnPolicy(this, `${idPrefix}${doc.number}`, {
          name: this.documents[i].name,
          type: this.documents[i].type,
          description: `${kindWords} ${doc.number} of gateward gateway ${blueprint.name} (account ${blueprint.account}): keeps its keys, router cells `
            + 'and audit record out of reach of every principal but the exact roles it exempts. Generated from the gateway spec.',
          // As an object, so CloudFormation can detect drift; CloudFormation sends it minified, as measured.
          content: JSON.parse(doc.content),
          targetIds: props.targetIds,
        }));
      });
      for (const [key, value] of Object.entries(blueprint.ownershipTags())) Tags.of(this).add(key, value);
    }

    if (exemptions.deploymentRolesManageProviderKeyPolicies && blueprint.targets.some((t) => t.kind === TargetKind.PROVIDER_KEY)) {
      Annotations.of(this).addWarningV2(DEPLOYMENT_MANAGES_KEYS_WARNING,
        'deploymentRolesManageProviderKeyPolicies: the deployment roles may change provider keys\' secret and KMS key policies and put their values, '
        + 'so a compromised deployment role can grant itself a key read. Turn it off once the keys exist, or deploy key changes with the credential-lifecycle role.');
    }
  }

  /**
   * The documents of one type.
   */
  public documentsOf(type: GuardrailPolicyType): GuardrailDocument[] {
    return this.documents.filter((doc) => doc.type === type);
  }

  /**
   * Writes every document to `<directory>/<name>.json`, exactly as it is deployed (minified, no
   * trailing newline, so the file's size is the policy's), for `aws organizations create-policy
   * --content file://<file>` or another tool. Creates the directory. Returns the files' paths.
   */
  public writeDocuments(directory: string): string[] {
    fs.mkdirSync(directory, { recursive: true });
    return this.documents.map((doc) => {
      const file = path.join(directory, `${doc.name}.json`);
      fs.writeFileSync(file, doc.content);
      return file;
    });
  }
}

/**
 * Checks the spec and the props together, throws one error listing every problem, and returns the
 * exemptions with their defaults.
 */
function validateGuardrails(scope: Construct, props: GatewayGuardrailsProps): GuardrailExemptions {
  const c = new ProblemCollector();
  checkKnownKeys(c, 'props', props ?? {}, GUARDRAILS_FIELDS, 'GatewayGuardrailsProps');
  const spec = props?.spec;
  checkGuardrailSpec(c, spec);
  const partition = spec?.aws?.partition ?? 'aws';
  checkRoleArns(c, 'props.deploymentRoleArns', props?.deploymentRoleArns, partition, 'deployment role', true);
  checkRoleArns(c, 'props.rotationRoleArns', props?.rotationRoleArns, partition, 'rotation function role', false);
  checkRoleArns(c, 'props.protectedRoleArns', props?.protectedRoleArns, partition, 'protected role', false);

  const hasKeys = (spec?.tenants ?? []).some((t) => (t?.providerKeys ?? []).length > 0);
  const lifecycle = props?.credentialLifecycleRoleArn ?? spec?.owners?.credentialLifecycle?.roleArn;
  if (props?.credentialLifecycleRoleArn !== undefined) {
    checkRoleArn(c, 'props.credentialLifecycleRoleArn', props.credentialLifecycleRoleArn, partition, 'the credential-lifecycle owner');
  } else if (lifecycle !== undefined) {
    checkRoleArn(c, 'spec.owners.credentialLifecycle.roleArn', lifecycle, partition, 'the credential-lifecycle owner');
  } else if (hasKeys) {
    c.add('props.credentialLifecycleRoleArn', undefined,
      'the spec has provider keys, whose values and policies only the credential-lifecycle owner may change, but names no owner role',
      'set spec.owners.credentialLifecycle.roleArn (or this prop) to the exact role that puts new key values');
  }

  const createPolicies = props?.createPolicies ?? true;
  const account = spec?.aws?.account;
  const literalAccount = typeof account === 'string' && !Token.isUnresolved(account) ? account : undefined;
  if (createPolicies) {
    checkTargetIds(c, 'props.targetIds', props?.targetIds, literalAccount);
    const stackAccount = Stack.of(scope).account;
    if (literalAccount && !Token.isUnresolved(stackAccount) && stackAccount === literalAccount) {
      c.add('spec.aws.account', literalAccount,
        'the guardrails stack is in the gateway\'s own account: SCPs and RCPs do not bind the management account, and a delegated administrator there could detach them',
        'deploy the guardrails in the organization\'s management account, or in a delegated administrator account other than the gateway\'s');
    }
    const existing = typeof spec?.name === 'string' ? existingClaim(scope, 'guardrails', spec.name) : undefined;
    if (existing) {
      c.add('spec.name', spec!.name, `gateway "${spec!.name}" already has guardrail policies in this app, at ${existing}; a second set would have the same policy names`,
        'create one GatewayGuardrails per gateway and attach it to every target it needs (targetIds)');
    }
  } else if (props?.targetIds !== undefined) {
    c.add('props.targetIds', props.targetIds, 'has no effect: createPolicies is false, so nothing is attached', 'remove targetIds, or set createPolicies to true');
  }

  if (c.size > 0) {
    const name = typeof spec?.name === 'string' ? ` "${spec.name}"` : '';
    throw new GatewayValidationError(`GatewayGuardrails${name}`, c.problems);
  }
  return {
    deploymentRoleArns: [...props.deploymentRoleArns],
    credentialLifecycleRoleArn: lifecycle,
    rotationRoleArns: [...(props.rotationRoleArns ?? [])],
    protectedRoleArns: [...(props.protectedRoleArns ?? [])],
    deploymentRolesManageProviderKeyPolicies: props.deploymentRolesManageProviderKeyPolicies ?? false,
  };
}
