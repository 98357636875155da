// The face of documents: documents of an area, their kinds, and their stored Yjs state.
// Other features import documents from here only (docs/decisions/021-feature-folders.md).

export { contentRepairedAudit, loadDocumentState, loadRepairedDocument } from './document-state.ts';
export { createStoreDocumentWriter } from './document-writer.ts';
export { type DocumentSummary, listDocumentsOfArea } from './documents.repository.ts';
export { APPROVABLE_KINDS, type ApprovableKind, CREATABLE_KINDS, type CreatableKind, writeModeOf, type WriteMode } from './documents.rules.ts';
export {
  authorizeDocumentConnection, authorizeDocumentConnections, canEditDocument, type ConnectionVerdict, createDocument, createDocumentInput,
  type DocumentConnection, insertDocument, listDocuments, openDocument, type OpenDocument,
} from './documents.ts';
