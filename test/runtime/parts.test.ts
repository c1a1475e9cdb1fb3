// API Gateway's validator cannot run here; ajv (a dev dependency) reads the same draft-4 schema.
import Ajv from 'ajv';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayBlueprint } from '../../src';
import { routerRoutes } from '../../src/aws/private/router-routes-builder';
import { chatRequestSchema } from '../../src/contract/chat-request-schema';
import { workloadOfCaller } from '../../src/runtime/caller';
import { ConsoleIdentityChainLog } from '../../src/runtime/identity-chain';
import { SecretRegistry, secretForms } from '../../src/runtime/secret-registry';
import { parseChatRequest, requestedTools } from '../../src/runtime/wire';

const routes = routerRoutes(GatewayBlueprint.fromSpec(exampleSpec));

describe('the caller is resolved from the signed role session', () => {
  test.each([
    ['arn:aws:sts::444455556666:assumed-role/support-bot-prod/i-0abc', 'support-bot'],
    ['arn:aws:sts::111122223333:assumed-role/research-agent/botocore-session-1', 'research-agent'],
    // Same role name, other account.
    ['arn:aws:sts::999999999999:assumed-role/support-bot-prod/i-0abc', undefined],
    // Another partition.
    ['arn:aws-cn:sts::444455556666:assumed-role/support-bot-prod/i-0abc', undefined],
    // Not role sessions.
    ['arn:aws:iam::444455556666:user/support-bot-prod', undefined],
    ['arn:aws:iam::444455556666:role/support-bot-prod', undefined],
    ['arn:aws:sts::444455556666:federated-user/support-bot-prod', undefined],
    ['', undefined],
  ])('%s -> %s', (userArn, workload) => {
    expect(workloadOfCaller({ userArn }, routes)?.id).toBe(workload);
  });

  test('role names match whatever their case, and an ambiguous match is no match', () => {
    expect(workloadOfCaller({ userArn: 'arn:aws:sts::444455556666:assumed-role/Support-Bot-Prod/i-0abc' }, routes)?.id).toBe('support-bot');
    const twice = { ...routes, workloads: [...routes.workloads, { ...routes.workloads[0], id: 'copy' }] };
    expect(workloadOfCaller({ userArn: 'arn:aws:sts::444455556666:assumed-role/support-bot-prod/i-0abc' }, twice)).toBeUndefined();
  });

  test('names that are not in the routing table are never read from the object prototype', () => {
    expect(workloadOfCaller({ userArn: 'arn:aws:sts::444455556666:assumed-role/constructor/x' }, routes)).toBeUndefined();
  });

  test('Kubernetes service-account workloads are not callers of the API', () => {
    expect(routes.workloads.map((w) => w.id)).toEqual(['support-bot', 'research-agent']);
  });
});

describe('chat requests', () => {
  const valid = { modelId: 'm', messages: [{ role: 'user', content: [{ text: 'hi' }] }] };

  test('a valid request is accepted as it is', () => {
    expect(parseChatRequest(JSON.stringify(valid))).toEqual(valid);
    expect(parseChatRequest(Buffer.from(JSON.stringify(valid)).toString('base64'), true)).toEqual(valid);
  });

  test.each([
    ['not json', 'The body is not JSON'],
    ['[]', 'The body must be a JSON object.'],
    [JSON.stringify({ ...valid, providerKey: '../etc' }), 'providerKey: must be an id'],
    [JSON.stringify({ ...valid, inferenceConfig: { maxTokens: 0, temperature: 2, stopSequences: [1] } }),
      'inferenceConfig.maxTokens: a positive integer; inferenceConfig.temperature: a number from 0 to 1; inferenceConfig.stopSequences: at most 4 strings'],
    [JSON.stringify({ ...valid, system: [{ text: '' }] }), 'system: a list of {"text": "..."} blocks'],
    [JSON.stringify({ ...valid, toolConfig: { tools: [{ toolSpec: {} }] } }), 'toolConfig.tools: 1 to 64 tools'],
    [JSON.stringify({ ...valid, messages: [{ role: 'user', content: [{ image: { format: 'png', source: { s3Location: { uri: 's3://b/k' } } } }] }] }),
      'messages[0].content[0]: media inline (bytes), never by s3Location'],
    [JSON.stringify({ ...valid, messages: [{ role: 'user', content: [{ text: 'a', video: {} }] }] }), 'messages[0].content[0]: one of text, image'],
    [JSON.stringify({ ...valid, providerKey: 'openai', toolConfig: { tools: [{ toolSpec: { name: 't' } }] } }), 'toolConfig: tools are supported for Bedrock models only'],
    [JSON.stringify({ ...valid, providerKey: 'openai', messages: [{ role: 'user', content: [{ image: { format: 'png', source: { bytes: 'AA==' } } }] }] }),
      'messages[0].content[0]: a provider key carries text blocks only'],
  ])('%s is refused: %s', (text, message) => {
    expect(() => parseChatRequest(text)).toThrow(message);
  });

  test.each([
    [{ additionalModelRequestFields: {} }, 'additionalModelRequestFields: not accepted (model-specific fields are not forwarded'],
    [{ promptVariables: {} }, 'promptVariables: not accepted'],
    [{ tenat: 'a' }, 'tenat: not a field the gateway accepts; did you mean "tenant"?'],
    [{ messages: [{ role: 'user', content: [{ text: 'hi' }], extra: 1 }] }, 'messages[0].extra: not a field the gateway accepts'],
    [{ system: [{ text: 'a', cachePoint: {} }] }, 'system: a list of {"text": "..."} blocks'],
    [{ toolConfig: { tools: [{ toolSpec: { name: 't' }, systemTool: { name: 'nova_grounding' } }] } }, 'toolConfig.tools[0].systemTool: not a field the gateway accepts'],
    [{ toolConfig: { tools: [{ toolSpec: { name: 't', inputSchem: {} } }] } }, 'toolConfig.tools[0].toolSpec.inputSchem: not a field the gateway accepts; did you mean "inputSchema"?'],
    [{ toolConfig: { tools: [{ toolSpec: { name: 't' } }], toolChoice: { tool: { name: 'other' } } } }, 'toolConfig.toolChoice: one of'],
    [{ guardrailConfig: 'gr1' }, 'guardrailConfig: must be an object'],
    [{ guardrailConfig: { guardrailIdentifier: 'Not Valid', guardrailVersion: '0', trace: 'on', mode: 'x' } },
      'guardrailConfig.mode: not a field the gateway accepts; the fields are guardrailIdentifier, guardrailVersion, trace; '
      + 'guardrailConfig.guardrailIdentifier: a guardrail id (lower-case letters and digits) or guardrail ARN is required; '
      + 'guardrailConfig.guardrailVersion: a version number (1, 2, ...) or "DRAFT" is required; '
      + 'guardrailConfig.trace: one of enabled, disabled, enabled_full'],
  ])('%j is refused by name: %s', (extra, message) => {
    expect(() => parseChatRequest(JSON.stringify({ ...valid, ...extra }))).toThrow(message);
  });

  test.each([
    { guardrailIdentifier: 'gr0abc1', guardrailVersion: 'DRAFT' },
    { guardrailIdentifier: 'arn:aws:bedrock:us-east-1:111122223333:guardrail/gr0abc1', guardrailVersion: '12', trace: 'enabled_full' },
  ])('guardrail %j is accepted as it is', (guardrailConfig) => {
    expect(parseChatRequest(JSON.stringify({ ...valid, guardrailConfig })).guardrailConfig).toEqual(guardrailConfig);
  });

  test('a tool choice among the offered tools is accepted', () => {
    const toolConfig = { tools: [{ toolSpec: { name: 't', description: 'd', inputSchema: { json: {} } } }], toolChoice: { tool: { name: 't' } } };
    expect(parseChatRequest(JSON.stringify({ ...valid, toolConfig })).toolConfig).toEqual(toolConfig);
  });

  describe('API Gateway\'s request model agrees with the router on which fields exist', () => {
    const schema = { ...chatRequestSchema() };
    delete schema.$schema;
    const validate = new Ajv({ allErrors: true }).compile(schema);
    const guardrail = { guardrailIdentifier: 'gr0abc1', guardrailVersion: '1', trace: 'disabled' };
    test.each([
      [{ ...valid, guardrailConfig: guardrail }, true],
      [{ ...valid, toolConfig: { tools: [{ toolSpec: { name: 't', inputSchema: { json: {} } } }], toolChoice: { auto: {} } } }, true],
      [{ ...valid, additionalModelRequestFields: {} }, false],
      [{ ...valid, inferenceConfig: { topK: 1 } }, false],
      [{ ...valid, guardrailConfig: { ...guardrail, extra: 1 } }, false],
      [{ ...valid, guardrailConfig: { ...guardrail, guardrailVersion: 'latest' } }, false],
      [{ ...valid, messages: [{ role: 'user', content: [{ text: 'hi' }], name: 'x' }] }, false],
      [{ ...valid, toolConfig: { tools: [{ toolSpec: { name: 't' }, systemTool: {} }] } }, false],
      [{ ...valid, system: [{ text: 'a', extra: 1 }] }, false],
    ])('%j: schema %s, router the same', (request, accepted) => {
      expect(validate(request)).toBe(accepted);
      const parse = () => parseChatRequest(JSON.stringify(request));
      if (accepted) expect(parse).not.toThrow();
      else expect(parse).toThrow('The chat request is invalid');
    });
  });

  describe('a media reference by s3Location is found by field, not by searching the text', () => {
    const inMessage = (...content: unknown[]) => JSON.stringify({ ...valid, messages: [{ role: 'user', content }] });

    test('at any depth of a block', () => {
      const toolResult = {
        toolResult: { toolUseId: 't1', content: [{ json: { a: [[{ b: 1 }]] } }, { document: { format: 'pdf', name: 'd', source: { s3Location: { uri: 's3://b/k' } } } }] },
      };
      expect(() => parseChatRequest(inMessage({ text: 'hi' }, toolResult))).toThrow('messages[0].content[1]: media inline (bytes), never by s3Location');
    });

    test('however deeply the block nests, without running out of stack', () => {
      const depth = 100000;
      const body = `{"modelId":"m","messages":[{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":${'['.repeat(depth)}{"s3Location":{}}${']'.repeat(depth)}}}]}]}`;
      expect(() => parseChatRequest(body)).toThrow('messages[0].content[0]: media inline (bytes), never by s3Location');
    });

    test('text that names it is text, not a reference', () => {
      const request = JSON.parse(inMessage({ text: 's3Location' }, { text: 'what is "s3Location"?' }));
      expect(parseChatRequest(JSON.stringify(request))).toEqual(request);
    });
  });

  test('the tools a request offers are listed once each', () => {
    const tools = { tools: [{ toolSpec: { name: 'b' } }, { toolSpec: { name: 'a' } }, { toolSpec: { name: 'b' } }] };
    expect(requestedTools(parseChatRequest(JSON.stringify({ ...valid, toolConfig: tools })))).toEqual(['a', 'b']);
  });
});

describe('log lines', () => {
  // Built at run time, so no token-shaped literal sits in the repository.
  const token = `hvs.${'CAESIJtokenvalue'.padEnd(28, '0')}`;
  const record = (message: string) => ({
    type: 'gateward.identity-chain' as const,
    version: 1 as const,
    timestamp: 't',
    gateway: 'g',
    requestId: 'r',
    latencyMs: { total: 1 },
    outcome: { status: 500, reason: 'ROUTER_ERROR', message },
  });

  test('secrets the router has handled are redacted from any line', () => {
    const secrets = new SecretRegistry();
    secrets.add(token, 'short', undefined);
    const lines: string[] = [];
    const log = new ConsoleIdentityChainLog(secrets, (line) => lines.push(line));
    log.write(record(`token ${token} leaked; short stays`));
    expect(lines[0]).toContain('token [redacted] leaked; short stays');
    expect(lines[0]).not.toContain(token);
  });

  // Secrets with every character JSON escapes: quote, backslash, slash, control characters,
  // non-ASCII (one outside the BMP) and a lone surrogate.
  const awkward = [
    `wJalr"XUtnFEMI\\K7MDENG/bPxRfiCY${'+'.repeat(3)}=`,
    `line1\nline2\ttab\u0001ctl-${'x'.repeat(8)}`,
    `clé-sécrète-ß-${'\u{1F511}'}-0123456789`,
    'lone-\ud800-surrogate-0123',
  ];

  test.each(awkward)('%j is redacted in every form a log line can carry it', (secret) => {
    const secrets = new SecretRegistry();
    secrets.add(secret);
    const once = JSON.stringify(secret).slice(1, -1);
    const b64 = Buffer.from(secret, 'utf-8').toString('base64');
    const forms = [
      secret,
      // As JSON.stringify writes it into the record.
      once,
      // A JSON body quoted inside a message, then the record stringified: escaped twice.
      JSON.stringify(once).slice(1, -1),
      // Other encoders: `\/`, and ASCII-only output with lower- and upper-case hex.
      once.replace(/\//g, '\\/'),
      once.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
      once.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`),
      b64,
      Buffer.from(secret, 'utf-8').toString('base64url'),
      // A lone surrogate has no percent-encoding.
      ...(secret.includes('\ud800') ? [] : [encodeURIComponent(secret)]),
    ];
    for (const form of forms) expect(secrets.redact(`before ${form} after`)).toBe('before [redacted] after');
    // Through the log: the record is JSON, so a raw secret in a message is written escaped once,
    // and an upstream JSON body quoted in a message is written escaped twice.
    const lines: string[] = [];
    const log = new ConsoleIdentityChainLog(secrets, (line) => lines.push(line));
    log.write(record(`raw ${secret} raw`));
    log.write(record(`upstream said: ${JSON.stringify({ key: secret })}`));
    expect(lines.map((line) => JSON.parse(line).outcome.message)).toEqual(['raw [redacted] raw', 'upstream said: {"key":"[redacted]"}']);
  });

  test('every form JSON.stringify can produce is covered', () => {
    for (const secret of awkward) {
      const forms = secretForms(secret);
      expect(forms).toContain(JSON.stringify(secret).slice(1, -1));
      expect(forms).toContain(JSON.stringify(JSON.stringify(secret)).slice(1, -1).replace(/^\\"|\\"$/g, ''));
    }
  });

  test('a secret stays redacted after its lease has ended, for the life of the process', () => {
    const secrets = new SecretRegistry();
    secrets.add(token);
    // No clock is consulted: a lease's end does not end the value's validity (a provider key stays
    // valid until rotated, an STS key until its session ends).
    expect(secrets.redact(`later: ${token}`)).toBe('later: [redacted]');
  });

  test('the secrets remembered are bounded in number; the oldest is forgotten first', () => {
    const secrets = new SecretRegistry(3);
    const values = ['first-secret-0', 'second-secret-1', 'third-secret-2', 'fourth-secret-3'];
    secrets.add(values[0]);
    secrets.add(values[1], values[2]);
    // Seen again: now the newest, so the second is the oldest.
    secrets.add(values[0]);
    secrets.add(values[3]);
    expect(values.map((v) => secrets.redact(v))).toEqual(['[redacted]', values[1], '[redacted]', '[redacted]']);
  });
});
