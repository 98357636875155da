// @sopu/exports: the files Sopu hands out (docs/decisions/022-exports.md). A renderer-neutral model built from a
// version's canonical JSON (or a proposal's, summary's, matrix's facts), drawn as DOCX (`docx`) or PDF/A-2b (PDFKit),
// in a worker thread on the server (pool.ts).
export * from './model.ts';
export { contentBlocks, redlineBlocks } from './content.ts';
export * from './builders.ts';
export { WORDS, REPORT_WORDS, approvalStatusText, defaultBackground, fileSlug, shortHashOf, type Words } from './words.ts';
export { renderDocx } from './docx.ts';
export { renderPdf } from './pdf.ts';
export { csvOf } from './csv.ts';
export { render, type RenderJob } from './render.ts';
export { createRenderPool, RenderPoolBusyError, type RenderPool, type Renderer, inProcessRenderer } from './pool.ts';
export { claimedContentHash } from './claims.ts';
