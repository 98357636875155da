import { claimedContentHash } from '@sopu/exports';
import { fileTypeFromBuffer } from 'file-type';
import { councilsOnText } from '../approvals/index.ts';
import type { Actor, CoreDeps } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { listUserMemberships } from '../shared/tenancy.repository.ts';
import { parseInput } from '../shared/validation.ts';
import { currentContent } from '../versions/index.ts';
import { exportsByContentHash, exportsByFileHash, versionsByHash, type FoundFile, type FoundText } from './exports.repository.ts';
import { sha256Of } from './exports.ts';
import { VERIFY_MAX_BYTES, verifyHash } from './exports.rules.ts';
import { z } from 'zod';

/*
 * Verify (docs/decisions/022-exports.md): a file, or a hash, mapped back to the text it shows. A file is known by
 * the sha256 of its bytes, recorded when Sopu handed it out: a copy changed afterwards (a council's edited copy,
 * re-saved by Word) hashes differently and is "not a Sopu export of any version", however much it claims in its
 * metadata. A pasted hash is the cover's content hash (full or its first 8+ digits) or a file's sha256.
 */

export interface VerifyResult {
  /** The area's slug. */
  area: string;
  areaName: { fi: string; sv: string; en: string };
  /** The document's id. */
  document: string;
  documentKind: string;
  documentTitle: string;
  /** The newest saved version with exactly this text; null when no version has it (a current text's file). */
  version: number | null;
  /** Every saved version with exactly this text, newest first (a restored version repeats an earlier one's). */
  versions: number[];
  /** The content hash: the SHA-256 of the canonical text, as on the cover. */
  hash: string;
  /** Whether this text was sent to the councils for approval. */
  sentForApproval: boolean;
  /** The municipality codes whose council approved exactly this text. */
  approvedBy: string[];
  /** The same councils with their names (Finnish alphabetical order), for a page to show. */
  approvedCouncils: Array<{ code: string; name: { fi: string; sv: string } }>;
  /** The label of `version`; null when there is none. */
  versionLabel: string | null;
  /** Whether the document's text now is still exactly this text. */
  matchesCurrent: boolean;
  /** The file Sopu handed out, when a file (or its sha256) was given. */
  file: { kind: string; format: string; fileName: string; sha256: string; exportedAt: number } | null;
}

/** Why nothing was found: `altered` (a file naming a text in its metadata, with bytes Sopu never handed out), `not_an_export`, `unknown_hash`, `ambiguous`. */
export type VerifyMiss = 'altered' | 'not_an_export' | 'unknown_hash' | 'ambiguous';

function miss(reason: VerifyMiss, message: string): DomainError {
  return new DomainError('not_found', message, { reason });
}

export const verifyInput = z.union([z.strictObject({ hash: verifyHash }), z.strictObject({ file: z.instanceof(Uint8Array) })]);

async function answer(deps: CoreDeps, found: FoundText, file: FoundFile | null, areaIds: readonly string[]): Promise<VerifyResult> {
  const [councils, now, versions] = await Promise.all([
    councilsOnText(deps.db, found.areaId, found.documentId, found.contentHash),
    currentContent(deps.db, found.documentId),
    versionsByHash(deps.db, [found.areaId], found.contentHash),
  ]);
  const numbers = versions.filter((v) => v.documentId === found.documentId && areaIds.includes(v.areaId)).map((v) => v.versionNumber!);
  const version = found.versionNumber ?? numbers[0] ?? null;
  const approved = new Set(councils.approvedBy);
  return {
    area: found.areaSlug,
    areaName: found.areaName,
    document: found.documentId,
    documentKind: found.documentKind,
    documentTitle: found.documentTitle,
    version,
    versionLabel: version === null ? null : (versions.find((v) => v.documentId === found.documentId && v.versionNumber === version)?.versionLabel ?? null),
    versions: numbers,
    hash: found.contentHash,
    sentForApproval: councils.sentAt !== null,
    approvedBy: councils.approvedBy,
    approvedCouncils: councils.parties.filter((p) => approved.has(p.code)),
    matchesCurrent: now.hash === found.contentHash,
    file: file ? { kind: file.kind, format: file.format, fileName: file.fileName, sha256: file.fileSha256, exportedAt: file.createdAt } : null,
  };
}

/** What the bytes are, by their content (not a name or a declared type): a PDF, a DOCX, or neither. */
export async function sniffExportType(bytes: Uint8Array): Promise<'pdf' | 'docx' | null> {
  const type = await fileTypeFromBuffer(bytes);
  return type?.ext === 'pdf' ? 'pdf' : type?.ext === 'docx' ? 'docx' : null;
}

/**
 * Which area, document and version a file (its bytes) or a hash is, in the areas the caller is a member of: whether
 * that text was sent for approval, which councils approved exactly it, whether the current text still is it. An
 * unknown file or hash is not found, with the reason; a file that is neither PDF nor DOCX is invalid input.
 */
export async function verifyExport(deps: CoreDeps, actor: Actor, raw: unknown): Promise<VerifyResult> {
  if (raw && typeof raw === 'object' && 'file' in raw && raw.file instanceof Uint8Array && raw.file.byteLength > VERIFY_MAX_BYTES) {
    throw new DomainError('too_large', `the file is over ${VERIFY_MAX_BYTES / 1024 / 1024} MB: no Sopu export is that large`);
  }
  const input = parseInput(verifyInput, raw);
  const areaIds = (await listUserMemberships(deps.db, actor.userId)).map((m) => m.areaId);
  if ('file' in input) {
    const type = await sniffExportType(input.file);
    if (!type) {
      const message = 'the file is neither a PDF nor a Word document (DOCX), so it is not a Sopu export';
      throw new DomainError('invalid_input', message, { issues: [{ path: ['file'], code: 'not_pdf_or_docx', message }] });
    }
    const [file] = await exportsByFileHash(deps.db, areaIds, sha256Of(input.file));
    if (file) return answer(deps, file, file, areaIds);
    const claimed = claimedContentHash(input.file, type);
    if (claimed && (await versionsByHash(deps.db, areaIds, claimed)).length + (await exportsByContentHash(deps.db, areaIds, claimed)).length > 0) {
      throw miss('altered', 'this file is not a Sopu export of any version: it names a text of this area, but it was changed after Sopu made it');
    }
    throw miss('not_an_export', 'this file is not a Sopu export of any version');
  }
  const hash = input.hash;
  if (hash.length === 64) {
    const [version] = await versionsByHash(deps.db, areaIds, hash);
    if (version) return answer(deps, version, null, areaIds);
    const [file] = await exportsByFileHash(deps.db, areaIds, hash);
    if (file) return answer(deps, file, file, areaIds);
    const [current] = await exportsByContentHash(deps.db, areaIds, hash);
    if (current) return answer(deps, { ...current, versionNumber: null }, null, areaIds);
    throw miss('unknown_hash', 'no version or exported file has this hash');
  }
  const versions = await versionsByHash(deps.db, areaIds, hash);
  const texts = new Set(versions.map((v) => `${v.documentId} ${v.contentHash}`));
  if (texts.size > 1) throw miss('ambiguous', 'more than one text starts with these digits: give more of the hash');
  if (versions[0]) return answer(deps, versions[0], null, areaIds);
  throw miss('unknown_hash', 'no version has a hash starting with these digits');
}
