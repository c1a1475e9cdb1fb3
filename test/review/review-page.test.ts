import * as fs from 'fs';
import * as path from 'path';
import { Browser, chromium } from 'playwright-core';
import { scratch, synthesizeOutput } from './support/review-fixtures';
import { AccessReview } from '../../src/review';

// review.html in Debian's Chromium, driven by playwright-core, with every network request
// refused: it must open with no console error, and show the matrix, the graph and the answers.

const CHROMIUM = '/usr/bin/chromium';
const KEY = 'gateward/acme-llm/research/openai';
const HAIKU = 'anthropic.claude-3-5-haiku-20241022-v1:0';

let dir: string;
let page: string;
let files: string[];
let browser: Browser;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: run scripts/engines/install.sh (it installs Debian's chromium package)`);
  dir = scratch('review-page');
  const out = synthesizeOutput(path.join(dir, 'out'));
  files = AccessReview.write({ awsOutdir: out.aws, vaultOutdir: out.vault, guardrailsDir: out.guardrails, outDir: path.join(dir, 'review') }).files;
  page = path.join(dir, 'review', 'review.html');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number; bytes: number } {
  const data = fs.readFileSync(file);
  expect(data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20), bytes: data.length };
}

test('AccessReview.write writes the three files', () => {
  expect(files.map((f) => path.basename(f))).toEqual(['review.json', 'review.md', 'review.html']);
  const html = fs.readFileSync(page, 'utf-8');
  // Self-contained: no script, no stylesheet or image to fetch.
  expect(html).not.toMatch(/<script|<link |src="http|url\(http/i);
});

test('the page opens offline with no console error, and shows the matrix, the graph and the three answers', async () => {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1200 }, offline: true });
  const tab = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  tab.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  tab.on('pageerror', (error) => errors.push(String(error)));
  await tab.route('**/*', (route) => {
    requests.push(route.request().url());
    return route.request().url().startsWith('file:') ? route.continue() : route.abort();
  });
  await tab.goto(`file://${page}`);
  expect(errors).toEqual([]);
  expect(requests).toEqual([`file://${page}`]);

  // The matrix: its header cells, and one row per workload with its tenant and how it proves its identity.
  const headers = await tab.locator('#matrix thead th').allTextContents();
  expect(headers).toEqual(['Workload', 'Proves its identity by', 'Tenant', 'Admitted to', 'Served by', 'Models', 'Provider keys', 'Tools', 'Datasets']);
  const rows = tab.locator('#matrix tbody tr');
  expect(await rows.count()).toBe(3);
  const row = (workload: string) => tab.locator(`#matrix tbody tr[data-workload="${workload}"] td`);
  expect(await row('support-bot').allTextContents()).toEqual(expect.arrayContaining(['support', expect.stringContaining('IAM role arn:aws:iam::444455556666:role/support-bot-prod')]));
  expect((await row('support-bot').nth(5).textContent())).toContain(`${HAIKU}: yes`);
  expect(await row('research-agent').allTextContents()).toEqual(expect.arrayContaining(['research']));
  expect((await row('research-agent').nth(6).textContent())).toContain('openai: yes');
  expect(await row('ticket-summarizer').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('EKS service account system:serviceaccount:support:ticket-summarizer')]));
  for (const table of await tab.locator('table').all()) expect(await table.locator('thead th').count()).toBeGreaterThan(0);

  // The graph: a box for each workload, cell, credential path, target role and what they reach.
  const graph = tab.locator('svg#identity-graph');
  await expect(graph.isVisible()).resolves.toBe(true);
  for (const id of ['workload:support-bot', 'workload:research-agent', 'workload:ticket-summarizer', 'cell:support', 'cell:research',
    'path:acme-llm/research/aws/creds/key-openai', `key:${KEY}`, `model:${HAIKU}`, 'database:acme-llm/support/database/creds/kb-vectors']) {
    const node = graph.locator(`g.node[data-id="${id}"]`);
    expect(await node.count()).toBe(1);
    expect(await node.isVisible()).toBe(true);
  }
  expect(await graph.locator('path.edge').count()).toBeGreaterThan(15);
  const box = (await graph.boundingBox())!;
  expect(box.width).toBeGreaterThan(1000);
  expect(box.height).toBeGreaterThan(150);

  // The three answers.
  const keyAnswer = await tab.locator(`[data-answer="provider-key"][data-key="${KEY}"]`).textContent();
  expect(keyAnswer).toContain('can be read by router cell research');
  expect(keyAnswer).toContain('Requests of research-agent are served with it');
  const modelAnswer = await tab.locator(`[data-answer="model"][data-model="${HAIKU}"]`).textContent();
  expect(modelAnswer).toContain('invoked by support-bot (tenant support');
  const routerAnswer = await tab.locator('[data-answer="router"][data-tenant="support"]').textContent();
  expect(routerAnswer).toContain('reaches tenant support only');
  expect(routerAnswer).toContain('It reaches no other tenant.');

  // A screenshot of the whole page and one of the graph, each a real image.
  const shots = scratch('review-shots');
  try {
    await tab.screenshot({ path: path.join(shots, 'review.png'), fullPage: true });
    await graph.screenshot({ path: path.join(shots, 'graph.png') });
    const whole = pngSize(path.join(shots, 'review.png'));
    expect(whole.width).toBeGreaterThanOrEqual(1600);
    expect(whole.height).toBeGreaterThan(3000);
    expect(whole.bytes).toBeGreaterThan(100_000);
    const drawn = pngSize(path.join(shots, 'graph.png'));
    expect(drawn.width).toBeGreaterThan(1000);
    expect(drawn.bytes).toBeGreaterThan(20_000);
  } finally {
    fs.rmSync(shots, { recursive: true, force: true });
  }
  await context.close();
}, 60_000);
