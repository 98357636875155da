import { createHash } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import type { Database, Transaction } from '@sopu/db';
import { fileTypeFromBuffer } from 'file-type';
import { statementRefusal, type InviteeStatus, type RoundState } from './consultation.rules.ts';
import { ATTACHMENT_COLUMNS, findRound, peopleNamed, roundAccessOf } from './consultation.repository.ts';
import { attachmentView, type AttachmentView } from './consultation.view.ts';
import { conflict, requireManager } from './consultation.ts';
import type { Actor, CoreDeps } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { can } from '../shared/roles.ts';
import { cleanText } from '../shared/text.ts';

/**
 * Files on a consultation round (the host's material) and on a municipality's statement (its board's decision, an
 * appendix): PDF, DOCX or ODT, known by their content (file-type), never by their name or declared type; at most
 * 10 MB each and 50 MB per round; stored in the database (consultation_attachments) and exported with the area
 * (docs/decisions/027-consultation.md).
 */

export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
export const ROUND_ATTACHMENTS_MAX_BYTES = 50 * 1024 * 1024;
/** What a DOCX or ODT (a zip) may unpack to, in all, and in how many entries; and the largest ratio of an entry. */
export const ZIP_UNPACKED_MAX_BYTES = 100 * 1024 * 1024;
export const ZIP_ENTRIES_MAX = 5000;
export const ZIP_RATIO_MAX = 200;

export const ATTACHMENT_TYPES = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  odt: 'application/vnd.oasis.opendocument.text',
} as const;
export type AttachmentKind = keyof typeof ATTACHMENT_TYPES;

const refuse = (code: string, message: string) => new DomainError('invalid_input', message, { issues: [{ path: ['file'], code, message }] });

/**
 * Whether a zip's entries unpack to what they say, within bounds: every entry of the central directory is inflated
 * with a cap on its output (no more than it declares, and no more than what is left of ZIP_UNPACKED_MAX_BYTES), so a
 * zip bomb is refused after inflating at most the bound, whatever its headers claim. Zip64, encryption and methods
 * other than stored and deflate are refused: no word processor writes them into a DOCX or ODT.
 */
export function zipProblem(bytes: Uint8Array): string | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (u32(at) === 0x06054b50) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) return 'not a complete zip archive';
  const entries = u16(eocd + 10);
  const directory = u32(eocd + 16);
  if (entries === 0xffff || directory === 0xffffffff) return 'zip64 archives are not accepted';
  if (entries > ZIP_ENTRIES_MAX) return `more than ${ZIP_ENTRIES_MAX} files inside`;
  let at = directory;
  let unpacked = 0;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > bytes.length || u32(at) !== 0x02014b50) return 'the zip directory is damaged';
    const flags = u16(at + 8);
    const method = u16(at + 10);
    const packedSize = u32(at + 20);
    const size = u32(at + 24);
    const nameLength = u16(at + 28);
    const next = at + 46 + nameLength + u16(at + 30) + u16(at + 32);
    const local = u32(at + 42);
    at = next;
    if (flags & 1) return 'encrypted files inside';
    if (size > 1024 * 1024 && size / Math.max(packedSize, 1) > ZIP_RATIO_MAX) return 'a file inside unpacks to far more than it takes (a zip bomb)';
    if (unpacked + size > ZIP_UNPACKED_MAX_BYTES) return `the files inside unpack to more than ${ZIP_UNPACKED_MAX_BYTES / 1024 / 1024} MB (a zip bomb)`;
    if (local + 30 > bytes.length || u32(local) !== 0x04034b50) return 'the zip directory is damaged';
    const start = local + 30 + u16(local + 26) + u16(local + 28);
    const packed = bytes.subarray(start, start + packedSize);
    if (packed.length !== packedSize) return 'the zip directory is damaged';
    if (method === 0) {
      if (packedSize !== size) return 'the zip directory is damaged';
    } else if (method === 8) {
      let out: Buffer;
      try {
        out = inflateRawSync(packed, { maxOutputLength: Math.max(size, 1) });
      } catch {
        return 'a file inside unpacks to more than it declares (a zip bomb) or is damaged';
      }
      if (out.length !== size) return 'a file inside does not unpack to the size it declares';
    } else {
      return 'a compression method word processors do not use';
    }
    unpacked += size;
  }
  return null;
}

/** What a file is by its content: PDF, DOCX or ODT, else refused (a renamed program, an image, a plain zip …). */
export async function sniffAttachment(bytes: Uint8Array): Promise<AttachmentKind> {
  if (bytes.byteLength === 0) throw refuse('empty', 'the file is empty');
  if (bytes.byteLength > ATTACHMENT_MAX_BYTES) throw new DomainError('too_large', `a file may be at most ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB`);
  let type: Awaited<ReturnType<typeof fileTypeFromBuffer>>;
  try {
    type = await fileTypeFromBuffer(bytes);
  } catch {
    type = undefined;
  }
  const kind = type && type.ext in ATTACHMENT_TYPES ? (type.ext as AttachmentKind) : null;
  if (!kind) throw refuse('unsupported_type', 'only PDF, Word (DOCX) and OpenDocument (ODT) files can be attached; this file is none of them, whatever its name says');
  if (kind !== 'pdf') {
    const problem = zipProblem(bytes);
    if (problem) throw refuse('unsafe_archive', `the ${kind.toUpperCase()} file was refused: ${problem}`);
  }
  return kind;
}

/** The name to store and serve: the one given, cleaned, its extension the content's (a "report.exe" that is a PDF is "report.pdf"). */
export function attachmentFileName(given: unknown, kind: AttachmentKind): string {
  const cleaned = typeof given === 'string' ? cleanText(given, { multiline: false }).replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').trim() : '';
  const base = (cleaned.replace(/\.[A-Za-z0-9]{1,8}$/, '') || 'liite').slice(0, 150);
  return `${base}.${kind}`;
}

interface Upload {
  file: Uint8Array;
  fileName?: unknown;
}

/**
 * The upload, read only after the caller's access is checked: a transport may pass a function that reads the body
 * (multipart), so that a forbidden or unknown caller is refused without the body being read or judged.
 */
type UploadSource = unknown | (() => Promise<unknown>);

async function uploadOf(source: UploadSource): Promise<Upload> {
  const raw = typeof source === 'function' ? await (source as () => Promise<unknown>)() : source;
  if (!raw || typeof raw !== 'object' || !('file' in raw) || !(raw.file instanceof Uint8Array)) throw refuse('required', 'send the file as the multipart field `file`');
  return raw as Upload;
}

async function insertAttachment(
  deps: CoreDeps,
  actor: Actor,
  target: { areaId: string; roundId: string; inviteeId: string | null; municipalityCode: string | null },
  upload: Upload,
  guard: (trx: Transaction<Database>) => Promise<void>,
): Promise<AttachmentView> {
  const kind = await sniffAttachment(upload.file);
  const fileName = attachmentFileName(upload.fileName, kind);
  const sha256 = createHash('sha256').update(upload.file).digest('hex');
  const now = deps.now();
  const id = newId();
  await deps.db.transaction().execute(async (trx) => {
    await guard(trx);
    const used = await trx.selectFrom('consultation_attachments').select((eb) => eb.fn.sum<number>('size').as('total')).where('area_id', '=', target.areaId).where('consultation_round_id', '=', target.roundId).executeTakeFirst();
    if (Number(used?.total ?? 0) + upload.file.byteLength > ROUND_ATTACHMENTS_MAX_BYTES) {
      throw new DomainError('too_large', `a round's attachments may take at most ${ROUND_ATTACHMENTS_MAX_BYTES / 1024 / 1024} MB in all`);
    }
    await trx
      .insertInto('consultation_attachments')
      .values({ id, area_id: target.areaId, consultation_round_id: target.roundId, consultation_invitee_id: target.inviteeId, file_name: fileName, media_type: ATTACHMENT_TYPES[kind], size: upload.file.byteLength, sha256, content: upload.file, uploaded_by: actor.userId, created_at: now })
      .execute();
    await deps.audit.append(trx, {
      areaId: target.areaId,
      actorUserId: actor.userId,
      action: 'consultation.attachment_added',
      subjectType: 'consultation_round',
      subjectId: target.roundId,
      details: { attachmentId: id, municipality: target.municipalityCode, fileName, mediaType: ATTACHMENT_TYPES[kind], size: upload.file.byteLength, sha256 },
    }, now);
  });
  return attachmentView({ id, area_id: target.areaId, consultation_round_id: target.roundId, consultation_invitee_id: target.inviteeId, file_name: fileName, media_type: ATTACHMENT_TYPES[kind], size: upload.file.byteLength, sha256, uploaded_by: actor.userId, created_at: now }, await peopleNamed(deps.db, [actor.userId]));
}

/** The host admin attaches material to a round (the cover letter's appendices) while it is a draft or open. */
export async function addRoundAttachment(deps: CoreDeps, actor: Actor, roundId: string, raw: UploadSource): Promise<AttachmentView> {
  const { round, access } = await roundAccessOf(deps.db, actor, roundId);
  requireManager(access.membership);
  const upload = await uploadOf(raw);
  return insertAttachment(deps, actor, { areaId: access.areaId, roundId: round.id, inviteeId: null, municipalityCode: null }, upload, async (trx) => {
    const fresh = await findRound(trx, access.areaId, round.id);
    if (fresh.state !== 'draft' && fresh.state !== 'open') throw conflict('round_not_open', 'the round is closed: its material can no longer change');
  });
}

/** The statement (an invitee of a round) and its round, as the caller may see them; else not found. */
async function statementOf(deps: CoreDeps, actor: Actor, statementId: string, answering = false) {
  const invitee = typeof statementId === 'string' && statementId.length <= 64
    ? await deps.db.selectFrom('consultation_invitees').innerJoin('municipalities', 'municipalities.id', 'consultation_invitees.municipality_id').select(['consultation_invitees.id', 'consultation_invitees.consultation_round_id', 'consultation_invitees.municipality_id', 'consultation_invitees.area_id', 'municipalities.code']).where('consultation_invitees.id', '=', statementId).executeTakeFirst()
    : undefined;
  if (!invitee) throw new DomainError('not_found', 'statement not found');
  const { round, access } = await roundAccessOf(deps.db, actor, invitee.consultation_round_id).catch(() => {
    throw new DomainError('not_found', 'statement not found');
  });
  if (access.areaId !== invitee.area_id) throw new DomainError('not_found', 'statement not found');
  if (answering && !can(access.membership, 'consultation.answer')) throw new DomainError('forbidden', 'only member reps attach files to statements');
  const manager = can(access.membership, 'consultation.manage');
  const own = access.membership.municipalityId === invitee.municipality_id;
  const closed = round.state === 'closed' || round.state === 'summary_published';
  // Before the close another municipality's statement is not read (its id is on the round's page, its content is
  // not): a member rep attaching to it is refused, anyone reading its files does not find them.
  if (!manager && !own && !closed) throw new DomainError(answering ? 'forbidden' : 'not_found', answering ? "a member rep attaches files only to their own municipality's statement" : 'statement not found');
  return { invitee, round, access, manager, own };
}

/**
 * A municipality attaches a file to its statement (its board's decision, an appendix): its member rep, or the host
 * admin on its behalf, while statements are accepted (the round open, the deadline ahead).
 */
export async function addStatementAttachment(deps: CoreDeps, actor: Actor, statementId: string, raw: UploadSource): Promise<AttachmentView> {
  const { invitee, round, access, manager, own } = await statementOf(deps, actor, statementId, true);
  if (!own && !manager) throw new DomainError('forbidden', 'a member rep attaches files only to their own municipality\'s statement');
  const upload = await uploadOf(raw);
  return insertAttachment(deps, actor, { areaId: access.areaId, roundId: round.id, inviteeId: invitee.id, municipalityCode: invitee.code }, upload, async (trx) => {
    const fresh = await findRound(trx, access.areaId, round.id);
    const status = await trx.selectFrom('consultation_invitees').select('status').where('area_id', '=', access.areaId).where('id', '=', invitee.id).executeTakeFirstOrThrow();
    const refusal = statementRefusal({ state: fresh.state as RoundState, deadline: fresh.deadline }, status.status as InviteeStatus, deps.now());
    if (refusal) throw conflict(refusal.reason, refusal.message);
  });
}

export interface AttachmentFile {
  fileName: string;
  mediaType: string;
  bytes: Uint8Array;
  sha256: string;
}

/**
 * An attachment's file, to whoever may see what it is attached to: a round's to everyone who sees the round, a
 * statement's to whoever sees the statement (the municipality and the host admin before the close, every member
 * after). Anything else is not found.
 */
export async function getAttachment(deps: CoreDeps, actor: Actor, attachmentId: string): Promise<AttachmentFile> {
  const row = typeof attachmentId === 'string' && attachmentId.length <= 64 ? await deps.db.selectFrom('consultation_attachments').select([...ATTACHMENT_COLUMNS]).where('id', '=', attachmentId).executeTakeFirst() : undefined;
  if (!row) throw new DomainError('not_found', 'attachment not found');
  const found = await (row.consultation_invitee_id ? statementOf(deps, actor, row.consultation_invitee_id) : roundAccessOf(deps.db, actor, row.consultation_round_id)).catch(() => null);
  if (!found || found.access.areaId !== row.area_id) throw new DomainError('not_found', 'attachment not found');
  const content = await deps.db.selectFrom('consultation_attachments').select('content').where('area_id', '=', row.area_id).where('id', '=', row.id).executeTakeFirstOrThrow();
  return { fileName: row.file_name, mediaType: row.media_type, bytes: new Uint8Array(content.content), sha256: row.sha256 };
}

/**
 * Removes a file attached by mistake while it can still change (issue 21): a round's file by the host admin while the
 * round is a draft or open; a statement's file by whoever uploaded it for the municipality (its member rep, or the
 * host admin on its behalf) while statements are accepted, the same guard as adding one. Another area's file, or one
 * the caller may not see, is not found; a member without the permission to answer is forbidden; once the round is
 * closed it is a conflict (`round_not_open`), like adding. Audited with what the file was (name, size, hash).
 */
export async function removeAttachment(deps: CoreDeps, actor: Actor, attachmentId: string): Promise<void> {
  const row = typeof attachmentId === 'string' && attachmentId.length <= 64 ? await deps.db.selectFrom('consultation_attachments').select([...ATTACHMENT_COLUMNS]).where('id', '=', attachmentId).executeTakeFirst() : undefined;
  if (!row) throw new DomainError('not_found', 'attachment not found');
  // The area first (another area's file is not found), then the permission (as adding one), then the statement's
  // visibility (another municipality's, before the close, is not found).
  const found = await roundAccessOf(deps.db, actor, row.consultation_round_id).catch(() => null);
  if (!found || found.access.areaId !== row.area_id) throw new DomainError('not_found', 'attachment not found');
  const { access } = found;
  if (!can(access.membership, 'consultation.answer')) throw new DomainError('forbidden', 'only the host admin and member reps remove files');
  const statement = row.consultation_invitee_id ? await statementOf(deps, actor, row.consultation_invitee_id) : null;
  if (statement) {
    if (row.uploaded_by !== actor.userId || (!statement.own && !statement.manager)) throw new DomainError('forbidden', 'a statement’s file is removed by whoever uploaded it');
  } else requireManager(access.membership);
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    const fresh = await findRound(trx, access.areaId, row.consultation_round_id);
    if (statement) {
      const status = await trx.selectFrom('consultation_invitees').select('status').where('area_id', '=', access.areaId).where('id', '=', row.consultation_invitee_id!).executeTakeFirstOrThrow();
      const refusal = statementRefusal({ state: fresh.state as RoundState, deadline: fresh.deadline }, status.status as InviteeStatus, now);
      if (refusal) throw conflict(refusal.reason, refusal.message);
    } else if (fresh.state !== 'draft' && fresh.state !== 'open') throw conflict('round_not_open', 'the round is closed: its material can no longer change');
    const deleted = await trx.deleteFrom('consultation_attachments').where('area_id', '=', access.areaId).where('id', '=', row.id).executeTakeFirst();
    if (Number(deleted.numDeletedRows) !== 1) throw new DomainError('not_found', 'attachment not found');
    await deps.audit.append(trx, {
      areaId: access.areaId,
      actorUserId: actor.userId,
      action: 'consultation.attachment_removed',
      subjectType: 'consultation_round',
      subjectId: row.consultation_round_id,
      details: { attachmentId: row.id, municipality: statement ? statement.invitee.code : null, fileName: row.file_name, mediaType: row.media_type, size: row.size, sha256: row.sha256 },
    }, now);
  });
}
