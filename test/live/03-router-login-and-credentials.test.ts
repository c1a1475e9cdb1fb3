import * as fs from 'fs';
import { GatewayBlueprint } from '../../src';
import { assumeRole, loadEngines, rememberSecrets, rootVault, runDir, signedLoginBody } from '../support/live/engines';
import { loadState, routerCells, STRANGER_ROLE } from '../support/live/live-world';

// Item 3: each router cell's AWS IAM login; item 5: the AWS dynamic credentials it then reads.
// (05-tenant-cells holds one cell against the other.)
const engines = loadEngines();
const state = loadState(runDir());
const blueprint = GatewayBlueprint.fromSpec(state.spec);
const vault = rootVault(engines).withToken(undefined);
const serverId = blueprint.vault!.iamServerIdHeaderValue;
const cells = routerCells(blueprint);
const [first] = cells;
const routerRoleArn = state.roles[first.router.roleName].arn;
const cellOf = (tenantId: string) => blueprint.tenant(tenantId).router!;
const loginPath = `auth/${blueprint.name}/aws/login`;
const stsRequests = () => fs.readFileSync(state.stsRequestsFile, 'utf-8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

async function login(roleArn: string, options: { serverId?: string; role?: string } = { serverId }) {
  const credentials = assumeRole(engines, roleArn, 'router-session');
  const role = options.role ?? first.router.vaultAuthRoleName;
  const answer = await vault.request('POST', loginPath, await signedLoginBody(role, credentials, { serverId: options.serverId }));
  rememberSecrets(answer.body?.auth?.client_token);
  return answer;
}

describe('router login (item 3)', () => {
  test.each(cells.map((t) => [t.id, t.router]))('%s: a signed GetCallerIdentity of the cell\'s router role with the server id logs in: exactly its policy and TTL',
    async (_tenant, cell) => {
      const answer = await login(state.roles[cell.roleName].arn, { serverId, role: cell.vaultAuthRoleName });
      expect(answer.status).toBe(200);
      expect(answer.body.auth.policies).toEqual([cell.vaultPolicyName]);
      expect(answer.body.auth.token_policies).toEqual([cell.vaultPolicyName]);
      expect(answer.body.auth.lease_duration).toBe(900);
      // The router's token may not look itself up (no default policy): the harness asks as root.
      const self = await rootVault(engines).request('POST', 'auth/token/lookup', { token: answer.body.auth.client_token });
      expect((await vault.withToken(answer.body.auth.client_token).read('auth/token/lookup-self')).status).toBe(403);
      expect(self.body.data.policies).not.toContain('default');
      expect(self.body.data.explicit_max_ttl).toBe(3600);
      expect(self.body.data.type).toBe('service');
      // It cannot make child tokens.
      const child = await vault.withToken(answer.body.auth.client_token).request('POST', 'auth/token/create', { ttl: '1m' });
      expect(child.status).toBe(403);
    });

  test('the server holds one role per cell, each bound to its own router role only', async () => {
    const roles = (await rootVault(engines).request('LIST', `auth/${blueprint.naming.vaultAwsAuthMountPath}/role`)).body.data.keys;
    expect([...roles].sort()).toEqual(cells.map((t) => t.router.vaultAuthRoleName).sort());
    for (const tenant of cells) {
      const role = (await rootVault(engines).read(`auth/${blueprint.naming.vaultAwsAuthMountPath}/role/${tenant.router.vaultAuthRoleName}`)).body.data;
      expect(role).toMatchObject({ auth_type: 'iam', bound_iam_principal_arn: [tenant.router.roleArn], token_policies: [tenant.router.vaultPolicyName] });
      // resolve_aws_unique_ids: the server stored the emulator role's unique id, not just its name.
      expect(role.bound_iam_principal_id).toEqual([state.roles[tenant.router.roleName].roleId]);
    }
  });

  test('without the server-id header the login is refused', async () => {
    const answer = await login(routerRoleArn, { serverId: undefined });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body.errors)).toMatch(/X-Vault-AWS-IAM-Server-ID/i);
  });

  test('a login signed for another server id (a replay against another Vault) is refused', async () => {
    const answer = await login(routerRoleArn, { serverId: 'vault.other.example' });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body.errors)).toMatch(/server ID|X-Vault-AWS-IAM-Server-ID/i);
  });

  test('another role of the same account is refused', async () => {
    const answer = await login(state.roles[STRANGER_ROLE].arn);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.body.auth).toBeUndefined();
  });

  test('the router role logging in to a role name that does not exist is refused', async () => {
    const answer = await login(routerRoleArn, { serverId, role: 'admin' });
    expect(answer.status).toBe(400);
    expect(answer.body.auth).toBeUndefined();
  });
});

describe('AWS dynamic credentials (item 5)', () => {
  test.each(blueprint.targets.map((t) => [t.vaultCredentialsPath, t]))('%s: its tenant\'s cell gets emulator STS credentials of exactly that role, with the TTL, external id and session tags', async (credPath, target) => {
    const cell = cellOf(target.tenantId);
    const token = (await login(state.roles[cell.roleName].arn, { serverId, role: cell.vaultAuthRoleName })).body.auth.client_token;
    const before = stsRequests().length;
    const answer = await vault.withToken(token).read(credPath);
    expect(answer.status).toBe(200);
    rememberSecrets(answer.body.data.secret_key, answer.body.data.security_token);
    expect(answer.body.lease_duration).toBe(900);
    expect(answer.body.data.access_key).toMatch(/^[A-Z0-9]{16,}$/);
    expect(answer.body.data.arn).toMatch(new RegExp(`^arn:aws:sts::${engines.moto.account}:assumed-role/${target.roleName}/`));
    const assume = stsRequests().slice(before).filter((r) => r.Action === 'AssumeRole');
    expect(assume).toHaveLength(1);
    expect(assume[0]).toMatchObject({ RoleArn: target.roleArn, ExternalId: `gateward:${blueprint.name}:${target.tenantId}`, DurationSeconds: '900' });
    const tags = Object.fromEntries(Object.keys(assume[0]).filter((k) => /^Tags\.member\.\d+\.Key$/.test(k))
      .map((k) => [assume[0][k], assume[0][k.replace(/Key$/, 'Value')]]));
    expect(tags).toEqual({ 'gateward:gateway': blueprint.name, 'gateward:tenant': target.tenantId });
  });

  test('the router cannot read credentials outside its policy, nor configure an engine', async () => {
    const token = (await login(routerRoleArn)).body.auth.client_token;
    const tenant = blueprint.targets[0];
    const mount = tenant.vaultCredentialsPath.replace(/\/creds\/.*/, '');
    expect((await vault.withToken(token).read(`${mount}/config/root`)).status).toBe(403);
    expect((await vault.withToken(token).read(`${mount}/creds/not-a-target`)).status).toBe(403);
    expect((await vault.withToken(token).read(`${mount}/roles/${tenant.vaultCredentialsPath.split('/').pop()}`)).status).toBe(403);
  });
});
