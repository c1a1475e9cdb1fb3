import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { CedarAction, CedarEntityType } from '../../src';
import { Deadline } from '../../src/runtime/deadline';
import { GatewayWorld } from '../support/runtime/gateway-world';
import { HOLD_UNTIL_STOPPED, LoopbackServer } from '../support/runtime/loopback';

// The router in-process, against loopback servers that speak Vault's HTTP API, Verified
// Permissions, Bedrock Runtime, Secrets Manager and an OpenAI-compatible provider. The servers
// are configured from the synthesized planes: Vault from the Terraform JSON, the policy store from
// the Cedar policies in the template, Bedrock and Secrets Manager from its IAM policies.

const HAIKU = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const SONNET_PROFILE = 'us.anthropic.claude-sonnet-4-20250514-v1:0';
const SUPPORT_BOT = 'arn:aws:iam::444455556666:role/support-bot-prod';
const RESEARCH_AGENT = 'arn:aws:iam::111122223333:role/research-agent';
const ask = (modelId: string, extra: Record<string, unknown> = {}): Record<string, any> => ({ modelId, messages: [{ role: 'user', content: [{ text: 'Summarize ticket 42' }] }], ...extra });
const body = (result: { body: string }) => JSON.parse(result.body);
/** The part of a Lambda context the router reads, with this much time left. */
const invocation = (remainingMs: number) => ({ getRemainingTimeInMillis: () => remainingMs });

// Every test synthesizes both planes and starts a world; on a loaded machine that can take longer
// than jest's 5 s default, which is no failure of the router.
jest.setTimeout(30000);

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
      ['verifiedpermissions', 'acme-llm-support-router', `InvokeModel ${HAIKU} ALLOW`],
      ['bedrock', 'acme-llm-support-models', HAIKU],
    ]);
    expect(world.vault.reads).toEqual(['acme-llm/support/aws/creds/models']);

    const [record] = world.records();
    expect(record).toMatchObject({
      type: 'gateward.identity-chain',
      gateway: 'acme-llm',
      cell: 'support',
      requestId: 'req-1',
      callerArn: 'arn:aws:sts::444455556666:assumed-role/support-bot-prod/session-1',
      workload: 'support-bot',
      tenant: 'support',
      action: 'InvokeModel',
      resources: [`Model::${HAIKU}`],
      decision: 'ALLOW',
      // The deciding grant's link: the tenant's permit to invoke this model (the fake names it by construct path).
      determiningPolicies: [`permit-support-invoke-model/${HAIKU}`],
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
    // One link of each grant decided: the model's and the tool's.
    expect(world.records()[0].determiningPolicies).toEqual(['permit-research-call-tool/web-search', `permit-research-invoke-model/${SONNET_PROFILE}`]);
  });

  test('with a provider key: the key target\'s credentials read the key, and only the provider sees it', async () => {
    const result = await world.router.handle(world.event(RESEARCH_AGENT, ask('gpt-4o-mini', { providerKey: 'openai' })));
    expect(result.statusCode).toBe(200);
    expect(body(result).output.message.content[0].text).toBe('gpt-4o-mini answers "Summarize ticket 42"');
    expect(world.aws.calls.map((c) => [c.service, c.roleArn.split('/').pop(), c.detail])).toEqual([
      ['verifiedpermissions', 'acme-llm-research-router', 'UseProviderKey research/openai ALLOW'],
      ['secretsmanager', 'acme-llm-research-key-openai', 'gateward/acme-llm/research/openai'],
    ]);
    expect(world.providerCalls).toEqual([{ model: 'gpt-4o-mini' }]);
    expect(world.records()[0]).toMatchObject({ action: 'UseProviderKey', providerKey: 'openai', determiningPolicies: ['permit-research-use-provider-key/openai'] });
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

  describe('a request made for another tenant is refused by the router itself, before the policy store is asked', () => {
    test.each([
      ['to use its provider key', ask('gpt-4o-mini', { tenant: 'research', providerKey: 'openai' })],
      ['to call its model', ask(SONNET_PROFILE, { tenant: 'research' })],
      ['for a tenant the gateway does not have', ask(HAIKU, { tenant: 'nobody' })],
    ])('%s', async (_, request) => {
      const result = await world.router.handle(world.event(SUPPORT_BOT, request, 'req-t'));
      expect(result.statusCode).toBe(403);
      expect(body(result).error).toEqual({
        code: 'TENANT_MISMATCH',
        message: `Workload support-bot belongs to tenant support and cannot make a request for tenant ${request.tenant}; omit "tenant" or set it to "support".`,
        requestId: 'req-t',
      });
      // Not even the policy store: the refusal does not depend on a policy being in it.
      expect(world.aws.calls).toEqual([]);
      expectNoCredentials();
      const [record] = world.records();
      expect(record).toMatchObject({ workload: 'support-bot', tenant: 'support', claimedTenant: request.tenant, outcome: { status: 403, reason: 'TENANT_MISMATCH' } });
      expect(record.decision).toBeUndefined();
    });

    test('naming its own tenant is allowed', async () => {
      const result = await world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU, { tenant: 'support' })));
      expect(result.statusCode).toBe(200);
      expect(world.records()[0].claimedTenant).toBeUndefined();
    });

    test('the policy store\'s forbid stays as the second line: asked for another tenant, it denies', async () => {
      const workload = world.cell('support').settings.routes.workloads.find((w) => w.id === 'support-bot')!;
      const request = {
        workload,
        tenant: 'research',
        action: CedarAction.USE_PROVIDER_KEY,
        resourceType: CedarEntityType.PROVIDER_KEY,
        resourceId: 'research/openai',
        resourceTenant: 'research',
        resourceProvider: 'openai',
        requestId: 'req-t',
        model: 'gpt-4o-mini',
      };
      const decision = await world.authorizer('support').authorize(request, Deadline.forInvocation());
      expect(decision).toEqual({ allowed: false, determiningPolicies: ['forbid-cross-tenant-data', 'forbid-tenant-mismatch'] });
    });
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
    world.reconfigure((s) => ({ ...s, providerEndpoints: {} }));
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
    world.putProviderKey(secretName, 'sk-proj-rotated-value-000000000000000000');
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

describe('every request is answered and logged before the function times out', () => {
  // A real engine cannot be made slow on purpose, so the loopback stand-ins hold their answers
  // until the world stops: only the request's deadline can end such a request. The deadline runs
  // on timers the test moves by hand, and it passes once the held service has the request, so no
  // real-time margin is involved. The function has 1,200 ms left; the router keeps 1,000 ms back
  // to answer and log, so each request has 200 ms.
  const REMAINING_MS = 1200;
  const BUDGET_MS = 200;

  /** Lets the deadline pass once `service` is holding a request, and returns the answer. */
  const answerAtDeadline = async (service: string, answer: Promise<{ statusCode: number; body: string }>) => {
    await world.holds.until(service);
    world.deadlineTimers.advance(BUDGET_MS);
    return answer;
  };

  test.each([
    ['the policy store', 'verifiedpermissions', (w: GatewayWorld) => { w.aws.holdMs.verifiedpermissions = HOLD_UNTIL_STOPPED; }, SUPPORT_BOT, ask(HAIKU), 'The policy store'],
    ['Vault', 'vault', (w: GatewayWorld) => { w.vault.holdMs = HOLD_UNTIL_STOPPED; }, SUPPORT_BOT, ask(HAIKU), 'Vault'],
    ['Bedrock', 'bedrock', (w: GatewayWorld) => { w.aws.holdMs.bedrock = HOLD_UNTIL_STOPPED; }, SUPPORT_BOT, ask(HAIKU), 'Bedrock'],
    ['Secrets Manager', 'secretsmanager', (w: GatewayWorld) => { w.aws.holdMs.secretsmanager = HOLD_UNTIL_STOPPED; }, RESEARCH_AGENT,
      ask('gpt-4o-mini', { providerKey: 'openai' }), 'Secrets Manager'],
    ['the provider', 'provider', (w: GatewayWorld) => { w.providerHoldMs = HOLD_UNTIL_STOPPED; }, RESEARCH_AGENT,
      ask('gpt-4o-mini', { providerKey: 'openai' }), 'Provider "openai"'],
  ])('%s holding its answer: a 504 in the gateway\'s error shape, and a record', async (_, held, slow, caller, request, service) => {
    slow(world);
    const result = await answerAtDeadline(held, world.router.handle(world.event(caller, request, 'req-slow'), invocation(REMAINING_MS)));
    // Answered when the deadline passed, with no more of the function's time gone: the race's
    // later timer was not needed, and nothing waits on the deadline's timers any more.
    expect(world.deadlineTimers.now()).toBe(BUDGET_MS);
    expect(world.deadlineTimers.now()).toBeLessThan(REMAINING_MS);
    expect(world.deadlineTimers.waiting).toBe(0);
    expect(result.statusCode).toBe(504);
    expect(body(result)).toEqual({
      error: {
        code: 'UPSTREAM_TIMEOUT',
        message: `${service} did not answer within the 200 ms the request had; the request was ended so that it could be answered and logged.`,
        requestId: 'req-slow',
      },
    });
    expect(world.records()).toHaveLength(1);
    expect(world.records()[0]).toMatchObject({ requestId: 'req-slow', workload: expect.any(String), outcome: { status: 504, reason: 'UPSTREAM_TIMEOUT' } });
  });

  test('a Vault call given up at the deadline does not block the next request', async () => {
    world.vault.holdMs = HOLD_UNTIL_STOPPED;
    expect((await answerAtDeadline('vault', world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU)), invocation(REMAINING_MS)))).statusCode).toBe(504);
    // The given-up login is still held: the next request must not wait for it.
    world.vault.holdMs = 0;
    const result = await world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU)), invocation(REMAINING_MS));
    expect(result.statusCode).toBe(200);
    expect(world.records()[1].credentialsReused).toBe(false);
    expect(world.vault.logins).toBe(1);
  });

  test('a model call is not retried past the deadline', async () => {
    world.aws.holdMs.bedrock = HOLD_UNTIL_STOPPED;
    const result = await answerAtDeadline('bedrock', world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU)), invocation(REMAINING_MS)));
    expect(body(result).error.message).toMatch(/^Bedrock did not answer within/);
    world.aws.holdMs.bedrock = 0;
    // Had the SDK retried the aborted call, the retry would reach Bedrock now and be answered.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(world.holds.held('bedrock')).toBe(1);
    expect(world.aws.calls.filter((c) => c.service === 'bedrock')).toEqual([]);
  });

  test('an unexpected failure is a 500 that says nothing of it, and its record names its class', async () => {
    // A routing table that lacks a field (as one from another version might) makes the router's
    // own code throw a TypeError while it checks the guardrail.
    world.reconfigure((s) => ({ ...s, tenant: { ...s.tenant, guardrails: undefined as any } }));
    const guardrailConfig = { guardrailIdentifier: 'gr0research1', guardrailVersion: '1' };
    const result = await world.router.handle(world.event(RESEARCH_AGENT, ask(SONNET_PROFILE, { guardrailConfig }), 'req-x'), invocation(REMAINING_MS));
    expect(result.statusCode).toBe(500);
    expect(body(result).error).toEqual({
      code: 'ROUTER_ERROR', message: 'The router failed; the request id identifies the failure in the decision log.', requestId: 'req-x',
    });
    expect(world.records()).toHaveLength(1);
    expect(world.records()[0]).toMatchObject({
      requestId: 'req-x',
      workload: 'research-agent',
      outcome: { status: 500, reason: 'ROUTER_ERROR', message: 'The router failed; the request id identifies the failure in the decision log. (TypeError)' },
    });
  });
});

describe('every request field is forwarded or refused by name, never dropped', () => {
  const GUARDRAIL = { guardrailIdentifier: 'gr0support1', guardrailVersion: '1', trace: 'enabled' };

  test('the tenant\'s guardrail is forwarded to Converse, applied with the grant the AWS plane makes, and its trace returned', async () => {
    const result = await world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU, { guardrailConfig: GUARDRAIL })));
    expect(result.statusCode).toBe(200);
    expect(world.aws.calls.filter((c) => c.service === 'bedrock')).toEqual([expect.objectContaining({ detail: HAIKU, guardrail: 'gr0support1:1' })]);
    expect(body(result).trace).toEqual({ guardrail: { inputAssessment: { 'gr0support1:1': {} } } });
  });

  test('a tenant whose spec lists no guardrail may apply none', async () => {
    await world.stop();
    world = await GatewayWorld.start({ ...exampleSpec, tenants: exampleSpec.tenants.map((t) => ({ ...t, guardrails: undefined })) });
    const result = await world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU, { guardrailConfig: GUARDRAIL })));
    expect(result.statusCode).toBe(400);
    expect(body(result).error.message).toBe('The chat request is invalid: guardrailConfig.guardrailIdentifier: tenant support may not apply guardrail "gr0support1"; the tenant has none; remove guardrailConfig.');
    expect(world.aws.calls).toEqual([]);
    expect(world.vault.reads).toEqual([]);
  });

  test('the guardrail may be named by its ARN, and any version of a guardrail the spec gives without one', async () => {
    const arn = 'arn:aws:bedrock:us-east-1:111122223333:guardrail/gr0research1';
    const result = await world.router.handle(world.event(RESEARCH_AGENT, ask(SONNET_PROFILE, { guardrailConfig: { guardrailIdentifier: arn, guardrailVersion: 'DRAFT' } })));
    expect(result.statusCode).toBe(200);
    expect(world.aws.calls.filter((c) => c.service === 'bedrock')).toEqual([expect.objectContaining({ detail: SONNET_PROFILE, guardrail: `${arn}:DRAFT` })]);
  });

  test.each([
    ['another tenant\'s guardrail', { guardrailIdentifier: 'gr0research1', guardrailVersion: '1' },
      'guardrailConfig.guardrailIdentifier: tenant support may not apply guardrail "gr0research1"; use one of "gr0support1".'],
    ['a guardrail nobody listed', { guardrailIdentifier: 'gr0other1', guardrailVersion: '1' },
      'guardrailConfig.guardrailIdentifier: tenant support may not apply guardrail "gr0other1"; use one of "gr0support1".'],
    ['its own guardrail in another account', { guardrailIdentifier: 'arn:aws:bedrock:us-east-1:444455556666:guardrail/gr0support1', guardrailVersion: '1' },
      'guardrailConfig.guardrailIdentifier: tenant support may not apply guardrail "arn:aws:bedrock:us-east-1:444455556666:guardrail/gr0support1"'],
    ['a version of its guardrail the spec does not give', { guardrailIdentifier: 'gr0support1', guardrailVersion: 'DRAFT' },
      'guardrailConfig.guardrailVersion: tenant support may apply version "1" of guardrail "gr0support1" only, not "DRAFT"; set guardrailVersion to "1".'],
  ])('%s is a 400 naming the field, before the policy store or Vault is asked', async (_name, guardrailConfig, message) => {
    const result = await world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU, { guardrailConfig }), 'req-g'));
    expect(result.statusCode).toBe(400);
    expect(body(result).error).toEqual({ code: 'BAD_REQUEST', message: expect.stringContaining(message), requestId: 'req-g' });
    expect(world.aws.calls).toEqual([]);
    expect(world.vault.reads).toEqual([]);
    expect(world.records()[0]).toMatchObject({ workload: 'support-bot', tenant: 'support', outcome: { status: 400, reason: 'BAD_REQUEST' } });
  });

  test.each([
    [ask(HAIKU, { additionalModelRequestFields: { top_k: 5 } }),
      'additionalModelRequestFields: not accepted (model-specific fields are not forwarded: the policy store cannot authorize what they turn on; use inferenceConfig, toolConfig and guardrailConfig); remove it'],
    [ask(HAIKU, { requestMetadata: { team: 'a' } }), 'requestMetadata: not accepted (request metadata is not forwarded'],
    [ask(HAIKU, { inferenceConfg: { maxTokens: 5 } }), 'inferenceConfg: not a field the gateway accepts; did you mean "inferenceConfig"?'],
    [ask(HAIKU, { inferenceConfig: { maxTokens: 5, topK: 3 } }), 'inferenceConfig.topK: not a field the gateway accepts; did you mean "topP"?'],
    [ask('gpt-4o-mini', { providerKey: 'openai', guardrailConfig: GUARDRAIL }),
      'guardrailConfig: guardrails are applied by Bedrock, to Bedrock models only, not with providerKey'],
  ])('%j is a 400 naming the field, before anything is asked', async (request, message) => {
    const result = await world.router.handle(world.event(RESEARCH_AGENT, request));
    expect(result.statusCode).toBe(400);
    expect(body(result).error.code).toBe('BAD_REQUEST');
    expect(body(result).error.message).toContain(message);
    expect(world.aws.calls).toEqual([]);
  });
});
