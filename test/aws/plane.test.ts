import * as cdk from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import {
  AuditLockMode, GatewayAwsPlane, GatewayAwsPlaneProps, GatewayCedarModel, GatewayBlueprint, GatewayNaming, GatewaySpec,
  ProviderKeyRotation, VaultEdition, VaultServerIdentity,
} from '../../src';
import { GatewayPolicyStore } from '../../src/aws/policy-store';
import { cedarPolicySet, validatePolicyStore } from '../../src/aws/private/cedar-validation';
import { cedarEngine } from '../../src/spec/private/cedar-policy-set';
import { synthesizeAwsPlane } from '../support/aws-example';

const VAULT = VaultServerIdentity.fromRoleArn('arn:aws:iam::111122223333:role/acme-vault-server');
const OWNERSHIP_TAGS = [
  GatewayNaming.GATEWAY_TAG, GatewayNaming.POLICY_OWNER_TAG, GatewayNaming.OPERATIONS_OWNER_TAG, GatewayNaming.CREDENTIAL_OWNER_TAG,
];

/** A plane with the example spec and the given props (manual rotation unless told otherwise). */
function planeWith(props: Partial<GatewayAwsPlaneProps> = {}, spec: GatewaySpec = exampleSpec) {
  return synthesizeAwsPlane(spec, (stack, s) => new GatewayAwsPlane(stack, 'Gateway', {
    spec: s,
    vaultServer: VAULT,
    providerKeyRotation: { 'research/openai': ProviderKeyRotation.manual() },
    ...props,
  }));
}

describe('roles', () => {
  const { template, plane, stackTemplates } = synthesizeAwsPlane();
  const roles = Object.values(template.findResources('AWS::IAM::Role'));

  test('every role: one-hour sessions, a description, no inline or AWS-managed policy, a chain-position tag', () => {
    // Router, broker, verifier and target roles; the audit replication, trail delivery, key-age check and API deployer roles.
    expect(roles.length).toBe(10);
    for (const role of roles) {
      expect(role.Properties.MaxSessionDuration).toBe(3600);
      expect(role.Properties.Description.length).toBeGreaterThan(40);
      expect(role.Properties.Policies).toBeUndefined();
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      const tags = Object.fromEntries(role.Properties.Tags.map((t: { Key: string; Value: string }) => [t.Key, t.Value]));
      expect(['router', 'broker', 'target', 'verifier', 'service']).toContain(tags[GatewayNaming.ROLE_TAG]);
    }
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  const tenantOf = (r: { [key: string]: any }) => r.Properties.Tags.find((t: { Key: string }) => t.Key === GatewayNaming.TENANT_TAG)?.Value;
  const inPosition = (position: string) => roles.filter((r) => r.Properties.Tags
    .some((t: { Key: string; Value: string }) => t.Key === GatewayNaming.ROLE_TAG && t.Value === position));

  test('target roles carry their tenant', () => {
    expect(inPosition('target').map((r) => [r.Properties.RoleName, tenantOf(r)]).sort()).toEqual([
      ['acme-llm-research-key-openai', 'research'],
      ['acme-llm-research-models', 'research'],
      ['acme-llm-support-models', 'support'],
    ]);
  });

  test('one router role per tenant with a target, each carrying its tenant, in its tenant\'s cell stack', () => {
    expect(inPosition('router').map((r) => [r.Properties.RoleName, tenantOf(r)]).sort()).toEqual([
      ['acme-llm-research-router', 'research'],
      ['acme-llm-support-router', 'support'],
    ]);
    // The plane lists them in tenant order, whatever stack each lives in.
    expect(plane.routerRoles.map((r) => r.tenantId)).toEqual(['support', 'research']);
    for (const tenant of ['support', 'research']) {
      const cellRoles = Object.values(stackTemplates[plane.cellStackOf(tenant).stackName].Resources as Record<string, any>)
        .filter((r) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName.endsWith('-router'));
      expect(cellRoles.map((r) => r.Properties.RoleName)).toEqual([`acme-llm-${tenant}-router`]);
    }
  });

  test('a permissions boundary applies to every role the plane creates', () => {
    const boundaryArn = 'arn:aws:iam::111122223333:policy/acme-workload-boundary';
    const { template: bounded } = synthesizeAwsPlane(exampleSpec, (stack, s) => new GatewayAwsPlane(stack, 'Gateway', {
      spec: s,
      vaultServer: VAULT,
      providerKeyRotation: { 'research/openai': ProviderKeyRotation.manual() },
      permissionsBoundary: iam.ManagedPolicy.fromManagedPolicyArn(stack, 'Boundary', boundaryArn),
    }));
    const all = Object.values(bounded.findResources('AWS::IAM::Role'));
    expect(all.length).toBe(10); // plus the key-age check's role
    for (const role of all) expect(role.Properties.PermissionsBoundary).toBe(boundaryArn);
  });

  test('with workload identity federation, the broker trusts exactly the audience on Vault\'s issuer', () => {
    const { template: federated } = planeWith({
      vaultServer: VaultServerIdentity.fromWorkloadIdentityFederation({
        oidcProviderArn: 'arn:aws:iam::111122223333:oidc-provider/vault.acme.example/v1/identity/oidc/plugins',
        audience: 'gateward-acme-llm',
        subjects: ['plugin-identity:root:secret:aws_1a2b3c4d'],
      }),
    }, {
      ...exampleSpec,
      // Both planes read the audience from the spec; federation needs Vault Enterprise 1.17+.
      vault: { ...exampleSpec.vault!, edition: VaultEdition.ENTERPRISE, version: '1.17.0', workloadIdentityAudience: 'gateward-acme-llm' },
    });
    federated.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'acme-llm-broker',
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRoleWithWebIdentity',
          Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/vault.acme.example/v1/identity/oidc/plugins' },
          Condition: {
            StringEquals: {
              'vault.acme.example/v1/identity/oidc/plugins:aud': 'gateward-acme-llm',
              'vault.acme.example/v1/identity/oidc/plugins:sub': ['plugin-identity:root:secret:aws_1a2b3c4d'],
            },
          },
        }],
      },
    });
  });
});

describe('ownership', () => {
  test('every resource that can carry tags carries the gateway and its three owners', () => {
    const { stack, plane, stackTemplates } = planeWith();
    // The shared stack and every cell stack: each resource is read from its own stack's template.
    const stacks = [stack, ...plane.cellStacks];
    expect(plane.cellStacks.length).toBe(2);
    const taggable = stacks.flatMap((s) => s.node.findAll().filter((c): c is cdk.CfnResource => cdk.CfnResource.isCfnResource(c)))
      .filter((c) => cdk.TagManager.isTaggable(c) || cdk.TagManager.isTaggableV2(c));
    expect(taggable.length).toBeGreaterThan(20);
    expect(taggable.filter((c) => cdk.Stack.of(c) !== stack).length).toBeGreaterThan(5);
    for (const resource of taggable) {
      const own = cdk.Stack.of(resource);
      const rendered = stackTemplates[own.stackName].Resources[own.getLogicalId(resource)].Properties?.Tags;
      const keys = Array.isArray(rendered) ? rendered.map((t: { Key: string }) => t.Key) : Object.keys((rendered ?? {}) as object);
      expect({ type: resource.cfnResourceType, keys: OWNERSHIP_TAGS.filter((k) => keys.includes(k)) })
        .toEqual({ type: resource.cfnResourceType, keys: OWNERSHIP_TAGS });
    }
  });
});

describe('provider keys', () => {
  test('the template never holds a key: the secret starts as a random placeholder and is kept on deletion', () => {
    const { template } = synthesizeAwsPlane();
    template.hasResource('AWS::SecretsManager::Secret', {
      Properties: {
        Name: 'gateward/acme-llm/research/openai',
        KmsKeyId: Match.anyValue(),
        GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
        SecretString: Match.absent(),
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toMatch(/sk-[A-Za-z0-9]{20}|AKIA[0-9A-Z]{16}|hvs\.[A-Za-z0-9_-]{20}|BEGIN [A-Z ]*PRIVATE KEY/);
  });

  test('the secret says what its value is: the key and the endpoint it is bound to, as JSON', () => {
    const { template } = synthesizeAwsPlane();
    const secret = Object.values(template.findResources('AWS::SecretsManager::Secret', { Properties: { Name: 'gateward/acme-llm/research/openai' } }))[0] as any;
    expect(secret.Properties.Description).toMatch(/ Value: JSON \{"apiKey": "<key>", "endpoint": "https:\/\/<provider API base URL>"\}; the router sends the key to that endpoint only\.$/);
  });

  test('with a rotation function: rotated on the spec\'s period by that function, which Secrets Manager may invoke for this secret only', () => {
    const { template, plane, stack, stackTemplates } = synthesizeAwsPlane();
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      RotationLambdaARN: 'arn:aws:lambda:us-east-1:111122223333:function:acme-openai-key-rotation',
      RotationRules: { AutomaticallyAfterDays: 30 },
      RotateImmediatelyOnUpdate: false,
    });
    // The function is shared (in the plane's stack), the secret is in its tenant's cell stack: the
    // permission names the secret by its derived ARN, whose six-character suffix only this secret's name fits.
    const permissions = (name: string) => Object.values(stackTemplates[name].Resources as Record<string, any>)
      .filter((r) => r.Type === 'AWS::Lambda::Permission' && r.Properties.Principal === 'secretsmanager.amazonaws.com').map((r) => r.Properties);
    expect(permissions(stack.stackName)).toEqual([{
      Action: 'lambda:InvokeFunction',
      FunctionName: 'arn:aws:lambda:us-east-1:111122223333:function:acme-openai-key-rotation',
      Principal: 'secretsmanager.amazonaws.com',
      SourceAccount: '111122223333',
      SourceArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:gateward/acme-llm/research/openai-??????',
    }]);
    const cell = stackTemplates[plane.cellStackOf('research').stackName];
    expect(Object.values(cell.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::SecretsManager::RotationSchedule')).toHaveLength(1);
    expect(Object.values(cell.Resources as Record<string, any>).find((r) => r.Type === 'AWS::SecretsManager::Secret').Properties.Name).toBe('gateward/acme-llm/research/openai');
  });

  test('in manual mode: no rotation is claimed, and an alarm fires when the key is older than its period', () => {
    const { template } = planeWith();
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'KeyAgeDays',
      Namespace: 'Gateward/ProviderKeys',
      Dimensions: Match.arrayWith([{ Name: 'SecretName', Value: 'gateward/acme-llm/research/openai' }]),
      Threshold: 30,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: Match.anyValue() }],
    });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 day)' });
    // The check reads version dates, never key values.
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      ManagedPolicyName: 'acme-llm-key-age-check-permissions',
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'secretsmanager:ListSecretVersionIds' })]) },
    });
    const checkPolicy = Object.values(template.findResources('AWS::IAM::ManagedPolicy', { Properties: { ManagedPolicyName: 'acme-llm-key-age-check-permissions' } }))[0];
    expect(JSON.stringify(checkPolicy)).not.toContain('GetSecretValue');
  });

  test('the period of a key comes from the spec', () => {
    const spec = { ...exampleSpec, tenants: [exampleSpec.tenants[0], { ...exampleSpec.tenants[1], providerKeys: [{ id: 'openai', provider: 'openai', rotationPeriodDays: 7 }] }] };
    planeWith({}, spec).template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'KeyAgeDays', Threshold: 7 });
  });
});

describe('keys', () => {
  test('every KMS key rotates, and no key policy lets the account use a key through IAM alone', () => {
    const { template } = planeWith();
    const keys = Object.values(template.findResources('AWS::KMS::Key'));
    expect(keys.length).toBe(3);
    for (const key of keys) {
      expect(key.Properties.EnableKeyRotation).toBe(true);
      for (const statement of key.Properties.KeyPolicy.Statement) {
        const actions = [statement.Action].flat();
        expect(actions).not.toContain('kms:*');
      }
    }
  });
});

describe('audit sinks', () => {
  const { template } = synthesizeAwsPlane();

  test('a trail with log-file validation and a customer-managed key, recording the policy store\'s decisions', () => {
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      TrailName: 'acme-llm-audit',
      EnableLogFileValidation: true,
      IsLogging: true,
      KMSKeyId: Match.anyValue(),
      S3BucketName: { Ref: Match.stringLikeRegexp('AuditBucketsAuditBucket') },
      CloudWatchLogsLogGroupArn: Match.anyValue(),
      AdvancedEventSelectors: Match.arrayWith([Match.objectLike({
        FieldSelectors: Match.arrayWith([
          { Field: 'resources.type', Equals: ['AWS::VerifiedPermissions::PolicyStore'] },
          { Field: 'resources.ARN', Equals: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('PolicyStore'), 'Arn'] }] },
        ]),
      })]),
    });
  });

  test('audit buckets: Object Lock for 365 days in compliance mode, versioned, encrypted with the key, closed, access-logged, replicated', () => {
    for (const bucket of ['acme-llm-audit-111122223333-us-east-1', 'acme-llm-audit-copy-111122223333-us-east-1']) {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: bucket,
        ObjectLockEnabled: true,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } } },
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LoggingConfiguration: { DestinationBucketName: 'acme-s3-access-logs-111122223333-us-east-1' },
      });
    }
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'acme-llm-audit-111122223333-us-east-1',
      ReplicationConfiguration: { Rules: [Match.objectLike({ Status: 'Enabled', Destination: Match.objectLike({ Bucket: 'arn:aws:s3:::acme-llm-audit-copy-111122223333-us-east-1' }) })] },
    });
  });

  test('TLS only, and nobody deletes a log', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Match.stringLikeRegexp('AuditBucket') },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Sid: 'NobodyDeletesAuditLogs', Effect: 'Deny', Principal: { AWS: '*' } }),
        ]),
      },
    });
  });

  test('retention and lock mode are configurable', () => {
    planeWith({ auditRetentionDays: 400, auditLockMode: AuditLockMode.GOVERNANCE }).template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'acme-llm-audit-111122223333-us-east-1',
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 400 } } },
    });
  });

  test('the decision log: encrypted, kept a year, masking secrets', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/gateward/acme-llm/decisions',
      RetentionInDays: 365,
      KmsKeyId: Match.anyValue(),
      DataProtectionPolicy: Match.objectLike({
        Statement: Match.arrayWith([Match.objectLike({
          Operation: { Deidentify: { MaskConfig: {} } },
          DataIdentifier: Match.arrayWith(['AwsAccessKeyId', 'VaultToken', 'ProviderApiKey', 'BearerToken']),
        })]),
      }),
    });
    const policy = JSON.stringify(Object.values(template.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: '/gateward/acme-llm/decisions' } }))[0]);
    for (const managed of ['AwsSecretKey', 'OpenSshPrivateKey', 'PgpPrivateKey', 'PkcsPrivateKey', 'PuttyPrivateKey']) {
      expect(policy).toContain(`:data-identifier/${managed}`);
    }
  });
});

describe('policy store', () => {
  test('STRICT, deletion-protected, with the generated schema and exactly the generated policies, templates and links', () => {
    const { template, plane, stack, stackTemplates } = synthesizeAwsPlane();
    template.hasResourceProperties('AWS::VerifiedPermissions::PolicyStore', {
      ValidationSettings: { Mode: 'STRICT' },
      DeletionProtection: { Mode: 'ENABLED' },
      Schema: { CedarJson: GatewayCedarModel.schemaJson() },
    });
    const blueprint = GatewayBlueprint.fromSpec(exampleSpec);
    const storeId = Object.keys(template.findResources('AWS::VerifiedPermissions::PolicyStore'))[0];
    const templates = template.findResources('AWS::VerifiedPermissions::PolicyTemplate');
    expect(Object.values(templates).map((t) => [t.Properties.Statement, t.Properties.Description]))
      .toEqual(GatewayCedarModel.templates().map((t) => [t.statement, t.description]));
    // What each policy stands for: a static statement, or its template's with the slots filled.
    const statementOf = (p: any) => {
      if (p.Properties.Definition.Static) return p.Properties.Definition.Static.Statement;
      const linked = p.Properties.Definition.TemplateLinked;
      const [templateId] = linked.PolicyTemplateId['Fn::GetAtt'];
      const entity = (e: any) => (e ? { entityType: e.EntityType, entityId: e.EntityId } : undefined);
      const link = { id: '', grant: '', templateId, principal: entity(linked.Principal), resource: entity(linked.Resource) };
      return GatewayCedarModel.linkedStatement(templates[templateId].Properties.Statement, link);
    };
    const policies = Object.values(template.findResources('AWS::VerifiedPermissions::Policy'));
    expect(policies.map(statementOf).sort()).toEqual(GatewayCedarModel.policies(blueprint).map((p) => p.statement).sort());
    // Every policy and template, in whichever stack, belongs to the one shared store.
    for (const resource of [...policies, ...Object.values(templates)]) expect(resource.Properties.PolicyStoreId).toEqual({ 'Fn::GetAtt': [storeId, 'PolicyStoreId'] });
    // The gateway-wide policies and the templates stay with the store; each tenant's links live in its cell stack, in order.
    const resourcesIn = (name: string, type: string) => Object.values(stackTemplates[name].Resources as Record<string, any>)
      .filter((r) => r.Type === type);
    expect(resourcesIn(stack.stackName, 'AWS::VerifiedPermissions::Policy').map((p) => p.Properties.Definition.Static.Statement))
      .toEqual(GatewayCedarModel.gatewayPolicies().map((p) => p.statement));
    expect(resourcesIn(stack.stackName, 'AWS::VerifiedPermissions::PolicyTemplate')).toHaveLength(GatewayCedarModel.templates().length);
    // Created side by side: the templates add no link to the deployment's longest chain.
    for (const t of Object.values(templates)) expect(t.DependsOn).toBeUndefined();
    const merged = Object.entries(template.findResources('AWS::VerifiedPermissions::Policy'));
    for (const tenant of ['support', 'research']) {
      const cell = stackTemplates[plane.cellStackOf(tenant).stackName];
      const inCell = merged.filter(([logicalId]) => logicalId in cell.Resources).map(([, p]) => p);
      expect(inCell.map(statementOf)).toEqual(GatewayCedarModel.tenantPolicies(blueprint, tenant).map((p) => p.statement));
      // The cell imports the templates' ids from the plane's stack.
      for (const [, p] of Object.entries(cell.Resources as Record<string, any>).filter(([, r]) => r.Type === 'AWS::VerifiedPermissions::Policy')) {
        expect(p.Properties.Definition.TemplateLinked.PolicyTemplateId).toEqual({ 'Fn::ImportValue': expect.stringContaining('PolicyTemplate') });
      }
    }
  });

  test('each grant is one link per resource, under the grant\'s construct in its tenant\'s cell', () => {
    const { template } = synthesizeAwsPlane();
    const links = Object.values(template.findResources('AWS::VerifiedPermissions::Policy'))
      .filter((p) => p.Properties.Definition.TemplateLinked).map((p) => p.Metadata['aws:cdk:path'] as string);
    expect(links).toContainEqual(expect.stringMatching(/\/Tenant-support\/Policy-permit-support-invoke-model\/anthropic\.claude-3-5-haiku-20241022-v1:0$/));
    expect(links).toContainEqual(expect.stringMatching(/\/Tenant-research\/Policy-permit-research-use-provider-key\/openai$/));
  });

  test('the plane\'s stack exports every template\'s id, linked by a cell or not, so no suspension adds or removes an export', () => {
    const { stack, stackTemplates } = synthesizeAwsPlane();
    const exported = Object.values(stackTemplates[stack.stackName].Outputs as Record<string, any>)
      .filter((o) => o.Value?.['Fn::GetAtt']?.[1] === 'PolicyTemplateId');
    expect(exported).toHaveLength(GatewayCedarModel.templates().length);
  });

  test('a link of a template to entities its actions do not apply to fails synthesis, naming the link', () => {
    const store = new GatewayPolicyStore(new cdk.Stack(new cdk.App(), 'S'), 'Store', { blueprint: GatewayBlueprint.fromSpec(exampleSpec) });
    const contents = { policies: store.policies, templates: store.templates, links: store.links };
    expect(validatePolicyStore(store.schemaJson, contents)).toEqual([]);
    const wrong = {
      id: 'permit-support-invoke-model/web-search',
      grant: 'permit-support-invoke-model',
      templateId: 'permit-invoke-model',
      principal: { entityType: 'Gateward::Tenant', entityId: 'support' },
      resource: { entityType: 'Gateward::Tool', entityId: 'web-search' },
    };
    const unknownType = { ...wrong, id: 'permit-support-invoke-model/x', resource: { entityType: 'Gateward::Gadget', entityId: 'x' } };
    const noTemplate = { ...wrong, id: 'permit-support-nothing/x', templateId: 'permit-nothing' };
    expect(validatePolicyStore(store.schemaJson, { ...contents, links: [...contents.links, wrong, unknownType] })).toEqual([
      expect.stringMatching(/^Cedar template-linked policy "permit-support-invoke-model\/x" is invalid against the gateway schema: .*Gateward::Gadget/),
      expect.stringMatching(/^Cedar template-linked policy "permit-support-invoke-model\/web-search" can never apply/),
      expect.stringMatching(/^Cedar template-linked policy "permit-support-invoke-model\/x" can never apply/),
    ]);
    expect(validatePolicyStore(store.schemaJson, { ...contents, links: [...contents.links, noTemplate] }))
      .toEqual(['Cedar template-linked policy "permit-support-nothing/x" links template "permit-nothing", which the store does not hold.']);
  });

  test('links are validated once per kind, and every link of a kind that fails is named', () => {
    const store = new GatewayPolicyStore(new cdk.Stack(new cdk.App(), 'S'), 'Store', { blueprint: GatewayBlueprint.fromSpec(exampleSpec) });
    const contents = { policies: store.policies, templates: store.templates, links: store.links };
    const toolIn = (id: string, tool: string) => ({
      id,
      grant: 'permit-support-invoke-model',
      templateId: 'permit-invoke-model',
      principal: { entityType: 'Gateward::Tenant', entityId: 'support' },
      resource: { entityType: 'Gateward::Tool', entityId: tool },
    });
    const first = toolIn('permit-support-invoke-model/a', 'web-search');
    const second = toolIn('permit-support-invoke-model/b', 'calculator');
    expect(validatePolicyStore(store.schemaJson, { ...contents, links: [...contents.links, first, second] })).toEqual([
      expect.stringMatching(/^Cedar template-linked policy "permit-support-invoke-model\/a" can never apply/),
      expect.stringMatching(/^Cedar template-linked policy "permit-support-invoke-model\/b" can never apply/),
    ]);
  });

  test('Cedar\'s verdict on a link depends on its template and entity types, not on its ids, as validating one link of each kind assumes', () => {
    const store = new GatewayPolicyStore(new cdk.Stack(new cdk.App(), 'S'), 'Store', { blueprint: GatewayBlueprint.fromSpec(exampleSpec) });
    const modelLinks = store.links.filter((l) => l.resource?.entityType === 'Gateward::Model');
    const wrongKind = modelLinks.map((l, i) => ({ ...l, id: `${l.id}/as-tool-${i}`, resource: { entityType: 'Gateward::Tool', entityId: `tool-${i}` } }));
    const links = [...store.links, ...wrongKind];
    // Even a schema that lists a type's ids: Cedar checks entity literals against it, not a link's slots.
    const schema = JSON.parse(store.schemaJson);
    (Object.values(schema)[0] as { entityTypes: Record<string, unknown> }).entityTypes.Model = { enum: [modelLinks[0].resource!.entityId] };
    for (const schemaJson of [store.schemaJson, JSON.stringify(schema)]) {
      // The engine over every link, each on its own.
      const answer = cedarEngine().validate({
        schema: JSON.parse(schemaJson),
        policies: cedarPolicySet({ policies: store.policies, templates: store.templates, links }),
        validationSettings: { mode: 'strict' },
      });
      if (answer.type !== 'success') throw new Error(JSON.stringify(answer));
      const flagged = [...answer.validationErrors, ...answer.validationWarnings]
        .map((e) => e.policyId).filter((id) => links.some((l) => l.id === id));
      const named = validatePolicyStore(schemaJson, { policies: store.policies, templates: store.templates, links }).map((p) => /"([^"]+)"/.exec(p)![1]);
      expect(new Set(named)).toEqual(new Set(flagged));
      expect(named.length).toBe(flagged.length);
    }
    expect(wrongKind.length).toBeGreaterThan(1);
  });

  test('every part that does not parse is named, not only the first', () => {
    const store = new GatewayPolicyStore(new cdk.Stack(new cdk.App(), 'S'), 'Store', { blueprint: GatewayBlueprint.fromSpec(exampleSpec) });
    const problems = validatePolicyStore(store.schemaJson, {
      policies: [...store.policies, { id: 'a', description: 'x', statement: 'permit (principal, action, resource' }, { id: 'b', description: 'x', statement: 'forbid (principal action, resource);' }],
      templates: [...store.templates, { id: 'c', description: 'x', statement: 'permit (principal == ?principal, action, resource == ?resourc);' }],
      links: store.links,
    });
    expect(problems).toEqual([
      expect.stringMatching(/^Cedar policy "a" does not parse/),
      expect.stringMatching(/^Cedar policy "b" does not parse/),
      expect.stringMatching(/^Cedar policy template "c" does not parse/),
    ]);
  });

  test('an added policy that does not fit the schema fails synthesis, naming the policy', () => {
    expect(() => planeWith({
      additionalPolicies: [{ id: 'allow-admins', description: 'Admins may do anything.', statement: 'permit (principal in Gateward::Group::"admins", action, resource);' }],
    })).toThrow(/Cedar policy "allow-admins" is invalid against the gateway schema: .*unrecognized entity type `Gateward::Group`/);
  });

  test('an added policy that does not parse fails synthesis, naming the policy', () => {
    expect(() => planeWith({
      additionalPolicies: [{ id: 'typo', description: 'A typo.', statement: 'permit (principal, action, resource' }],
    })).toThrow(/Cedar policy "typo" does not parse/);
  });

  test('an added policy that fits the schema is deployed', () => {
    const statement = 'forbid (principal, action == Gateward::Action::"CallTool", resource == Gateward::Tool::"web-search");';
    const { template } = planeWith({ additionalPolicies: [{ id: 'no-web-search', description: 'Web search is off for now.', statement }] });
    template.hasResourceProperties('AWS::VerifiedPermissions::Policy', { Definition: { Static: { Statement: statement } } });
  });
});

describe('bad props fail with one clear error that lists every problem', () => {
  function errorOf(props: Partial<GatewayAwsPlaneProps>, spec: GatewaySpec = exampleSpec, env = { account: '111122223333', region: 'us-east-1' }): string {
    const app = new cdk.App();
    const stack = new cdk.Stack(app, 'S', { env });
    try {
      new GatewayAwsPlane(stack, 'Gateway', { spec, vaultServer: VAULT, providerKeyRotation: { 'research/openai': ProviderKeyRotation.manual() }, ...props });
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('expected the plane to refuse its props');
  }
  const withKey = (key: Record<string, unknown>) => ({ ...exampleSpec, tenants: [exampleSpec.tenants[0], { ...exampleSpec.tenants[1], providerKeys: [{ id: 'openai', provider: 'openai', ...key }] }] });

  test.each<[string, () => string, RegExp]>([
    ['rotation above 90 days', () => errorOf({}, withKey({ rotationPeriodDays: 120 })), /spec\.tenants\[1\]\.providerKeys\[0\]\.rotationPeriodDays: must be between 1 and 90 days \(got 120\)/],
    ['audit retention below 90 days', () => errorOf({ auditRetentionDays: 30 }), /props\.auditRetentionDays: audit logs are locked for at least 90 days \(got 30\)/],
    ['decision log retention below 90 days', () => errorOf({ decisionLogRetention: logs.RetentionDays.ONE_MONTH }), /props\.decisionLogRetention: the decision log is kept at least 90 days .*\(got 30\)/],
    ['endless decision log retention', () => errorOf({ decisionLogRetention: logs.RetentionDays.INFINITE }), /props\.decisionLogRetention: .*finite time/],
    ['a wildcard model id', () => errorOf({}, { ...exampleSpec, tenants: [{ ...exampleSpec.tenants[0], foundationModels: ['anthropic.*'] }, exampleSpec.tenants[1]] }),
      /spec\.tenants\[0\]\.foundationModels\[0\]: contains a wildcard/],
    ['a missing Vault identity', () => errorOf({ vaultServer: undefined }), /props\.vaultServer: the broker role needs the Vault server's identity to trust/],
    ['a provider key without a rotation choice', () => errorOf({ providerKeyRotation: {} }), /props\.providerKeyRotation\["research\/openai"\]: provider key research\/openai has no rotation/],
    ['a rotation for a key that does not exist', () => errorOf({ providerKeyRotation: { 'research/openai': ProviderKeyRotation.manual(), 'research/opnai': ProviderKeyRotation.manual() } }),
      /props\.providerKeyRotation\["research\/opnai"\]: names no provider key of the spec.*use one of "research\/openai"/],
    ['a rotation function with no known role', () => errorOf({ providerKeyRotation: { 'research/openai': ProviderKeyRotation.withFunction(lambda.Function.fromFunctionArn(new cdk.Stack(), 'F', 'arn:aws:lambda:us-east-1:111122223333:function:f')) } }),
      /execution role is unknown/],
    ['a stack in another account', () => errorOf({}, exampleSpec, { account: '999999999999', region: 'us-east-1' }), /spec\.aws\.account: the stack is deployed to account 999999999999/],
  ])('%s', (_name, run, message) => {
    expect(run()).toMatch(message);
  });

  test('all at once, in one error', () => {
    const message = errorOf({ vaultServer: undefined, auditRetentionDays: 30 }, withKey({ rotationPeriodDays: 120 }));
    expect(message).toMatch(/^GatewayAwsPlane "acme-llm" is invalid \(3 problems\):/);
    expect(message.split('\n')).toHaveLength(4);
  });
});
