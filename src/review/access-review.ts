import * as fs from 'fs';
import * as path from 'path';
import { diffReviews } from './diff/access-diff';
import { renderDiffMarkdown } from './diff/render-diff';
import { readReviewInputs } from './inputs/review-inputs';
import { buildAccessModel } from './model/build-access-model';
import { summaryOf } from './model/summary';
import { writeReview } from './review-files';

/**
 * What the access review reads and where it writes.
 */
export interface AccessReviewProps {
  /**
   * The AWS plane's cloud assembly (`cdk.out`).
   *
   * @default - none; give at least this or `vaultOutdir`
   */
  readonly awsOutdir?: string;

  /**
   * The Vault plane's CDKTF output directory (`cdktf.out`).
   *
   * @default - none
   */
  readonly vaultOutdir?: string;

  /**
   * A directory of guardrail documents (`GatewayGuardrails.writeDocuments`). Guardrails the
   * cloud assembly deploys are read from it in any case.
   *
   * @default - only those the cloud assembly deploys
   */
  readonly guardrailsDir?: string;

  /** Where to write `review.json`, `review.md` and `review.html`. */
  readonly outDir: string;
}

/**
 * What `AccessReview.write` wrote.
 */
export interface AccessReviewResult {
  /** The files written: `review.json`, `review.md`, `review.html`. */
  readonly files: string[];

  /** The answers to the three questions, one line each, for a console. */
  readonly summary: string[];
}

/**
 * What `AccessReview.compare` reads and where it writes.
 */
export interface AccessReviewComparisonProps {
  /** The paths of the output before the change (cloud assembly, CDKTF output, guardrail documents, or a directory holding them). */
  readonly basePaths: string[];

  /** The paths of the output after the change. */
  readonly paths: string[];

  /** Where to write `review-diff.md`, `review-diff.json` and the review of the new output. */
  readonly outDir: string;
}

/**
 * What changed in access between two outputs.
 */
export interface AccessReviewComparison {
  /** The widenings, one line each: the changes that need an approval. */
  readonly widened: string[];

  /** The narrowings, one line each. */
  readonly narrowed: string[];

  /** The diff as Markdown, for a pull-request comment. */
  readonly markdown: string;

  /** The files written. */
  readonly files: string[];
}

/**
 * The access review of a synthesized gateway, read from its synthesized output (a cloud
 * assembly, CDKTF output and guardrail documents), never from constructs: the identity chain as
 * a matrix, who can obtain every credential and through which hops and for how long, the blast
 * radius of every identity, owners, suspensions and findings, as `review.json`, `review.md` and a
 * self-contained `review.html`.
 */
export class AccessReview {
  /**
   * Reads the outputs and writes the review into `outDir`. Throws, naming the file and the reason,
   * when an output cannot be read.
   */
  public static write(props: AccessReviewProps): AccessReviewResult {
    const paths = [props.awsOutdir, props.vaultOutdir, props.guardrailsDir].filter((p): p is string => typeof p === 'string');
    const model = buildAccessModel(readReviewInputs(paths));
    return { files: writeReview(model, props.outDir), summary: summaryOf(model) };
  }

  /**
   * Compares two outputs, writes the diff (`review-diff.md`, `review-diff.json`) and the review
   * of the new output into `outDir`, and returns the widenings and narrowings.
   */
  public static compare(props: AccessReviewComparisonProps): AccessReviewComparison {
    const base = buildAccessModel(readReviewInputs(props.basePaths));
    const next = buildAccessModel(readReviewInputs(props.paths));
    const diff = diffReviews(base, next);
    const files = writeReview(next, props.outDir);
    const markdown = renderDiffMarkdown(diff, props.basePaths.join(', '), props.paths.join(', '));
    const mdFile = path.join(props.outDir, 'review-diff.md');
    const jsonFile = path.join(props.outDir, 'review-diff.json');
    fs.writeFileSync(mdFile, `${renderDiffMarkdown(diff, props.basePaths.join(', '), props.paths.join(', '), Infinity)}\n`);
    fs.writeFileSync(jsonFile, `${JSON.stringify(diff, undefined, 2)}\n`);
    return { widened: diff.widened.map((l) => l.text), narrowed: diff.narrowed.map((l) => l.text), markdown, files: [...files, mdFile, jsonFile] };
  }

  private constructor() {}
}
