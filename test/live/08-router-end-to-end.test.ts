import * as fs from 'fs';
import { GatewayBlueprint } from '../../src';
import { loadEngines, readSecretFile, rememberSecrets, rootVault, runDir } from '../support/live/engines';
import { EmulatorCredentials, startLiveGatewayWorld } from '../support/live/live-router-world';
import { loadState } from '../support/live/live-world';
import { GatewayWorld } from '../support/runtime/gateway-world';

// Item 8: the router cells end to end with the real OpenBao (the applied plane) instead of the
// stand-in Vault, and STS in the emulator: each tenant's cell logs in with a signed
// GetCallerIdentity of its own router role's emulator session, OpenBao verifies it against the
// emulator's STS and assumes the target roles there. Bedrock, Secrets Manager and Verified Permissions stay the stand-ins of the router test
// (the emulator has no Bedrock and no Cedar); they accept only the credentials the emulator issued.
// Logins and reads are counted where they really happen: OpenBao's audit log and its STS calls.
const engines = loadEngines();
const state = loadState(runDir());
const blueprint = GatewayBlueprint.fromSpec(state.spec);
const root = rootVault(engines);

const HAIKU = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const SONNET_PROFILE = 'us.anthropic.claude-sonnet-4-20250514-v1:0';
const SUPPORT_BOT = 'arn:aws:iam::444455556666:role/support-bot-prod';
const RESEARCH_AGENT = 'arn:aws:iam::111122223333:role/research-agent';
const SUPPORT_CELL = blueprint.tenant('support').router!;
const RESEARCH_CELL = blueprint.tenant('research').router!;
const CELL_POLICIES = blueprint.tenants.flatMap((t) => (t.router ? [t.router.vaultPolicyName] : []));
const SUPPORT_MODELS = blueprint.targets.find((t) => t.vaultCredentialsPath === 'acme-llm/support/aws/creds/models')!;
const ask = (modelId: string, extra: Record<string, unknown> = {}): Record<string, any> => ({ modelId, messages: [{ role: 'user', content: [{ text: 'Summarize ticket 42' }] }], ...extra });
const body = (result: { body: string }) => JSON.parse(result.body);

const stsRequests = (): Array<Record<string, string>> => fs.readFileSync(state.stsRequestsFile, 'utf-8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const loginPath = `auth/${blueprint.naming.vaultAwsAuthMountPath}/login`;
/** The router cells' logins OpenBao answered with a token, from its file audit device. */
const auditedLogins = () => fs.readFileSync(state.auditFile, 'utf-8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
  .filter((e) => e.type === 'response' && e.request?.path === loginPath && CELL_POLICIES.some((p) => e.auth?.policies?.includes(p))).length;
/**
 * What happened at OpenBao since `mark`: the router logins it granted (its audit log) and the
 * target credentials it issued (its AssumeRole calls on the wire to the emulator's STS).
 */
function stsSince(mark: { sts: number; logins: number }): { logins: number; reads: string[] } {
  const targets = new Set(blueprint.targets.map((t) => t.roleArn));
  return {
    logins: auditedLogins() - mark.logins,
    reads: stsRequests().slice(mark.sts).filter((r) => r.Action === 'AssumeRole' && targets.has(r.RoleArn)).map((r) => r.RoleArn),
  };
}

let world: GatewayWorld;
let registry: EmulatorCredentials;
let mark: { sts: number; logins: number };
beforeEach(async () => {
  ({ world, registry } = await startLiveGatewayWorld(engines, state));
  mark = { sts: stsRequests().length, logins: auditedLogins() };
});
afterEach(async () => {
  rememberSecrets(...registry.secrets());
  // Nothing the router wrote carries a secret it handled.
  for (const line of world.logLines) for (const secret of registry.secrets()) expect(line).not.toContain(secret);
  await world.stop();
});

describe('an allowed request', () => {
  test('logs in to OpenBao, gets STS credentials the emulator issued for its tenant\'s role, and calls the model with them', async () => {
    const result = await world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU), 'req-1'));
    expect({ status: result.statusCode, body: body(result).error }).toEqual({ status: 200, body: undefined });
    expect(body(result).output.message.content[0].text).toBe(`${HAIKU} answers "Summarize ticket 42"`);
    expect(world.aws.calls.map((c) => [c.service, c.roleArn.split('/').pop(), c.detail])).toEqual([
      ['verifiedpermissions', 'acme-llm-support-router', `InvokeModel ${HAIKU} ALLOW`],
      ['bedrock', 'acme-llm-support-models', HAIKU],
    ]);
    expect(stsSince(mark)).toEqual({ logins: 1, reads: [SUPPORT_MODELS.roleArn] });

    // The model was called with the very credentials the emulator's STS gave OpenBao.
    const [issued] = registry.issued().filter((c) => c.roleArn === SUPPORT_MODELS.roleArn).slice(-1);
    const [record] = world.records();
    expect(record).toMatchObject({ decision: 'ALLOW', credentialsPath: SUPPORT_MODELS.vaultCredentialsPath, credentialsReused: false, assumedRoleArn: issued.assumedRoleArn });
    expect(record.assumedRoleArn).toMatch(new RegExp(`^arn:aws:sts::${engines.moto.account}:assumed-role/${SUPPORT_MODELS.roleName}/vault-`));
    // The token that read them is the support cell's, with exactly its cell's policy.
    const token = await root.write('auth/token/lookup-accessor', { accessor: record.vaultTokenAccessor });
    expect(token.data).toMatchObject({ policies: [SUPPORT_CELL.vaultPolicyName], path: `auth/${blueprint.naming.vaultAwsAuthMountPath}/login` });
    const role = (await root.read(`auth/${blueprint.naming.vaultAwsAuthMountPath}/role/${SUPPORT_CELL.vaultAuthRoleName}`)).body.data;
    expect(token.data.meta).toMatchObject({ auth_type: 'iam', role_id: role.role_id });
  });

  test('with a provider key: the key target\'s emulator credentials read the key, and only the provider sees it', async () => {
    const result = await world.router.handle(world.event(RESEARCH_AGENT, ask('gpt-4o-mini', { providerKey: 'openai' })));
    expect(result.statusCode).toBe(200);
    expect(world.aws.calls.map((c) => [c.service, c.roleArn.split('/').pop(), c.detail])).toEqual([
      ['verifiedpermissions', 'acme-llm-research-router', 'UseProviderKey research/openai ALLOW'],
      ['secretsmanager', 'acme-llm-research-key-openai', 'gateward/acme-llm/research/openai'],
    ]);
    expect(world.providerCalls).toEqual([{ model: 'gpt-4o-mini' }]);
    expect(stsSince(mark)).toEqual({ logins: 1, reads: [blueprint.targets.find((t) => t.roleName === 'acme-llm-research-key-openai')!.roleArn] });
    // Served by the research cell, whose token carries the research policy only.
    const token = await root.write('auth/token/lookup-accessor', { accessor: world.records()[0].vaultTokenAccessor });
    expect(token.data.policies).toEqual([RESEARCH_CELL.vaultPolicyName]);
  });
});

describe('denied requests never reach OpenBao', () => {
  test('another tenant\'s model: 403 from the policy store, no login, no credentials', async () => {
    const result = await world.router.handle(world.event(SUPPORT_BOT, ask(SONNET_PROFILE)));
    expect(result.statusCode).toBe(403);
    expect(body(result).error).toMatchObject({ code: 'DENIED_BY_POLICY', message: `Denied: InvokeModel on Model ${SONNET_PROFILE}.` });
    expect(world.aws.calls.map((c) => c.service)).toEqual(['verifiedpermissions']);
    expect(stsSince(mark)).toEqual({ logins: 0, reads: [] });
  });

  test('a request made for another tenant: refused by the router itself', async () => {
    const result = await world.router.handle(world.event(SUPPORT_BOT, ask(SONNET_PROFILE, { tenant: 'research' })));
    expect(result.statusCode).toBe(403);
    expect(body(result).error.code).toBe('TENANT_MISMATCH');
    expect(world.aws.calls).toEqual([]);
    expect(stsSince(mark)).toEqual({ logins: 0, reads: [] });
  });

  test('a workload\'s request at another tenant\'s cell: refused by that cell, no login, no credentials', async () => {
    const result = await world.router.handle(world.event(SUPPORT_BOT, ask(SONNET_PROFILE), 'req-other-cell', 'research'));
    expect(result.statusCode).toBe(403);
    expect(body(result).error.code).toBe('TENANT_NOT_SERVED');
    expect(world.aws.calls).toEqual([]);
    expect(stsSince(mark)).toEqual({ logins: 0, reads: [] });
  });

  test('an event API Gateway did not send (another API id): refused as forged, no login, no credentials', async () => {
    const event = world.event(SUPPORT_BOT, ask(HAIKU));
    const result = await world.router.handle({ ...event, requestContext: { ...event.requestContext, apiId: 'a1b2c3d4e5' } });
    expect(result.statusCode).toBe(403);
    expect(body(result).error.code).toBe('FORGED_EVENT');
    expect(world.aws.calls).toEqual([]);
    expect(stsSince(mark)).toEqual({ logins: 0, reads: [] });
  });

  test('a suspended workload: 403 by the suspension\'s forbid, no login, no credentials', async () => {
    await world.stop();
    ({ world, registry } = await startLiveGatewayWorld(engines, state, { ...state.spec, suspended: { workloads: ['support-bot'] } }));
    const result = await world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU)));
    expect(result.statusCode).toBe(403);
    expect(world.records()[0]).toMatchObject({ decision: 'DENY', determiningPolicies: ['forbid-suspended-workload-support-bot'] });
    expect(stsSince(mark)).toEqual({ logins: 0, reads: [] });
  });
});

describe('OpenBao sealed', () => {
  test('is a 503 with no model call; once unsealed the same router is served again', async () => {
    await root.write('sys/seal', {}, 'PUT');
    try {
      expect((await root.read('sys/seal-status')).body.sealed).toBe(true);
      const result = await world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU)));
      expect(result.statusCode).toBe(503);
      expect(body(result).error.code).toBe('VAULT_UNAVAILABLE');
      expect(world.aws.calls.map((c) => c.service)).toEqual(['verifiedpermissions']);
    } finally {
      await root.write('sys/unseal', { key: readSecretFile(engines.openbao.unsealKeyFile) }, 'PUT');
      for (let i = 0; i < 100 && (await root.read('sys/health')).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
    }
    expect(stsSince(mark)).toEqual({ logins: 0, reads: [] });
    const again = await world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU)));
    expect(again.statusCode).toBe(200);
    expect(stsSince(mark)).toEqual({ logins: 1, reads: [SUPPORT_MODELS.roleArn] });
  });
});

describe('credentials and tokens', () => {
  test('are reused within their lifetime and replaced after it: a new login, and new credentials from STS', async () => {
    const call = async () => expect((await world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU)))).statusCode).toBe(200);
    await call();
    world.clock.advance(600);
    await call();
    expect(stsSince(mark)).toEqual({ logins: 1, reads: [SUPPORT_MODELS.roleArn] });
    expect(world.records().map((r) => r.credentialsReused)).toEqual([false, true]);

    // The lease OpenBao gave is 900 s; the router stops using it 60 s before the end.
    world.clock.advance(241);
    await call();
    expect(stsSince(mark)).toEqual({ logins: 2, reads: [SUPPORT_MODELS.roleArn, SUPPORT_MODELS.roleArn] });
    const [first, , third] = world.records();
    expect(third.credentialsReused).toBe(false);
    expect(third.assumedRoleArn).not.toBe(first.assumedRoleArn);
    expect(third.vaultTokenAccessor).not.toBe(first.vaultTokenAccessor);
    const keys = registry.issued().filter((c) => c.roleArn === SUPPORT_MODELS.roleArn).slice(-2).map((c) => c.accessKeyId);
    expect(new Set(keys).size).toBe(2);
    expect(new Set(world.aws.calls.filter((c) => c.service === 'bedrock').map((c) => c.roleArn))).toEqual(new Set([SUPPORT_MODELS.roleArn]));
  });

  test('concurrent requests share one login and one read', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU)))));
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    expect(stsSince(mark)).toEqual({ logins: 1, reads: [SUPPORT_MODELS.roleArn] });
  });
});
