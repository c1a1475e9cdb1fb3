import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import { CfnResource, CfnTemplateJson, IntrinsicRenderer, PolicyDocumentJson, RoleModel, TemplateModel } from '../../src/nhi/private/cfn-template';

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

export interface Environment {
  readonly account: string;
  readonly region: string;
  readonly partition?: string;
}

/**
 * Renders a template's references as the concrete values AWS would give them, so its policies
 * can be evaluated by the offline IAM simulator.
 */
class ConcreteRenderer implements IntrinsicRenderer {
  constructor(private readonly env: Required<Environment>) {}

  public pseudo(name: string): string {
    const { account, region, partition } = this.env;
    const values: Record<string, string> = {
      'AWS::Partition': partition,
      'AWS::AccountId': account,
      'AWS::Region': region,
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': 'stack',
      'AWS::NoValue': '',
    };
    return values[name] ?? name;
  }

  public ref(logicalId: string, resource: CfnResource | undefined): string {
    const p = resource?.Properties ?? {};
    switch (resource?.Type) {
      case 'AWS::IAM::Role': return String(p.RoleName ?? logicalId);
      case 'AWS::IAM::ManagedPolicy': return `arn:${this.env.partition}:iam::${this.env.account}:policy/${p.ManagedPolicyName ?? logicalId}`;
      case 'AWS::SecretsManager::Secret': return this.secretArn(String(p.Name ?? logicalId));
      case 'AWS::KMS::Key': return logicalId;
      case 'AWS::S3::Bucket': return String(p.BucketName ?? logicalId.toLowerCase());
      case 'AWS::Logs::LogGroup': return String(p.LogGroupName ?? logicalId);
      case 'AWS::VerifiedPermissions::PolicyStore': return `PS${logicalId}`;
      default: return logicalId;
    }
  }

  public getAtt(logicalId: string, attribute: string, resource: CfnResource | undefined): string {
    const { account, region, partition } = this.env;
    const name = this.ref(logicalId, resource);
    switch (`${resource?.Type}.${attribute}`) {
      case 'AWS::IAM::Role.Arn': return `arn:${partition}:iam::${account}:role${resource?.Properties?.Path ?? '/'}${name}`;
      case 'AWS::KMS::Key.Arn': return `arn:${partition}:kms:${region}:${account}:key/${name}`;
      case 'AWS::S3::Bucket.Arn': return `arn:${partition}:s3:::${name}`;
      case 'AWS::Logs::LogGroup.Arn': return `arn:${partition}:logs:${region}:${account}:log-group:${name}:*`;
      case 'AWS::VerifiedPermissions::PolicyStore.Arn': return `arn:${partition}:verifiedpermissions::${account}:policy-store/${name}`;
      case 'AWS::VerifiedPermissions::PolicyStore.PolicyStoreId': return name;
      case 'AWS::SQS::Queue.Arn': return `arn:${partition}:sqs:${region}:${account}:${logicalId}`;
      case 'AWS::Lambda::Function.Arn': return `arn:${partition}:lambda:${region}:${account}:function:${logicalId}`;
      default: return `${name}.${attribute}`;
    }
  }

  /** Secrets Manager appends six random characters to a secret's ARN. */
  public secretArn(name: string): string {
    return `arn:${this.env.partition}:secretsmanager:${this.env.region}:${this.env.account}:secret:${name}-AbCdEf`;
  }
}

/** The AWS managed SCP every root, OU and account starts with (`p-FullAWSAccess`). */
export const FULL_AWS_ACCESS_SCP: PolicyDocumentJson = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

/** The AWS managed RCP attached to every root, OU and account, which cannot be detached (`p-RCPFullAWSAccess`). */
export const RCP_FULL_AWS_ACCESS: PolicyDocumentJson = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
};

/**
 * The organization policies in effect for a request, as attached to the gateway's account (a
 * member account: SCPs bind its principals, RCPs its resources). FullAWSAccess and
 * RCPFullAWSAccess are always in effect besides these, as they are in an organization.
 */
export interface OrganizationPolicies {
  /** Service control policies attached besides FullAWSAccess. @default none */
  readonly serviceControlPolicies?: PolicyDocumentJson[];
  /** Resource control policies attached besides RCPFullAWSAccess. @default none */
  readonly resourceControlPolicies?: PolicyDocumentJson[];
}

export interface Request {
  /** The acting role (by name), whose policies and boundary apply. */
  readonly role?: string;
  /** Or any principal with explicit identity policies. */
  readonly principalArn?: string;
  readonly identityPolicies?: PolicyDocumentJson[];
  readonly action: string;
  readonly resource: string;
  /** The account that owns the resource. @default the template's account */
  readonly resourceAccount?: string;
  readonly resourcePolicy?: PolicyDocumentJson;
  readonly context?: Record<string, string | string[]>;
  /**
   * The organization the account is a member of, with its SCPs and RCPs.
   * @default - the account is in no organization: no SCP or RCP applies
   */
  readonly organization?: OrganizationPolicies;
}

/**
 * The IAM side of a synthesized template, evaluated with the offline IAM simulator: identity
 * policies, permission boundaries, resource policies (secret, key and bucket policies, trust
 * policies) and conditions.
 */
export class IamWorld {
  public readonly model: TemplateModel;
  public readonly roles: RoleModel[];
  /** The account the template deploys to. */
  public readonly account: string;
  /** The template's partition. */
  public readonly partition: string;
  private readonly renderer: ConcreteRenderer;
  private readonly env: Required<Environment>;

  constructor(template: CfnTemplateJson, env: Environment) {
    this.env = { partition: 'aws', ...env };
    this.account = this.env.account;
    this.partition = this.env.partition;
    this.renderer = new ConcreteRenderer(this.env);
    this.model = new TemplateModel(template, this.renderer);
    this.roles = this.model.roles();
  }

  public role(roleName: string): RoleModel {
    const role = this.roles.find((r) => r.roleName === roleName);
    if (!role) throw new Error(`no role ${roleName}; roles: ${this.roles.map((r) => r.roleName).join(', ')}`);
    return role;
  }

  /** The ARN of a role of the template (with its IAM path), or of a role outside it (no path). */
  public roleArn(roleName: string): string {
    const found = this.model.ofType('AWS::IAM::Role').find(([, r]) => (r.Properties as any)?.RoleName === roleName);
    const rolePath = found ? String((found[1].Properties as any)?.Path ?? '/') : '/';
    return `arn:${this.env.partition}:iam::${this.env.account}:role${rolePath}${roleName}`;
  }

  public secretArn(name: string): string {
    return this.renderer.secretArn(name);
  }

  /** The resolved policy property of the one resource of `type` for which `match` holds. */
  public policyOf(type: string, property: string, match: (props: Record<string, unknown>) => boolean): PolicyDocumentJson {
    const found = this.model.ofType(type).filter(([, r]) => match(this.model.resolve(r.Properties ?? {}) as Record<string, unknown>));
    if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
    return this.model.resolve(found[0][1].Properties![property]) as PolicyDocumentJson;
  }

  /** The ARN of the one KMS key whose alias is `aliasName`. */
  public keyArnOfAlias(aliasName: string): string {
    return String(this.model.resolve(this.alias(aliasName).TargetKeyId));
  }

  /** The key policy of the key behind an alias. */
  public keyPolicyOfAlias(aliasName: string): PolicyDocumentJson {
    const keyId = (this.alias(aliasName).TargetKeyId as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
    return this.model.resolve(this.model.resources[keyId].Properties!.KeyPolicy) as PolicyDocumentJson;
  }

  /** The properties of the alias named `aliasName`. */
  private alias(aliasName: string): Record<string, unknown> {
    const alias = this.model.ofType('AWS::KMS::Alias').find(([, r]) => r.Properties?.AliasName === aliasName);
    if (!alias) throw new Error(`no alias ${aliasName}`);
    return alias[1].Properties!;
  }

  /** Evaluates one request with the simulator's validating engine. */
  public async decide(request: Request): Promise<Decision> {
    const simulation = this.simulation(request);
    const result = await runSimulation(simulation, {});
    if (result.resultType === 'error') {
      throw new Error(`simulation failed: ${JSON.stringify(result.errors)}`);
    }
    if (result.resultType !== 'single') {
      throw new Error(`expected a single-resource result for ${request.resource}`);
    }
    return result.overallResult as Decision;
  }

  /**
   * Evaluates with the engine that keeps every context key. The validating engine drops keys it
   * does not recognise, such as `kms:EncryptionContext:SecretARN`, which key policies rely on.
   */
  public decideKeepingContext(request: Request): Decision {
    const simulation = this.simulation(request);
    // The validating engine adds RCPFullAWSAccess to every level; this one takes the levels as given.
    const rcps = simulation.resourceControlPolicies.map((level) => ({
      ...level,
      policies: [{ name: 'RCPFullAWSAccess', policy: RCP_FULL_AWS_ACCESS }, ...level.policies],
    }));
    const wrapped = {
      ...simulation,
      resourceControlPolicies: rcps,
      resourcePolicy: simulation.resourcePolicy
        ? { __validated: true, policyDocument: simulation.resourcePolicy, metadata: { name: 'resource' }, errors: [] }
        : undefined,
    };
    return runUnsafeSimulation(wrapped, {}) as Decision;
  }

  private simulation(request: Request) {
    const principalArn = request.principalArn ?? this.roleArn(request.role!);
    const role = request.role ? this.role(request.role) : undefined;
    const identity = request.identityPolicies ?? role?.policies.map((p) => p.document) ?? [];
    const principalAccount = principalArn.split(':')[4];
    return {
      request: {
        principal: principalArn,
        action: request.action,
        resource: { resource: request.resource, accountId: request.resourceAccount ?? this.env.account },
        // AWS fills these in for every request; the simulator does not.
        contextVariables: { 'aws:PrincipalArn': principalArn, 'aws:PrincipalAccount': principalAccount, ...request.context },
      },
      identityPolicies: identity.map((policy, i) => ({ name: `identity-${i}`, policy })),
      permissionBoundaryPolicies: role?.boundaryDocument ? [{ name: 'boundary', policy: role.boundaryDocument }] : undefined,
      resourcePolicy: request.resourcePolicy,
      ...organizationLevels(request.organization, request.resourceAccount ?? this.env.account, principalArn),
    };
  }
}

/**
 * One level of the organization per policy type, named by the account it is attached to: SCPs
 * bind the principals of the account (IAM principals only: an AWS service principal such as
 * `apigateway.amazonaws.com` is not one of them), RCPs its resources. Without an organization,
 * neither applies.
 */
function organizationLevels(organization: OrganizationPolicies | undefined, resourceAccount: string, principalArn: string) {
  if (!organization) return { serviceControlPolicies: [], resourceControlPolicies: [] };
  const named = (prefix: string, policies: PolicyDocumentJson[] = []) => policies.map((policy, i) => ({ name: `${prefix}-${i + 1}`, policy }));
  const iamPrincipal = principalArn.startsWith('arn:');
  return {
    serviceControlPolicies: iamPrincipal ? [{
      orgIdentifier: principalArn.split(':')[4],
      policies: [{ name: 'FullAWSAccess', policy: FULL_AWS_ACCESS_SCP }, ...named('scp', organization.serviceControlPolicies)],
    }] : [],
    // The validating engine adds RCPFullAWSAccess itself.
    resourceControlPolicies: [{ orgIdentifier: resourceAccount, policies: named('rcp', organization.resourceControlPolicies) }],
  };
}
