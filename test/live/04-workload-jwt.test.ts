import { createPrivateKey, generateKeyPairSync, KeyObject, sign } from 'crypto';
import { GatewayBlueprint } from '../../src';
import { loadEngines, readSecretFile, rememberSecrets, rootVault, runDir, VaultHttp } from '../support/live/engines';
import { loadState } from '../support/live/live-world';

// Item 4: a Kubernetes workload logs in at the plane's JWT mount with a service-account token of
// the test cluster's issuer (OIDC discovery and JWKS served on loopback by the harness). OpenBao
// fetches the issuer's keys itself and judges every token; nothing here imitates it.
const engines = loadEngines();
const state = loadState(runDir());
const blueprint = GatewayBlueprint.fromSpec(state.spec);
const tenant = blueprint.tenants.find((t) => t.workloads.some((w) => w.eksServiceAccount && !w.suspended) && t.dataStores.length > 0)!;
const workload = tenant.workloads.find((w) => w.eksServiceAccount && !w.suspended)!;
const sa = workload.eksServiceAccount!;
const mount = blueprint.naming.vaultJwtAuthMountPath(sa.oidcIssuerUrl);
const role = blueprint.naming.vaultWorkloadAuthRoleName(workload.id);
const policy = blueprint.naming.vaultWorkloadPolicyName(workload.id);
const subject = `system:serviceaccount:${sa.namespace}:${sa.name}`;
const issuerKey = createPrivateKey(readSecretFile(state.issuerKeyFile));
const anonymous = rootVault(engines).withToken(undefined);

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A service-account token as the cluster's issuer mints it, with any claim changed. */
function serviceAccountToken(claims: Record<string, unknown> = {}, key: KeyObject = issuerKey, keyId = state.issuerKeyId): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', kid: keyId };
  const payload = {
    'iss': state.issuerUrl,
    'aud': [sa.audience],
    'sub': subject,
    'iat': now,
    'nbf': now,
    'exp': now + 600,
    'kubernetes.io': { namespace: sa.namespace, serviceaccount: { name: sa.name } },
    ...claims,
  };
  const unsigned = `${b64url(header)}.${b64url(payload)}`;
  const jwt = `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), key).toString('base64url')}`;
  rememberSecrets(jwt);
  return jwt;
}

async function login(jwt: string, roleName = role) {
  const answer = await anonymous.request('POST', `auth/${mount}/login`, { role: roleName, jwt });
  rememberSecrets(answer.body?.auth?.client_token);
  return answer;
}

/** Refused: no token, and an error from the server. */
function expectRefused(answer: { status: number; body: any }, reason: RegExp): void {
  expect(answer.body?.auth).toBeUndefined();
  expect(answer.status).toBe(400);
  expect(JSON.stringify(answer.body.errors)).toMatch(reason);
}

test('the mount is configured by OIDC discovery of the test issuer, RS256 only', async () => {
  const config = (await rootVault(engines).read(`auth/${mount}/config`)).body.data;
  expect(config).toMatchObject({ oidc_discovery_url: state.issuerUrl, bound_issuer: state.issuerUrl, jwt_supported_algs: ['RS256'] });
});

test('the service account\'s token with the right audience logs in and gets exactly the workload\'s policy', async () => {
  const answer = await login(serviceAccountToken());
  expect({ status: answer.status, errors: answer.body.errors }).toEqual({ status: 200, errors: undefined });
  expect(answer.body.auth.policies).toEqual([policy]);
  expect(answer.body.auth.token_policies).toEqual([policy]);
  expect(answer.body.auth.lease_duration).toBe(blueprint.ttls.vaultTokens.defaultSeconds);
  expect(answer.body.auth.metadata).toMatchObject({ role });
  const token = answer.body.auth.client_token as string;
  const self = await rootVault(engines).write('auth/token/lookup', { token });
  expect(self.data.policies).toEqual([policy]);
  expect(self.data.type).toBe('service');
  expect(self.data.explicit_max_ttl).toBe(blueprint.ttls.vaultTokens.maxSeconds);

  // What the token may do, as the server answers (asked by the harness): read its tenant's database users, nothing else.
  const paths = [
    ...tenant.dataStores.map((s) => s.vaultCredentialsPath),
    ...blueprint.targets.map((t) => t.vaultCredentialsPath),
    ...blueprint.dataStores.filter((s) => !tenant.dataStores.includes(s)).map((s) => s.vaultCredentialsPath),
    'auth/token/create', 'sys/policies/acl', `auth/${mount}/role/${role}`,
  ];
  const capabilities = await rootVault(engines).capabilities(token, paths);
  expect(capabilities).toEqual(Object.fromEntries(paths.map((p) => [p, tenant.dataStores.some((s) => s.vaultCredentialsPath === p) ? ['read'] : ['deny']])));
  const issued = await new VaultHttp(engines.openbao.address, engines.openbao.caFile, token).read(tenant.dataStores[0].vaultCredentialsPath);
  expect(issued.status).toBe(200);
  rememberSecrets(issued.body.data.password);
  await rootVault(engines).write('sys/leases/revoke', { lease_id: issued.body.lease_id }, 'PUT');
});

test('a token for another audience is refused', async () => {
  expectRefused(await login(serviceAccountToken({ aud: ['sts.amazonaws.com'] })), /invalid audience \(aud\) claim/);
});

test('a token of another service account (another subject) is refused', async () => {
  expectRefused(await login(serviceAccountToken({ sub: `system:serviceaccount:${sa.namespace}:someone-else` })), /invalid subject \(sub\) claim/);
  expectRefused(await login(serviceAccountToken({ sub: `system:serviceaccount:other-namespace:${sa.name}` })), /invalid subject \(sub\) claim/);
});

test('an expired token is refused', async () => {
  const now = Math.floor(Date.now() / 1000);
  expectRefused(await login(serviceAccountToken({ iat: now - 3600, nbf: now - 3600, exp: now - 900 })), /invalid expiration time \(exp\) claim: token is expired/);
});

test('a token signed by another key is refused, under the issuer\'s key id or another', async () => {
  const { privateKey: stranger } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  expectRefused(await login(serviceAccountToken({}, stranger)), /failed to verify id token signature/);
  expectRefused(await login(serviceAccountToken({}, stranger, 'someone-elses-key')), /failed to verify id token signature/);
});

test('a token of another issuer, and a token at a role of the mount that does not exist, are refused', async () => {
  expectRefused(await login(serviceAccountToken({ iss: 'https://oidc.eks.us-east-1.amazonaws.com/id/OTHER' })), /invalid issuer \(iss\) claim/);
  expectRefused(await login(serviceAccountToken(), 'admin'), /role \\"admin\\" could not be found/);
});
