import { escapeHtml, identityGraphSvg } from './identity-graph-svg';
import { duration } from '../model/duration';
import { AccessReviewModel, CredentialAccess, Hop, MatrixEntry, ProbeResult, ReachItem } from '../model/review-model';
import { summaryOf } from '../model/summary';

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #212121; background: #fafafa; }
header { background: #263238; color: #fff; padding: 16px 24px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; font-size: 13px; color: #cfd8dc; }
nav { padding: 8px 24px; background: #eceff1; font-size: 13px; }
nav a { margin-right: 14px; color: #37474f; }
main { padding: 8px 24px 40px; }
section { margin: 24px 0; }
h2 { font-size: 18px; border-bottom: 2px solid #b0bec5; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 12px; background: #fff; }
th, td { border: 1px solid #cfd8dc; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #eceff1; }
td.no, span.no { color: #b71c1c; }
td.yes, span.yes { color: #1b5e20; }
.answer { background: #fff; border-left: 4px solid #546e7a; padding: 8px 12px; margin: 8px 0; font-size: 13px; }
.graph { overflow-x: auto; background: #fff; border: 1px solid #cfd8dc; padding: 8px; }
.note { font-size: 12px; color: #546e7a; }
code { font-size: 11px; }
ul.chain { margin: 0; padding-left: 16px; }
`;

/** Rows past this many are counted, not listed: review.json holds them all. */
const ROW_LIMIT = 40;

function cappedRows(rows: string[], columns: number): string[] {
  if (rows.length <= ROW_LIMIT) return rows;
  return [...rows.slice(0, ROW_LIMIT), `<tr><td colspan="${columns}" class="note">… and ${rows.length - ROW_LIMIT} more (review.json lists every one)</td></tr>`];
}

function td(text: string | undefined, cls?: string): string {
  return `<td${cls ? ` class="${cls}"` : ''}>${escapeHtml(text ?? '')}</td>`;
}

function htmlTable(id: string | undefined, headers: string[], rows: string[][] | string[], raw = false): string {
  if (rows.length === 0) return '<p class="note">None.</p>';
  const body = raw ? (rows as string[]).join('') : (rows as string[][]).map((r) => `<tr>${r.map((c) => td(c)).join('')}</tr>`).join('');
  return `<table${id ? ` id="${id}"` : ''}><thead><tr>${headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>`;
}

function hopsList(hops: Hop[]): string {
  if (hops.length === 0) return 'directly';
  return `<ul class="chain">${hops.map((h) => `<li title="${escapeHtml(`${h.detail} (${h.evidence})`)}">${escapeHtml(`${h.kind} ${h.to}`)}${h.ttlSeconds ? ` <span class="note">(${escapeHtml(duration(h.ttlSeconds))})</span>` : ''}</li>`).join('')}</ul>`;
}

function accessRows(accesses: CredentialAccess[]): string[] {
  return cappedRows(accesses.map((a) => `<tr>${td(a.label)}<td>${hopsList(a.hops)}</td>${td(duration(a.ttlSeconds))}${td(a.guardrails)}${td(a.assumptions.join('; '))}</tr>`), 5);
}

function probeRows(probes: ProbeResult[]): string[] {
  return cappedRows(probes.map((p) => `<tr>${td(p.action)}${td(p.resource)}${td(p.consequence)}${td(p.withoutGuardrails, p.withoutGuardrails === 'allowed' ? 'no' : 'yes')}${td(p.withGuardrails, p.withGuardrails === 'allowed' ? 'no' : p.withGuardrails === 'denied' ? 'yes' : undefined)}${td(p.deniedBy.join('; '))}</tr>`), 6);
}

function reachRows(items: ReachItem[]): string[] {
  return cappedRows(items.filter((r) => r.kind !== 'permission').map((r) => `<tr>${td(r.target)}${td(r.description)}<td>${hopsList(r.hops)}</td>${td(duration(r.ttlSeconds))}</tr>`), 4);
}

function entryCell(entries: MatrixEntry[], kind: MatrixEntry['kind']): string {
  const list = entries.filter((e) => e.kind === kind);
  if (list.length === 0) return '<td>—</td>';
  return `<td>${list.map((e) => `<div><strong>${escapeHtml(e.id)}</strong>: <span class="${e.delivered ? 'yes' : 'no'}">${e.delivered ? 'yes' : `no (${escapeHtml(e.brokenAt ?? '')})`}</span>`
    + `${e.arns.length > 0 ? `<br><code>${e.arns.map(escapeHtml).join('<br>')}</code>` : ''}`
    + `<br><span class="note">Cedar ${e.cedar.allowed ? 'allows' : 'denies'}${e.cedar.policies.length > 0 ? `: ${escapeHtml(e.cedar.policies.join(', '))}` : ''}</span></div>`).join('')}</td>`;
}

/**
 * The review as one self-contained HTML page: inline CSS, the identity chain as inline SVG,
 * tables with header cells, no script and nothing fetched.
 */
export function renderHtml(model: AccessReviewModel): string {
  const gateway = model.gateways.join(', ') || 'synthesized output';
  const s: string[] = [];
  s.push('<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">');
  // No network: the page allows nothing to be loaded, not even by a browser extension's guess.
  s.push('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; img-src data:">');
  s.push(`<title>Access review: ${escapeHtml(gateway)}</title>`, `<style>${STYLE}</style>`, '</head>', '<body>');
  s.push(`<header><h1>Access review: ${escapeHtml(gateway)}</h1><p>${escapeHtml(`Accounts ${model.accounts.join(', ')}; tenants ${model.tenants.join(', ')}; guardrails ${model.guardrails.given ? 'given' : 'not given'}. Read from ${model.inputs.join('; ')}.`)}</p></header>`);
  s.push('<nav><a href="#graph">Graph</a><a href="#matrix-section">Matrix</a><a href="#q-provider-keys">Who reads each key</a><a href="#q-models">Who invokes each model</a><a href="#q-routers">What a router cell reaches</a><a href="#credentials">Credentials</a><a href="#blast-radius">Blast radius</a><a href="#owners">Owners</a><a href="#suspended">Suspended</a><a href="#findings">Findings</a></nav>');
  s.push('<main>');
  s.push(`<section id="at-a-glance"><h2>At a glance</h2><ul>${summaryOf(model).map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul></section>`);

  s.push(`<section id="graph"><h2>The identity chain</h2><div class="graph">${identityGraphSvg(model)}</div></section>`);

  s.push('<section id="matrix-section"><h2>Identity chain matrix</h2>');
  s.push(htmlTable('matrix', ['Workload', 'Proves its identity by', 'Tenant', 'Admitted to', 'Served by', 'Models', 'Provider keys', 'Tools', 'Datasets'], model.matrix.map((r) =>
    `<tr data-workload="${escapeHtml(r.workload)}">${td(`${r.workload}${r.suspended ? ' (suspended)' : ''}`)}${td(r.provesIdentityBy)}${td(r.tenant)}${td(r.admittedTo.join(', ') || '—')}${td(r.servedBy.join(', ') || '—')}`
    + `${entryCell(r.entries, 'model')}${entryCell(r.entries, 'provider-key')}${entryCell(r.entries, 'tool')}${entryCell(r.entries, 'dataset')}</tr>`), true));
  s.push('</section>');

  s.push('<section id="q-provider-keys"><h2>Who can read each provider key</h2>');
  for (const a of model.answers.providerKeys) {
    s.push(`<h3>${escapeHtml(a.key)}</h3><p class="answer" data-answer="provider-key" data-key="${escapeHtml(a.key)}">${escapeHtml(a.text)}</p>`);
    s.push(htmlTable(undefined, ['Principal', 'How', 'For how long', 'Guardrails', 'Assumptions'], accessRows(a.readers), true));
    if (a.administrator.length > 0) s.push('<p>An account administrator:</p>', htmlTable(undefined, ['Action', 'Resource', 'Gives', 'Without guardrails', 'With guardrails', 'Denied by'], probeRows(a.administrator), true));
  }
  if (model.answers.providerKeys.length === 0) s.push('<p class="answer">No provider key in the output.</p>');
  s.push('</section>');

  s.push('<section id="q-models"><h2>Which workloads can invoke each model</h2>');
  for (const a of model.answers.models) {
    s.push(`<h3>${escapeHtml(a.model)}</h3><p class="answer" data-answer="model" data-model="${escapeHtml(a.model)}">${escapeHtml(a.text)}</p>`);
    s.push(htmlTable(undefined, ['Workload', 'Tenant', 'Cedar policies', 'How'], a.workloads.map((w) => `<tr>${td(w.workload)}${td(w.tenant)}${td(w.policies.join(', '))}<td>${hopsList(w.hops)}</td></tr>`), true));
  }
  s.push('</section>');

  s.push('<section id="q-routers"><h2>What a compromise of each router cell reaches</h2>');
  for (const a of model.answers.routers) {
    s.push(`<h3>Router cell of tenant ${escapeHtml(a.tenant)}</h3><p class="answer" data-answer="router" data-tenant="${escapeHtml(a.tenant)}">${escapeHtml(a.text)} ${a.otherTenantsReached.length === 0 ? 'It reaches no other tenant.' : `It reaches other tenants: ${escapeHtml(a.otherTenantsReached.join(', '))}.`}</p>`);
    s.push(htmlTable(undefined, ['Reaches', 'What', 'How', 'For how long'], reachRows(a.reaches), true));
  }
  s.push('</section>');

  s.push('<section id="credentials"><h2>Credentials</h2>');
  for (const c of model.credentials) {
    s.push(`<h3>${escapeHtml(`${c.kind} ${c.label}`)}</h3><p>${escapeHtml(`Tenant ${c.tenant ?? '(none)'}${c.vaultPath ? `; Vault path ${c.vaultPath}` : ''}${c.arn ? `; ${c.arn}` : ''}. Lifetime: ${c.ttl.explanation}.`)}</p>`);
    if (c.grants.length > 0) s.push(`<p class="note">Grants: ${escapeHtml(c.grants.join('; '))}</p>`);
    s.push(htmlTable(undefined, ['Principal', 'How', 'For how long', 'Guardrails', 'Assumptions'], accessRows(c.obtainedBy), true));
  }
  s.push('</section>');

  s.push('<section id="blast-radius"><h2>Blast radius</h2>');
  s.push(htmlTable('blast-radius-summary', ['Identity', 'Kind', 'Tenants reached', 'Summary'], model.blastRadius.map((b) => [b.label, b.kind, b.tenantsReached.join(', ') || 'none', b.summary])));
  for (const b of model.blastRadius) {
    s.push(`<h3>${escapeHtml(b.label)}</h3><p>${escapeHtml(b.summary)}</p>`);
    const rows = reachRows(b.reaches);
    if (rows.length > 0) s.push(htmlTable(undefined, ['Reaches', 'What', 'How', 'For how long'], rows, true));
    if (b.probes.length > 0) s.push(htmlTable(undefined, ['Change', 'Resource', 'Gives', 'Without guardrails', 'With guardrails', 'Denied by'], probeRows(b.probes), true));
    if (b.assumptions.length > 0) s.push(`<p class="note">Assumed: ${escapeHtml(b.assumptions.join('; '))}</p>`);
  }
  s.push('</section>');

  s.push('<section id="owners"><h2>Owners</h2>');
  s.push(htmlTable('owners-table', ['Owner', 'Contact', 'Roles', 'Evidence'], model.owners.map((o) => [o.role, o.contact ?? '(not in the output)', o.roleArns.join(', ') || '—', o.evidence.join('; ')])));
  s.push('</section>');
  s.push('<section id="suspended"><h2>Suspended identities</h2>');
  s.push(htmlTable('suspended-table', ['Kind', 'Id', 'Evidence'], model.suspended.map((x) => [x.kind, x.id, x.evidence.join('; ')])));
  s.push('</section>');
  s.push('<section id="findings"><h2>Acknowledged findings</h2>');
  s.push(htmlTable('acknowledged-table', ['Rule', 'Where', 'Reason'], model.acknowledgedFindings.map((a) => [a.rule, a.location, a.reason])));
  s.push('<h2>Open findings of the NHI rule pack</h2>');
  s.push(htmlTable('open-findings-table', ['Rule', 'Severity', 'Where', 'Message'], model.openFindings.map((f) => [f.rule, f.severity, f.location, f.message])));
  if (model.limits.length > 0) s.push(`<h2>What the review could not read or had to assume</h2><ul>${model.limits.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`);
  s.push('</section>');
  s.push('</main>', '</body>', '</html>');
  return s.join('\n');
}
