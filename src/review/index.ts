// The access review's public API. The model, its renderers and the CLI stay internal: their shapes
// are the review's files (review.json, review.md, review.html), not API.
export * from './access-review';
