import { DataAccess } from '../../spec';

/**
 * The privileges a dynamic user must not hold on the tenant schema's relations, beyond what its
 * access grants: for read-only everything but `SELECT`, for read-write the DDL-like ones.
 */
function forbiddenOnRelations(access: DataAccess): { tables: string[]; sequences: string[] } {
  return access === DataAccess.READ_WRITE
    ? { tables: ['TRUNCATE', 'REFERENCES', 'TRIGGER'], sequences: ['UPDATE'] }
    : { tables: ['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'], sequences: ['USAGE', 'UPDATE'] };
}

const values = (items: string[]) => items.map((i) => `('${i}')`).join(', ');

/**
 * A statement that runs last in a dynamic user's creation, in the same transaction, and aborts
 * it when the new user holds more than its explicit grants.
 *
 * Every role is a member of `PUBLIC`, and no statement about one role can take away what
 * `PUBLIC` holds: `REVOKE ... FROM "<user>"` removes only grants to that user, and only the
 * owner of an object can revoke `PUBLIC`'s grants on it. PostgreSQL 15 still gives `PUBLIC`
 * `USAGE` on schema `public` and `TEMPORARY` on every database, and databases restored from
 * older versions also `CREATE` on `public`. So the creation checks what the user can actually
 * do, and fails closed, naming what leaked and the one-time `REVOKE ... FROM PUBLIC` that fixes
 * it, instead of issuing a user that can reach other schemas or run DDL.
 *
 * It checks: `USAGE` or `CREATE` on any schema but the tenant's own `USAGE` (the system catalogs
 * aside); `CREATE` or `TEMPORARY` on the database; table and sequence privileges in the tenant
 * schema beyond the access level; `EXECUTE` on a `SECURITY DEFINER` function of the schema
 * (which would run with its owner's rights).
 */
export function publicPrivilegeGuard(schema: string, access: DataAccess): string {
  const forbidden = forbiddenOnRelations(access);
  return [
    'DO $$',
    'DECLARE leaks text;',
    'BEGIN',
    '  SELECT string_agg(leak, \', \' ORDER BY leak) INTO leaks FROM (',
    '    SELECT format(\'%s on schema %I\', p.privilege, n.nspname) AS leak',
    '    FROM pg_namespace n CROSS JOIN (VALUES (\'USAGE\'), (\'CREATE\')) AS p(privilege)',
    '    WHERE n.nspname NOT IN (\'pg_catalog\', \'information_schema\') AND n.nspname !~ \'^pg_(toast|temp_|toast_temp_)\'',
    `      AND NOT (n.nspname = '${schema}' AND p.privilege = 'USAGE')`,
    '      AND has_schema_privilege(\'{{name}}\', n.oid, p.privilege)',
    '    UNION ALL',
    '    SELECT format(\'%s on database %I\', p.privilege, current_database())',
    '    FROM (VALUES (\'CREATE\'), (\'TEMPORARY\')) AS p(privilege)',
    '    WHERE has_database_privilege(\'{{name}}\', current_database(), p.privilege)',
    '    UNION ALL',
    '    SELECT format(\'%s on %I.%I\', p.privilege, n.nspname, c.relname)',
    `    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN (VALUES ${values(forbidden.tables)}) AS p(privilege)`,
    `    WHERE n.nspname = '${schema}' AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND has_table_privilege('{{name}}', c.oid, p.privilege)`,
    '    UNION ALL',
    '    SELECT format(\'%s on sequence %I.%I\', p.privilege, n.nspname, c.relname)',
    `    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN (VALUES ${values(forbidden.sequences)}) AS p(privilege)`,
    // CASE, not AND: the planner may test the privilege before the relkind, and a table is no sequence.
    `    WHERE n.nspname = '${schema}' AND CASE WHEN c.relkind = 'S' THEN has_sequence_privilege('{{name}}', c.oid, p.privilege) ELSE false END`,
    '    UNION ALL',
    '    SELECT format(\'EXECUTE on security-definer function %s\', f.oid::regprocedure)',
    '    FROM pg_proc f JOIN pg_namespace n ON n.oid = f.pronamespace',
    `    WHERE n.nspname = '${schema}' AND f.prosecdef AND has_function_privilege('{{name}}', f.oid, 'EXECUTE')`,
    '  ) AS leaked;',
    '  IF leaks IS NOT NULL THEN',
    '    RAISE EXCEPTION \'gateward: the new database user would hold %, granted to PUBLIC or by default\', leaks',
    '      USING HINT = \'As the owner of each object, REVOKE it FROM PUBLIC once, e.g. REVOKE ALL ON SCHEMA public FROM PUBLIC; \'',
    '        || format(\'REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC\', current_database());',
    '  END IF;',
    'END',
    '$$;',
  ].join('\n');
}
