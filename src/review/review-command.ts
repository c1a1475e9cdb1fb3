import * as fs from 'fs';
import * as path from 'path';
import { diffReviews } from './diff/access-diff';
import { renderDiffMarkdown } from './diff/render-diff';
import { classifyPaths, readReviewInputs } from './inputs/review-inputs';
import { buildAccessModel } from './model/build-access-model';
import { AccessReviewModel } from './model/review-model';
import { summaryOf } from './model/summary';
import { writeReview } from './review-files';
import { InputError } from '../nhi/inputs/input-error';

/** Where the command writes. */
export interface CommandOutput {
  out(text: string): void;
  err(text: string): void;
}

/** The usage of `gateward review`, as `gateward --help` prints it. */
export const REVIEW_USAGE = `gateward review [--out DIR] [--base OLD]... PATH...

Reads a synthesized gateway and writes review.json, review.md and review.html (one
self-contained page) into --out (default ./access-review). Each PATH is a cloud assembly
(cdk.out), a CDKTF output directory (cdktf.out), a directory of guardrail documents, or a
directory holding them (like the example's out/). The review answers who can read each provider
key, which workloads can invoke each model and what a compromise of each router cell reaches,
and gives every identity's blast radius, the owners, suspended identities and findings.
--base names the output before a change (repeat it, or list its paths after one --base and give
the new paths after them: the list is then split in two halves of the same kinds). The diff is
printed as Markdown for a pull-request comment and written to review-diff.md and review-diff.json.
Exits 0 when the review is written (with --base: and no access widened), 1 when access widened
(every widening is listed), 2 when the command is wrong or a PATH cannot be read.`;

interface ReviewOptions {
  readonly paths: string[];
  readonly base: string[];
  readonly out: string;
}

type Parsed = ReviewOptions | { readonly error: string } | { readonly help: true };

/** A path relative to the working directory when it is below it, else as it is. */
function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') ? relative : file;
}

function kinds(paths: string[]): string | undefined {
  try {
    return classifyPaths(paths).map((c) => c.kind).sort().join(',');
  } catch {
    return undefined;
  }
}

function parse(args: string[]): Parsed {
  const paths: string[] = [];
  const base: string[] = [];
  let run: string[] | undefined;
  let out: string | undefined;
  // Repeated, --base takes one value each time; given once, every path up to the next option.
  const repeated = args.filter((a) => a === '--base').length > 1;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') return { help: true };
    if (!arg.startsWith('--')) {
      paths.push(arg);
      continue;
    }
    if (arg !== '--out' && arg !== '--base') return { error: `unknown option "${arg}"` };
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) return { error: `${arg} needs a value` };
    i++;
    if (arg === '--out') {
      out = value;
    } else if (repeated) {
      base.push(value);
    } else {
      run = [value];
      while (i + 1 < args.length && !args[i + 1].startsWith('--')) run.push(args[++i]);
    }
  }
  if (run && paths.length > 0) {
    base.push(...run);
  } else if (run) {
    // One --base followed by every path: the old output and the new, in two halves of the same kinds.
    const half = run.length / 2;
    if (!Number.isInteger(half) || kinds(run.slice(0, half)) === undefined || kinds(run.slice(0, half)) !== kinds(run.slice(half))) {
      return { error: '--base is followed by every path, and they do not split into an old and a new output of the same kinds; repeat --base before each old path and give the new paths without it' };
    }
    base.push(...run.slice(0, half));
    paths.push(...run.slice(half));
  }
  if (paths.length === 0) return { error: 'give at least one PATH to review (a cloud assembly, a CDKTF output, or a directory holding them)' };
  return { paths, base, out: out ?? 'access-review' };
}

/**
 * Runs `gateward review` and resolves to its exit code: 0 written, 1 access widened (with
 * --base), 2 a wrong command or an unreadable input. Fails closed: a path it cannot read is
 * never reviewed as empty.
 */
export function runReview(args: string[], output: CommandOutput, usage: string): number {
  const options = parse(args);
  if ('help' in options) {
    output.out(usage);
    return 0;
  }
  if ('error' in options) {
    output.err(`gateward: ${options.error}`);
    output.err(usage);
    return 2;
  }
  const read = (paths: string[]): AccessReviewModel | undefined => {
    try {
      return buildAccessModel(readReviewInputs(paths));
    } catch (error) {
      if (error instanceof InputError) output.err(`gateward: ${error.message}`);
      else output.err(`gateward: could not review ${paths.join(', ')}: ${(error as Error).message}`);
      return undefined;
    }
  };
  const base = options.base.length > 0 ? read(options.base) : undefined;
  if (options.base.length > 0 && !base) return 2;
  const model = read(options.paths);
  if (!model) return 2;
  const files = writeReview(model, options.out);
  const say = base ? output.err : output.out;
  say(`Reviewed ${model.inputs.join('; ')}`);
  for (const line of summaryOf(model)) say(`  ${line}`);
  say(`Wrote ${files.map(shown).join(', ')}`);
  if (!base) return 0;

  const diff = diffReviews(base, model);
  const markdown = renderDiffMarkdown(diff, options.base.join(', '), options.paths.join(', '), Infinity);
  fs.writeFileSync(path.join(options.out, 'review-diff.md'), `${markdown}\n`);
  fs.writeFileSync(path.join(options.out, 'review-diff.json'), `${JSON.stringify(diff, undefined, 2)}\n`);
  // The Markdown is the comment; it goes to standard output alone.
  output.out(renderDiffMarkdown(diff, options.base.join(', '), options.paths.join(', ')));
  if (diff.widened.length > 0) {
    output.err(`gateward: access widened (${diff.widened.length} change${diff.widened.length === 1 ? '' : 's'}):`);
    for (const line of diff.widened) output.err(`  + [${line.category}] ${line.text}`);
    return 1;
  }
  return 0;
}
