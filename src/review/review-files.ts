import * as fs from 'fs';
import * as path from 'path';
import { AccessReviewModel } from './model/review-model';
import { renderHtml } from './report/render-html';
import { renderMarkdown } from './report/render-markdown';

/** Writes `review.json`, `review.md` and `review.html`. */
export function writeReview(model: AccessReviewModel, outDir: string): string[] {
  fs.mkdirSync(outDir, { recursive: true });
  const files = [path.join(outDir, 'review.json'), path.join(outDir, 'review.md'), path.join(outDir, 'review.html')];
  // Large gateways' reviews are written compactly: the file is for tools (and jq) then.
  fs.writeFileSync(files[0], `${JSON.stringify(model, undefined, model.tenants.length > 50 ? undefined : 1)}\n`);
  fs.writeFileSync(files[1], `${renderMarkdown(model)}\n`);
  fs.writeFileSync(files[2], `${renderHtml(model)}\n`);
  return files;
}
