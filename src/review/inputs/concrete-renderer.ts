import { CfnResource, CfnTemplateJson, IntrinsicRenderer, TemplateModel } from '../../nhi/private/cfn-template';

/** Where a stack deploys. */
export interface StackEnvironment {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly stackName: string;
}

/** The partition a region belongs to. */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}

/** Attributes CloudFormation returns as lists. */
const LIST_ATTRIBUTES = new Set(['DnsEntries', 'NetworkInterfaceIds', 'Endpoints', 'Ipv6CidrBlocks', 'CidrBlockAssociations', 'SecurityGroupIds', 'SubnetIds']);

/** Secrets Manager appends six random characters to a secret's name in its ARN; the review shows them as `??????`. */
export const SECRET_SUFFIX = '-??????';

/**
 * Renders references as the values AWS gives them once deployed, from the names the template
 * sets: a role's ARN from its path and name, a secret's ARN from its name (with the random suffix
 * as `??????`), a function's ARN from its name. Ids AWS picks at deployment (KMS key ids, API
 * ids, policy store ids) become the resource's logical id, so every reference to one resource
 * renders the same string, which is what policy evaluation needs.
 */
export class ConcreteRenderer implements IntrinsicRenderer {
  /** The templates of the nested stacks of this template, by the logical id of their stack resource. */
  public readonly nested = new Map<string, { readonly model: TemplateModel; readonly template: CfnTemplateJson }>();

  constructor(public readonly env: StackEnvironment) {}

  public pseudo(name: string): string {
    const { account, region, partition, stackName } = this.env;
    const values: Record<string, string> = {
      'AWS::Partition': partition,
      'AWS::AccountId': account,
      'AWS::Region': region,
      'AWS::URLSuffix': partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
      'AWS::StackName': stackName,
      'AWS::StackId': `arn:${partition}:cloudformation:${region}:${account}:stack/${stackName}/id`,
      'AWS::NotificationARNs': '',
    };
    return values[name] ?? name;
  }

  public ref(logicalId: string, resource: CfnResource | undefined): string {
    const p = resource?.Properties ?? {};
    const named = (key: string) => (typeof p[key] === 'string' ? p[key] as string : `${this.env.stackName}-${logicalId}`);
    switch (resource?.Type) {
      case 'AWS::IAM::Role': return named('RoleName');
      case 'AWS::IAM::User': return named('UserName');
      case 'AWS::IAM::Group': return named('GroupName');
      case 'AWS::IAM::ManagedPolicy': return this.managedPolicyArn(named('ManagedPolicyName'), p.Path);
      case 'AWS::SecretsManager::Secret': return this.secretArn(named('Name'));
      case 'AWS::KMS::Key': return logicalId;
      case 'AWS::KMS::Alias': return String(p.AliasName ?? logicalId);
      case 'AWS::S3::Bucket': return typeof p.BucketName === 'string' ? p.BucketName : logicalId.toLowerCase();
      case 'AWS::Logs::LogGroup': return named('LogGroupName');
      case 'AWS::Lambda::Function': return named('FunctionName');
      case 'AWS::CloudTrail::Trail': return named('TrailName');
      case 'AWS::ApiGateway::Stage': return String(p.StageName ?? logicalId);
      case 'AWS::SNS::Topic': return `arn:${this.env.partition}:sns:${this.env.region}:${this.env.account}:${named('TopicName')}`;
      case 'AWS::SQS::Queue': return `https://sqs.${this.env.region}.amazonaws.com/${this.env.account}/${named('QueueName')}`;
      default: return logicalId;
    }
  }

  public getAtt(logicalId: string, attribute: string, resource: CfnResource | undefined): string {
    // Attributes that are lists stay lists (CDK exports them joined with `||`), so Fn::Join,
    // Fn::Select and Fn::Split over them resolve as CloudFormation would.
    if (LIST_ATTRIBUTES.has(attribute)) return [`${logicalId}.${attribute}`] as unknown as string;
    const { account, region, partition } = this.env;
    const p = resource?.Properties ?? {};
    const name = this.ref(logicalId, resource);
    if (resource?.Type === 'AWS::CloudFormation::Stack' && attribute.startsWith('Outputs.')) {
      const nested = this.nested.get(logicalId);
      const output = nested?.template.Outputs?.[attribute.slice('Outputs.'.length)];
      if (nested && output) return String(nested.model.resolve(output.Value));
    }
    switch (`${resource?.Type}.${attribute}`) {
      case 'AWS::IAM::Role.Arn': return `arn:${partition}:iam::${account}:role${rolePath(p.Path)}${name}`;
      case 'AWS::IAM::Role.RoleId': return `AROA${logicalId.toUpperCase()}`;
      case 'AWS::IAM::User.Arn': return `arn:${partition}:iam::${account}:user${rolePath(p.Path)}${name}`;
      case 'AWS::IAM::Group.Arn': return `arn:${partition}:iam::${account}:group${rolePath(p.Path)}${name}`;
      case 'AWS::KMS::Key.Arn': return `arn:${partition}:kms:${region}:${account}:key/${name}`;
      case 'AWS::KMS::Key.KeyId': return name;
      case 'AWS::S3::Bucket.Arn': return `arn:${partition}:s3:::${name}`;
      case 'AWS::Logs::LogGroup.Arn': return `arn:${partition}:logs:${region}:${account}:log-group:${name}:*`;
      case 'AWS::Lambda::Function.Arn': return `arn:${partition}:lambda:${region}:${account}:function:${name}`;
      case 'AWS::CloudTrail::Trail.Arn': return `arn:${partition}:cloudtrail:${region}:${account}:trail/${name}`;
      case 'AWS::VerifiedPermissions::PolicyStore.Arn': return `arn:${partition}:verifiedpermissions::${account}:policy-store/${name}`;
      case 'AWS::VerifiedPermissions::PolicyStore.PolicyStoreId': return name;
      case 'AWS::SQS::Queue.Arn': return `arn:${partition}:sqs:${region}:${account}:${typeof p.QueueName === 'string' ? p.QueueName : `${this.env.stackName}-${logicalId}`}`;
      case 'AWS::SecretsManager::Secret.Id': return name;
      default: return `${name}.${attribute}`;
    }
  }

  public secretArn(name: string): string {
    return `arn:${this.env.partition}:secretsmanager:${this.env.region}:${this.env.account}:secret:${name}${SECRET_SUFFIX}`;
  }

  private managedPolicyArn(name: string, path: unknown): string {
    return `arn:${this.env.partition}:iam::${this.env.account}:policy${rolePath(path)}${name}`;
  }
}

/** An IAM path as written (`/`, `/gateward/x/targets/`), `/` when absent or not a literal. */
export function rolePath(path: unknown): string {
  if (typeof path !== 'string' || !path.startsWith('/')) return '/';
  return path.endsWith('/') ? path : `${path}/`;
}
