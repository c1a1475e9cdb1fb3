import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayWorld } from '../support/runtime/gateway-world';
import { LoopbackServer } from '../support/runtime/loopback';

// The router in-process, against loopback servers that speak Vault's HTTP API, Verified
// Permissions, Bedrock Runtime, Secrets Manager and an OpenAI-compatible provider. The servers
// are configured from the synthesized planes: Vault from the Terraform JSON, the policy store from
// the Cedar policies in the template, Bedrock and Secrets Manager from its IAM policies.

const HAIKU = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const SONNET_PROFILE = 'us.anthropic.claude-sonnet-4-20250514-v1:0';
const SUPPORT_BOT = 'arn:aws:iam::444455556666:role/support-bot-prod';
const RESEARCH_AGENT = 'arn:aws:iam::111122223333:role/research-agent';
const ask = (modelId: string, extra: Record<string, unknown> = {}) => ({ modelId, messages: [{ role: 'user', content: [{ text: 'Summarize ticket 42' }] }], ...extra });
const body = (result: { body: string }) => JSON.parse(result.body);

let world: GatewayWorld;
beforeEach(async () => { world = await GatewayWorld.start(); });
afterEach(async () => { await world.stop(); });

describe('an allowed request', () => {
  test('is authorized, gets its tenant\'s credentials from Vault and calls the model with them', async () => {
    const result = await world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU), 'req-1'));
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['x-gateward-request-id']).toBe('req-1');
    expect(body(result).output.message.content[0].text).toBe(`${HAIKU} answers "Summarize ticket 42"`);

    expect(world.aws.calls.map((c) => [c.service, c.roleArn.split('/').pop(), c.detail])).toEqual([
      ['verifiedpermissions', 'acme-llm-router', `InvokeModel ${HAIKU} ALLOW`],
      ['bedrock', 'acme-llm-support-models', HAIKU],
    ]);
    expect(world.vault.reads).toEqual(['acme-llm/support/aws/creds/models']);

    const [record] = world.records();
    expect(record).toMatchObject({
      type: 'gateward.identity-chain',
      gateway: 'acme-llm',
      requestId: 'req-1',
      callerArn: 'arn:aws:sts::444455556666:assumed-role/support-bot-prod/session-1',
      workload: 'support-bot',
      tenant: 'support',
      action: 'InvokeModel',
      resources: [`Model::${HAIKU}`],
      decision: 'ALLOW',
      determiningPolicies: ['permit-support-invoke-model'],
      model: HAIKU,
      credentialsPath: 'acme-llm/support/aws/creds/models',
      credentialsReused: false,
      outcome: { status: 200, reason: 'OK' },
      usage: { inputTokens: 12, outputTokens: 7 },
    });
    expect(record.vaultTokenAccessor).toMatch(/^[\w-]{16}$/);
    expect(record.assumedRoleArn).toMatch(/^arn:aws:sts::111122223333:assumed-role\/acme-llm-support-models\/vault-aws-models-/);
    expect(record.assumedRoleSessionName).toBe(record.assumedRoleArn.split('/').pop());
    expect(record.latencyMs.total).toBeGreaterThanOrEqual(0);
  });

  test('through an inference profile, with the tools the tenant may call', async () => {
    const tools = { toolConfig: { tools: [{ toolSpec: { name: 'web-search', inputSchema: { json: { type: 'object' } } } }] } };
    const result = await world.router.handle(world.event(RESEARCH_AGENT, ask(SONNET_PROFILE, tools)));
    expect(result.statusCode).toBe(200);
    expect(world.aws.calls.map((c) => c.detail)).toEqual([`InvokeModel ${SONNET_PROFILE} ALLOW`, 'CallTool web-search ALLOW', SONNET_PROFILE]);
    expect(world.records()[0].resources).toEqual([`Model::${SONNET_PROFILE}`, 'Tool::web-search']);
  });

  test('with a provider key: the key target\'s credentials read the key, and only the provider sees it', async () => {
    const result = await world.router.handle(world.event(RESEARCH_AGENT, ask('gpt-4o-mini', { providerKey: 'openai' })));
    expect(result.statusCode).toBe(200);
    expect(body(result).output.message.content[0].text).toBe('gpt-4o-mini answers "Summarize ticket 42"');
    expect(world.aws.calls.map((c) => [c.service, c.roleArn.split('/').pop(), c.detail])).toEqual([
      ['verifiedpermissions', 'acme-llm-router', 'UseProviderKey research/openai ALLOW'],
      ['secretsmanager', 'acme-llm-research-key-openai', 'gateward/acme-llm/research/openai'],
    ]);
    expect(world.providerCalls).toEqual([{ model: 'gpt-4o-mini' }]);
    expect(world.records()[0]).toMatchObject({ action: 'UseProviderKey', providerKey: 'openai', determiningPolicies: ['permit-research-use-provider-key'] });
  });
});

describe('a denied request is a 403 with a reason, before any credential is requested', () => {
  const expectNoCredentials = () => {
    expect(world.vault.logins).toBe(0);
    expect(world.vault.reads).toEqual([]);
    expect(world.aws.calls.filter((c) => c.service !== 'verifiedpermissions')).toEqual([]);
  };

  test('another tenant\'s model', async () => {
    const result = await world.router.handle(world.event(SUPPORT_BOT, ask(SONNET_PROFILE)));
    expect(result.statusCode).toBe(403);
    expect(body(result).error).toMatchObject({ code: 'DENIED_BY_POLICY', message: `Denied: InvokeModel on Model ${SONNET_PROFILE}.` });
    expectNoCredentials();
    expect(world.records()[0]).toMatchObject({ decision: 'DENY', outcome: { status: 403, reason: 'DENIED_BY_POLICY' } });
  });

  test('a request made for another tenant, to use its provider key', async () => {
    const result = await world.router.handle(world.event(SUPPORT_BOT, ask('gpt-4o-mini', { tenant: 'research', providerKey: 'openai' })));
    expect(result.statusCode).toBe(403);
    expectNoCredentials();
    expect(world.records()[0]).toMatchObject({ claimedTenant: 'research', decision: 'DENY', determiningPolicies: ['forbid-cross-tenant-data', 'forbid-tenant-mismatch'] });
  });

  test('a tool of another tenant', async () => {
    const tools = { toolConfig: { tools: [{ toolSpec: { name: 'web-search' } }] } };
    const result = await world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU, tools)));
    expect(body(result).error.message).toBe('Denied: CallTool on Tool web-search.');
    expectNoCredentials();
  });

  test('a suspended workload', async () => {
    await world.stop();
    world = await GatewayWorld.start({ ...exampleSpec, suspended: { workloads: ['support-bot'] } });
    const result = await world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU)));
    expect(result.statusCode).toBe(403);
    expect(world.records()[0]).toMatchObject({ decision: 'DENY', determiningPolicies: ['forbid-suspended-workload-support-bot'] });
    expectNoCredentials();
  });

  test('a caller that is not a workload of the gateway is refused before the policy store is asked', async () => {
    const result = await world.router.handle(world.event('arn:aws:iam::111122223333:role/someone-else', ask(HAIKU)));
    expect(result.statusCode).toBe(403);
    expect(body(result).error.code).toBe('CALLER_UNKNOWN');
    expect(world.aws.calls).toEqual([]);
    expectNoCredentials();
  });

  test('an invalid body is a 400 naming every problem, before anything is asked', async () => {
    const result = await world.router.handle(world.event(SUPPORT_BOT, { modelId: '', messages: [{ role: 'system', content: [] }] }));
    expect(result.statusCode).toBe(400);
    expect(body(result).error.message).toBe('The chat request is invalid: modelId: a model id of 1 to 2048 characters is required; '
      + 'messages[0].role: must be "user" or "assistant"; messages[0].content: 1 to 50 content blocks are required.');
    expect(world.aws.calls).toEqual([]);
  });
});

describe('failures are 503s, with no fallback', () => {
  test('Vault down: no model call', async () => {
    await world.vault.stop();
    const result = await world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU)));
    expect(result.statusCode).toBe(503);
    expect(body(result).error.code).toBe('VAULT_UNAVAILABLE');
    expect(world.aws.calls.map((c) => c.service)).toEqual(['verifiedpermissions']);
  });

  test('Vault failing: no model call', async () => {
    world.vault.failWith = 500;
    const result = await world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU)));
    expect(result.statusCode).toBe(503);
    expect(body(result).error.code).toBe('VAULT_UNAVAILABLE');
    expect(world.aws.calls.map((c) => c.service)).toEqual(['verifiedpermissions']);
  });

  test('the policy store unavailable: Vault is not even asked', async () => {
    world.aws.policyStoreFailure = 500;
    const result = await world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU)));
    expect(result.statusCode).toBe(503);
    expect(body(result).error.code).toBe('POLICY_STORE_UNAVAILABLE');
    expect(world.vault.logins).toBe(0);
  });

  test('expired credentials are never used when Vault cannot issue new ones', async () => {
    expect((await world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU)))).statusCode).toBe(200);
    world.clock.advance(901);
    world.vault.failWith = 503;
    const result = await world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU)));
    expect(result.statusCode).toBe(503);
    expect(world.aws.calls.filter((c) => c.service === 'bedrock')).toHaveLength(1);
  });

  test('a Vault that refuses the read costs one login, not a login per retry', async () => {
    world.vault.refuseReads = true;
    const result = await world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU)));
    expect(result.statusCode).toBe(503);
    expect(body(result).error.code).toBe('CREDENTIALS_UNAVAILABLE');
    expect(world.vault.logins).toBe(1);
    expect(world.aws.calls.map((c) => c.service)).toEqual(['verifiedpermissions']);
  });

  test('a redirect is not followed: the Vault token never goes to another host', async () => {
    const arrived: string[] = [];
    const elsewhere = await LoopbackServer.start((request) => {
      arrived.push(request.path);
      return { status: 200, body: {} };
    });
    try {
      world.vault.redirectTo = elsewhere.url;
      const result = await world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU)));
      expect(result.statusCode).toBe(503);
      expect(body(result).error.code).toBe('VAULT_UNAVAILABLE');
      expect(world.vault.logins).toBe(0);
      expect(arrived).toEqual([]);
    } finally {
      await elsewhere.stop();
    }
  });

  test('a provider without an endpoint is a 501 before its key is read', async () => {
    await world.stop();
    world = await GatewayWorld.start(exampleSpec, (s) => ({ ...s, providerEndpoints: {} }));
    const result = await world.router.handle(world.event(RESEARCH_AGENT, ask('gpt-4o-mini', { providerKey: 'openai' })));
    expect(result.statusCode).toBe(501);
    expect(body(result).error.code).toBe('PROVIDER_NOT_SUPPORTED');
    expect(world.vault.reads).toEqual([]);
  });
});

describe('credentials and tokens', () => {
  test('are reused within their lifetime and replaced after it', async () => {
    const call = () => world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU)));
    await call();
    world.clock.advance(600);
    await call();
    expect(world.vault.logins).toBe(1);
    expect(world.vault.reads).toHaveLength(1);
    expect(world.records().map((r) => r.credentialsReused)).toEqual([false, true]);

    // The lease is 900 s; the router stops using it 60 s before the end.
    world.clock.advance(241);
    await call();
    expect(world.vault.reads).toHaveLength(2);
    expect(world.vault.logins).toBe(2);
    const roles = world.aws.calls.filter((c) => c.service === 'bedrock').map((c) => c.roleArn);
    expect(new Set(roles).size).toBe(1);
    expect(world.records().every((r) => r.outcome.status === 200)).toBe(true);
  });

  test('concurrent requests share one login and one read', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU)))));
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    expect(world.vault.logins).toBe(1);
    expect(world.vault.reads).toHaveLength(1);
    expect(world.records().map((r) => r.credentialsReused).sort()).toEqual([false, true, true, true]);
  });

  test('a rotated provider key is read again instead of failing until the cache expires', async () => {
    const call = () => world.router.handle(world.event(RESEARCH_AGENT, ask('gpt-4o-mini', { providerKey: 'openai' })));
    expect((await call()).statusCode).toBe(200);
    const secretName = 'gateward/acme-llm/research/openai';
    world.providerKeys[secretName] = 'sk-proj-rotated-value-000000000000000000';
    expect((await call()).statusCode).toBe(200);
    expect(world.providerRefusals).toBe(1);
    expect(world.aws.calls.filter((c) => c.service === 'secretsmanager')).toHaveLength(2);
    // Kept a few minutes at most, even while the credentials that read it are still good.
    world.clock.advance(301);
    expect((await call()).statusCode).toBe(200);
    expect(world.aws.calls.filter((c) => c.service === 'secretsmanager')).toHaveLength(3);
  });
});

test('no log line and no response carries a secret value', async () => {
  const responses = [
    await world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU))),
    await world.router.handle(world.event(RESEARCH_AGENT, ask('gpt-4o-mini', { providerKey: 'openai' }))),
    await world.router.handle(world.event(SUPPORT_BOT, ask(SONNET_PROFILE))),
  ];
  const secrets = world.secrets();
  expect(secrets.length).toBeGreaterThan(6);
  expect(world.logLines).toHaveLength(3);
  for (const text of [...world.logLines, ...responses.map((r) => r.body)]) {
    for (const secret of secrets) expect(text).not.toContain(secret);
    // Nothing had to be redacted: records are built from identifiers only.
    expect(text).not.toContain('[redacted]');
  }
});
