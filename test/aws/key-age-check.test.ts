import * as http from 'http';
import { AddressInfo } from 'net';
import { KEY_AGE_CHECK_CODE } from '../../src/aws/private/key-age-check-code';

// The key-age check's deployed source, run with the real AWS SDK against a local server that
// speaks the Secrets Manager and SSM JSON protocols (the SSM side lists the watch parameters, one
// per page, so the check's paging is exercised).

const DAY = 24 * 60 * 60;
const now = Math.floor(Date.now() / 1000);

interface Version { VersionId: string; VersionStages: string[]; CreatedDate: number }
let pages: Record<string, Array<{ Versions: Version[]; NextToken?: string }>> = {};
const calls: string[] = [];
let server: http.Server;
let handler: () => Promise<Array<{ secret: string; ageDays: number }>>;
let logged: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      const target = String(req.headers['x-amz-target']);
      calls.push(target);
      const input = JSON.parse(body);
      if (target === 'AmazonSSM.GetParametersByPath') {
        const arns = Object.keys(pages);
        const index = input.NextToken ? Number(input.NextToken) : 0;
        res.setHeader('content-type', 'application/x-amz-json-1.1');
        if (input.Path !== '/gateward/acme-llm/key-age' || input.Recursive !== true) {
          res.statusCode = 400;
          res.end(JSON.stringify({ __type: 'ValidationException', message: `unexpected path ${input.Path}` }));
          return;
        }
        const arn = arns[index];
        res.end(JSON.stringify({
          Parameters: arn ? [{ Name: `/gateward/acme-llm/key-age/${index}`, Type: 'String', Value: JSON.stringify({ name: arn.split(':secret:')[1], arn }) }] : [],
          ...(index + 1 < arns.length ? { NextToken: String(index + 1) } : {}),
        }));
        return;
      }
      const secretPages = pages[input.SecretId] ?? [];
      const page = secretPages[input.NextToken ? Number(input.NextToken) : 0];
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (target !== 'secretsmanager.ListSecretVersionIds' || !page) {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: 'not found' }));
        return;
      }
      res.end(JSON.stringify({ ARN: input.SecretId, Name: 'n', ...page }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    WATCH_PATH: '/gateward/acme-llm/key-age',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    GATEWAY: 'acme-llm',
    NAMESPACE: 'Gateward/ProviderKeys',
  });
  const module = { exports: {} as { handler: typeof handler } };
  new Function('require', 'module', 'exports', KEY_AGE_CHECK_CODE)(require, module, module.exports);
  handler = module.exports.handler;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  calls.length = 0;
  logged = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => { logged.push(line); });
});
afterEach(() => jest.restoreAllMocks());

function checking(secrets: Record<string, Array<{ Versions: Version[]; NextToken?: string }>>) {
  pages = secrets;
  return handler();
}

const ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:gateward/acme-llm/research/openai-AbCdEf';

test('reports the age of the current value in days, as an embedded metric', async () => {
  const ages = await checking({
    [ARN]: [{
      Versions: [
        { VersionId: 'old', VersionStages: ['AWSPREVIOUS'], CreatedDate: now - 80 * DAY },
        { VersionId: 'cur', VersionStages: ['AWSCURRENT'], CreatedDate: now - 40 * DAY - 3600 },
      ],
    }],
  });
  expect(ages).toEqual([{ secret: 'gateward/acme-llm/research/openai-AbCdEf', ageDays: 40 }]);
  const record = JSON.parse(logged[0]);
  expect(record).toMatchObject({
    Gateway: 'acme-llm',
    SecretName: 'gateward/acme-llm/research/openai-AbCdEf',
    KeyAgeDays: 40,
    _aws: { CloudWatchMetrics: [{ Namespace: 'Gateward/ProviderKeys', Dimensions: [['Gateway', 'SecretName']], Metrics: [{ Name: 'KeyAgeDays' }] }] },
  });
});

test('reads every key on the watch list, across pages, in name order', async () => {
  const other = ARN.replace('research/openai-AbCdEf', 'support/anthropic-GhIjKl');
  const current = (days: number) => [{ Versions: [{ VersionId: 'c', VersionStages: ['AWSCURRENT'], CreatedDate: now - days * DAY }] }];
  const ages = await checking({ [other]: current(5), [ARN]: current(7) });
  expect(ages).toEqual([{ secret: 'gateward/acme-llm/research/openai-AbCdEf', ageDays: 7 }, { secret: 'gateward/acme-llm/support/anthropic-GhIjKl', ageDays: 5 }]);
  expect(calls.filter((c) => c === 'AmazonSSM.GetParametersByPath')).toHaveLength(2);
});

test('follows pages until it finds the current version', async () => {
  const ages = await checking({
    [ARN]: [
      { Versions: [{ VersionId: 'a', VersionStages: ['AWSPREVIOUS'], CreatedDate: now - 10 * DAY }], NextToken: '1' },
      { Versions: [{ VersionId: 'b', VersionStages: ['AWSCURRENT'], CreatedDate: now - 3 * DAY }] },
    ],
  });
  expect(ages[0].ageDays).toBe(3);
});

test('fails when a key has no current value, so the alarm sees missing data', async () => {
  await expect(checking({ [ARN]: [{ Versions: [{ VersionId: 'a', VersionStages: ['AWSPENDING'], CreatedDate: now }] }] })).rejects.toThrow(/no AWSCURRENT version/);
});

test('reads version metadata only, never a key value', async () => {
  await checking({ [ARN]: [{ Versions: [{ VersionId: 'cur', VersionStages: ['AWSCURRENT'], CreatedDate: now }] }] });
  expect(new Set(calls)).toEqual(new Set(['AmazonSSM.GetParametersByPath', 'secretsmanager.ListSecretVersionIds']));
  expect(KEY_AGE_CHECK_CODE).not.toMatch(/GetSecretValue|DescribeSecret/);
});
