import * as fs from 'fs';
import { GatewayBlueprint, TenantBlueprint, TenantRouterBlueprint, VaultPolicyDocument } from '../../src';
import { readPolicyRules } from '../../src/vault-acl/policy-text';
import { assumeRole, loadEngines, rememberSecrets, rootVault, runDir, signedLoginBody, VaultHttp } from '../support/live/engines';
import { loadState, routerCells } from '../support/live/live-world';

// Tenant cells: each tenant's router has its own AWS role, Vault auth role and Vault policy, and
// OpenBao, checking signed logins against the emulator's STS, keeps them apart. A cell's identity
// cannot log in as another cell's Vault role, and a cell's token reads its own tenant's target
// credentials and nothing of another tenant's.
const engines = loadEngines();
const state = loadState(runDir());
const blueprint = GatewayBlueprint.fromSpec(state.spec);
const root = rootVault(engines);
const anonymous = root.withToken(undefined);
const serverId = blueprint.vault!.iamServerIdHeaderValue;
const loginPath = `auth/${blueprint.naming.vaultAwsAuthMountPath}/login`;
const config = JSON.parse(fs.readFileSync(state.tfJsonFile, 'utf-8'));
const cells = routerCells(blueprint);
type Cell = TenantBlueprint & { router: TenantRouterBlueprint };

/** Logs in at the router mount as `vaultRole` with a signed GetCallerIdentity of a session of `cell`'s router role. */
async function loginAs(cell: Cell, vaultRole: string) {
  const credentials = assumeRole(engines, state.roles[cell.router.roleName].arn, `cell-${cell.id}`);
  const answer = await anonymous.request('POST', loginPath, await signedLoginBody(vaultRole, credentials, { serverId }));
  rememberSecrets(answer.body?.auth?.client_token);
  return answer;
}

async function tokenOf(cell: Cell): Promise<string> {
  const answer = await loginAs(cell, cell.router.vaultAuthRoleName);
  expect({ status: answer.status, errors: answer.body?.errors }).toEqual({ status: 200, errors: undefined });
  return answer.body.auth.client_token;
}

/** Every Vault path of a tenant a router might try: its target and data store credentials, its engines' other paths. */
function pathsOf(tenant: TenantBlueprint): string[] {
  const aws = blueprint.naming.vaultAwsSecretsMountPath(tenant.id);
  const database = blueprint.naming.vaultDatabaseMountPath(tenant.id);
  return [
    ...tenant.targets.map((t) => t.vaultCredentialsPath),
    ...tenant.targets.map((t) => `${aws}/sts/${t.vaultCredentialsPath.split('/').pop()}`),
    ...tenant.dataStores.map((s) => s.vaultCredentialsPath),
    `${aws}/creds/models`, `${aws}/config/root`, `${aws}/roles`, `${database}/creds/kb-vectors`, `${database}/config/kb-vectors`,
  ];
}

test('the example has two cells, one per tenant, for the pairs below', () => {
  expect(cells.map((c) => [c.id, c.router.vaultAuthRoleName, c.router.vaultPolicyName])).toEqual([
    ['support', 'router-support', 'acme-llm-support-router'],
    ['research', 'router-research', 'acme-llm-research-router'],
  ]);
});

// Each cell against the other: (A, B) = (support, research) and (research, support).
const pairs = cells.flatMap((a) => cells.filter((b) => b.id !== a.id).map((b) => [a.id, b.id, a, b] as [string, string, Cell, Cell]));

describe.each(pairs)('cell %s against cell %s', (_a, _b, a, b) => {
  let token: string;
  let vault: VaultHttp;
  beforeAll(async () => {
    token = await tokenOf(a);
    vault = anonymous.withToken(token);
  });

  test('(a) its router role cannot log in as the other cell\'s Vault role: OpenBao refuses the login', async () => {
    const answer = await loginAs(a, b.router.vaultAuthRoleName);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.body.auth).toBeUndefined();
    expect(JSON.stringify(answer.body.errors)).toMatch(/not authorized|bound|principal/i);
    // The same session's login to its own role succeeds: the refusal is the binding, not the signature.
    expect((await loginAs(a, a.router.vaultAuthRoleName)).status).toBe(200);
  });

  // The router's token holds no default policy, so it may not ask sys/capabilities-self (tested
  // below); the harness asks sys/capabilities about that very token as root, the same ACL.
  test('(b) its token gets deny on every path of the other tenant (sys/capabilities), and a real read is refused', async () => {
    const theirs = pathsOf(b);
    expect(b.targets.length).toBeGreaterThan(0);
    const answer = await root.capabilities(token, theirs);
    expect(answer).toEqual(Object.fromEntries(theirs.map((p) => [p, ['deny']])));
    for (const target of b.targets) {
      const read = await vault.read(target.vaultCredentialsPath);
      expect([target.vaultCredentialsPath, read.status, read.body?.data]).toEqual([target.vaultCredentialsPath, 403, undefined]);
      expect(JSON.stringify(read.body.errors)).toMatch(/permission denied/);
    }
  });

  test('(b) and it reads its own tenant\'s targets, and nothing else of its own tenant', async () => {
    const own = a.targets.map((t) => t.vaultCredentialsPath);
    const rest = pathsOf(a).filter((p) => !own.includes(p));
    expect(await root.capabilities(token, [...own, ...rest])).toEqual(Object.fromEntries([
      ...own.map((p) => [p, ['read']]), ...rest.map((p) => [p, ['deny']]),
    ]));
    for (const target of a.targets) {
      const read = await vault.read(target.vaultCredentialsPath);
      rememberSecrets(read.body?.data?.secret_key, read.body?.data?.security_token);
      expect([target.vaultCredentialsPath, read.status]).toEqual([target.vaultCredentialsPath, 200]);
      expect(read.body.data.arn).toMatch(new RegExp(`^arn:aws:sts::${engines.moto.account}:assumed-role/${target.roleName}/`));
    }
  });

  test('its token cannot even ask for its own capabilities: it holds no default policy', async () => {
    const answer = await vault.request('POST', 'sys/capabilities-self', { paths: b.targets.map((t) => t.vaultCredentialsPath) });
    expect(answer.status).toBe(403);
  });

  test('(c) its token carries exactly its own cell\'s policy, which names no path of the other tenant', async () => {
    const looked = (await root.write('auth/token/lookup', { token })).data;
    expect(looked.policies).toEqual([a.router.vaultPolicyName]);
    expect(looked.identity_policies ?? []).toEqual([]);
    expect(looked.path).toBe(loginPath);
    // The policy on the server is the plane's document for this cell.
    const written = (await root.read(`sys/policies/acl/${a.router.vaultPolicyName}`)).body.data.policy;
    const policies = Object.values(config.resource.vault_policy as Record<string, { name: string; policy: string }>);
    const planned = policies.find((p) => p.name === a.router.vaultPolicyName)!;
    expect(written).toBe(planned.policy);
    const rules = VaultPolicyDocument.forAnalysis(a.router.vaultPolicyName, readPolicyRules(written)!).rules;
    expect(rules.map((r) => r.path).sort()).toEqual(a.targets.map((t) => t.vaultCredentialsPath).sort());
    for (const rule of rules) expect(rule.path.startsWith(blueprint.naming.vaultLeasePrefix(b.id))).toBe(false);
  });
});
