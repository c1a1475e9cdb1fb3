import { GatewayBlueprint } from '../../src';
import { loadEngines, psql, readSecretFile, rememberSecrets, rootVault, runDir, superuserSql } from '../support/live/engines';
import { DATABASE, loadState } from '../support/live/live-world';

// Item 6: the data store's credential path creates a real PostgreSQL user with exactly the
// tenant's schema, VALID UNTIL, dropped on revoke; prefix revoke; root rotation.
const engines = loadEngines();
const state = loadState(runDir());
const blueprint = GatewayBlueprint.fromSpec(state.spec);
const tenant = blueprint.tenants.find((t) => t.dataStores.length > 0)!;
const store = tenant.dataStores[0];
const vault = rootVault(engines);

async function issue(): Promise<{ username: string; password: string; leaseId: string; leaseDuration: number }> {
  const answer = await vault.read(store.vaultCredentialsPath);
  expect({ status: answer.status, errors: answer.body?.errors }).toEqual({ status: 200, errors: undefined });
  rememberSecrets(answer.body.data.password);
  return {
    username: answer.body.data.username,
    password: answer.body.data.password,
    leaseId: answer.body.lease_id,
    leaseDuration: answer.body.lease_duration,
  };
}
const as = (user: { username: string; password: string }, sql: string) => psql(engines, user.username, user.password, DATABASE, sql);
const roleExists = (name: string) => superuserSql(engines, DATABASE, `SELECT count(*) FROM pg_roles WHERE rolname = '${name}'`) === '1';

test('the dynamic user reads its tenant\'s schema and nothing else', async () => {
  const user = await issue();
  expect(user.leaseDuration).toBe(900);
  expect(as(user, `SELECT subject FROM "${store.schema}".tickets`)).toMatchObject({ ok: true, out: 'printer on fire' });
  expect(as(user, 'SELECT note FROM other_tenant.secrets')).toMatchObject({ ok: false, err: expect.stringMatching(/permission denied/) });
  expect(as(user, 'SELECT id FROM public.shared')).toMatchObject({ ok: false, err: expect.stringMatching(/permission denied/) });
});

test('the read-only user cannot create objects: not in its schema, not in public, not temporary ones', async () => {
  const user = await issue();
  expect(as(user, `CREATE TABLE "${store.schema}".x (id int)`)).toMatchObject({ ok: false, err: expect.stringMatching(/permission denied/) });
  expect(as(user, 'CREATE TABLE public.x (id int)')).toMatchObject({ ok: false, err: expect.stringMatching(/permission denied/) });
  expect(as(user, `INSERT INTO "${store.schema}".tickets VALUES (2, 'x')`)).toMatchObject({
    ok: false,
    err: expect.stringMatching(/permission denied/),
  });
  expect(as(user, 'CREATE TEMP TABLE t (id int)')).toMatchObject({ ok: false, err: expect.stringMatching(/permission denied/) });
});

test('the user carries VALID UNTIL at its lease\'s end', async () => {
  const user = await issue();
  const validUntil = Date.parse(superuserSql(engines, DATABASE, `SELECT rolvaliduntil FROM pg_roles WHERE rolname = '${user.username}'`));
  expect(validUntil).toBeGreaterThan(Date.now() + 800_000);
  expect(validUntil).toBeLessThan(Date.now() + 1_000_000);
});

test('revoking the lease drops the user; revoking the tenant\'s prefix drops every user of the tenant', async () => {
  const one = await issue();
  expect(roleExists(one.username)).toBe(true);
  await vault.write('sys/leases/revoke', { lease_id: one.leaseId }, 'PUT');
  expect(roleExists(one.username)).toBe(false);
  expect(as(one, 'SELECT 1').ok).toBe(false);

  const users = [await issue(), await issue()];
  users.forEach((u) => expect(roleExists(u.username)).toBe(true));
  const prefix = store.vaultCredentialsPath.replace(/\/creds\/.*/, '');
  await vault.write(`sys/leases/revoke-prefix/${prefix}`, {}, 'PUT');
  users.forEach((u) => expect(roleExists(u.username)).toBe(false));
});

test('after root rotation Vault still issues users, and the bootstrap password no longer logs in', async () => {
  // The plane rotated the root credential once at apply (rotate-root); rotate again to be sure.
  const bootstrapPassword = readSecretFile(state.dbVaultPasswordFile);
  expect(psql(engines, state.dbVaultUser, bootstrapPassword, DATABASE, 'SELECT 1')).toMatchObject({
    ok: false,
    err: expect.stringMatching(/password authentication failed/),
  });
  await vault.write(`${store.vaultCredentialsPath.replace(/\/creds\/.*/, '')}/rotate-root/${store.id}`, {});
  const user = await issue();
  expect(as(user, `SELECT count(*) FROM "${store.schema}".tickets`)).toMatchObject({ ok: true, out: '1' });
});

test('where PUBLIC may create temporary tables, Vault refuses to issue a user at all', async () => {
  superuserSql(engines, DATABASE, `GRANT TEMPORARY ON DATABASE ${DATABASE} TO PUBLIC`);
  try {
    const answer = await vault.read(store.vaultCredentialsPath);
    expect(answer.status).toBe(500);
    expect(JSON.stringify(answer.body.errors)).toMatch(/TEMPORARY/);
  } finally {
    superuserSql(engines, DATABASE, `REVOKE TEMPORARY ON DATABASE ${DATABASE} FROM PUBLIC`);
  }
  expect((await vault.read(store.vaultCredentialsPath)).status).toBe(200);
});
