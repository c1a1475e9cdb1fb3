import { TerraformStack, Testing } from 'cdktf';
import { DataAccess } from '../../src';
import { DatabaseCredentialRole } from '../../src/vault/database-credential-role';

const synthesized = (access: DataAccess, schema = 'support') => {
  const stack = new TerraformStack(Testing.app(), 's');
  new DatabaseCredentialRole(stack, 'Role', { backend: 'db', name: 'kb', connectionName: 'kb', schema, access, defaultTtlSeconds: 900, maxTtlSeconds: 3600 });
  const [role] = Object.values(JSON.parse(Testing.synth(stack)).resource.vault_database_secret_backend_role) as any[];
  return role as { creation_statements: string[]; revocation_statements: string[] };
};
const guardOf = (statements: string[]) => statements[statements.length - 1];

// What these statements do in PostgreSQL 15 is asserted against a real server in the live suite;
// here they are asserted as Vault receives them in the Terraform JSON.
describe('dynamic PostgreSQL users do not keep what PUBLIC holds', () => {
  const readOnly = synthesized(DataAccess.READ_ONLY);
  const readWrite = synthesized(DataAccess.READ_WRITE);

  test('the user is created with no role attributes, its search path is its own schema, and it gets only explicit grants', () => {
    expect(readOnly.creation_statements[0]).toBe(
      'CREATE ROLE "{{name}}" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD \'{{password}}\' VALID UNTIL \'{{expiration}}\';');
    expect(readOnly.creation_statements).toContain('ALTER ROLE "{{name}}" SET search_path = "support";');
    expect(readWrite.creation_statements.slice(2, -1)).toEqual([
      'GRANT USAGE ON SCHEMA "support" TO "{{name}}";',
      'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "support" TO "{{name}}";',
      'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "support" TO "{{name}}";',
    ]);
    // Nothing is granted to, or revoked from, PUBLIC: that would change every other user of the database.
    for (const guard of [guardOf(readOnly.creation_statements), guardOf(readWrite.creation_statements)]) {
      // The check only reads the catalogs; REVOKE appears only in its error's hint.
      expect(guard).not.toMatch(/^\s*(GRANT|REVOKE|ALTER|CREATE|DROP)\b/im);
    }
    for (const statement of [...readOnly.creation_statements.slice(0, -1), ...readWrite.creation_statements.slice(0, -1)]) {
      expect(statement).not.toMatch(/\b(TO|FROM)\s+PUBLIC\b/i);
      const granted = /^GRANT (.*?) ON /.exec(statement);
      if (granted) expect(granted[1].split(', ').filter((p) => !['USAGE', 'SELECT', 'INSERT', 'UPDATE', 'DELETE'].includes(p))).toEqual([]);
    }
  });

  test('the creation ends with a check that aborts it when the user would hold more, PUBLIC\'s grants included', () => {
    const guard = guardOf(readOnly.creation_statements);
    // Vault runs a statement containing $$ whole, in the creation's transaction, instead of splitting it at each ';'.
    expect(guard.match(/\$\$/g)).toHaveLength(2);
    expect(guard).toMatch(/^DO \$\$\n/);
    expect(guard).toMatch(/\nEND\n\$\$;$/);
    // Other schemas (public and other tenants'): neither USAGE nor CREATE, the system catalogs aside; its own: no CREATE.
    expect(guard).toContain("FROM pg_namespace n CROSS JOIN (VALUES ('USAGE'), ('CREATE')) AS p(privilege)");
    expect(guard).toContain("WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')");
    expect(guard).toContain("AND NOT (n.nspname = 'support' AND p.privilege = 'USAGE')");
    expect(guard).toContain("has_schema_privilege('{{name}}', n.oid, p.privilege)");
    // No schemas and no temporary tables in the database: no DDL of any kind.
    expect(guard).toContain("FROM (VALUES ('CREATE'), ('TEMPORARY')) AS p(privilege)");
    expect(guard).toContain("has_database_privilege('{{name}}', current_database(), p.privilege)");
    // No security-definer function of the schema, which would run with its owner's rights.
    expect(guard).toContain("f.prosecdef AND has_function_privilege('{{name}}', f.oid, 'EXECUTE')");
    expect(guard).toMatch(/IF leaks IS NOT NULL THEN\n {4}RAISE EXCEPTION 'gateward: the new database user would hold %/);
    expect(guard).toContain('REVOKE ALL ON SCHEMA public FROM PUBLIC');
  });

  test('read-only users may hold nothing but SELECT in their schema; read-write users no TRUNCATE, REFERENCES, TRIGGER or setval', () => {
    const relations = (statements: string[]) => [...guardOf(statements).matchAll(/CROSS JOIN \(VALUES ([^)]*\)(?:, \('[A-Z]+'\))*)\) AS p\(privilege\)\n {4}WHERE n\.nspname = 'support' AND (c\.relkind IN|CASE WHEN c\.relkind = 'S')/g)]
      .map((m) => [m[2].startsWith('CASE') ? 'sequences' : 'tables', m[1].match(/[A-Z]+/g)]);
    expect(relations(readOnly.creation_statements)).toEqual([
      ['tables', ['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']],
      ['sequences', ['USAGE', 'UPDATE']],
    ]);
    expect(relations(readWrite.creation_statements)).toEqual([
      ['tables', ['TRUNCATE', 'REFERENCES', 'TRIGGER']],
      ['sequences', ['UPDATE']],
    ]);
  });

  test('the schema in the check is the role\'s own', () => {
    const guard = guardOf(synthesized(DataAccess.READ_ONLY, 'research').creation_statements);
    expect(guard).toContain("AND NOT (n.nspname = 'research' AND p.privilege = 'USAGE')");
    expect(guard).not.toContain("'support'");
  });

  test('every statement but the check is one statement, trimmed, so Vault\'s split at \';\' keeps it whole', () => {
    for (const statement of [...readWrite.creation_statements.slice(0, -1), ...readWrite.revocation_statements]) {
      expect(statement).toBe(statement.trim());
      expect(statement.indexOf(';')).toBe(statement.length - 1);
    }
    expect(guardOf(readWrite.creation_statements)).toBe(guardOf(readWrite.creation_statements).trim());
  });
});
