import { GRAPH_TENANT_LIMIT } from '../model/identity-graph';
import { AccessReviewModel } from '../model/review-model';

/** Escapes text for HTML and SVG. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const LAYERS = ['Workloads', 'API methods', 'Router cells', 'Vault roles', 'Credential paths', 'Broker and Vault', 'Target roles', 'Models, keys, databases'];

const FILL: Record<string, string> = {
  'workload': '#e3f2fd',
  'suspended-workload': '#eeeeee',
  'api-method': '#ede7f6',
  'router-cell': '#fff3e0',
  'vault-role': '#e8f5e9',
  'sts-path': '#f1f8e9',
  'database-path': '#f1f8e9',
  'vault-server': '#fce4ec',
  'broker': '#fce4ec',
  'target-role': '#fffde7',
  'model': '#e0f7fa',
  'provider-key': '#ffebee',
  'database-user': '#e0f2f1',
};

const COLUMN = 200;
const NODE_WIDTH = 180;
const NODE_HEIGHT = 36;
const ROW = 48;
const TOP = 48;

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * The identity chain as an inline SVG: one column per layer (workloads on the left, models, keys
 * and databases on the right), one box per node with its full name as a tooltip, one curve per
 * hop. Nothing is fetched: the page stays self-contained.
 */
export function identityGraphSvg(model: AccessReviewModel): string {
  const byLayer = LAYERS.map((_, layer) => model.graph.nodes.filter((n) => n.layer === layer)
    .sort((a, b) => (a.tenant ?? '').localeCompare(b.tenant ?? '') || a.label.localeCompare(b.label)));
  const position = new Map<string, { x: number; y: number }>();
  byLayer.forEach((nodes, layer) => nodes.forEach((n, i) => position.set(n.id, { x: 10 + layer * COLUMN, y: TOP + i * ROW })));
  const rows = Math.max(1, ...byLayer.map((l) => l.length));
  const width = 10 + LAYERS.length * COLUMN;
  const height = TOP + rows * ROW + 10;
  const parts: string[] = [];
  parts.push(`<svg id="identity-graph" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="identity-graph-title" width="100%" viewBox="0 0 ${width} ${height}" style="min-width: 960px; max-width: ${width}px; height: auto">`);
  parts.push('<title id="identity-graph-title">The identity chain: who reaches which credential, through which hops</title>');
  parts.push('<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#607d8b"/></marker></defs>');
  LAYERS.forEach((title, layer) => parts.push(`<text class="layer-title" x="${10 + layer * COLUMN}" y="24" font-size="13" font-weight="bold" fill="#37474f">${escapeHtml(title)}</text>`));
  for (const edge of model.graph.edges) {
    const from = position.get(edge.from);
    const to = position.get(edge.to);
    if (!from || !to) continue;
    const x1 = from.x + NODE_WIDTH;
    const y1 = from.y + NODE_HEIGHT / 2;
    const x2 = to.x;
    const y2 = to.y + NODE_HEIGHT / 2;
    const bend = Math.max(30, Math.abs(x2 - x1) / 2);
    parts.push(`<path class="edge" data-from="${escapeHtml(edge.from)}" data-to="${escapeHtml(edge.to)}" d="M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}" fill="none" stroke="#90a4ae" stroke-width="1.4" marker-end="url(#arrow)"><title>${escapeHtml(edge.label)}</title></path>`);
  }
  for (const node of model.graph.nodes) {
    const p = position.get(node.id)!;
    parts.push(`<g class="node" data-id="${escapeHtml(node.id)}" data-kind="${escapeHtml(node.kind)}"${node.tenant ? ` data-tenant="${escapeHtml(node.tenant)}"` : ''}>`
      + `<title>${escapeHtml(`${node.label}${node.tenant ? ` (tenant ${node.tenant})` : ''}`)}</title>`
      + `<rect x="${p.x}" y="${p.y}" width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="6" fill="${FILL[node.kind] ?? '#ffffff'}" stroke="#78909c"/>`
      + `<text x="${p.x + 8}" y="${p.y + 15}" font-size="11" fill="#263238">${escapeHtml(shorten(node.label, 28))}</text>`
      + (node.tenant ? `<text x="${p.x + 8}" y="${p.y + 29}" font-size="10" fill="#607d8b">tenant ${escapeHtml(shorten(node.tenant, 20))}</text>` : '')
      + '</g>');
  }
  parts.push('</svg>');
  const note = model.tenants.length > GRAPH_TENANT_LIMIT ? `<p class="note">The graph draws the first ${GRAPH_TENANT_LIMIT} of ${model.tenants.length} tenants; the tables list them all.</p>` : '';
  return parts.join('\n') + note;
}
