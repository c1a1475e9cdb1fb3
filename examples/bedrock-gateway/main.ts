/**
 * `npm run example`: synthesizes the example gateway's AWS plane into out/aws/ and its Vault plane
 * into out/vault/, writes the access review of both into out/review/, then prints what it wrote.
 */
import * as path from 'path';
import { formatSummary, synthesizeGateway } from './app';
import { exampleSpec } from './spec';
import { AccessReview } from '../../src';

const root = path.resolve(__dirname, '..', '..');
try {
  const summary = synthesizeGateway(exampleSpec, path.join(root, 'out'));
  console.log(formatSummary(summary, root));
  // The access review of what was just synthesized: who reaches what, read from the output alone.
  const reviewDir = path.join(root, 'out', 'review');
  const review = AccessReview.write({
    awsOutdir: summary.awsOutdir, vaultOutdir: summary.vaultOutdir, guardrailsDir: summary.guardrailsOutdir, outDir: reviewDir,
  });
  console.log(`  Access review -> ${path.relative(root, reviewDir)}/review.html (also review.md, review.json)`);
  for (const line of review.summary) console.log(`    ${line}`);
} catch (error) {
  // A spec error is the user's to fix: print its message, not a stack trace.
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
