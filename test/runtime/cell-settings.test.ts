import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayBlueprint } from '../../src';
import { routerRoutes } from '../../src/aws/private/router-routes-builder';
import { ROUTES_FILE, RouterRoutes } from '../../src/contract/router-routes';
import { CallerIndex } from '../../src/runtime/caller';
import { ENV, settingsFromEnvironment } from '../../src/runtime/config';
import { supportCellEnvironment } from '../support/runtime/cell-environment';

// A cell's settings: the routing table next to the code (the same file in every cell), the
// environment naming the one tenant, API and stage the cell serves, and the function ARN Lambda
// invokes it by, whose account is the gateway's.

const routes = routerRoutes(GatewayBlueprint.fromSpec(exampleSpec));
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:111122223333:function:acme-llm-support-router';
const env: Record<string, string> = supportCellEnvironment('https://vault.example.internal:8200/');

let dir: string;
const writeRoutes = (table: unknown) => fs.writeFileSync(path.join(dir, ROUTES_FILE), JSON.stringify(table));
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-routes-'));
  writeRoutes(routes);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a cell serves the tenant, API, stage and account it is deployed with', () => {
  const settings = settingsFromEnvironment(env, dir, FUNCTION_ARN);
  expect(settings.tenant).toEqual(routes.tenants.find((t) => t.id === 'support'));
  expect(settings.method).toEqual({ apiId: 'a1b2c3d4e5', stage: 'live', account: '111122223333', resource: '/v1/tenants/support/chat' });
  expect(settings.vault).toMatchObject({ address: 'https://vault.example.internal:8200', authRole: 'router-support' });
  // The whole table, as every cell has it: callers of other tenants are recognized, to be refused by name.
  expect(settings.routes.workloads.map((w) => w.tenant)).toEqual(['support', 'research']);
});

test('an alias or version ARN names the same account', () => {
  expect(settingsFromEnvironment(env, dir, `${FUNCTION_ARN}:live`).method.account).toBe('111122223333');
});

test('every missing setting is named at once', () => {
  const partial = { ...env };
  for (const name of [ENV.TENANT, ENV.API_ID, ENV.API_STAGE]) delete partial[name];
  expect(() => settingsFromEnvironment(partial, dir, undefined)).toThrow(
    'The router is missing its configuration: GATEWARD_TENANT, GATEWARD_API_ID, GATEWARD_API_STAGE, the invoked function ARN (the Lambda context\'s invokedFunctionArn)');
  expect(() => settingsFromEnvironment(env, dir, 'arn:aws:iam::111122223333:role/acme-llm-support-router')).toThrow('the invoked function ARN');
});

test('a tenant the routing table does not route is refused', () => {
  expect(() => settingsFromEnvironment({ ...env, [ENV.TENANT]: 'nobody' }, dir, FUNCTION_ARN))
    .toThrow('GATEWARD_TENANT is "nobody", which is not a tenant in gateway-routes.json');
  // Names are compared exactly, never read from the object prototype.
  expect(() => settingsFromEnvironment({ ...env, [ENV.TENANT]: 'constructor' }, dir, FUNCTION_ARN)).toThrow('not a tenant');
});

test('a tenant with no targets has no cell', () => {
  writeRoutes({ ...routes, tenants: routes.tenants.map((t) => (t.id === 'support' ? { ...t, modelsCredentialsPath: undefined, providerKeys: [] } : t)) });
  expect(() => settingsFromEnvironment(env, dir, FUNCTION_ARN)).toThrow('GATEWARD_TENANT is "support", a tenant with no targets in gateway-routes.json: it has no router cell');
});

test('resolving a caller is one lookup: the workloads are indexed once, not scanned per request', () => {
  // 1,000 tenants of 5 workloads each, behind a list that counts every read of an element.
  const workloads = Array.from({ length: 5000 }, (_, i) => ({
    id: `w${i}`, tenant: `t${Math.floor(i / 5)}`, cedarId: `w${i}`, account: '444455556666', roleName: `role-${i}`, roleArn: `arn:aws:iam::444455556666:role/role-${i}`,
  }));
  let reads = 0;
  const counted = new Proxy(workloads, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver);
    },
  });
  const index = new CallerIndex({ ...routes, workloads: counted } as RouterRoutes);
  expect(reads).toBe(5000);
  reads = 0;
  for (const i of [0, 2500, 4999]) {
    expect(index.workloadOf({ userArn: `arn:aws:sts::444455556666:assumed-role/ROLE-${i}/s` })?.id).toBe(`w${i}`);
  }
  expect(index.workloadOf({ userArn: 'arn:aws:sts::444455556666:assumed-role/role-5000/s' })).toBeUndefined();
  expect(reads).toBe(0);
});
