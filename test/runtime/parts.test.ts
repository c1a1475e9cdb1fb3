import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayBlueprint } from '../../src';
import { workloadOfCaller } from '../../src/runtime/caller';
import { ConsoleIdentityChainLog } from '../../src/runtime/identity-chain';
import { SecretRegistry } from '../../src/runtime/secret-registry';
import { parseChatRequest, requestedTools } from '../../src/runtime/wire';
import { routerRoutes } from '../../src/spec/private/router-routes';

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

  test('the tools a request offers are listed once each', () => {
    const tools = { tools: [{ toolSpec: { name: 'b' } }, { toolSpec: { name: 'a' } }, { toolSpec: { name: 'b' } }] };
    expect(requestedTools(parseChatRequest(JSON.stringify({ ...valid, toolConfig: tools })))).toEqual(['a', 'b']);
  });
});

describe('log lines', () => {
  test('secrets the router has handled are redacted from any line', () => {
    // Built at run time, so no token-shaped literal sits in the repository.
    const token = `hvs.${'CAESIJtokenvalue'.padEnd(28, '0')}`;
    let now = 1000;
    const secrets = new SecretRegistry(() => now);
    secrets.add(now + 60000, token, 'short', undefined);
    const lines: string[] = [];
    const log = new ConsoleIdentityChainLog(secrets, (line) => lines.push(line));
    log.write({
      type: 'gateward.identity-chain',
      version: 1,
      timestamp: 't',
      gateway: 'g',
      requestId: 'r',
      latencyMs: { total: 1 },
      outcome: { status: 500, reason: 'ROUTER_ERROR', message: `token ${token} leaked; short stays` },
    });
    expect(lines[0]).toContain('token [redacted] leaked; short stays');
    expect(lines[0]).not.toContain(token);
    // Once it has expired, nothing can use it; it is no longer held.
    now += 60001;
    expect(secrets.redact(token)).toBe(token);
  });
});
