import * as fs from 'fs';
import * as path from 'path';
import { ROUTES_FILE, RouterRoutes } from '../../contract/router-routes';
import { readJsonFile } from '../../nhi/inputs/input-error';
import { asList, CfnResource, PolicyDocumentJson, StatementJson } from '../../nhi/private/cfn-template';
import { isUnresolved } from '../../nhi/private/unresolved';
import { GatewayCedarModel } from '../../spec/cedar-model';
import { arnMatches } from '../iam/arn-pattern';
import { AwsOutput, ReviewTemplate } from '../inputs/aws-output';
import { rolePath } from '../inputs/concrete-renderer';

/** Where a resource is: its template and logical id, and its construct path when CDK recorded one. */
export interface ResourceLocation {
  readonly file: string;
  readonly logicalId: string;
  readonly constructPath: string;
}

/** An IAM role of the templates, with everything that shapes what it may do. */
export interface RoleFacts {
  readonly arn: string;
  readonly name: string;
  readonly account: string;
  readonly location: ResourceLocation;
  readonly description?: string;
  readonly trust: PolicyDocumentJson;
  readonly policies: Array<{ readonly name: string; readonly document: PolicyDocumentJson }>;
  readonly boundary?: PolicyDocumentJson;
  /** AWS-managed (or otherwise external) policies attached, which the output does not hold. */
  readonly externalManagedPolicyArns: string[];
  /** Seconds, 3600 when not set. */
  readonly maxSessionSeconds: number;
  readonly tags: Record<string, string>;
}

/** A Secrets Manager secret, its resource policy, key and rotation. */
export interface SecretFacts {
  readonly arn: string;
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly location: ResourceLocation;
  readonly description?: string;
  readonly kmsKeyArn?: string;
  readonly policy?: PolicyDocumentJson;
  readonly rotationDays?: number;
  readonly rotationFunctionArn?: string;
  readonly tags: Record<string, string>;
}

/** A KMS key, its policy and aliases. */
export interface KeyFacts {
  readonly arn: string;
  readonly account: string;
  readonly location: ResourceLocation;
  readonly description?: string;
  readonly aliases: string[];
  readonly policy: PolicyDocumentJson;
  readonly tags: Record<string, string>;
}

/** A Lambda function: its role, environment and (for a router cell) the route table in its code asset. */
export interface FunctionFacts {
  readonly arn: string;
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly location: ResourceLocation;
  readonly description?: string;
  readonly roleArn?: string;
  readonly environment: Record<string, string>;
  readonly routes?: RouterRoutes;
  readonly routesFile?: string;
  /** Its resource policy, built from the `AWS::Lambda::Permission`s that name it. */
  readonly permissionPolicy: PolicyDocumentJson;
  readonly tags: Record<string, string>;
}

/** One method of a REST API. */
export interface ApiMethodFacts {
  readonly httpMethod: string;
  /** The resource path, `/v1/tenants/support/chat`. */
  readonly path: string;
  readonly authorizationType: string;
  /** The function a Lambda proxy integration invokes. */
  readonly functionArn?: string;
  readonly location: ResourceLocation;
}

/** A REST API, its resource policy and methods. */
export interface ApiFacts {
  /** The API's id (its logical id: the real one is chosen at deployment). */
  readonly id: string;
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly location: ResourceLocation;
  readonly policy?: PolicyDocumentJson;
  readonly stages: string[];
  readonly methods: ApiMethodFacts[];
}

/** A Cedar policy of a Verified Permissions policy store: static, or template-linked. */
export interface CedarPolicyFacts {
  /**
   * A readable id, unique in the store: the policy's construct path from its `Policy-` part
   * (`forbid-tenant-mismatch`, `permit-support-invoke-model/<model>`), else its logical id.
   */
  readonly id: string;
  /** What a reviewer knows it as: the grant a template-linked policy is one resource of (`permit-support-invoke-model`), else the id. */
  readonly grant: string;
  readonly description?: string;
  /** The statement the store evaluates: for a template-linked policy, its template's with the slots filled. */
  readonly statement: string;
  /** For a template-linked policy: its template (by logical id) and the entities in its slots. */
  readonly link?: {
    readonly template: string;
    readonly principal?: { readonly type: string; readonly id: string };
    readonly resource?: { readonly type: string; readonly id: string };
  };
  readonly location: ResourceLocation;
}

/** A policy template of a Verified Permissions policy store. */
export interface CedarTemplateFacts {
  /** Its logical id, which its links name. */
  readonly id: string;
  readonly description?: string;
  readonly statement: string;
  readonly location: ResourceLocation;
}

/** A Verified Permissions policy store. */
export interface PolicyStoreFacts {
  readonly arn: string;
  readonly id: string;
  readonly location: ResourceLocation;
  readonly schemaJson?: string;
  readonly policies: CedarPolicyFacts[];
  /** The templates its template-linked policies link. */
  readonly templates: CedarTemplateFacts[];
}

/**
 * How a Cedar policy is named from its construct path: from its `Policy-` part on
 * (`.../Tenant-support/Policy-permit-support-invoke-model/<model>` is
 * `permit-support-invoke-model/<model>`, of grant `permit-support-invoke-model`). The gateway
 * creates each grant of a tenant as `Policy-<grant>`, with one link per resource below it.
 */
export function cedarPolicyLabel(constructPath: string): { readonly id: string; readonly grant: string } {
  const parts = constructPath.split('/');
  let at = parts.length - 1;
  while (at > 0 && !/^(Cedar)?Policy-/.test(parts[at])) at--;
  if (!/^(Cedar)?Policy-/.test(parts[at])) at = parts.length - 1;
  const grant = parts[at].replace(/^(Cedar)?Policy-/, '');
  return { id: [grant, ...parts.slice(at + 1)].join('/'), grant };
}

/** Audit resources an administrator could tamper with. */
export interface AuditResourceFacts {
  readonly kind: 'trail' | 'log group' | 'bucket';
  readonly arn: string;
  readonly name: string;
  readonly account: string;
  readonly location: ResourceLocation;
  readonly policy?: PolicyDocumentJson;
  readonly tags: Record<string, string>;
}

/** Everything of the AWS side the review reads. */
export interface AwsInventory {
  readonly roles: RoleFacts[];
  readonly secrets: SecretFacts[];
  readonly keys: KeyFacts[];
  readonly functions: FunctionFacts[];
  readonly apis: ApiFacts[];
  readonly policyStores: PolicyStoreFacts[];
  readonly audit: AuditResourceFacts[];
  readonly deploymentRoleArns: string[];
  /** Tag values seen on resources, by key (the gateway, its owners, tenants). */
  readonly tagValues: Map<string, Set<string>>;
  /** Templates the inventory was read from. */
  readonly files: string[];
  /** What the review could not read, with the file. */
  readonly unread: string[];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && !isUnresolved(value) ? value : undefined;
}

/** A template-linked policy's entity (`{ EntityType, EntityId }`), or null when the output does not hold it. */
function entityOf(value: unknown): { type: string; id: string } | null {
  const entity = value as { EntityType?: unknown; EntityId?: unknown } | undefined;
  const type = str(entity?.EntityType);
  const id = str(entity?.EntityId);
  return type !== undefined && id !== undefined ? { type, id } : null;
}

function tagsOf(t: ReviewTemplate, props: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const raw = props?.Tags;
  if (Array.isArray(raw)) {
    for (const tag of raw as Array<{ Key?: unknown; Value?: unknown }>) {
      const key = str(tag?.Key);
      const value = t.model.resolve(tag?.Value);
      if (key && typeof value === 'string') out[key] = value;
    }
  } else if (raw && typeof raw === 'object') {
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
      const resolved = t.model.resolve(value);
      if (typeof resolved === 'string') out[key] = resolved;
    }
  }
  return out;
}

function locationOf(t: ReviewTemplate, logicalId: string): ResourceLocation {
  return { file: t.file, logicalId, constructPath: t.model.pathOf(logicalId) };
}

function policyDocument(value: unknown): PolicyDocumentJson | undefined {
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (!value || typeof value !== 'object' || !('Statement' in value)) return undefined;
  const doc = value as PolicyDocumentJson;
  return { ...doc, Statement: asList(doc.Statement as StatementJson | StatementJson[]) };
}

/** The Lambda function ARN a REST API integration URI invokes. */
function functionArnOfIntegration(uri: unknown): string | undefined {
  const text = str(uri);
  return text ? /functions\/(arn:[^/]+:lambda:[^/]+:function:[^/]+?)\/invocations/.exec(text)?.[1] : undefined;
}

/** Reads the AWS side of the outputs: roles, secrets, keys, functions, APIs, policy stores, audit resources. */
export function awsInventory(outputs: AwsOutput[]): AwsInventory {
  const roles: RoleFacts[] = [];
  const secrets: SecretFacts[] = [];
  const keys: KeyFacts[] = [];
  const functions: FunctionFacts[] = [];
  const apis: ApiFacts[] = [];
  const policyStores: PolicyStoreFacts[] = [];
  const audit: AuditResourceFacts[] = [];
  const tagValues = new Map<string, Set<string>>();
  const unread: string[] = [];
  const templates = outputs.flatMap((o) => o.templates);
  const storeOf = new Map<unknown, Array<{ logicalId: string; store: PolicyStoreFacts }>>();

  for (const t of templates) {
    const { account, region, partition } = t.env;
    const props = (r: CfnResource) => (t.model.resolve(r.Properties ?? {}) ?? {}) as Record<string, unknown>;
    for (const [, resource] of Object.entries(t.model.resources)) {
      for (const [key, value] of Object.entries(tagsOf(t, props(resource)))) {
        if (!tagValues.has(key)) tagValues.set(key, new Set());
        tagValues.get(key)!.add(value);
      }
    }

    for (const role of t.model.roles()) {
      const resource = t.model.resources[role.logicalId];
      const p = props(resource);
      const name = role.roleName ?? `${t.env.stackName}-${role.logicalId}`;
      roles.push({
        arn: `arn:${partition}:iam::${account}:role${rolePath(p.Path)}${name}`,
        name,
        account,
        location: locationOf(t, role.logicalId),
        description: str(p.Description),
        trust: policyDocument(role.trust) ?? { Statement: [] },
        policies: role.policies.map((pol) => ({ name: pol.name ?? pol.logicalId, document: policyDocument(pol.document) ?? { Statement: [] } })),
        boundary: role.boundaryDocument ? policyDocument(role.boundaryDocument) : undefined,
        externalManagedPolicyArns: role.externalManagedPolicyArns,
        maxSessionSeconds: typeof p.MaxSessionDuration === 'number' ? p.MaxSessionDuration : 3600,
        tags: role.tags,
      });
      if (role.externalManagedPolicyArns.length > 0) {
        unread.push(`${t.file}: role ${name} has managed policies the output does not hold (${role.externalManagedPolicyArns.join(', ')}); they are not evaluated`);
      }
    }

    const keyOf = new Map<string, KeyFacts>();
    for (const [logicalId, resource] of t.model.ofType('AWS::KMS::Key')) {
      const p = props(resource);
      const key: KeyFacts = {
        arn: String(t.model.resolve({ 'Fn::GetAtt': [logicalId, 'Arn'] })),
        account,
        location: locationOf(t, logicalId),
        description: str(p.Description),
        aliases: [],
        policy: policyDocument(p.KeyPolicy) ?? { Statement: [] },
        tags: tagsOf(t, p),
      };
      keyOf.set(logicalId, key);
      keys.push(key);
    }
    for (const [, alias] of t.model.ofType('AWS::KMS::Alias')) {
      const target = t.model.targetOf(alias.Properties?.TargetKeyId);
      const targetArn = t.model.resolve(alias.Properties?.TargetKeyId);
      const key = target && target.model === t.model ? keyOf.get(target.logicalId) : keys.find((k) => k.arn === targetArn);
      const name = str(t.model.resolve(alias.Properties?.AliasName));
      if (key && name) (key.aliases as string[]).push(name);
    }

    const secretOf = new Map<string, SecretFacts>();
    for (const [logicalId, resource] of t.model.ofType('AWS::SecretsManager::Secret')) {
      const p = props(resource);
      const secret: SecretFacts = {
        arn: String(t.model.resolve({ Ref: logicalId })),
        name: str(p.Name) ?? `${t.env.stackName}-${logicalId}`,
        account,
        region,
        location: locationOf(t, logicalId),
        description: str(p.Description),
        kmsKeyArn: str(p.KmsKeyId),
        tags: tagsOf(t, p),
      };
      secretOf.set(logicalId, secret);
      secrets.push(secret);
    }
    const secretFor = (value: unknown): SecretFacts | undefined => {
      const target = t.model.targetOf(value);
      if (target && target.model === t.model) return secretOf.get(target.logicalId);
      const arn = t.model.resolve(value);
      return secrets.find((s) => s.arn === arn || s.name === arn);
    };
    for (const [, resource] of t.model.ofType('AWS::SecretsManager::ResourcePolicy')) {
      const secret = secretFor(resource.Properties?.SecretId);
      const policy = policyDocument(props(resource).ResourcePolicy);
      if (secret && policy) Object.assign(secret, { policy });
    }
    for (const [, resource] of t.model.ofType('AWS::SecretsManager::RotationSchedule')) {
      const secret = secretFor(resource.Properties?.SecretId);
      const p = props(resource);
      const rules = (p.RotationRules ?? {}) as Record<string, unknown>;
      const days = typeof rules.AutomaticallyAfterDays === 'number' ? rules.AutomaticallyAfterDays : undefined;
      if (secret) Object.assign(secret, { rotationDays: days, rotationFunctionArn: str(p.RotationLambdaARN) });
    }

    const permissions = t.model.ofType('AWS::Lambda::Permission').map(([logicalId, r]) => ({ logicalId, p: props(r) }));
    for (const [logicalId, resource] of t.model.ofType('AWS::Lambda::Function')) {
      const p = props(resource);
      const arn = String(t.model.resolve({ 'Fn::GetAtt': [logicalId, 'Arn'] }));
      const name = str(p.FunctionName) ?? `${t.env.stackName}-${logicalId}`;
      const environment: Record<string, string> = {};
      for (const [key, value] of Object.entries(((p.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables) ?? {})) {
        if (typeof value === 'string') environment[key] = value;
      }
      const statements: StatementJson[] = permissions
        .filter(({ p: perm }) => perm.FunctionName === arn || perm.FunctionName === name || perm.FunctionName === logicalId)
        .map(({ logicalId: sid, p: perm }) => lambdaPermissionStatement(sid, perm, arn));
      const assetDir = assetDirectory(t, resource);
      const routesFile = assetDir ? path.join(assetDir, ROUTES_FILE) : undefined;
      const routes = routesFile && fs.existsSync(routesFile) ? readJsonFile(routesFile, fs.readFileSync(routesFile, 'utf-8')) as RouterRoutes : undefined;
      functions.push({
        arn,
        name,
        account,
        region,
        location: locationOf(t, logicalId),
        description: str(p.Description),
        roleArn: str(p.Role),
        environment,
        routes,
        routesFile: routes ? routesFile : undefined,
        permissionPolicy: { Version: '2012-10-17', Statement: statements },
        tags: tagsOf(t, p),
      });
    }

    for (const [logicalId, resource] of t.model.ofType('AWS::ApiGateway::RestApi')) {
      const p = props(resource);
      const stages = [
        ...t.model.ofType('AWS::ApiGateway::Stage').filter(([, s]) => t.model.targetOf(s.Properties?.RestApiId)?.logicalId === logicalId)
          .map(([, s]) => str(t.model.resolve(s.Properties?.StageName))),
        ...t.model.ofType('AWS::ApiGateway::Deployment').filter(([, d]) => t.model.targetOf(d.Properties?.RestApiId)?.logicalId === logicalId)
          .map(([, d]) => str(t.model.resolve(d.Properties?.StageName))),
      ].filter((s): s is string => !!s);
      const methods: ApiMethodFacts[] = t.model.ofType('AWS::ApiGateway::Method')
        .filter(([, m]) => t.model.targetOf(m.Properties?.RestApiId)?.logicalId === logicalId)
        .map(([methodId, m]) => {
          const mp = props(m);
          const integration = (mp.Integration ?? {}) as Record<string, unknown>;
          return {
            httpMethod: String(mp.HttpMethod ?? 'ANY'),
            path: resourcePath(t, logicalId, m.Properties?.ResourceId),
            authorizationType: String(mp.AuthorizationType ?? 'NONE'),
            functionArn: functionArnOfIntegration(integration.Uri),
            location: locationOf(t, methodId),
          };
        });
      apis.push({
        id: logicalId,
        name: str(p.Name) ?? logicalId,
        account,
        region,
        partition,
        location: locationOf(t, logicalId),
        policy: policyDocument(p.Policy),
        stages: [...new Set(stages)],
        methods,
      });
    }

    for (const [logicalId, resource] of t.model.ofType('AWS::VerifiedPermissions::PolicyStore')) {
      const p = props(resource);
      const store: PolicyStoreFacts = {
        arn: String(t.model.resolve({ 'Fn::GetAtt': [logicalId, 'Arn'] })),
        id: logicalId,
        location: locationOf(t, logicalId),
        schemaJson: str((p.Schema as { CedarJson?: unknown } | undefined)?.CedarJson),
        policies: [],
        templates: [],
      };
      policyStores.push(store);
      storeOf.set(t.model, [...(storeOf.get(t.model) ?? []), { logicalId, store }]);
    }

    for (const [logicalId, resource] of t.model.ofType('AWS::CloudTrail::Trail')) {
      const name = String(t.model.resolve({ Ref: logicalId }));
      audit.push({ kind: 'trail', arn: `arn:${partition}:cloudtrail:${region}:${account}:trail/${name}`, name, account, location: locationOf(t, logicalId), tags: tagsOf(t, props(resource)) });
    }
    for (const [logicalId, resource] of t.model.ofType('AWS::Logs::LogGroup')) {
      const name = String(t.model.resolve({ Ref: logicalId }));
      audit.push({ kind: 'log group', arn: `arn:${partition}:logs:${region}:${account}:log-group:${name}`, name, account, location: locationOf(t, logicalId), tags: tagsOf(t, props(resource)) });
    }
    for (const [logicalId, resource] of t.model.ofType('AWS::S3::Bucket')) {
      const name = String(t.model.resolve({ Ref: logicalId }));
      const bucketPolicy = t.model.ofType('AWS::S3::BucketPolicy').find(([, bp]) => t.model.targetOf(bp.Properties?.Bucket)?.logicalId === logicalId);
      audit.push({
        kind: 'bucket',
        arn: `arn:${partition}:s3:::${name}`,
        name,
        account,
        location: locationOf(t, logicalId),
        policy: bucketPolicy ? policyDocument(props(bucketPolicy[1]).PolicyDocument) : undefined,
        tags: tagsOf(t, props(resource)),
      });
    }
  }

  // Policies and templates may sit in other stacks than their store (cell stacks): each names its store.
  const storeNamed = (t: ReviewTemplate, storeId: unknown) => {
    const target = t.model.targetOf(storeId);
    // A nested stack receives the store's id as a parameter: then its value names the store.
    const value = t.model.resolve(storeId);
    return target
      ? storeOf.get(target.model)?.find((s) => s.logicalId === target.logicalId)?.store
      : policyStores.find((s) => s.id === value || s.arn === value);
  };
  const templateOf = new Map<unknown, Map<string, CedarTemplateFacts>>();
  // A nested stack receives a template's id as a parameter: then its value names the template.
  const templateById = new Map<unknown, CedarTemplateFacts>();
  for (const t of templates) {
    for (const [logicalId, resource] of t.model.ofType('AWS::VerifiedPermissions::PolicyTemplate')) {
      const store = storeNamed(t, resource.Properties?.PolicyStoreId);
      const resolved = (t.model.resolve(resource.Properties ?? {}) ?? {}) as Record<string, unknown>;
      const statement = str(resolved.Statement);
      if (!store || !statement) {
        unread.push(`${t.file}: Cedar policy template ${logicalId} ${store ? 'has no statement the output holds' : 'names a policy store the output does not define'}; its links are not evaluated`);
        continue;
      }
      const facts: CedarTemplateFacts = { id: logicalId, description: str(resolved.Description), statement, location: locationOf(t, logicalId) };
      (store.templates as CedarTemplateFacts[]).push(facts);
      if (!templateOf.has(t.model)) templateOf.set(t.model, new Map());
      templateOf.get(t.model)!.set(logicalId, facts);
      templateById.set(t.model.resolve({ 'Fn::GetAtt': [logicalId, 'PolicyTemplateId'] }), facts);
    }
  }
  for (const t of templates) {
    for (const [policyId, pol] of t.model.ofType('AWS::VerifiedPermissions::Policy')) {
      const store = storeNamed(t, pol.Properties?.PolicyStoreId);
      if (!store) {
        unread.push(`${t.file}: Cedar policy ${policyId} names a policy store the output does not define; it is not evaluated`);
        continue;
      }
      const { id, grant } = cedarPolicyLabel(t.model.pathOf(policyId) || policyId);
      const location = locationOf(t, policyId);
      type Linked = { PolicyTemplateId?: unknown; Principal?: unknown; Resource?: unknown };
      const definition = (pol.Properties?.Definition ?? {}) as { Static?: unknown; TemplateLinked?: Linked };
      if (definition.Static !== undefined) {
        const resolved = (t.model.resolve(definition.Static) ?? {}) as { Statement?: unknown; Description?: unknown };
        const statement = str(resolved.Statement);
        if (!statement) {
          unread.push(`${t.file}: Cedar policy ${policyId} has no statement the output holds; it is not evaluated`);
          continue;
        }
        (store.policies as CedarPolicyFacts[]).push({ id, grant, description: str(resolved.Description), statement, location });
        continue;
      }
      const linked = definition.TemplateLinked;
      const target = linked ? t.model.targetOf(linked.PolicyTemplateId) : undefined;
      const template = target ? templateOf.get(target.model)?.get(target.logicalId)
        : linked && templateById.get(t.model.resolve(linked.PolicyTemplateId));
      const principal = linked?.Principal === undefined ? undefined : entityOf(t.model.resolve(linked.Principal));
      const resource = linked?.Resource === undefined ? undefined : entityOf(t.model.resolve(linked.Resource));
      if (!template || principal === null || resource === null) {
        const what = linked ? 'linked to a template, or to entities, the output does not hold' : 'neither static nor template-linked';
        unread.push(`${t.file}: Cedar policy ${policyId} is ${what}; it is not evaluated`);
        continue;
      }
      const statement = GatewayCedarModel.linkedStatement(template.statement, {
        id,
        grant,
        templateId: template.id,
        principal: principal ? { entityType: principal.type, entityId: principal.id } : undefined,
        resource: resource ? { entityType: resource.type, entityId: resource.id } : undefined,
      });
      (store.policies as CedarPolicyFacts[]).push({
        id,
        grant,
        description: template.description,
        statement,
        location,
        link: { template: template.id, ...(principal ? { principal } : {}), ...(resource ? { resource } : {}) },
      });
    }
  }

  return {
    roles,
    secrets,
    keys,
    functions,
    apis,
    policyStores,
    audit,
    deploymentRoleArns: [...new Set(outputs.flatMap((o) => o.deploymentRoleArns))],
    tagValues,
    files: templates.map((t) => t.file),
    unread,
  };
}

/** A Lambda permission as the statement of the function's resource policy it adds. */
function lambdaPermissionStatement(sid: string, perm: Record<string, unknown>, functionArn: string): StatementJson {
  const principal = String(perm.Principal ?? '');
  const condition: Record<string, Record<string, unknown>> = {};
  if (typeof perm.SourceArn === 'string') condition.ArnLike = { 'aws:SourceArn': perm.SourceArn };
  if (typeof perm.SourceAccount === 'string') condition.StringEquals = { 'aws:SourceAccount': perm.SourceAccount };
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: principal.endsWith('.amazonaws.com') || principal.endsWith('.amazonaws.com.cn') ? { Service: principal } : { AWS: principal === '*' ? '*' : principal },
    Action: String(perm.Action ?? 'lambda:InvokeFunction'),
    Resource: functionArn,
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
}

/** The code asset directory of a function in the cloud assembly (`asset.<hash>`), if it is there. */
function assetDirectory(t: ReviewTemplate, resource: CfnResource): string | undefined {
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (typeof assetPath === 'string') {
    const full = path.join(t.assemblyDirectory, assetPath);
    if (fs.existsSync(full) && fs.statSync(full).isDirectory()) return full;
  }
  const key = (resource.Properties?.Code as { S3Key?: unknown } | undefined)?.S3Key;
  const hash = typeof key === 'string' ? /([0-9a-f]{64})\.zip$/.exec(key)?.[1] : undefined;
  if (hash) {
    const full = path.join(t.assemblyDirectory, `asset.${hash}`);
    if (fs.existsSync(full) && fs.statSync(full).isDirectory()) return full;
  }
  return undefined;
}

/** The path of an API Gateway resource, from its `PathPart`s up to the API's root. */
function resourcePath(t: ReviewTemplate, apiId: string, resourceId: unknown): string {
  const parts: string[] = [];
  let current = resourceId;
  for (let depth = 0; depth < 64; depth++) {
    const getAtt = (current as { 'Fn::GetAtt'?: unknown[] } | undefined)?.['Fn::GetAtt'];
    if (Array.isArray(getAtt) && getAtt[0] === apiId && getAtt[1] === 'RootResourceId') break;
    const target = t.model.targetOf(current);
    const resource = target ? t.model.resources[target.logicalId] : undefined;
    if (!resource || resource.Type !== 'AWS::ApiGateway::Resource') break;
    parts.unshift(String(t.model.resolve(resource.Properties?.PathPart)));
    current = resource.Properties?.ParentId;
  }
  return `/${parts.join('/')}`;
}

/** The roles of the inventory whose ARN a pattern matches. */
export function rolesMatching(inventory: AwsInventory, pattern: string): RoleFacts[] {
  return inventory.roles.filter((r) => arnMatches(pattern, r.arn));
}
