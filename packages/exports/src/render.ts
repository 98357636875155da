import { renderDocx } from './docx.ts';
import type { ExportDocument, ExportFormat } from './model.ts';
import { renderPdf } from './pdf.ts';

/** What a renderer is asked for: a model and the format to draw it in. */
export interface RenderJob {
  model: ExportDocument;
  format: ExportFormat;
}

/** Draws the model in the format asked (in the calling thread: the pool runs this in its workers). */
export function render(job: RenderJob): Promise<Uint8Array> {
  return job.format === 'docx' ? renderDocx(job.model) : renderPdf(job.model);
}
