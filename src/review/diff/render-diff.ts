import { AccessDiff, DiffLine } from './access-diff';

/** A pull-request comment stays under GitHub's 65,536 characters. */
const COMMENT_LIMIT = 60_000;

function group(lines: DiffLine[]): string[] {
  const out: string[] = [];
  const categories = [...new Set(lines.map((l) => l.category))];
  for (const category of categories) {
    out.push(`**${category}**`, '');
    for (const line of lines.filter((l) => l.category === category)) out.push(`- ${line.text.replace(/\r?\n/g, ' ')}`);
    out.push('');
  }
  return out;
}

/**
 * The diff as Markdown for a pull-request comment: a verdict line, then the widenings (what an
 * approver must look at), the narrowings, and other changes, each grouped by what changed.
 */
export function renderDiffMarkdown(diff: AccessDiff, baseLabel: string, nextLabel: string, limit: number = COMMENT_LIMIT): string {
  const out: string[] = ['## Access review: what this change does to access', ''];
  out.push(`Compared ${baseLabel} (before) with ${nextLabel} (after).`, '');
  if (diff.widened.length > 0) out.push(`**Access widened: ${diff.widened.length} change${diff.widened.length === 1 ? '' : 's'} need${diff.widened.length === 1 ? 's' : ''} approval.**`, '');
  else out.push(`**No access widened.** ${diff.narrowed.length > 0 ? `${diff.narrowed.length} narrowing${diff.narrowed.length === 1 ? '' : 's'}.` : 'Nothing narrowed either.'}`, '');
  out.push(`### Widened (${diff.widened.length})`, '', ...(diff.widened.length > 0 ? group(diff.widened) : ['_None._', '']));
  out.push(`### Narrowed (${diff.narrowed.length})`, '', ...(diff.narrowed.length > 0 ? group(diff.narrowed) : ['_None._', '']));
  if (diff.changed.length > 0) out.push(`### Other changes (${diff.changed.length})`, '', ...group(diff.changed));
  const text = out.join('\n');
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}\n\n_The comment is cut here; review-diff.md holds every line._\n`;
}
