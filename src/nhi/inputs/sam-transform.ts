/**
 * The part of the AWS SAM transform (`AWS::Serverless-2016-10-31`) the rule pack needs, applied
 * offline, so the AWS rules read a SAM template as the CloudFormation it deploys: a function and
 * the role SAM creates for it, the APIs (explicit, and the implicit `ServerlessRestApi` an `Api`
 * event creates) with their stages, function URLs, state machines and their roles, and simple tables. Logical ids are SAM's own (`<Fn>Role`,
 * `ServerlessRestApiProdStage`), so findings name what CloudFormation shows after deployment.
 */

type Props = Record<string, unknown>;

interface Resource {
  Type: string;
  Condition?: string;
  Properties?: Props;
  Metadata?: Props;
  DependsOn?: unknown;
}

const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/** True when the template asks for the SAM transform. */
export function usesSamTransform(template: { Transform?: unknown }): boolean {
  const transforms = Array.isArray(template.Transform) ? template.Transform : [template.Transform];
  return transforms.includes(SAM_TRANSFORM);
}

const arn = (text: string, vars: Props) => ({ 'Fn::Sub': [text, vars] });
const TABLE = 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}';
const BUCKET = 'arn:${AWS::Partition}:s3:::${bucketName}';

/**
 * SAM policy templates mapped to the statements SAM writes for them (the common ones; an
 * unmapped template is left out, as SAM's templates are narrow by design).
 */
const POLICY_TEMPLATES: Record<string, (p: Props) => Props[]> = {
  SSMParameterReadPolicy: (p) => [
    { Effect: 'Allow', Action: 'ssm:DescribeParameters', Resource: '*' },
    {
      Effect: 'Allow',
      Action: ['ssm:GetParameters', 'ssm:GetParameter', 'ssm:GetParametersByPath'],
      Resource: arn('arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${parameterName}', { parameterName: p.ParameterName }),
    },
  ],
  AWSSecretsManagerGetSecretValuePolicy: (p) => [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: p.SecretArn }],
  DynamoDBCrudPolicy: (p) => [{
    Effect: 'Allow',
    Action: ['dynamodb:GetItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:Scan', 'dynamodb:Query', 'dynamodb:UpdateItem',
      'dynamodb:BatchWriteItem', 'dynamodb:BatchGetItem', 'dynamodb:DescribeTable', 'dynamodb:ConditionCheckItem'],
    Resource: [arn(TABLE, { tableName: p.TableName }), arn(`${TABLE}/index/*`, { tableName: p.TableName })],
  }],
  DynamoDBReadPolicy: (p) => [{
    Effect: 'Allow',
    Action: ['dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:DescribeTable'],
    Resource: [arn(TABLE, { tableName: p.TableName }), arn(`${TABLE}/index/*`, { tableName: p.TableName })],
  }],
  S3ReadPolicy: (p) => [{
    Effect: 'Allow',
    Action: ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation', 's3:GetObjectVersion', 's3:GetLifecycleConfiguration'],
    Resource: [arn(BUCKET, { bucketName: p.BucketName }), arn(`${BUCKET}/*`, { bucketName: p.BucketName })],
  }],
  S3CrudPolicy: (p) => [{
    Effect: 'Allow',
    Action: ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation', 's3:GetObjectVersion', 's3:PutObject', 's3:PutObjectAcl',
      's3:GetLifecycleConfiguration', 's3:PutLifecycleConfiguration', 's3:DeleteObject'],
    Resource: [arn(BUCKET, { bucketName: p.BucketName }), arn(`${BUCKET}/*`, { bucketName: p.BucketName })],
  }],
  LambdaInvokePolicy: (p) => [{
    Effect: 'Allow',
    Action: 'lambda:InvokeFunction',
    Resource: arn('arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${functionName}*', { functionName: p.FunctionName }),
  }],
  SQSSendMessagePolicy: (p) => [{
    Effect: 'Allow',
    Action: 'sqs:SendMessage*',
    Resource: arn('arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${queueName}', { queueName: p.QueueName }),
  }],
  SNSPublishMessagePolicy: (p) => [{
    Effect: 'Allow',
    Action: 'sns:Publish',
    Resource: arn('arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${topicName}', { topicName: p.TopicName }),
  }],
  KMSDecryptPolicy: (p) => [{
    Effect: 'Allow',
    Action: 'kms:Decrypt',
    Resource: arn('arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${keyId}', { keyId: p.KeyId }),
  }],
  CloudWatchPutMetricPolicy: () => [{ Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*' }],
};

function list<T>(value: T | T[] | undefined): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** SAM's `Tags` (a map) as CloudFormation's list. */
function tagList(tags: unknown): Array<{ Key: string; Value: unknown }> | undefined {
  if (!tags || typeof tags !== 'object' || Array.isArray(tags)) return undefined;
  return Object.entries(tags as Props).map(([Key, Value]) => ({ Key, Value }));
}

function compact(props: Props): Props {
  return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined));
}

/** `Globals` for one kind merged under the resource's own properties (environment variables merged by name). */
function withGlobals(globals: Props | undefined, props: Props): Props {
  if (!globals) return props;
  const out: Props = { ...globals, ...props };
  const globalVariables = (globals.Environment as { Variables?: Props } | undefined)?.Variables;
  const ownVariables = (props.Environment as { Variables?: Props } | undefined)?.Variables;
  if (globalVariables || ownVariables) out.Environment = { Variables: { ...globalVariables, ...ownVariables } };
  return out;
}

/**
 * A template's resources with the SAM transform applied (only the resources the rules judge:
 * other `AWS::Serverless::*` types stay as written). Returns the resources unchanged when the
 * template does not ask for the transform.
 */
export function expandServerless(
  template: { Transform?: unknown; Resources?: Record<string, Resource>; Globals?: unknown; Parameters?: Record<string, unknown> },
): Record<string, Resource> {
  const resources = template.Resources ?? {};
  if (!usesSamTransform(template)) return resources;
  // SAM names a stage after its name; a name given as a parameter takes the parameter's default.
  const stageName = (value: unknown): string | undefined => {
    if (typeof value === 'string') return value;
    const ref = value && typeof value === 'object' ? (value as { Ref?: unknown }).Ref : undefined;
    const parameter = typeof ref === 'string' ? template.Parameters?.[ref] as { Default?: unknown } | undefined : undefined;
    return typeof parameter?.Default === 'string' ? parameter.Default : undefined;
  };
  const globals = (template.Globals ?? {}) as Record<string, Props | undefined>;
  const out: Record<string, Resource> = {};
  const add = (id: string, from: Resource, type: string, properties: Props) => {
    // A resource the template declares itself wins over one SAM would generate.
    if (id in resources && resources[id] !== from) return;
    out[id] = compact({ Type: type, Condition: from.Condition, Properties: compact(properties), Metadata: from.Metadata }) as unknown as Resource;
  };
  let implicitRestApi: Resource | undefined;
  let implicitHttpApi: Resource | undefined;
  for (const [id, resource] of Object.entries(resources)) {
    if (!resource || typeof resource !== 'object') continue;
    switch (resource.Type) {
      case 'AWS::Serverless::Function': {
        const props = withGlobals(globals.Function, resource.Properties ?? {});
        const role = props.Role ?? addExecutionRole(add, id, resource, props, 'lambda.amazonaws.com',
          [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }]);
        add(id, resource, 'AWS::Lambda::Function', {
          FunctionName: props.FunctionName,
          Handler: props.Handler,
          Runtime: props.Runtime,
          Role: role,
          Environment: props.Environment,
          KmsKeyArn: props.KmsKeyArn,
          VpcConfig: props.VpcConfig,
          Tags: [{ Key: 'lambda:createdBy', Value: 'SAM' }, ...(tagList(props.Tags) ?? [])],
        });
        for (const event of Object.values((props.Events ?? {}) as Record<string, { Type?: string; Properties?: Props }>)) {
          if (event?.Type === 'Api' && event.Properties?.RestApiId === undefined) implicitRestApi = implicitRestApi ?? resource;
          if (event?.Type === 'HttpApi' && event.Properties?.ApiId === undefined) implicitHttpApi = implicitHttpApi ?? resource;
        }
        // A function URL is an entry point of its own: SAM names it <Function>Url, and with
        // AuthType NONE it takes requests from anyone, authenticated by nothing but the function.
        const url = props.FunctionUrlConfig as Props | undefined;
        if (url && typeof url === 'object') {
          add(`${id}Url`, resource, 'AWS::Lambda::Url', {
            TargetFunctionArn: { Ref: id }, AuthType: url.AuthType, InvokeMode: url.InvokeMode, Cors: url.Cors,
          });
          if (url.AuthType === 'NONE') {
            add(`${id}UrlPublicPermissions`, resource, 'AWS::Lambda::Permission', {
              Action: 'lambda:InvokeFunctionUrl', FunctionName: { Ref: id }, Principal: '*', FunctionUrlAuthType: 'NONE',
            });
          }
        }
        break;
      }
      case 'AWS::Serverless::StateMachine': {
        const props = withGlobals(globals.StateMachine, resource.Properties ?? {});
        // Its role is made from Policies as a function's is, trusted by Step Functions.
        const role = props.Role ?? addExecutionRole(add, id, resource, props, 'states.amazonaws.com', []);
        add(id, resource, 'AWS::StepFunctions::StateMachine', {
          StateMachineName: props.Name,
          RoleArn: role,
          Definition: props.Definition,
          DefinitionUri: props.DefinitionUri,
          LoggingConfiguration: props.Logging,
          StateMachineType: props.Type,
          Tags: tagList(props.Tags),
        });
        break;
      }
      case 'AWS::Serverless::Api':
        addRestApi(add, id, resource, withGlobals(globals.Api, resource.Properties ?? {}), stageName);
        break;
      case 'AWS::Serverless::HttpApi':
        addHttpApi(add, id, resource, withGlobals(globals.HttpApi, resource.Properties ?? {}), stageName);
        break;
      case 'AWS::Serverless::SimpleTable': {
        const props = withGlobals(globals.SimpleTable, resource.Properties ?? {});
        const key = (props.PrimaryKey ?? { Name: 'id', Type: 'String' }) as { Name?: unknown; Type?: string };
        add(id, resource, 'AWS::DynamoDB::Table', {
          TableName: props.TableName,
          KeySchema: [{ AttributeName: key.Name, KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: key.Name, AttributeType: String(key.Type ?? 'String').charAt(0).toUpperCase() }],
          BillingMode: props.ProvisionedThroughput ? undefined : 'PAY_PER_REQUEST',
          SSESpecification: props.SSESpecification,
          Tags: tagList(props.Tags),
        });
        break;
      }
      default:
        out[id] = resource;
    }
  }
  if (implicitRestApi && !resources.ServerlessRestApi) {
    addRestApi(add, 'ServerlessRestApi', { Type: 'AWS::Serverless::Api' }, withGlobals(globals.Api, { StageName: 'Prod' }), stageName);
  }
  if (implicitHttpApi && !resources.ServerlessHttpApi) {
    addHttpApi(add, 'ServerlessHttpApi', { Type: 'AWS::Serverless::HttpApi' }, withGlobals(globals.HttpApi, {}), stageName);
  }
  return out;
}

type Add = (id: string, from: Resource, type: string, properties: Props) => void;

/**
 * The role SAM creates for a function or state machine with no `Role` (`<Id>Role`): trusted by
 * the service, with the given managed policies, AWS-managed policies and ARNs named in
 * `Policies`, inline documents, and the SAM policy templates mapped. Returns its ARN.
 */
function addExecutionRole(add: Add, id: string, resource: Resource, props: Props, service: string, basePolicies: unknown[]): unknown {
  const policies = props.Policies && typeof props.Policies === 'object' && !Array.isArray(props.Policies) && 'Statement' in (props.Policies as Props)
    ? [props.Policies] : list(props.Policies as unknown);
  const managed = policies.filter((p) => typeof p === 'string' || (p && typeof p === 'object' && ('Ref' in (p as Props) || 'Fn::Sub' in (p as Props))))
    .map((p) => (typeof p === 'string' && !p.startsWith('arn:') ? { 'Fn::Sub': `arn:\${AWS::Partition}:iam::aws:policy/${p}` } : p));
  const inline: Props[] = [];
  policies.forEach((p, i) => {
    if (!p || typeof p !== 'object' || managed.includes(p)) return;
    const entry = p as Props;
    if ('Statement' in entry) {
      inline.push({ PolicyName: `${id}RolePolicy${i}`, PolicyDocument: entry });
      return;
    }
    const [name] = Object.keys(entry);
    const mapped = POLICY_TEMPLATES[name];
    if (mapped && Object.keys(entry).length === 1) {
      inline.push({ PolicyName: `${id}RolePolicy${i}`, PolicyDocument: { Statement: mapped((entry[name] ?? {}) as Props) } });
    }
  });
  add(`${id}Role`, resource, 'AWS::IAM::Role', {
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: [service] }, Action: ['sts:AssumeRole'] }],
    },
    ManagedPolicyArns: [...basePolicies, ...managed],
    Policies: inline.length > 0 ? inline : undefined,
    PermissionsBoundary: props.PermissionsBoundary,
    Tags: [{ Key: `${service === 'states.amazonaws.com' ? 'stateMachine' : 'lambda'}:createdBy`, Value: 'SAM' }, ...(tagList(props.Tags) ?? [])],
  });
  return { 'Fn::GetAtt': [`${id}Role`, 'Arn'] };
}

type StageName = (value: unknown) => string | undefined;

function addRestApi(add: Add, id: string, from: Resource, props: Props, stageName: StageName): void {
  add(id, from, 'AWS::ApiGateway::RestApi', { Name: props.Name, EndpointConfiguration: props.EndpointConfiguration });
  add(`${id}Deployment`, from, 'AWS::ApiGateway::Deployment', { RestApiId: { Ref: id } });
  const stage = stageName(props.StageName) ?? 'Stage';
  add(`${id}${stage.replace(/[^A-Za-z0-9]/g, '')}Stage`, from, 'AWS::ApiGateway::Stage', {
    RestApiId: { Ref: id },
    DeploymentId: { Ref: `${id}Deployment` },
    StageName: props.StageName,
    AccessLogSetting: props.AccessLogSetting,
    MethodSettings: props.MethodSettings,
    TracingEnabled: props.TracingEnabled,
  });
}

function addHttpApi(add: Add, id: string, from: Resource, props: Props, stageName: StageName): void {
  add(id, from, 'AWS::ApiGatewayV2::Api', { Name: props.Name, ProtocolType: 'HTTP' });
  const stage = stageName(props.StageName);
  add(stage ? `${id}${stage.replace(/[^A-Za-z0-9]/g, '')}Stage` : `${id}ApiGatewayDefaultStage`, from, 'AWS::ApiGatewayV2::Stage', {
    ApiId: { Ref: id },
    StageName: stage ?? '$default',
    AutoDeploy: true,
    AccessLogSettings: props.AccessLogSettings,
  });
}
