import { createHash } from 'node:crypto';
import { diffDocuments, documentTitle, LAYOUT_VERSION, templateFor, type CanonicalDocument, type CanonicalSection, type DocumentKind } from '@sopu/doc-model';
import {
  approvalStatusText, defaultBackground, documentFileName, documentModel, inProcessRenderer, proposalFileName, proposalModel, RenderPoolBusyError,
  type DocumentFacts, type RenderJob,
} from '@sopu/exports';
import { councilsOnText, proposalSubject, type ProposalAsker, type ProposalSubject } from '../approvals/index.ts';
import { APPROVABLE_KINDS } from '../documents/index.ts';
import type { Actor, CoreDeps } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { findAreaBySlug, listMunicipalities, type Area, type Municipality } from '../shared/tenancy.repository.ts';
import { currentContent, documentAccessOf, frozenVersion, versionDetail, type DocumentAccess } from '../versions/index.ts';
import { areaLanguage, calendarDate, CONTENT_TYPES, DOCUMENT_FORMATS, exportTime, finnishDate, municipalityLanguage, parseFormat, PROPOSAL_FORMATS, type DocumentFormat } from './exports.rules.ts';
import { insertExportFile, type ExportFileRecord } from './exports.repository.ts';

/*
 * The files a council can put on its agenda (docs/decisions/022-exports.md): any version of a document, and its
 * current text, as DOCX or PDF; each council's decision proposal. Every file handed out is recorded by the sha256 of
 * its bytes (export_files, with an audit event), which is how verify tells Sopu's file from a copy changed since.
 */

export interface ExportedFile {
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
  /** The sha256 of the bytes, as recorded. */
  sha256: string;
  /** The content hash the file shows (null for reports, which show no one text). */
  contentHash: string | null;
}

export const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Draws a file through the deps' renderer (the server's worker pool), or in this thread when there is none. */
export async function draw(deps: CoreDeps, job: RenderJob): Promise<Uint8Array> {
  try {
    return await (deps.renderer ?? inProcessRenderer()).render(job);
  } catch (error) {
    if (error instanceof RenderPoolBusyError) throw new DomainError('unavailable', error.message, { retryAfterSeconds: 5 });
    throw error;
  }
}

interface AreaFacts {
  area: Area;
  municipalities: Municipality[];
  lang: 'fi' | 'sv';
}

async function areaFacts(deps: CoreDeps, slug: string): Promise<AreaFacts> {
  const area = await findAreaBySlug(deps.db, slug);
  if (!area) throw new DomainError('not_found', 'area not found');
  const municipalities = await listMunicipalities(deps.db, area);
  return { area, municipalities, lang: areaLanguage(municipalities) };
}

/** Each section's title in the file's language. */
const sectionTitles = (kind: DocumentKind, lang: 'fi' | 'sv' | 'en') => Object.fromEntries(templateFor(kind).map((s) => [s.key, s.title[lang]]));

/** The document's file's facts: its text, and where the councils stood on exactly that text when it was exported. */
async function documentFacts(deps: CoreDeps, access: Pick<DocumentAccess, 'id' | 'kind' | 'areaSlug'>, sections: readonly CanonicalSection[], hash: string, version: DocumentFacts['version']): Promise<DocumentFacts> {
  const { area, lang } = await areaFacts(deps, access.areaSlug);
  let approvalStatus: string | null = null;
  if ((APPROVABLE_KINDS as readonly string[]).includes(access.kind)) {
    const councils = await councilsOnText(deps.db, area.id, access.id, hash);
    const names = new Map(councils.parties.map((p) => [p.code, p.name[lang]]));
    approvalStatus = approvalStatusText(lang, { sentOn: councils.sentAt === null ? null : finnishDate(councils.sentAt), approved: councils.approvedBy.map((c) => names.get(c) ?? c), parties: councils.parties.length });
  }
  const now = deps.now();
  return {
    lang,
    areaSlug: area.slug,
    areaName: area.name[lang],
    documentTitle: documentTitle(access.kind)[lang],
    version,
    hash,
    exportedAt: exportTime(now, lang),
    exportedAtMs: now,
    approvalStatus,
    sections,
    titles: sectionTitles(access.kind, lang),
    author: area.name[lang],
  };
}

/** Records the file handed out and its audit event, in one transaction. */
async function record(deps: CoreDeps, file: ExportedFile, row: Omit<ExportFileRecord, 'id' | 'file_sha256' | 'file_name' | 'byte_length' | 'created_at'>, audit: Record<string, unknown>): Promise<void> {
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await insertExportFile(trx, { ...row, id: newId(), file_sha256: file.sha256, file_name: file.fileName, byte_length: file.bytes.byteLength, created_at: now });
    await deps.audit.append(
      trx,
      {
        areaId: row.area_id,
        actorUserId: row.created_by ?? null,
        action: 'document.exported',
        subjectType: 'document',
        subjectId: row.document_id,
        details: { kind: row.kind, format: row.format, version: row.version_number ?? null, contentHash: row.content_hash, fileSha256: file.sha256, fileName: file.fileName, ...audit },
      },
      now,
    );
  });
}

async function documentFile(deps: CoreDeps, actor: Actor, access: DocumentAccess, format: DocumentFormat, content: { sections: readonly CanonicalSection[]; hash: string; version: DocumentFacts['version'] }): Promise<ExportedFile> {
  const facts = await documentFacts(deps, access, content.sections, content.hash, content.version);
  const bytes = await draw(deps, { model: documentModel(facts), format });
  const file: ExportedFile = { fileName: documentFileName(facts, format), contentType: CONTENT_TYPES[format], bytes, sha256: sha256Of(bytes), contentHash: content.hash };
  await record(deps, file, { area_id: access.areaId, document_id: access.id, kind: content.version ? 'version' : 'current', format, version_number: content.version?.number ?? null, content_hash: content.hash, created_by: actor.userId }, {});
  return file;
}

/**
 * A saved version as DOCX or PDF, in the document's language: its numbered sections, the cover (area, document,
 * version, date, hash, the councils' approvals of exactly this text at export) and the hash in the metadata. Any
 * member of the area may take it; the file is recorded (verify) and audited.
 */
export async function exportVersion(deps: CoreDeps, actor: Actor, documentId: string, number: unknown, format: unknown): Promise<ExportedFile> {
  const access = await documentAccessOf(deps.db, actor, documentId);
  const chosen = parseFormat(DOCUMENT_FORMATS, format);
  const version = await versionDetail(deps.db, access, number);
  const sections = version.sections.map(({ hash: _hash, ...section }) => section);
  return documentFile(deps, actor, access, chosen, { sections, hash: version.hash, version: { number: version.number, label: version.label } });
}

/** The document's text now (stored: what everyone has seen), as DOCX or PDF: as a version's file, marked as no version. */
export async function exportCurrent(deps: CoreDeps, actor: Actor, documentId: string, format: unknown): Promise<ExportedFile> {
  const access = await documentAccessOf(deps.db, actor, documentId);
  const chosen = parseFormat(DOCUMENT_FORMATS, format);
  const now = await currentContent(deps.db, access.id);
  return documentFile(deps, actor, access, chosen, { sections: now.canonical.sections, hash: now.hash, version: null });
}

/** The changes since the council's earlier decision, section by section, in the council's language. */
function changesSince(kind: DocumentKind, lang: 'fi' | 'sv', from: CanonicalDocument, to: CanonicalDocument) {
  const diff = diffDocuments(from, to);
  const titles = sectionTitles(kind, lang);
  const order = [...to.sections].sort((a, b) => a.order - b.order).map((s) => s.key);
  const notApplicable = new Map(to.sections.filter((s) => s.status === 'not_applicable').map((s) => [s.key, s.reason]));
  return diff.sections
    .filter((s) => s.changed)
    .map((s) => ({ number: order.includes(s.key) ? order.indexOf(s.key) + 1 : null, title: titles[s.key] ?? s.key, blocks: s.blocks ?? [], notApplicable: notApplicable.get(s.key) ?? null }));
}

async function proposalFile(deps: CoreDeps, subject: ProposalSubject): Promise<ExportedFile> {
  const document = await deps.db.selectFrom('documents').select(['kind']).where('area_id', '=', subject.areaId).where('id', '=', subject.request.documentId).executeTakeFirstOrThrow();
  const kind = document.kind as 'cooperation_agreement' | 'authority_task_agreement';
  const { area, lang: areaLang } = await areaFacts(deps, subject.areaSlug);
  const lang = municipalityLanguage(subject.municipality.language);
  const version = await frozenVersion(deps.db, subject.areaId, subject.request.documentId, subject.request.version);
  if (!version) throw new DomainError('not_found', 'version not found');
  let earlier = null;
  if (subject.earlier) {
    const before = await frozenVersion(deps.db, subject.areaId, subject.request.documentId, subject.earlier.version);
    if (before) earlier = { number: before.number, decided: subject.earlier.decisionDate ? calendarDate(subject.earlier.decisionDate) : null, sections: changesSince(kind, lang, { layout: LAYOUT_VERSION, sections: before.canonical.sections }, { layout: LAYOUT_VERSION, sections: version.canonical.sections }) };
  }
  const now = deps.now();
  const sentOn = finnishDate(subject.request.sentAt);
  const appendix = documentFileName({ areaSlug: area.slug, documentTitle: documentTitle(kind)[areaLang], version: { number: version.number, label: version.label }, hash: version.hash }, 'pdf');
  const facts = {
    lang,
    areaSlug: area.slug,
    areaName: area.name[lang],
    municipalityCode: subject.municipality.code,
    municipalityName: subject.municipality.name[lang],
    documentKind: kind,
    documentTitle: documentTitle(kind)[lang],
    version: { number: version.number, label: version.label },
    hash: version.hash,
    sentOn,
    exportedAt: exportTime(now, lang),
    exportedAtMs: now,
    background: subject.request.background.trim() !== '' ? subject.request.background : defaultBackground(lang, { version: version.number, label: version.label, sentOn }),
    appendix,
    earlier,
    author: area.name[lang],
  };
  const bytes = await draw(deps, { model: proposalModel(facts), format: 'docx' });
  const file: ExportedFile = { fileName: proposalFileName(facts), contentType: CONTENT_TYPES.docx, bytes, sha256: sha256Of(bytes), contentHash: version.hash };
  await record(
    deps,
    file,
    {
      area_id: subject.areaId,
      document_id: subject.request.documentId,
      kind: 'proposal',
      format: 'docx',
      version_number: version.number,
      content_hash: version.hash,
      approval_request_id: subject.request.id,
      municipality_id: subject.municipality.id,
      created_by: subject.userId,
      api_token_id: subject.tokenId,
    },
    { approvalRequestId: subject.request.id, municipalityCode: subject.municipality.code, ...(subject.tokenId ? { tokenId: subject.tokenId } : {}), earlierVersion: subject.earlier?.version ?? null },
  );
  return file;
}

/**
 * A council's decision proposal (päätösehdotus / beslutsförslag) for an approval request, as DOCX in the council's
 * language: the host's background text, the motion naming the version and its hash, the appendix, and when this
 * council already decided on an earlier text, the changes since as a redline. Its council secretary and the host
 * admin may take it.
 */
export async function decisionProposal(deps: CoreDeps, actor: Actor, approvalRequestId: string, municipalityCode: unknown, format: unknown = 'docx'): Promise<ExportedFile> {
  return proposal(deps, { actor }, approvalRequestId, municipalityCode, format);
}

/** The same for a municipality's approval token (its case-management system), for its own council only. */
export async function decisionProposalWithToken(deps: CoreDeps, token: string, approvalRequestId: string, municipalityCode: unknown, format: unknown = 'docx'): Promise<ExportedFile> {
  return proposal(deps, { token }, approvalRequestId, municipalityCode, format);
}

async function proposal(deps: CoreDeps, asker: ProposalAsker, approvalRequestId: string, municipalityCode: unknown, format: unknown): Promise<ExportedFile> {
  const subject = await proposalSubject(deps, asker, approvalRequestId, municipalityCode);
  parseFormat(PROPOSAL_FORMATS, format);
  return proposalFile(deps, subject);
}
