import { PolicyCondition, PolicyLine, TtlFact } from './review-model';
import { ReviewWorld } from './review-world';
import { PolicyDocumentJson, StatementJson } from '../../nhi/private/cfn-template';

function asList<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function conditionsOf(statement: StatementJson): PolicyCondition[] {
  return Object.entries(statement.Condition ?? {}).flatMap(([operator, keys]) => Object.entries(keys ?? {})
    .map(([key, values]) => ({ operator, key, values: asList(values as string | string[]).map(String).sort() })))
    .sort((a, b) => `${a.operator}${a.key}`.localeCompare(`${b.operator}${b.key}`));
}

function principalsOf(statement: StatementJson): string[] {
  const principal = statement.Principal ?? statement.NotPrincipal;
  const not = statement.NotPrincipal !== undefined ? 'all but ' : '';
  if (principal === undefined) return [''];
  if (principal === '*') return [`${not}*`];
  return Object.entries(principal as Record<string, unknown>).flatMap(([kind, names]) => asList(names as string | string[]).map((n) => `${not}${kind === 'AWS' ? '' : `${kind}:`}${String(n)}`));
}

/** Flattens a policy document into one line per principal, action and resource pattern. */
export function linesOf(policy: string, resource: string, document: PolicyDocumentJson | undefined, evidence: string, holder?: string): PolicyLine[] {
  const lines: PolicyLine[] = [];
  for (const statement of asList<StatementJson>(document?.Statement as StatementJson[] | undefined)) {
    if (!statement || (statement.Effect !== 'Allow' && statement.Effect !== 'Deny')) continue;
    const actions = statement.Action !== undefined ? asList(statement.Action).map(String) : asList(statement.NotAction).map((a) => `all but ${a}`);
    const targets = statement.Resource !== undefined ? asList(statement.Resource).map(String) : statement.NotResource !== undefined ? asList(statement.NotResource).map((r) => `all but ${r}`) : [resource];
    const conditions = conditionsOf(statement);
    for (const principal of holder !== undefined ? [holder] : principalsOf(statement)) {
      for (const action of actions) {
        for (const target of targets) lines.push({ policy, resource, principal, effect: statement.Effect, action, target, conditions, evidence });
      }
    }
  }
  return lines;
}

/** Every policy of the world as lines, and every lifetime it sets. */
export function policyLinesOf(world: ReviewWorld): { lines: PolicyLine[]; ttls: TtlFact[] } {
  const inv = world.inventory;
  const lines: PolicyLine[] = [];
  const at = (l: { file: string; logicalId: string }) => `${l.file}#${l.logicalId}`;
  for (const role of inv.roles) {
    for (const policy of role.policies) lines.push(...linesOf('identity policy', role.name, policy.document, at(role.location), role.arn));
    if (role.boundary) lines.push(...linesOf('permissions boundary', role.name, role.boundary, at(role.location), role.arn));
    lines.push(...linesOf('trust policy', role.arn, role.trust, at(role.location)));
    for (const managed of role.externalManagedPolicyArns) lines.push({ policy: 'attached policy', resource: role.name, principal: role.arn, effect: 'Allow', action: managed, target: '(not in the output)', conditions: [], evidence: at(role.location) });
  }
  for (const secret of inv.secrets) lines.push(...linesOf('secret policy', secret.name, secret.policy, at(secret.location)));
  for (const key of inv.keys) lines.push(...linesOf('key policy', key.aliases[0] ?? key.description ?? key.location.constructPath, key.policy, at(key.location)));
  for (const api of inv.apis) lines.push(...linesOf('API policy', api.name, api.policy, at(api.location)));
  for (const fn of inv.functions) lines.push(...linesOf('function permission', fn.name, { Statement: fn.permissionPolicy.Statement.map((s) => ({ ...s, Sid: undefined })) }, at(fn.location)));
  for (const bucket of inv.audit.filter((a) => a.policy)) lines.push(...linesOf('bucket policy', bucket.name, bucket.policy, at(bucket.location)));
  for (const doc of world.guardrails) lines.push(...linesOf(doc.type, doc.name, doc.document, doc.source));
  for (const store of inv.policyStores) {
    for (const policy of store.policies) {
      const text = policy.statement.replace(/\s+/g, ' ').trim();
      lines.push({ policy: 'Cedar policy', resource: policy.id, principal: '', effect: /^\s*forbid/.test(policy.statement) ? 'Deny' : 'Allow', action: 'decides', target: text, conditions: [], evidence: at(policy.location) });
    }
  }
  for (const policy of world.vault.policies) {
    const evidence = `${policy.location.file}#${policy.location.address}`;
    for (const rule of policy.document?.rules ?? []) {
      for (const capability of rule.capabilities) {
        lines.push({ policy: 'Vault policy', resource: policy.name, principal: `holders of ${policy.name}`, effect: capability === 'deny' ? 'Deny' : 'Allow', action: capability, target: rule.path, conditions: [], evidence });
      }
    }
  }
  for (const role of world.vault.authRoles) {
    const evidence = `${role.location.file}#${role.location.address}`;
    const principals = role.method === 'aws' ? role.boundPrincipalArns : [`${role.issuer ?? ''} ${role.boundSubject ?? '(any subject)'}`];
    for (const principal of principals) {
      for (const policy of role.policies) {
        lines.push({ policy: 'Vault auth role', resource: role.id, principal, effect: 'Allow', action: 'login', target: `token policy ${policy}`, conditions: role.method === 'jwt' ? [{ operator: 'audience', key: 'aud', values: [...role.boundAudiences].sort() }] : [], evidence });
      }
    }
  }
  for (const credential of world.vault.credentialRoles) {
    const evidence = `${credential.location.file}#${credential.location.address}`;
    for (const arn of credential.roleArns) {
      lines.push({
        policy: 'Vault AWS role',
        resource: credential.paths[0],
        principal: 'Vault AWS engine',
        effect: 'Allow',
        action: 'sts:AssumeRole',
        target: arn,
        conditions: credential.externalId ? [{ operator: 'external id', key: 'sts:ExternalId', values: [credential.externalId] }] : [],
        evidence,
      });
    }
    if (credential.engine === 'database') {
      for (const statement of credential.creationStatements.filter((st) => /^\s*GRANT/i.test(st))) {
        lines.push({ policy: 'database role', resource: credential.paths[0], principal: 'its users', effect: 'Allow', action: 'grant', target: statement.replace(/"\{\{name\}\}"/g, '<user>'), conditions: [], evidence });
      }
    }
  }

  const ttls: TtlFact[] = [];
  const ttl = (key: string, label: string, seconds: number | undefined) => {
    if (seconds !== undefined) ttls.push({ key, label, seconds });
  };
  for (const role of world.vault.authRoles) {
    ttl(`token-default:${role.id}`, `default token TTL of Vault role ${role.id}`, role.ttl.defaultSeconds);
    ttl(`token-max:${role.id}`, `maximum token TTL of Vault role ${role.id}`, role.ttl.maxSeconds);
  }
  for (const c of world.vault.credentialRoles) {
    const what = c.engine === 'aws' ? 'STS TTL' : 'database user TTL';
    ttl(`cred-default:${c.paths[0]}`, `default ${what} of ${c.paths[0]}`, c.ttl.defaultSeconds);
    ttl(`cred-max:${c.paths[0]}`, `maximum ${what} of ${c.paths[0]}`, c.ttl.maxSeconds);
    ttl(`mount-max:${c.paths[0]}`, `maximum lease TTL of the mount of ${c.paths[0]}`, c.mountTtl.maxSeconds);
  }
  for (const target of world.targets) ttl(`session:${target.role.arn}`, `MaxSessionDuration of ${target.role.name}`, target.role.maxSessionSeconds);
  for (const role of inv.roles.filter((r) => !world.targetOfArn(r.arn))) ttl(`session:${role.arn}`, `MaxSessionDuration of ${role.name}`, role.maxSessionSeconds);
  for (const secret of inv.secrets) ttl(`rotation:${secret.name}`, `rotation period of ${secret.name}`, secret.rotationDays !== undefined ? secret.rotationDays * 86400 : undefined);
  return { lines, ttls };
}
