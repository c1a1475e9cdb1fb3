import { isUnresolved, Unresolved } from '../private/unresolved';

type Block = Record<string, unknown>;

/** A JSON document held in a string (`assume_role_policy`, `policy`, `policy_json`); unreadable text is unresolved. */
export function jsonDocument(value: unknown): unknown {
  if (value === undefined || isUnresolved(value) || typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return Unresolved.of(value);
  }
}

function blocks(value: unknown): Block[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((b): b is Block => typeof b === 'object' && b !== null && !isUnresolved(b));
}

function principalsOf(value: unknown): unknown {
  const list = blocks(value);
  if (list.length === 0) return undefined;
  if (list.some((p) => p.type === '*')) return '*';
  const out: Record<string, unknown[]> = {};
  for (const p of list) out[String(p.type)] = [...(out[String(p.type)] ?? []), ...(Array.isArray(p.identifiers) ? p.identifiers : [p.identifiers])];
  return out;
}

function conditionsOf(value: unknown): Record<string, Record<string, unknown>> | undefined {
  const list = blocks(value);
  if (list.length === 0) return undefined;
  const out: Record<string, Record<string, unknown>> = {};
  for (const c of list) out[String(c.test)] = { ...(out[String(c.test)] ?? {}), [String(c.variable)]: c.values };
  return out;
}

/**
 * The policy JSON an `aws_iam_policy_document` data source renders, from its (resolved)
 * arguments: `statement` blocks, with the statements of `source_policy_documents` first and
 * those of `override_policy_documents` replacing statements of the same `sid`.
 */
export function renderPolicyDocument(props: Block): Record<string, unknown> {
  const statementsOf = (docs: unknown) => (Array.isArray(docs) ? docs : []).flatMap((d) => {
    if (typeof d !== 'string') return [];
    try {
      const parsed = JSON.parse(d) as { Statement?: unknown };
      return Array.isArray(parsed.Statement) ? parsed.Statement as Block[] : parsed.Statement ? [parsed.Statement as Block] : [];
    } catch {
      return [];
    }
  });
  const own = blocks(props.statement).map((s) => {
    const statement: Block = { Effect: s.effect ?? 'Allow' };
    const set = (key: string, v: unknown) => {
      if (v !== undefined && v !== null) statement[key] = v;
    };
    set('Sid', s.sid);
    set('Action', s.actions);
    set('NotAction', s.not_actions);
    set('Resource', s.resources);
    set('NotResource', s.not_resources);
    set('Principal', principalsOf(s.principals));
    set('NotPrincipal', principalsOf(s.not_principals));
    set('Condition', conditionsOf(s.condition));
    return statement;
  });
  let statements = [...statementsOf(props.source_policy_documents), ...own];
  for (const override of statementsOf(props.override_policy_documents)) {
    const index = override.Sid === undefined ? -1 : statements.findIndex((s) => s.Sid === override.Sid);
    if (index >= 0) statements[index] = override;
    else statements = [...statements, override];
  }
  return { Version: props.version ?? '2012-10-17', Statement: statements };
}

/** A list of strings as HCL writes it; an element the files do not hold is written as its expression. */
function hclList(value: unknown): string {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return `[${list.map((v) => JSON.stringify(isUnresolved(v) ? v.expression : String(v))).join(', ')}]`;
}

/** Parameter constraints; one whose key the files do not hold is left out (the rule is read unconstrained, as Vault reads it at worst). */
function hclParameters(value: unknown): string[] {
  return blocks(value).filter((p) => !isUnresolved(p.key)).map((p) => `    ${JSON.stringify(String(p.key))} = ${hclList(p.value)}`);
}

/**
 * The ACL policy text a `vault_policy_document` data source renders (its `hcl` attribute), from
 * its (resolved) `rule` blocks, in the shape the Vault provider writes: one `path` stanza per
 * rule with its capabilities, parameter constraints and wrapping TTLs. A rule whose path the
 * files do not hold in part (`${var.prefix}/*`) is written with the unknown part as one named
 * segment (`<var.prefix>/*`), so what it reaches beyond that part (a glob over a whole mount,
 * `sys/mounts/...`) is judged.
 */
export function renderVaultPolicyDocument(props: Block): string {
  return blocks(props.rule).filter((rule) => typeof rule.path === 'string' || isUnresolved(rule.path)).map((rule) => {
    const lines: string[] = [];
    // An unknown part stands for one segment, written `<var.prefix>`: policy text may not hold `${`.
    const path = isUnresolved(rule.path) ? rule.path.expression.replace(/\$\{\s*([^}]*?)\s*\}/g, '<$1>') : rule.path;
    if (typeof rule.description === 'string' && rule.description !== '') lines.push(`# ${rule.description.replace(/\n/g, ' ')}`);
    lines.push(`path ${JSON.stringify(path)} {`);
    lines.push(`  capabilities = ${hclList(rule.capabilities)}`);
    for (const [key, attribute] of [['required_parameters', 'required_parameters'], ['min_wrapping_ttl', 'min_wrapping_ttl'], ['max_wrapping_ttl', 'max_wrapping_ttl']]) {
      const v = rule[attribute];
      if (v === undefined || v === null || isUnresolved(v)) continue;
      lines.push(`  ${key} = ${Array.isArray(v) ? hclList(v) : JSON.stringify(String(v))}`);
    }
    for (const [block, key] of [['allowed_parameter', 'allowed_parameters'], ['denied_parameter', 'denied_parameters']]) {
      const parameters = hclParameters(rule[block]);
      if (parameters.length > 0) lines.push(`  ${key} = {`, ...parameters, '  }');
    }
    lines.push('}');
    return lines.join('\n');
  }).join('\n\n') + '\n';
}
