import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import {
  GatewayAwsPlane, GatewayBlueprint, GatewayNaming, GatewaySpec, GatewayValidationError, LlmGateway, ProviderKeyRotation, RouterRole,
  VaultConnection, VaultServerIdentity,
} from '../../src';
import { VaultAuthVerifier } from '../../src/aws/vault-auth-verifier';
import { gatewayStackTemplates, mergedGatewayTemplate, synthesizeAwsPlane } from '../support/aws-example';
import { IamWorld } from '../support/iam-world';

// "A compromise reaches one tenant at most": each tenant with a target has its own router cell,
// and nothing in the synthesized example lets one cell's identity reach another tenant. Proven
// with the offline IAM simulator on the example's template, and on its wiring (method -> function
// -> role -> tenant).

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const blueprint = GatewayBlueprint.fromSpec(exampleSpec);
const names = blueprint.naming;
const synthesized = synthesizeAwsPlane();
const json = synthesized.template.toJSON();
const resources = json.Resources as Record<string, any>;
const world = new IamWorld(json, { account: ACCOUNT, region: REGION });
const TENANTS = ['support', 'research'];
const routerOf = (tenant: string) => names.tenantRouterRoleName(tenant);
const others = (tenant: string) => TENANTS.filter((t) => t !== tenant);

const rolesByName = Object.fromEntries(Object.entries(resources).filter(([, r]) => r.Type === 'AWS::IAM::Role').map(([id, r]) => [r.Properties.RoleName, { id, ...r }]));
const tagsOf = (resource: any): Record<string, string> => Object.fromEntries((resource.Properties.Tags ?? []).map((t: any) => [t.Key, t.Value]));
const resourceTags = (roleName: string) => Object.fromEntries(Object.entries(tagsOf(rolesByName[roleName])).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
const secretPolicy = world.policyOf('AWS::SecretsManager::ResourcePolicy', 'ResourcePolicy', () => true);

/** What belongs to one tenant in the example: the resources another tenant's cell must not reach. */
function resourcesOfTenant(tenant: string): Array<[string, string, Record<string, unknown>?]> {
  const t = blueprint.tenant(tenant);
  const fn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${t.router!.functionName}`;
  const stream = `${names.decisionLogGroupArn()}:log-stream:2026/11/22/${t.router!.functionName}[$LATEST]0123456789abcdef`;
  const owned: Array<[string, string, Record<string, unknown>?]> = [
    ['lambda:InvokeFunction', fn],
    ['lambda:UpdateFunctionCode', fn],
    ['lambda:UpdateFunctionConfiguration', fn],
    ['logs:PutLogEvents', stream],
    ['logs:CreateLogStream', stream],
    ['sts:AssumeRole', world.roleArn(t.router!.roleName), { resourcePolicy: world.role(t.router!.roleName).trust }],
    ['iam:PassRole', world.roleArn(t.router!.roleName)],
  ];
  for (const target of t.targets) {
    owned.push(['sts:AssumeRole', world.roleArn(target.roleName), { resourcePolicy: world.role(target.roleName).trust, context: { 'sts:ExternalId': names.externalId(tenant) } }]);
    if (target.providerKey) {
      owned.push(['secretsmanager:GetSecretValue', world.secretArn(target.providerKey.secretName), { resourcePolicy: secretPolicy }]);
    }
  }
  for (const model of t.foundationModels) owned.push(['bedrock:InvokeModel', `arn:aws:bedrock:${REGION}::foundation-model/${model}`, { context: { 'aws:RequestedRegion': REGION } }]);
  for (const profile of t.inferenceProfiles) owned.push(['bedrock:InvokeModel', `arn:aws:bedrock:${REGION}:${ACCOUNT}:inference-profile/${profile.id}`, { context: { 'aws:RequestedRegion': REGION } }]);
  for (const guardrail of t.guardrails) owned.push(['bedrock:ApplyGuardrail', guardrail.arn, { context: { 'aws:RequestedRegion': REGION } }]);
  return owned;
}

describe('each cell\'s router role has no right on any other tenant\'s resources', () => {
  const cases = TENANTS.flatMap((tenant) => others(tenant).flatMap((other) => resourcesOfTenant(other).map(([action, resource, extra]) =>
    [routerOf(tenant), other, action, resource, extra] as const)));

  test.each(cases)('%s, on tenant %s: %s %s', async (role, _other, action, resource, extra) => {
    expect(await world.decide({ role, action, resource, resourcePolicy: extra?.resourcePolicy as any, context: extra?.context as any })).not.toBe('Allowed');
  });

  test.each(TENANTS)('and the router role of %s reaches its own tenant\'s function, streams and nothing else of its own tenant either', async (tenant) => {
    const allowed: string[] = [];
    for (const [action, resource, extra] of resourcesOfTenant(tenant)) {
      if (await world.decide({ role: routerOf(tenant), action, resource, resourcePolicy: extra?.resourcePolicy as any, context: extra?.context as any }) === 'Allowed') {
        allowed.push(action);
      }
    }
    // Writing its own log streams is all; models and keys come from Vault, per request.
    expect(allowed.sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
  });
});

describe.each(TENANTS)('the router role of %s', (tenant) => {
  const statements = world.role(routerOf(tenant)).policies.flatMap((p) => [p.document.Statement].flat());
  const actions = statements.flatMap((s: any) => [s.Action].flat()) as string[];

  test('has no bedrock, secretsmanager or sts right at all, and no wildcard action', () => {
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => /^(bedrock|secretsmanager|sts):/i.test(a) || a.includes('*'))).toEqual([]);
    expect(statements.every((s: any) => s.Effect === 'Allow' && s.NotAction === undefined)).toBe(true);
  });

  test('carries its tenant and its place in the chain as tags', () => {
    expect(tagsOf(rolesByName[routerOf(tenant)])).toMatchObject({ [GatewayNaming.ROLE_TAG]: 'router', [GatewayNaming.TENANT_TAG]: tenant });
  });

  test('is the plane\'s routerRoleOf', () => {
    const role = synthesized.plane.routerRoleOf(tenant);
    expect(synthesized.stack.resolve(role.roleArn)).toEqual({ 'Fn::GetAtt': [rolesByName[routerOf(tenant)].id, 'Arn'] });
  });
});

test('a router role is built for a tenant with a cell only', () => {
  const stack = new cdk.Stack(new cdk.App(), 's');
  const props = { blueprint, policyStoreArn: 'arn:aws:verifiedpermissions::111122223333:policy-store/PS1', decisionLogGroupArn: names.decisionLogGroupArn() };
  expect(() => new RouterRole(stack, 'Nope', { ...props, tenantId: 'nope' })).toThrow(
    'RouterRole is invalid (1 problem):\n  - props.tenantId: names no tenant of gateway "acme-llm" (got "nope"). Fix: use one of "support", "research".');
  expect(new RouterRole(stack, 'Support', { ...props, tenantId: 'support' }).tenantId).toBe('support');
});

describe('the verifier can GetRole only router roles', () => {
  const verifier = VaultAuthVerifier.roleName(blueprint);
  test.each(Object.keys(rolesByName))('%s', async (roleName) => {
    const isRouter = tagsOf(rolesByName[roleName])[GatewayNaming.ROLE_TAG] === 'router';
    expect(await world.decide({ role: verifier, action: 'iam:GetRole', resource: world.roleArn(roleName), context: resourceTags(roleName) }))
      .toBe(isRouter ? 'Allowed' : 'ImplicitlyDenied');
  });
});

describe('each tenant\'s method leads to its own cell only', () => {
  const methods = Object.values(resources).filter((r) => r.Type === 'AWS::ApiGateway::Method');
  const functions = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function' && /-router$/.test(r.Properties.FunctionName));

  test('one method and one function per tenant with a target', () => {
    expect(methods).toHaveLength(TENANTS.length);
    expect(functions.map(([, f]) => f.Properties.FunctionName).sort()).toEqual(TENANTS.map((t) => blueprint.tenant(t).router!.functionName).sort());
  });

  test.each(TENANTS)('%s: method path -> integration -> function -> role, environment and Vault role all name the same tenant', (tenant) => {
    const method = methods.find((m) => m.Metadata['aws:cdk:path'].includes(`/v1/tenants/${tenant}/chat/POST/`));
    const target = /functions\/arn:aws:lambda:[^:]+:\d+:function:([^/]+)\/invocations$/.exec(method.Properties.Integration.Uri)![1];
    const [functionId, fn] = functions.find(([, f]) => f.Properties.FunctionName === target)!;
    expect(method.DependsOn).toEqual([functionId]);
    const roleId = fn.Properties.Role['Fn::GetAtt'][0];
    expect(tagsOf(resources[roleId])[GatewayNaming.TENANT_TAG]).toBe(tenant);
    expect(resources[roleId].Properties.RoleName).toBe(routerOf(tenant));
    expect(fn.Properties.Environment.Variables).toMatchObject({
      GATEWARD_TENANT: tenant,
      GATEWARD_VAULT_AUTH_ROLE: names.vaultTenantRouterAuthRoleName(tenant),
    });
    // The cell's function may be invoked by API Gateway for its own method only.
    const permissions = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Permission' && r.Properties.FunctionName.endsWith(`:function:${target}`));
    expect(permissions).toHaveLength(1);
    expect(JSON.stringify(permissions[0].Properties.SourceArn)).toContain(`/POST/v1/tenants/${tenant}/chat"`);
  });
});

describe('a tenant without a target (tools only) has no cell, and its workloads reach no cell', () => {
  const archive = 'arn:aws:iam::111122223333:role/archive-app';
  const spec: GatewaySpec = {
    ...exampleSpec,
    tenants: [...exampleSpec.tenants, { id: 'archive', workloads: [{ id: 'archive-app', roleArn: archive }], tools: ['search'] }],
  };
  const { template, plane } = synthesizeAwsPlane(spec);

  test('no router role, function or method for it', () => {
    expect(plane.routerRoles.map((r) => r.tenantId)).toEqual(TENANTS);
    expect(Object.values(template.findResources('AWS::IAM::Role')).map((r: any) => r.Properties.RoleName)).not.toContain('acme-llm-archive-router');
    expect(Object.values(template.findResources('AWS::Lambda::Function')).map((r: any) => r.Properties.FunctionName)).not.toContain('acme-llm-archive-router');
    expect(Object.keys(template.findResources('AWS::ApiGateway::Method'))).toHaveLength(TENANTS.length);
    expect(() => plane.routerRoleOf('archive')).toThrow(GatewayValidationError);
    expect(() => plane.routerRoleOf('archive')).toThrow('  - tenantId: tenant "archive" has no target (no models and no provider keys), so it has no router cell: there is nothing to route (got "archive"). '
      + 'Fix: use one of "support", "research", or give the tenant models or a provider key.');
  });

  test('its workload is denied on every tenant\'s method, even with its own Invoke on *', async () => {
    const prefix = `arn:aws:execute-api:${REGION}:${ACCOUNT}:a1b2c3d4e5/`;
    const api = Object.values(template.findResources('AWS::ApiGateway::RestApi'))[0] as any;
    const resourcePolicy = JSON.parse(JSON.stringify(api.Properties.Policy).split('execute-api:/').join(prefix));
    const mayInvoke = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: 'execute-api:Invoke', Resource: '*' }] };
    const archived = new IamWorld(template.toJSON(), { account: ACCOUNT, region: REGION });
    for (const tenant of [...TENANTS, 'archive']) {
      expect(await archived.decide({ principalArn: archive, identityPolicies: [mayInvoke], action: 'execute-api:Invoke', resource: `${prefix}live/POST/v1/tenants/${tenant}/chat`, resourcePolicy }))
        .toBe('ExplicitlyDenied');
    }
  });
});

describe.each(TENANTS)('the API of %s\'s cell stack admits its workloads on their own tenant\'s path only, by their tenant tag', (tenant) => {
  const prefix = `arn:aws:execute-api:${REGION}:${ACCOUNT}:a1b2c3d4e5/`;
  const path = (t: string) => `${prefix}live/POST/v1/tenants/${t}/chat`;
  const mayInvoke = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: 'execute-api:Invoke', Resource: '*' }] };
  const cellStack = synthesized.stackTemplates[synthesized.plane.cellStackOf(tenant).stackName];
  const apis = Object.values(cellStack.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::ApiGateway::RestApi');
  const policy = JSON.parse(JSON.stringify(apis[0]?.Properties.Policy ?? {}).split('execute-api:/').join(prefix));
  const workload = blueprint.tenant(tenant).workloads.find((w) => w.roleArn)!;
  const decide = (principalArn: string, tags: Record<string, string>, resource: string) => new IamWorld(json, { account: principalArn.split(':')[4], region: REGION })
    .decide({ principalArn, identityPolicies: [mayInvoke], action: 'execute-api:Invoke', resource, resourcePolicy: policy, context: tags });
  const tag = (t: string) => ({ [`aws:PrincipalTag/${GatewayNaming.TENANT_TAG}`]: t });

  test('one API in the cell stack', () => {
    expect(apis).toHaveLength(1);
  });

  test('a workload tagged with its tenant may chat on that path, and on no other path or method', async () => {
    expect(await decide(workload.roleArn!, tag(tenant), path(tenant))).toBe('Allowed');
    for (const other of others(tenant)) expect(await decide(workload.roleArn!, tag(tenant), path(other))).toBe('ExplicitlyDenied');
    expect(await decide(workload.roleArn!, tag(tenant), `${prefix}live/GET/v1/tenants/${tenant}/chat`)).toBe('ExplicitlyDenied');
  });

  test('no tag, or the tag from an account no workload of the API is in, is denied everywhere', async () => {
    expect(await decide(workload.roleArn!, {}, path(tenant))).toBe('ExplicitlyDenied');
    expect(await decide('arn:aws:iam::999988887777:role/stranger', tag(tenant), path(tenant))).toBe('ExplicitlyDenied');
  });
});

describe('CloudFormation dependency depth does not grow with tenants', () => {
  /**
   * The longest chain of resources CloudFormation must create one after another (DependsOn, Ref,
   * GetAtt, Sub), over the gateway's stacks seen as one. Cedar policies are created one after
   * another within a tenant (Verified Permissions throttles parallel writes), never across tenants.
   */
  function longestChain(template: any): number {
    const all = template.Resources as Record<string, any>;
    const edges = (id: string): string[] => {
      const found = new Set<string>([all[id].DependsOn ?? []].flat());
      const walk = (value: unknown): void => {
        if (Array.isArray(value)) {
          value.forEach(walk);
          return;
        }
        if (!value || typeof value !== 'object') return;
        for (const [key, inner] of Object.entries(value)) {
          if (key === 'Ref' && typeof inner === 'string') {
            found.add(inner);
          } else if (key === 'Fn::GetAtt') {
            found.add(Array.isArray(inner) ? String(inner[0]) : String(inner).split('.')[0]);
          } else if (key === 'Fn::Sub') {
            for (const match of JSON.stringify(inner).matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)) found.add(match[1]);
            walk(inner);
          } else {
            walk(inner);
          }
        }
      };
      walk(all[id].Properties);
      return [...found].filter((d) => all[d]);
    };
    const depth = new Map<string, number>();
    const visit = (id: string): number => {
      if (depth.has(id)) return depth.get(id)!;
      depth.set(id, 0);
      const d = 1 + Math.max(0, ...edges(id).map(visit));
      depth.set(id, d);
      return d;
    };
    return Math.max(...Object.keys(all).map(visit));
  }

  function gatewayOf(tenantCount: number): any {
    const spec: GatewaySpec = {
      ...exampleSpec,
      tenants: Array.from({ length: tenantCount }, (_, i) => ({
        id: `t${i}`,
        workloads: [{ id: `t${i}-app`, roleArn: `arn:aws:iam::${ACCOUNT}:role/t${i}-app` }],
        foundationModels: ['anthropic.claude-3-5-haiku-20241022-v1:0'],
        // Every other tenant has a provider key, so both kinds of cell are in every size.
        providerKeys: i % 2 === 1 ? [{ id: 'openai', provider: 'openai' }] : undefined,
      })),
    };
    const stack = new cdk.Stack(new cdk.App(), 'gw', { env: { account: ACCOUNT, region: REGION } });
    const plane = new GatewayAwsPlane(stack, 'Gateway', {
      spec,
      vaultServer: VaultServerIdentity.fromRoleArn(`arn:aws:iam::${ACCOUNT}:role/vault`),
      providerKeyRotation: Object.fromEntries(spec.tenants.filter((t) => t.providerKeys).map((t) => [`${t.id}/openai`, ProviderKeyRotation.manual()])),
    });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-0123456789abcdef1'] });
    new LlmGateway(stack, 'LlmGateway', { plane, vpc, vaultConnection: VaultConnection.fromPeer(ec2.Peer.ipv4('10.50.0.0/16')), providerEgress: ec2.Peer.anyIpv4() });
    return mergedGatewayTemplate(Object.values(gatewayStackTemplates(stack.node.scope as cdk.App, plane)));
  }

  test('2 and 8 tenants: the same longest chain, with 4 times the cells', () => {
    const small = gatewayOf(2);
    const large = gatewayOf(8);
    const functions = (t: any) => Object.values(t.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::Lambda::Function' && /-router$/.test(r.Properties.FunctionName)).length;
    expect([functions(small), functions(large)]).toEqual([2, 8]);
    expect(longestChain(small)).toBeGreaterThan(4);
    expect(longestChain(large)).toBe(longestChain(small));
    // No resource of one cell waits for a resource of another.
    const cellOf = (id: string) => /Tenantt(\d+)/.exec(id)?.[1] ?? /tenantst(\d+)/.exec(id)?.[1];
    for (const [id, resource] of Object.entries(large.Resources as Record<string, any>)) {
      const mine = cellOf(id);
      if (mine === undefined) continue;
      for (const dependency of [resource.DependsOn ?? []].flat() as string[]) {
        const theirs = cellOf(dependency);
        expect(theirs === undefined || theirs === mine).toBe(true);
      }
    }
  });
});
