// The face of exports: the files Sopu hands out (a version or the current text as DOCX/PDF, a council's decision
// proposal, the approval matrix, a consultation summary) and verify. Other features import exports from here only
// (docs/decisions/021-feature-folders.md, 022-exports.md).

export { decisionProposal, decisionProposalWithToken, exportCurrent, exportVersion, type ExportedFile } from './exports.ts';
export { approvalsMatrix, consultationSummaryFile } from './reports.ts';
export { sniffExportType, verifyExport, verifyInput, type VerifyMiss, type VerifyResult } from './verify.ts';
export {
  areaLanguage, CONTENT_TYPES, DOCUMENT_FORMATS, type DocumentFormat, MATRIX_FORMATS, type MatrixFormat, municipalityLanguage, PROPOSAL_FORMATS, SUMMARY_FORMATS,
  VERIFY_MAX_BYTES,
} from './exports.rules.ts';
