// Compares the shared ACL matcher with a running OpenBao (or Vault) server: every policy of
// test/fixtures/vault-acl/expectations.json is written to the server, and for each path an
// expectation asks about, the server's sys/capabilities answer is compared with the matcher's.
// Usage: BAO_ADDR=http://127.0.0.1:8200 BAO_TOKEN=... npx ts-node --project bench/tsconfig.json bench/vault-acl-crosscheck.ts
import { readFileSync } from 'fs';
import { join } from 'path';
import { VaultPolicyDocument, VaultPolicyMatcher } from '../src';
import { readPolicy } from '../src/vault-acl/policy-text';

const address = process.env.BAO_ADDR ?? process.env.VAULT_ADDR;
const token = process.env.BAO_TOKEN ?? process.env.VAULT_TOKEN;

async function call(method: string, path: string, body?: unknown, as = token): Promise<any> {
  const response = await fetch(`${address}/v1/${path}`, {
    method, headers: { 'X-Vault-Token': as!, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

async function main(): Promise<void> {
  if (!address || !token) throw new Error('set BAO_ADDR and BAO_TOKEN to a server and a token that may write policies');
  const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'test', 'fixtures', 'vault-acl', 'expectations.json'), 'utf8'));
  const written = new Map<string, string>();
  // OpenBao has no `recover` capability (Vault 1.20+ does): such policies are written without it.
  const texts = new Map<string, string>();
  const skipped: string[] = [];
  for (const [key, { hcl }] of Object.entries<{ name: string; hcl: string }>(fixture.policies)) {
    if (key === 'root') continue;
    const serverName = `xcheck-${key.toLowerCase()}`;
    for (const text of [hcl, hcl.replace(/,\s*"recover"/g, '')]) {
      try {
        await call('PUT', `sys/policies/acl/${serverName}`, { policy: text });
        written.set(key, serverName);
        texts.set(key, text);
        break;
      } catch (e) {
        if (text !== hcl || !hcl.includes('"recover"')) skipped.push(`${key}: ${(e as Error).message.split('\n')[0].slice(0, 160)}`);
      }
    }
  }
  const questions = new Map<string, { policies: string[]; path: string }>();
  for (const e of fixture.expectations) {
    const path = e.path ?? e.request?.path;
    if (!e.policies || !path || e.kind === 'reach' || e.kind === 'merged') continue;
    questions.set(`${e.policies.join('+')} ${path}`, { policies: e.policies, path });
  }
  let agree = 0;
  const disagreements: string[] = [];
  let unasked = 0;
  let templated = 0;
  for (const [label, { policies, path }] of questions) {
    const isRoot = policies.includes('root');
    if (!isRoot && !policies.every((p) => written.has(p))) { unasked++; continue; }
    if (isRoot && policies.length > 1) { unasked++; continue; }
    // A template stands for any entity in the matcher; a token without an entity gets nothing from it.
    if (policies.some((p) => fixture.policies[p].hcl.includes('{{'))) { templated++; continue; }
    const child = isRoot ? token : (await call('POST', 'auth/token/create', { policies: policies.map((p) => written.get(p)), no_default_policy: true, ttl: '10m' })).auth.client_token;
    const server = (await call('POST', 'sys/capabilities', { token: child, paths: [path] }))[path] as string[];
    const documents = policies.map((p) => VaultPolicyDocument.forAnalysis(isRoot ? 'root' : fixture.policies[p].name, readPolicy(texts.get(p) ?? '')!.rules));
    const ours = new VaultPolicyMatcher(documents).reportedCapabilities(path);
    if ([...server].sort().join(',') === [...ours].sort().join(',')) agree++;
    else disagreements.push(`${label}: server ${JSON.stringify(server)}, matcher ${JSON.stringify(ours)}`);
  }
  console.log(`asked ${questions.size - unasked - templated} questions: ${agree} agree, ${disagreements.length} disagree; ${unasked} not asked (a policy the server refused, or root with others); ${templated} templated (not comparable)`);
  for (const d of disagreements) console.log(`  disagree ${d}`);
  for (const s of skipped) console.log(`  refused policy ${s}`);
  if (disagreements.length > 0) process.exitCode = 1;
}

main().catch((e) => { console.error(e.message); process.exitCode = 2; });
