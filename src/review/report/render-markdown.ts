import { duration } from '../model/duration';
import { AccessReviewModel, CredentialAccess, Hop, MatrixEntry, ProbeResult } from '../model/review-model';
import { summaryOf } from '../model/summary';

/** A Markdown table cell: pipes escaped, lines joined. */
export function cell(text: string | undefined): string {
  return (text ?? '').replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** A Markdown table. */
export function table(headers: string[], rows: string[][]): string {
  if (rows.length === 0) return '_None._\n';
  return [`| ${headers.map(cell).join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n') + '\n';
}

/** Rows past this many are counted, not listed: review.json holds them all. */
export const ROW_LIMIT = 40;

/** At most `ROW_LIMIT` rows, and a last row that says how many more there are. */
export function capped(rows: string[][]): string[][] {
  if (rows.length <= ROW_LIMIT) return rows;
  return [...rows.slice(0, ROW_LIMIT), [`… and ${rows.length - ROW_LIMIT} more (review.json lists every one)`, ...rows[0].slice(1).map(() => '')]];
}

/** A chain of hops in one line: `admits POST /v1/... → routes cell:support → ...`. */
export function chain(hops: Hop[]): string {
  return hops.map((h) => `${h.kind} ${h.to}`).join(' → ') || 'directly';
}

function entryText(entries: MatrixEntry[], kind: MatrixEntry['kind']): string {
  return entries.filter((e) => e.kind === kind).map((e) => {
    const state = e.delivered ? 'yes' : `no: ${e.brokenAt}`;
    const arns = e.arns.length > 0 ? ` [${e.arns.join(', ')}]` : '';
    return `${e.id}${arns}: ${state}; Cedar ${e.cedar.allowed ? 'allows' : 'denies'}${e.cedar.policies.length > 0 ? ` (${e.cedar.policies.join(', ')})` : ''}`;
  }).join('\n') || '—';
}

function accessRows(accesses: CredentialAccess[]): string[][] {
  return capped(accesses.map((a) => [a.label, chain(a.hops), duration(a.ttlSeconds), a.guardrails, a.assumptions.join('; ')]));
}

function probeRows(probes: ProbeResult[]): string[][] {
  return probes.map((p) => [p.action, p.resource, p.consequence, p.withoutGuardrails, p.withGuardrails, p.deniedBy.join('; ')]);
}

/** The review as Markdown: the three answers first, then the matrix, credentials, blast radius, owners, suspensions and findings. */
export function renderMarkdown(model: AccessReviewModel): string {
  const out: string[] = [];
  const gateway = model.gateways.join(', ') || '(no gateway name in the output)';
  out.push(`# Access review: ${gateway}`, '');
  out.push(`Read from: ${model.inputs.join('; ')}.`, '');
  out.push(`Accounts ${model.accounts.join(', ') || '(none)'}; tenants ${model.tenants.join(', ') || '(none)'}; guardrails ${model.guardrails.given ? `given (${model.guardrails.documents.map((d) => `${d.type} ${d.name}`).join(', ')})` : 'not given'}.`, '');

  out.push('## At a glance', '', ...summaryOf(model).map((line) => `- ${line}`), '');
  out.push('## Who can read each provider key', '');
  for (const answer of model.answers.providerKeys) {
    out.push(`### ${answer.key}`, '', answer.text, '');
    out.push(table(['Principal', 'How', 'For how long', 'Guardrails', 'Assumptions'], accessRows(answer.readers)));
    out.push(`Served with it: ${answer.usedFor.map((u) => u.label).join(', ') || 'no workload'}.`, '');
    if (answer.administrator.length > 0) {
      out.push('An account administrator:', '', table(['Action', 'Resource', 'Gives', 'Without guardrails', 'With guardrails', 'Denied by'], probeRows(answer.administrator)));
    }
  }
  if (model.answers.providerKeys.length === 0) out.push('_No provider key in the output._', '');

  out.push('## Which workloads can invoke each model', '');
  for (const answer of model.answers.models) {
    out.push(`### ${answer.model}`, '', answer.text, '');
    out.push(table(['Workload', 'Tenant', 'Cedar policies', 'How'], answer.workloads.map((w) => [w.workload, w.tenant, w.policies.join(', '), chain(w.hops)])));
    if (answer.blocked.length > 0) out.push(table(['Workload not served', 'Why'], answer.blocked.map((b) => [b.workload, b.brokenAt])));
  }

  out.push('## What a compromise of each router cell reaches', '');
  for (const answer of model.answers.routers) {
    out.push(`### Router cell of tenant ${answer.tenant}`, '', answer.text, '');
    out.push(answer.otherTenantsReached.length === 0 ? 'It reaches no other tenant.' : `**It reaches other tenants: ${answer.otherTenantsReached.join(', ')}.**`, '');
    out.push(table(['Reaches', 'What', 'How', 'For how long'], capped(answer.reaches.filter((r) => r.kind !== 'permission').map((r) => [r.target, r.description, chain(r.hops), duration(r.ttlSeconds)]))));
  }

  out.push('## Identity chain', '');
  out.push(table(['Workload', 'Proves its identity by', 'Tenant', 'Admitted to', 'Served by', 'Models', 'Provider keys', 'Tools', 'Datasets'], model.matrix.map((r) => [
    `${r.workload}${r.suspended ? ' (suspended)' : ''}`, r.provesIdentityBy, r.tenant, r.admittedTo.join(', ') || '—', r.servedBy.join(', ') || '—',
    entryText(r.entries, 'model'), entryText(r.entries, 'provider-key'), entryText(r.entries, 'tool'), entryText(r.entries, 'dataset'),
  ])));

  out.push('## Credentials', '');
  for (const credential of model.credentials) {
    out.push(`### ${credential.kind} ${credential.label}`, '');
    out.push(`Tenant ${credential.tenant ?? '(none)'}${credential.vaultPath ? `; Vault path ${credential.vaultPath}` : ''}${credential.arn ? `; ${credential.arn}` : ''}. Lifetime: ${credential.ttl.explanation}.`, '');
    if (credential.grants.length > 0) out.push(`Grants: ${credential.grants.join('; ')}.`, '');
    out.push(table(['Principal', 'How', 'For how long', 'Guardrails', 'Assumptions'], accessRows(credential.obtainedBy)));
    if (credential.usedFor.length > 0) out.push(`Requests served with it: ${credential.usedFor.map((u) => u.label).join(', ')}.`, '');
  }

  out.push('## Blast radius', '');
  for (const radius of model.blastRadius) {
    out.push(`### ${radius.label}`, '', radius.summary, '');
    const reaches = radius.reaches.filter((r) => r.kind !== 'permission');
    if (reaches.length > 0) out.push(table(['Reaches', 'What', 'How', 'For how long'], capped(reaches.map((r) => [r.target, r.description, chain(r.hops), duration(r.ttlSeconds)]))));
    const permissions = radius.reaches.filter((r) => r.kind === 'permission');
    if (permissions.length > 0) out.push(`Its own permissions: ${permissions.map((p) => p.description).join('; ')}.`, '');
    if (radius.probes.length > 0) out.push(table(['Change', 'Resource', 'Gives', 'Without guardrails', 'With guardrails', 'Denied by'], capped(probeRows(radius.probes))));
    if (radius.assumptions.length > 0) out.push(`Assumed: ${radius.assumptions.join('; ')}.`, '');
  }

  out.push('## Owners', '');
  out.push(table(['Owner', 'Contact', 'Roles', 'Evidence'], model.owners.map((o) => [o.role, o.contact ?? '(not in the output)', o.roleArns.join(', ') || '—', o.evidence.join('; ')])));
  out.push('## Suspended identities', '');
  out.push(table(['Kind', 'Id', 'Evidence'], model.suspended.map((s) => [s.kind, s.id, s.evidence.join('; ')])));
  out.push('## Acknowledged findings', '');
  out.push(table(['Rule', 'Where', 'Reason'], model.acknowledgedFindings.map((a) => [a.rule, a.location, a.reason])));
  out.push('## Open findings of the NHI rule pack', '');
  out.push(table(['Rule', 'Severity', 'Where', 'Message'], model.openFindings.map((f) => [f.rule, f.severity, f.location, f.message])));
  if (model.limits.length > 0) {
    out.push('## What the review could not read or had to assume', '');
    for (const limit of model.limits) out.push(`- ${limit}`);
    out.push('');
  }
  return out.join('\n');
}
