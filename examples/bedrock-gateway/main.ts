/**
 * `npm run example`: synthesizes the example gateway's AWS plane into out/aws/ and its Vault plane
 * into out/vault/, then prints what it wrote.
 */
import * as path from 'path';
import { formatSummary, synthesizeGateway } from './app';
import { exampleSpec } from './spec';

const root = path.resolve(__dirname, '..', '..');
try {
  const summary = synthesizeGateway(exampleSpec, path.join(root, 'out'));
  console.log(formatSummary(summary, root));
} catch (error) {
  // A spec error is the user's to fix: print its message, not a stack trace.
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
