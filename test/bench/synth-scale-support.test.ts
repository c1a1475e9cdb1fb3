import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { AssemblyModel, readAssembly, resourcesOf } from '../../bench/support/assembly';
import { dependencyGraph, longestChain } from '../../bench/support/dependency-graph';
import { gatewayApp, withoutCloudFormationValidation } from '../../bench/support/gateway-app';
import { estimateValue, referencesIn } from '../../bench/support/intrinsics';
import { measureQuotas, resourceScope } from '../../bench/support/quotas';
import { rawApp } from '../../bench/support/raw-app';
import { typedL1App } from '../../bench/support/typed-l1-app';
import { scaleRotations, scaleSpec, scaleTenant } from '../support/scale-spec';

const tmp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `gateward-bench-${name}-`));
const writeJson = (file: string, value: unknown) => fs.writeFileSync(file, JSON.stringify(value, undefined, 1));
/** Synthesizes without CDK's CloudFormation validation, as the benchmark measures (it would load its rule engine for each app). */
const synthesized = (app: cdk.App) => {
  withoutCloudFormationValidation(app);
  return app.synth();
};

/**
 * A hand-made cloud assembly: a shared stack exports a role ARN; a cell stack (which depends on
 * it) imports it into a policy, passes the policy to a nested stack whose function and alias use
 * it, and reads the nested stack's output into a topic.
 */
function handMadeAssembly(): string {
  const dir = tmp('assembly');
  const stack = (name: string, dependencies: string[] = []) => ({
    type: 'aws:cloudformation:stack',
    environment: 'aws://111122223333/us-east-1',
    properties: { templateFile: `${name}.template.json` },
    dependencies: [...dependencies, `${name}.assets`],
    displayName: name,
  });
  writeJson(path.join(dir, 'manifest.json'), {
    version: '54.0.0',
    artifacts: {
      'shared.assets': { type: 'cdk:asset-manifest', properties: { file: 'shared.assets.json' } },
      'shared': stack('shared'),
      'cell.assets': { type: 'cdk:asset-manifest', properties: { file: 'cell.assets.json' } },
      'cell': stack('cell', ['shared']),
    },
  });
  writeJson(path.join(dir, 'shared.assets.json'), { version: '54.0.0', files: {} });
  const nestedHash = 'a'.repeat(64);
  writeJson(path.join(dir, 'cell.assets.json'), { version: '54.0.0', files: { [nestedHash]: { source: { path: 'cellNested1234.nested.template.json', packaging: 'file' } } } });
  writeJson(path.join(dir, 'shared.template.json'), {
    Resources: {
      Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: {} } },
      Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'gw-broker', Tags: [{ Key: 'key', Value: { 'Fn::GetAtt': ['Key', 'Arn'] } }] } },
      Unrelated: { Type: 'AWS::SNS::Topic' },
    },
    Outputs: { RoleArn: { Value: { 'Fn::GetAtt': ['Role', 'Arn'] }, Export: { Name: 'shared:RoleArn' } } },
  });
  writeJson(path.join(dir, 'cell.template.json'), {
    Resources: {
      Policy: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [{ Resource: { 'Fn::ImportValue': 'shared:RoleArn' } }] } } },
      Nested: {
        Type: 'AWS::CloudFormation::Stack',
        Properties: {
          TemplateURL: { 'Fn::Join': ['', ['https://s3.', { Ref: 'AWS::Region' }, '.amazonaws.com/assets/', `${nestedHash}.json`]] },
          Parameters: { PolicyArn: { Ref: 'Policy' } },
        },
      },
      Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: { 'Fn::GetAtt': ['Nested', 'Outputs.FunctionArn'] } }, DependsOn: ['Policy'] },
    },
  });
  writeJson(path.join(dir, 'cellNested1234.nested.template.json'), {
    Parameters: { PolicyArn: { Type: 'String' } },
    Resources: {
      Function: { Type: 'AWS::Lambda::Function', Properties: { Description: { 'Fn::Sub': 'uses ${PolicyArn} in ${AWS::Region}' } } },
      Alias: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'Function' } } },
    },
    Outputs: { FunctionArn: { Value: { 'Fn::GetAtt': ['Alias', 'AliasArn'] } } },
  });
  return dir;
}

describe('reading an assembly', () => {
  const model = readAssembly(handMadeAssembly());

  test('finds every stack, the nested one under its parent by the asset of its TemplateURL', () => {
    expect(model.stacks.map((s) => s.key)).toEqual(['::shared', '::cell', '::cell/Nested']);
    const nested = model.stacks[2];
    expect(nested.parent).toEqual({ key: '::cell', logicalId: 'Nested' });
    expect(Object.keys(resourcesOf(nested.template))).toEqual(['Function', 'Alias']);
    expect(model.stacks[1].dependencies).toEqual(['::shared']);
  });
});

describe('the dependency chain', () => {
  const model = readAssembly(handMadeAssembly());
  const graph = dependencyGraph(model);

  test('follows GetAtt, ImportValue to the exporting resource, nested-stack parameters, Sub, Ref and nested-stack outputs', () => {
    const chain = longestChain(graph);
    expect(chain.path.map((s) => `${s.kind ?? '-'} ${s.stackName}/${s.logicalId}`)).toEqual([
      '- shared/Key',
      'Fn::GetAtt shared/Role',
      'Fn::ImportValue cell/Policy',
      'nested-stack parameter cell-Nested/Function',
      'Ref cell-Nested/Alias',
      'nested stack cell/Nested',
      'nested-stack output cell/Topic',
    ]);
    expect(chain.length).toBe(7);
    expect(chain.cycles).toEqual([]);
    expect(graph.unresolvedImports).toEqual([]);
  });

  test('over DependsOn alone is the one explicit edge', () => {
    const chain = longestChain(graph, new Set(['DependsOn']));
    expect(chain.length).toBe(2);
    expect(chain.path.map((s) => s.logicalId)).toEqual(['Policy', 'Topic']);
  });

  test('puts a stack after every resource of the stacks the manifest says it depends on', () => {
    // Without the ImportValue the cell still waits for the shared stack: through the manifest's dependency.
    const withoutImport = readAssembly(handMadeAssembly());
    const cell = withoutImport.stacks[1].template;
    cell.Resources.Policy.Properties.PolicyDocument.Statement[0].Resource = 'arn:aws:iam::111122223333:role/gw-broker';
    const chain = longestChain(dependencyGraph(withoutImport));
    expect(chain.length).toBe(7);
    expect(chain.path[2]).toMatchObject({ logicalId: 'Policy', kind: 'stack dependency' });
    // And without that dependency either, the chain starts at the policy.
    (withoutImport.stacks[1] as { dependencies: string[] }).dependencies = [];
    expect(longestChain(dependencyGraph(withoutImport)).length).toBe(5);
  });

  test('finds a chain longer than the call stack would allow recursively', () => {
    const resources: Record<string, any> = {};
    for (let i = 0; i < 20_000; i++) resources[`R${i}`] = { Type: 'AWS::SNS::Topic', DependsOn: i > 0 ? [`R${i - 1}`] : [] };
    const long: AssemblyModel = {
      root: '/',
      stages: [],
      stacks: [{ key: '::s', stackName: 's', displayName: 's', assemblyDir: '', templateFile: '', templateBytes: 0, template: { Resources: resources }, dependencies: [] }],
    };
    expect(longestChain(dependencyGraph(long)).length).toBe(20_000);
  });
});

describe('intrinsics', () => {
  test('references skip pseudo parameters and Sub variables given locally', () => {
    expect(referencesIn({ 'Fn::Sub': ['${A}-${B.Arn}-${AWS::Region}-${Local}-${!Literal}', { Local: { Ref: 'C' } }] })).toEqual([
      { kind: 'Fn::Sub', target: 'A' },
      { kind: 'Fn::Sub', target: 'B', attribute: 'Arn' },
      { kind: 'Ref', target: 'C' },
    ]);
  });

  test('estimates a role ARN from its name and guesses what it cannot derive', () => {
    const estimate = estimateValue({ 'Fn::Join': [',', [{ 'Fn::GetAtt': ['Role', 'Arn'] }, { Ref: 'Unknown' }]] }, {
      account: '111122223333', region: 'us-east-1', resources: { Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'gw-broker' } } }, unknownLength: 10,
    });
    expect(estimate).toEqual({ value: `arn:aws:iam::111122223333:role/gw-broker,${'x'.repeat(10)}`, guesses: 1 });
  });

  test('a Cedar statement is grouped by its resource scope', () => {
    expect(resourceScope('permit (principal in Gateward::Tenant::"t1", action in [Gateward::Action::"a", Gateward::Action::"b"], resource == Gateward::Model::"m");'))
      .toBe('resource == Gateward::Model::"m"');
    expect(resourceScope('forbid (principal, action, resource)\nunless { principal in context.tenant };')).toBe('resource (unscoped)');
  });
});

describe('the scale spec', () => {
  test('is deterministic and shares its first n tenants with the next size', () => {
    expect(scaleSpec(3).tenants).toEqual(scaleSpec(4).tenants.slice(0, 3));
    expect(scaleSpec(1, { offset: 3 }).tenants[0]).toEqual(scaleSpec(4).tenants[3]);
    expect(scaleTenant(0).id).toBe('t0001');
    expect(scaleTenant(9_999).id).toBe('t10000');
    expect(Object.keys(scaleRotations(scaleSpec(2)))).toEqual(['t0001/openai', 't0002/openai']);
  });

  test('refuses a size that is no whole number', () => {
    expect(() => scaleSpec(0)).toThrow(/at least 1/);
  });
});

describe('the raw app', () => {
  // A CDK app with a stage, and a nested stack that imports from another stack and gets an input from its parent as a parameter.
  function stagedApp(outdir: string): void {
    const app = new cdk.App({ outdir, analyticsReporting: false, context: { 'aws:cdk:enable-path-metadata': true } });
    withoutCloudFormationValidation(app);
    const env = { account: '111122223333', region: 'us-east-1' };
    const stage = new cdk.Stage(app, 'Prod', { env });
    const shared = new cdk.Stack(stage, 'Shared', { env, description: 'shared' });
    const topic = new cdk.CfnResource(shared, 'Topic', { type: 'AWS::SNS::Topic', properties: { TopicName: 'gw-topic' } });
    const cell = new cdk.Stack(new Construct(stage, 'Cells'), 'Cell', { env, stackName: 'prod-cell-1', tags: { owner: 'ops' } });
    const key = new cdk.CfnResource(cell, 'Key', { type: 'AWS::KMS::Key', properties: { KeyPolicy: { Statement: [] } } });
    const alias = new cdk.CfnResource(cell, 'Alias', { type: 'AWS::KMS::Alias', properties: { AliasName: 'alias/gw', TargetKeyId: key.ref } });
    const nested = new cdk.NestedStack(cell, 'Inner', { description: 'inner' });
    const queue = new cdk.CfnResource(nested, 'Queue', { type: 'AWS::SQS::Queue', properties: { QueueName: topic.getAtt('TopicName'), KmsMasterKeyId: alias.ref } });
    new cdk.CfnOutput(cell, 'QueueUrl', { value: queue.ref, exportName: 'prod-queue-url' });
    app.synth();
  }

  test('rebuilds stages, nested stacks, parameters, exports and imports, with the same templates', () => {
    const outdir = tmp('staged');
    stagedApp(outdir);
    const original = readAssembly(outdir);
    const rawOutdir = tmp('staged-raw');
    synthesized(rawApp(original, { outdir: rawOutdir }));
    const rebuilt = readAssembly(rawOutdir);
    expect(original.stages.map((s) => s.displayName)).toEqual(['Prod']);
    expect(original.stacks.map((s) => `${s.stackName}${s.parent ? ' (nested)' : ''}`)).toEqual(['Prod-Shared', 'prod-cell-1', expect.stringMatching(/^prod-cell-1-Inner.*NestedStackResource.* \(nested\)$/)]);
    const identity = (m: AssemblyModel) => m.stacks.map((s) => [s.key, s.stackName, s.dependencies, s.tags]);
    expect(identity(rebuilt)).toEqual(identity(original));
    for (const stack of original.stacks) {
      // Same resources, nested stack's TemplateURL included: the nested template's content hash is the same.
      expect(rebuilt.stacks.find((s) => s.key === stack.key)!.template).toEqual(stack.template);
    }
    // The cell stack deploys after the shared one; the queue waits for the alias, passed to its stack as a
    // parameter, and for the topic, which it imports.
    const graph = dependencyGraph(original);
    const chain = longestChain(graph);
    expect(chain.path.map((s) => [s.kind, s.type])).toEqual([
      [undefined, 'AWS::SNS::Topic'],
      ['stack dependency', 'AWS::KMS::Key'],
      ['Ref', 'AWS::KMS::Alias'],
      ['nested-stack parameter', 'AWS::SQS::Queue'],
      ['nested stack', 'AWS::CloudFormation::Stack'],
    ]);
    const queueEdges = [...graph.edges].find(([id]) => id.endsWith('#Queue'))![1];
    expect(queueEdges).toContainEqual({ to: expect.stringMatching(/Shared[0-9A-F]{8}#Topic$/), kind: 'Fn::ImportValue' });
  });

  // A small gateway, synthesized as the benchmark does (validation off), then rebuilt from its assembly.
  const gatewayOut = tmp('gateway');
  gatewayApp(scaleSpec(2), gatewayOut, { cfnValidation: false, rulePacks: [], assetStaging: true }).synth();
  const gateway = readAssembly(gatewayOut);
  const rawOut = tmp('raw');
  synthesized(rawApp(gateway, { outdir: rawOut }));
  const raw = readAssembly(rawOut);
  // CDK orders DependsOn by construct path, which the raw app does not share; the set is what matters.
  const normalized = (resources: Record<string, any>) => Object.fromEntries(Object.entries(resources)
    .map(([id, r]) => [id, r.DependsOn ? { ...r, DependsOn: [...r.DependsOn].sort() } : r]));

  test('has the same stacks, by name, environment and nesting', () => {
    const describe = (m: AssemblyModel) => m.stacks.map((s) => `${s.stackName} ${s.account}/${s.region} ${s.parent?.logicalId ?? '-'}`);
    expect(describe(raw)).toEqual(describe(gateway));
    expect(gateway.stacks.length).toBeGreaterThanOrEqual(2);
  });

  test('reproduces every stack\'s resources', () => {
    for (const stack of gateway.stacks) {
      const rebuilt = raw.stacks.find((s) => s.key === stack.key)!;
      expect(Object.keys(resourcesOf(stack.template)).length).toBeGreaterThan(0);
      expect(normalized(resourcesOf(rebuilt.template))).toEqual(normalized(resourcesOf(stack.template)));
      for (const section of ['Parameters', 'Outputs', 'Rules', 'Conditions', 'Description']) expect(rebuilt.template[section]).toEqual(stack.template[section]);
    }
  });

  test('and gives the same quota figures', () => {
    const figures = (m: AssemblyModel) => measureQuotas(m).map((q) => [q.quota, q.worst?.value]);
    expect(figures(raw)).toEqual(figures(gateway));
  });

  test('read back as CDK\'s typed L1 classes, it has the same stacks and resources, written by typed classes with references between them', () => {
    const app = typedL1App(gateway, { outdir: tmp('typed-l1') });
    const resources = app.node.findAll().filter((c): c is cdk.CfnResource => c instanceof cdk.CfnResource);
    // Typed classes, not CfnResource: a role is a CfnRole, a function a CfnFunction.
    expect(resources.filter((r) => r.cfnResourceType === 'AWS::IAM::Role').every((r) => r instanceof iam.CfnRole)).toBe(true);
    expect(resources.filter((r) => r.cfnResourceType === 'AWS::Lambda::Function').every((r) => r instanceof lambda.CfnFunction)).toBe(true);
    expect(resources.some((r) => r.constructor === cdk.CfnResource && !r.cfnResourceType.startsWith('Custom::'))).toBe(false);
    // A function's role is a reference to the role, not a literal copy of the template's GetAtt.
    const fn = resources.find((r): r is lambda.CfnFunction => r instanceof lambda.CfnFunction)!;
    expect(cdk.Token.isUnresolved(fn.role)).toBe(true);
    const typed = readAssembly(synthesized(app).directory);
    const describe = (m: AssemblyModel) => m.stacks.map((s) => `${s.stackName} ${s.account}/${s.region} ${s.dependencies.join(',')}`);
    expect(describe(typed)).toEqual(describe(gateway));
    for (const stack of gateway.stacks) {
      const rebuilt = typed.stacks.find((s) => s.key === stack.key)!;
      expect(normalized(resourcesOf(rebuilt.template))).toEqual(normalized(resourcesOf(stack.template)));
      for (const section of ['Parameters', 'Outputs', 'Rules', 'Conditions', 'Description']) expect(rebuilt.template[section]).toEqual(stack.template[section]);
    }
  });

  test('the typed-L1 app refuses assemblies with stages or nested stacks, which it does not rebuild', () => {
    const staged: AssemblyModel = { ...gateway, stages: [{ assemblyDir: 'assembly-Prod', displayName: 'Prod', parentDir: '' }] };
    expect(() => typedL1App(staged, { outdir: tmp('typed-l1-staged') })).toThrow(/top-level stacks only/);
  });
});
