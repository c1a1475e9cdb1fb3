import type { APIGatewayProxyEvent } from 'aws-lambda';
import { tenantChatPath } from '../../src/contract/router-routes';
import { GatewayWorld } from '../support/runtime/gateway-world';
import { LoopbackServer, Received } from '../support/runtime/loopback';
import { loopbackCertificate } from '../support/runtime/tls';

// Tenant cells at run time: each tenant's router serves that tenant only, refuses events API
// Gateway did not send, and sends a provider key only to the endpoint its secret binds it to.
// The routers run as deployed (each cell's synthesized environment and the shared routing
// table), against the loopback services of the router tests: a Vault configured from the
// Terraform JSON, AWS services judging with the template's policies, and providers on https.

const HAIKU = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const SONNET_PROFILE = 'us.anthropic.claude-sonnet-4-20250514-v1:0';
const SUPPORT_BOT = 'arn:aws:iam::444455556666:role/support-bot-prod';
const RESEARCH_AGENT = 'arn:aws:iam::111122223333:role/research-agent';
const KEY_SECRET = 'gateward/acme-llm/research/openai';
const ask = (modelId: string, extra: Record<string, unknown> = {}): Record<string, any> => ({ modelId, messages: [{ role: 'user', content: [{ text: 'Summarize ticket 42' }] }], ...extra });
const askKey = () => ask('gpt-4o-mini', { providerKey: 'openai' });
const body = (result: { body: string }) => JSON.parse(result.body);

jest.setTimeout(60000);

let world: GatewayWorld;
beforeAll(async () => { world = await GatewayWorld.start(); });
afterAll(async () => { await world.stop(); });
beforeEach(() => world.reset());

/** Nothing was asked of any service: no policy decision, no Vault login or read, no model or provider call. */
const nothingAsked = () => {
  expect(world.aws.calls).toEqual([]);
  expect(world.vault.logins).toBe(0);
  expect(world.vault.readAttempts).toEqual([]);
  expect(world.providerRequests).toEqual([]);
};

describe('a cell serves its own tenant only', () => {
  test('the example has one cell per tenant, each with its own function, role and Vault role', () => {
    expect(world.cellTenants()).toEqual(['support', 'research']);
    expect(world.cellTenants().map((t) => {
      const { settings, functionArn } = world.cell(t);
      return [settings.tenant.id, settings.vault.authRole, settings.method.resource, functionArn];
    })).toEqual([
      ['support', 'router-support', '/v1/tenants/support/chat', 'arn:aws:lambda:us-east-1:111122223333:function:acme-llm-support-router'],
      ['research', 'router-research', '/v1/tenants/research/chat', 'arn:aws:lambda:us-east-1:111122223333:function:acme-llm-research-router'],
    ]);
  });

  test.each([
    ['support', 'research-agent', 'research', RESEARCH_AGENT],
    ['research', 'support-bot', 'support', SUPPORT_BOT],
  ])('the %s cell refuses %s, a workload of tenant %s, before the policy store or Vault is asked', async (cell, workload, tenant, caller) => {
    const result = await world.cell(cell).router.handle(world.event(caller, ask(HAIKU), 'req-n', cell));
    expect(result.statusCode).toBe(403);
    expect(body(result).error).toEqual({
      code: 'TENANT_NOT_SERVED',
      message: `Workload ${workload} belongs to tenant ${tenant}; this router cell serves tenant ${cell} only. Call your tenant's path, /v1/tenants/${tenant}/chat.`,
      requestId: 'req-n',
    });
    nothingAsked();
    const [record] = world.records();
    expect(record).toMatchObject({ cell, workload, tenant, outcome: { status: 403, reason: 'TENANT_NOT_SERVED' } });
    expect(record.decision).toBeUndefined();
    expect(record.credentialsPath).toBeUndefined();
  });

  test('each cell signs as its own role, logs in as its own Vault role and reads its own tenant\'s paths only', async () => {
    expect((await world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU)))).statusCode).toBe(200);
    expect((await world.router.handle(world.event(RESEARCH_AGENT, ask(SONNET_PROFILE)))).statusCode).toBe(200);
    expect((await world.router.handle(world.event(RESEARCH_AGENT, askKey()))).statusCode).toBe(200);
    expect(world.vault.readAttempts).toEqual([
      { role: 'router-support', path: 'acme-llm/support/aws/creds/models', status: 200 },
      { role: 'router-research', path: 'acme-llm/research/aws/creds/models', status: 200 },
      { role: 'router-research', path: 'acme-llm/research/aws/creds/key-openai', status: 200 },
    ]);
    expect(world.aws.calls.filter((c) => c.service === 'verifiedpermissions').map((c) => c.roleArn.split('/').pop()))
      .toEqual(['acme-llm-support-router', 'acme-llm-research-router', 'acme-llm-research-router']);
    expect(world.records().map((r) => [r.cell, r.tenant])).toEqual([['support', 'support'], ['research', 'research'], ['research', 'research']]);
  });

  test('a cell whose table were changed to name another tenant\'s path still cannot read it: its Vault policy holds its own paths only', async () => {
    // Stands for a compromised cell: the Vault plane's policy, not the router's code, stops it.
    world.reconfigure((s) => (s.tenant.id !== 'support' ? s
      : { ...s, tenant: { ...s.tenant, modelsCredentialsPath: 'acme-llm/research/aws/creds/models' } }));
    const result = await world.router.handle(world.event(SUPPORT_BOT, ask(HAIKU)));
    expect(result.statusCode).toBe(503);
    expect(body(result).error.code).toBe('CREDENTIALS_UNAVAILABLE');
    expect(world.vault.readAttempts).toEqual([{ role: 'router-support', path: 'acme-llm/research/aws/creds/models', status: 403 }]);
    expect(world.aws.calls.map((c) => c.service)).toEqual(['verifiedpermissions']);
  });
});

describe('an event API Gateway did not send is refused before anything is asked', () => {
  type Forge = (event: any) => void;
  const research = tenantChatPath('research');
  test.each<[string, Forge, string]>([
    ['for another API', (e) => { e.requestContext.apiId = 'a1b2c3d4e5'; }, 'requestContext.apiId is not the API of this router cell'],
    ['for another stage', (e) => { e.requestContext.stage = 'test'; }, 'requestContext.stage is not the API\'s stage'],
    ['for another account', (e) => { e.requestContext.accountId = '999999999999'; }, 'requestContext.accountId is not the gateway\'s account'],
    ['on another tenant\'s path', (e) => { e.resource = research; e.path = research; e.requestContext.resourcePath = research; },
      'resource is not /v1/tenants/support/chat, the chat method of the tenant this cell serves'],
    ['whose two resource paths disagree', (e) => { e.requestContext.resourcePath = research; }, 'resource is not /v1/tenants/support/chat'],
    ['with another method', (e) => { e.httpMethod = 'GET'; e.requestContext.httpMethod = 'GET'; }, 'httpMethod is not POST'],
    ['with no request context', (e) => { delete e.requestContext; }, 'the event has no requestContext'],
    ['with no signed caller', (e) => { e.requestContext.identity.userArn = null; }, 'requestContext.identity.userArn is missing: the request was not signed'],
    ['with no identity at all', (e) => { delete e.requestContext.identity; }, 'requestContext.identity.userArn is missing'],
  ])('an event %s', async (_, forge, problem) => {
    const event = world.event(SUPPORT_BOT, ask(HAIKU), 'req-f', 'support') as any;
    forge(event);
    const result = await world.cell('support').router.handle(event as APIGatewayProxyEvent);
    expect(result.statusCode).toBe(403);
    expect(body(result).error.code).toBe('FORGED_EVENT');
    expect(body(result).error.message).toContain(problem);
    nothingAsked();
    const [record] = world.records();
    expect(record).toMatchObject({ cell: 'support', outcome: { status: 403, reason: 'FORGED_EVENT', message: expect.stringContaining(problem) } });
    expect(record.workload).toBeUndefined();
  });

  test('a payload that is no event at all', async () => {
    const result = await world.cell('support').router.handle(null as unknown as APIGatewayProxyEvent);
    expect(body(result).error).toMatchObject({ code: 'FORGED_EVENT', message: 'The event did not come from this router cell\'s API method: the event has no requestContext.' });
    nothingAsked();
    expect(world.records()).toHaveLength(1);
  });

  test('every problem of an event is named at once', async () => {
    const event = world.event(SUPPORT_BOT, ask(HAIKU), 'req-f', 'support') as any;
    Object.assign(event.requestContext, { apiId: 'x', stage: 'y', accountId: '1' });
    event.httpMethod = 'PUT';
    const result = await world.cell('support').router.handle(event);
    expect(body(result).error.message).toBe('The event did not come from this router cell\'s API method: '
      + 'requestContext.apiId is not the API of this router cell; requestContext.stage is not the API\'s stage; '
      + 'requestContext.accountId is not the gateway\'s account; httpMethod is not POST.');
  });

  test('the same event, as API Gateway sends it, is served', async () => {
    const result = await world.cell('support').router.handle(world.event(SUPPORT_BOT, ask(HAIKU), 'req-f', 'support'));
    expect(result.statusCode).toBe(200);
  });
});

describe('a provider key goes only to the endpoint its secret binds it to', () => {
  /** A second provider on https: it answers as a provider would, so a key sent there would be used. */
  let other: LoopbackServer;
  const reachedOther: Received[] = [];
  /** A plain-http server on loopback. */
  let plain: LoopbackServer;
  const reachedPlain: Received[] = [];
  beforeAll(async () => {
    const answer = (seen: Received[]) => (request: Received) => {
      seen.push(request);
      const model = JSON.parse(request.body.toString('utf-8') || '{}').model;
      return { status: 200, body: { choices: [{ message: { content: `${model} answers elsewhere` }, finish_reason: 'stop' }], usage: {} } };
    };
    other = await LoopbackServer.start(answer(reachedOther), loopbackCertificate());
    plain = await LoopbackServer.start(answer(reachedPlain));
  });
  afterAll(async () => { await Promise.all([other.stop(), plain.stop()]); });
  beforeEach(() => {
    reachedOther.length = 0;
    reachedPlain.length = 0;
  });

  const key = () => world.providerKeys[KEY_SECRET];
  const configure = (openai: string) => world.reconfigure((s) => ({ ...s, providerEndpoints: { ...s.providerEndpoints, openai } }));
  /** No response body, no record, and no request to a host the key is not bound to carries the key. */
  const keyNowhere = (...results: Array<{ body: string }>) => {
    for (const text of [...world.logLines, ...results.map((r) => r.body)]) expect(text).not.toContain(key());
    expect(reachedPlain).toEqual([]);
  };

  test('bound to the second provider and configured on its origin: it goes there, at the secret\'s path, and nowhere else', async () => {
    world.putProviderKey(KEY_SECRET, key(), `${other.url}/v1`);
    // Same origin, another path: the configuration agrees on the host, the secret decides the URL.
    configure(`${other.url}/configured-path`);
    const result = await world.router.handle(world.event(RESEARCH_AGENT, askKey()));
    expect(result.statusCode).toBe(200);
    expect(body(result).output.message.content[0].text).toBe('gpt-4o-mini answers elsewhere');
    expect(reachedOther.map((r) => [r.path, r.headers.authorization])).toEqual([['/v1/chat/completions', `Bearer ${key()}`]]);
    expect(world.providerRequests).toEqual([]);
    keyNowhere(result);
  });

  test.each([
    ['configured on the second provider, bound to the first', 'other', 'provider'],
    ['configured on the first provider, bound to the second', 'provider', 'other'],
  ])('%s: refused, and neither host receives anything', async (_, configured, bound) => {
    const url = (which: string) => (which === 'other' ? other.url : world.provider.url);
    world.putProviderKey(KEY_SECRET, key(), `${url(bound)}/v1`);
    configure(`${url(configured)}/v1`);
    const result = await world.router.handle(world.event(RESEARCH_AGENT, askKey(), 'req-m'));
    expect(result.statusCode).toBe(503);
    expect(body(result).error).toEqual({
      code: 'PROVIDER_ENDPOINT_MISMATCH',
      message: `The provider key openai was not sent: its secret binds it to ${url(bound)}, and provider "openai" is configured at ${url(configured)}. `
        + 'Configure the provider at the key\'s endpoint, or have the credential-lifecycle owner bind the key to the configured one.',
      requestId: 'req-m',
    });
    expect(reachedOther).toEqual([]);
    expect(world.providerRequests).toEqual([]);
    expect(world.records()[0]).toMatchObject({ providerKey: 'openai', outcome: { status: 503, reason: 'PROVIDER_ENDPOINT_MISMATCH' } });
    keyNowhere(result);
  });

  test('an http endpoint in the configuration is refused at run time, even on loopback, before the key target\'s credentials are read', async () => {
    world.putProviderKey(KEY_SECRET, key(), `${plain.url}/v1`);
    configure(`${plain.url}/v1`);
    const result = await world.router.handle(world.event(RESEARCH_AGENT, askKey()));
    expect(result.statusCode).toBe(503);
    expect(body(result).error.code).toBe('PROVIDER_ENDPOINT_INSECURE');
    expect(body(result).error.message).toBe('No key was sent: the endpoint configured for provider "openai" is "http:", not https:; a key is sent over https only.');
    expect(world.vault.readAttempts).toEqual([]);
    expect(world.aws.calls.map((c) => c.service)).toEqual(['verifiedpermissions']);
    keyNowhere(result);
  });

  test('an http endpoint in the secret is refused at run time, even on loopback', async () => {
    world.putProviderKey(KEY_SECRET, key(), `${plain.url}/v1`);
    const result = await world.router.handle(world.event(RESEARCH_AGENT, askKey()));
    expect(result.statusCode).toBe(503);
    expect(body(result).error).toMatchObject({
      code: 'PROVIDER_ENDPOINT_INSECURE',
      message: 'The provider key openai was not sent: the endpoint its secret binds it to is "http:", not https:; a key is sent over https only.',
    });
    expect(world.providerRequests).toEqual([]);
    keyNowhere(result);
  });

  test.each<[string, (apiKey: string) => string, string]>([
    ['a plain key', (k) => k, 'is not JSON (a plain key binds to no host)'],
    ['a JSON list', (k) => JSON.stringify([k, 'https://api.openai.com/v1']), 'is not a JSON object'],
    ['a key with no endpoint', (k) => JSON.stringify({ apiKey: k }), 'has no endpoint string'],
    ['an endpoint with no key', () => JSON.stringify({ endpoint: 'https://api.openai.com/v1' }), 'has no apiKey string'],
    ['a field more', (k) => JSON.stringify({ apiKey: k, endpoint: 'https://api.openai.com/v1', organization: 'org-1' }), 'holds fields other than apiKey and endpoint'],
    ['the key under another name', (k) => JSON.stringify({ key: k, endpoint: 'https://api.openai.com/v1' }), 'holds fields other than apiKey and endpoint, has no apiKey string'],
    ['a key a header cannot carry', (k) => JSON.stringify({ apiKey: `${k}\r\nx-injected: 1`, endpoint: 'https://api.openai.com/v1' }), 'has an apiKey with characters an HTTP header cannot carry'],
  ])('a secret holding %s is refused before anything is sent, and the value is in no answer or record', async (_, secretOf, why) => {
    world.providerSecrets[KEY_SECRET] = secretOf(key());
    const result = await world.router.handle(world.event(RESEARCH_AGENT, askKey(), 'req-u'));
    expect(result.statusCode).toBe(503);
    expect(body(result).error).toEqual({
      code: 'PROVIDER_KEY_UNBOUND',
      message: `The provider key openai is not bound to an endpoint: its secret ${why}. The credential-lifecycle owner writes it as {"apiKey": "...", "endpoint": "https://..."}.`,
      requestId: 'req-u',
    });
    expect(world.providerRequests).toEqual([]);
    expect(world.aws.calls.map((c) => c.service)).toEqual(['verifiedpermissions', 'secretsmanager']);
    keyNowhere(result);
    for (const text of [...world.logLines, result.body]) expect(text).not.toContain(world.providerSecrets[KEY_SECRET]);
  });

  test('a redirect from the bound endpoint is not followed: the key never reaches where it points', async () => {
    const redirector = await LoopbackServer.start(() => ({ status: 307, headers: { location: `${other.url}/v1/chat/completions` } }), loopbackCertificate());
    try {
      world.putProviderKey(KEY_SECRET, key(), `${redirector.url}/v1`);
      configure(`${redirector.url}/v1`);
      const result = await world.router.handle(world.event(RESEARCH_AGENT, askKey()));
      expect(result.statusCode).toBe(502);
      expect(body(result).error).toMatchObject({ code: 'MODEL_ERROR', message: 'Provider "openai" refused the call (HTTP 307).' });
      expect(reachedOther).toEqual([]);
      keyNowhere(result);
    } finally {
      await redirector.stop();
    }
  });

  test('the key on its own, not only the secret\'s whole value, is redacted from every log line', async () => {
    expect((await world.router.handle(world.event(RESEARCH_AGENT, askKey()))).statusCode).toBe(200);
    // A caller that sends the key back (here as a model id) gets it into the record's fields.
    const result = await world.router.handle(world.event(RESEARCH_AGENT, ask(key()), 'req-r'));
    expect(result.statusCode).toBe(403);
    const record = world.records()[1];
    expect(record).toMatchObject({ requestId: 'req-r', model: '[redacted]', resources: ['Model::[redacted]'] });
    for (const line of world.logLines) expect(line).not.toContain(key());
  });
});
