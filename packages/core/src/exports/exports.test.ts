import { decideSuggestions } from '@sopu/doc-model';
import { docxPart, docxText, pdfInfo, pdfText, requireReaders } from '@sopu/exports/readers';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApprovalToken, recordCouncilDecision, sendForApproval } from '../approvals/index.ts';
import { isDomainError, type DomainError } from '../shared/errors.ts';
import { actorFor, changeDocument, createTestDeps, documentIdOf, fixtureFile, tableCounts, writeSection, type TestDeps } from '../testing.ts';
import { saveVersion } from '../versions/index.ts';
import { loadDemoAreasIfEmpty } from '../demo/index.ts';
import { approvalsMatrix, consultationSummaryFile, decisionProposal, decisionProposalWithToken, exportCurrent, exportVersion, verifyExport, VERIFY_MAX_BYTES, type ExportedFile } from './index.ts';

/*
 * The exports use cases against the demo areas, with the files read back by LibreOffice and poppler: who may take
 * which file, what the cover says, what is recorded, and verify telling Sopu's files from changed copies.
 */

const KAINUU = 'kainuu-koillismaa';
const SAARISTO = 'saaristo-skargard';
const ADMIN = 'admin.kajaani@sopu.example';

async function refusal(work: Promise<unknown>): Promise<DomainError> {
  try {
    await work;
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

let base: TestDeps;
let fixture: string;
let t: TestDeps;
let agreement: string;
let saaristoAgreement: string;

beforeAll(async () => {
  requireReaders();
  base = await createTestDeps({ demo: false });
  await loadDemoAreasIfEmpty(base.deps, base.clock.now(), { content: true });
  fixture = await fixtureFile(base);
  t = await createTestDeps({ copyOf: fixture });
  agreement = await documentIdOf(t.db, KAINUU, 'cooperation_agreement');
  saaristoAgreement = await documentIdOf(t.db, SAARISTO, 'cooperation_agreement');
}, 60_000);
afterAll(async () => {
  await t?.cleanup();
  await base?.cleanup();
});

describe('a version and the current text as files', () => {
  let pdf: ExportedFile;
  let docx: ExportedFile;

  beforeAll(async () => {
    const viewer = await actorFor(t.deps, 'viewer.kuhmo@sopu.example');
    pdf = await exportVersion(t.deps, viewer, agreement, 2, 'pdf');
    docx = await exportVersion(t.deps, viewer, agreement, '2', 'docx');
  }, 60_000);

  it('are named <area>-<document>-v<N>-<hash8> with their content type', () => {
    expect(pdf.fileName).toMatch(/^kainuu-koillismaa-yhteistoimintasopimus-v2-[0-9a-f]{8}\.pdf$/);
    expect(pdf.fileName.slice(-12, -4)).toBe(pdf.contentHash!.slice(0, 8));
    expect(pdf.contentType).toBe('application/pdf');
    expect(docx.contentType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  });

  it("state the version, its hash and the councils' approvals of exactly that text at export on the cover", async () => {
    const version = await t.db.selectFrom('versions').select(['hash', 'label']).where('document_id', '=', agreement).where('number', '=', 2).executeTakeFirstOrThrow();
    expect(pdf.contentHash).toBe(version.hash);
    const [docxRead] = await docxText([docx.bytes]);
    for (const text of [await pdfText(pdf.bytes), docxRead!]) {
      const flat = text.replace(/\s+/g, ' ');
      expect(flat).toContain('Kainuu-Koillismaan työllisyysalue');
      expect(flat).toContain(`2 – ${version.label}`);
      expect(text.replace(/\s+/g, '')).toContain(version.hash);
      // Six councils approved version 2 in the demo; Kuhmo has only scheduled its meeting.
      expect(flat).toMatch(/Lähetetty valtuustoille \d+\.\d+\.\d{4}; hyväksynyt 6\/10: Hyrynsalmi, Kajaani, Kuusamo, Paltamo, Sotkamo, Suomussalmi\./);
      expect(flat).toContain('1. Osapuolet');
    }
    expect(await pdfInfo(pdf.bytes)).toContain(`sha256:${version.hash}`);
  }, 120_000);

  it('records every file handed out by its sha256, with an audit event', async () => {
    const rows = await t.db.selectFrom('export_files').selectAll().where('document_id', '=', agreement).orderBy('created_at').execute();
    expect(rows.map((r) => [r.kind, r.format, r.version_number, r.file_sha256, r.file_name])).toEqual(
      expect.arrayContaining([
        ['version', 'pdf', 2, pdf.sha256, pdf.fileName],
        ['version', 'docx', 2, docx.sha256, docx.fileName],
      ]),
    );
    const events = await t.db.selectFrom('audit_events').select(['action', 'details']).where('action', '=', 'document.exported').execute();
    expect(events.map((e) => JSON.parse(e.details).fileSha256)).toEqual(expect.arrayContaining([pdf.sha256, docx.sha256]));
  });

  it('come in the area\'s language: Saaristo\'s current text in Swedish', async () => {
    const file = await exportCurrent(t.deps, await actorFor(t.deps, 'rep.holmpy@sopu.example'), saaristoAgreement, 'docx');
    expect(file.fileName).toMatch(/^saaristo-skargard-samarbetsavtal-current-[0-9a-f]{8}\.docx$/);
    const [text] = await docxText([file.bytes]);
    expect(text).toContain('Aktuell text (ingen sparad version)');
    expect(text).toContain('1. Parter');
    expect(docxPart(file.bytes, 'word/styles.xml')).toContain('sv-FI');
  }, 60_000);

  it('refuse an unknown format, a missing version and an outsider, and change nothing', async () => {
    const viewer = await actorFor(t.deps, 'viewer.kuhmo@sopu.example');
    const before = await tableCounts(t.db);
    expect(await refusal(exportVersion(t.deps, viewer, agreement, 2, 'odt'))).toMatchObject({ code: 'invalid_input', message: 'format must be docx or pdf' });
    expect((await refusal(exportCurrent(t.deps, viewer, agreement, undefined))).code).toBe('invalid_input');
    expect((await refusal(exportVersion(t.deps, viewer, agreement, 99, 'pdf'))).code).toBe('not_found');
    // Another area's document is not found, whatever the format.
    const outsider = await actorFor(t.deps, 'rep.holmpy@sopu.example');
    expect((await refusal(exportVersion(t.deps, outsider, agreement, 2, 'odt'))).code).toBe('not_found');
    expect((await refusal(exportCurrent(t.deps, outsider, agreement, 'pdf'))).code).toBe('not_found');
    expect(await tableCounts(t.db)).toEqual(before);
  });
});

describe('verify', () => {
  let pdf: ExportedFile;
  let docx: ExportedFile;
  let hash: string;

  beforeAll(async () => {
    const admin = await actorFor(t.deps, ADMIN);
    pdf = await exportVersion(t.deps, admin, agreement, 2, 'pdf');
    docx = await exportVersion(t.deps, admin, agreement, 2, 'docx');
    hash = pdf.contentHash!;
  }, 60_000);

  it('maps an exported file back to its area, document and version, and where the councils stand on it', async () => {
    const secretary = await actorFor(t.deps, 'secretary.paltamo@sopu.example');
    for (const file of [pdf, docx]) {
      const result = await verifyExport(t.deps, secretary, { file: file.bytes });
      expect(result).toMatchObject({ area: KAINUU, document: agreement, version: 2, hash, sentForApproval: true, approvedBy: ['105', '205', '305', '578', '765', '777'].sort(), file: { sha256: file.sha256, fileName: file.fileName } });
      // For a page: the version's label and the councils by name.
      expect(result.versionLabel).toBe((await t.db.selectFrom('versions').select('label').where('document_id', '=', agreement).where('number', '=', 2).executeTakeFirstOrThrow()).label);
      expect(result.approvedCouncils.map((c) => c.name.fi)).toEqual(['Hyrynsalmi', 'Kajaani', 'Kuusamo', 'Paltamo', 'Sotkamo', 'Suomussalmi']);
    }
  });

  it('says "not a Sopu export of any version" for a copy changed after export, whatever its metadata says', async () => {
    const admin = await actorFor(t.deps, ADMIN);
    // A PDF with one word of its metadata changed, and a DOCX re-saved with a word of its text changed: both still
    // claim the version's hash in their metadata.
    const pdfCopy = Buffer.from(Buffer.from(pdf.bytes).toString('latin1').replace('Sopu (PDFKit)', 'Sopu (PDFKiT)'), 'latin1');
    expect(pdfCopy.equals(Buffer.from(pdf.bytes))).toBe(false);
    const parts = unzipSync(docx.bytes);
    parts['word/document.xml'] = strToU8(new TextDecoder().decode(parts['word/document.xml']).replace('Osapuolet', 'Osapuolet ja muut'));
    const docxCopy = zipSync(parts);
    for (const copy of [new Uint8Array(pdfCopy), docxCopy]) {
      const error = await refusal(verifyExport(t.deps, admin, { file: copy }));
      expect(error).toMatchObject({ code: 'not_found', details: { reason: 'altered' } });
      expect(error.message).toMatch(/^this file is not a Sopu export of any version/);
    }
    // A PDF that names no text at all.
    const other = await exportCurrent(t.deps, admin, agreement, 'pdf');
    const stripped = Buffer.from(Buffer.from(other.bytes).toString('latin1').replace(/sha256:[0-9a-f]{64}/g, 'sha256:'.padEnd(71, 'x')), 'latin1');
    expect(await refusal(verifyExport(t.deps, admin, { file: new Uint8Array(stripped) }))).toMatchObject({ code: 'not_found', details: { reason: 'not_an_export' } });
  });

  it('refuses a file that is neither PDF nor DOCX, and one over the limit', async () => {
    const admin = await actorFor(t.deps, ADMIN);
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(64).fill(0)]);
    for (const bytes of [png, new TextEncoder().encode('Yhteistoimintasopimus, versio 2'), new Uint8Array(0)]) {
      const error = await refusal(verifyExport(t.deps, admin, { file: bytes }));
      expect(error.code).toBe('invalid_input');
      expect(error.message).toContain('not a Sopu export');
    }
    expect((await refusal(verifyExport(t.deps, admin, { file: new Uint8Array(VERIFY_MAX_BYTES + 1) }))).code).toBe('too_large');
    expect((await refusal(verifyExport(t.deps, admin, { hash: 'not a hash' }))).code).toBe('invalid_input');
    expect((await refusal(verifyExport(t.deps, admin, {}))).code).toBe('invalid_input');
  });

  it('maps a pasted hash, full or its first 8 digits, and a file\'s sha256; an unknown one is not found', async () => {
    const viewer = await actorFor(t.deps, 'viewer.kuhmo@sopu.example');
    expect(await verifyExport(t.deps, viewer, { hash })).toMatchObject({ version: 2, hash, file: null });
    expect(await verifyExport(t.deps, viewer, { hash: `${hash.slice(0, 8).toUpperCase()}…` })).toMatchObject({ version: 2, hash });
    expect(await verifyExport(t.deps, viewer, { hash: `sha256:${hash}` })).toMatchObject({ version: 2 });
    expect(await verifyExport(t.deps, viewer, { hash: pdf.sha256 })).toMatchObject({ version: 2, file: { format: 'pdf' } });
    expect(await refusal(verifyExport(t.deps, viewer, { hash: 'f'.repeat(64) }))).toMatchObject({ code: 'not_found', details: { reason: 'unknown_hash' } });
  });

  it('answers only in the areas the caller belongs to, and says when the text has changed since', async () => {
    const outsider = await actorFor(t.deps, 'admin.rantala@sopu.example');
    expect(await refusal(verifyExport(t.deps, outsider, { file: pdf.bytes }))).toMatchObject({ code: 'not_found', details: { reason: 'not_an_export' } });
    expect(await refusal(verifyExport(t.deps, outsider, { hash }))).toMatchObject({ code: 'not_found', details: { reason: 'unknown_hash' } });
    const admin = await actorFor(t.deps, ADMIN);
    expect((await verifyExport(t.deps, admin, { hash })).matchesCurrent).toBe(true);
    await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'purpose', ['Muutettu tarkoitus.']));
    expect((await verifyExport(t.deps, admin, { file: pdf.bytes })).matchesCurrent).toBe(false);
  });
});

describe("a council's decision proposal", () => {
  let request: string;
  let kajaani: ExportedFile;
  let kuhmo: ExportedFile;

  beforeAll(async () => {
    const admin = await actorFor(t.deps, ADMIN);
    await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'purpose', ['Sopimuksen tarkoituksena on järjestää työvoimapalvelut tasapuolisesti koko alueella.', 'Uusi kappale § 3:n mukaisesti.']));
    // The demo's pending suggestions are decided first: a version with any pending is not sent (decision 025).
    await changeDocument(t.db, agreement, (doc) => void decideSuggestions(doc, () => true, 'reject'));
    const version = await saveVersion(t.deps, admin, agreement, { label: 'Korjattu valtuustoille' });
    request = (await sendForApproval(t.deps, admin, agreement, { version: version.number, background: 'Työllisyysalueen kunnat ovat neuvotelleet sopimuksesta.\n\nVersioon 3 on tarkennettu sopimuksen tarkoitusta.' })).id;
    kajaani = await decisionProposal(t.deps, await actorFor(t.deps, 'secretary.kajaani@sopu.example'), request, '205');
    kuhmo = await decisionProposal(t.deps, admin, request, '290');
  }, 60_000);

  it('carries the background, the motion naming the version and hash, the appendix, and the redline since its earlier decision', async () => {
    const hash = kajaani.contentHash!;
    expect(kajaani.fileName).toBe(`kainuu-koillismaa-v3-${hash.slice(0, 8)}-paatosehdotus-kajaani.docx`);
    const [text, kuhmoText] = await docxText([kajaani.bytes, kuhmo.bytes]);
    const flat = text!.replace(/\s+/g, ' ');
    expect(flat).toContain('Versioon 3 on tarkennettu sopimuksen tarkoitusta.');
    expect(flat).toContain(`Valtuusto hyväksyy Kainuu-Koillismaan työllisyysalueen yhteistoimintasopimuksen, versio 3, tarkiste ${hash.slice(0, 8)}…, liitteen mukaisena.`);
    expect(flat).toContain(`kainuu-koillismaa-yhteistoimintasopimus-v3-${hash.slice(0, 8)}.pdf`);
    // Kajaani approved version 2: the changes since are shown, the old text struck, the new underlined.
    expect(flat).toContain('Muutokset valtuuston aiemmin käsittelemään versioon 2 nähden');
    expect(flat).toContain('2. Sopimuksen tarkoitus');
    expect(flat).toContain('Uusi kappale § 3:n mukaisesti.');
    const xml = docxPart(kajaani.bytes, 'word/document.xml');
    const run = (word: string) => xml.split(/<w:r(?=[ >])/).find((r) => r.includes(`>${word}`))!;
    expect(run('Uusi kappale')).toMatch(/<w:u w:val="single"\/>/);
    expect(xml).toMatch(/<w:strike\/>(?:(?!<\/w:r>).)*yhdenvertaisesti/s);
    // Kuhmo only scheduled version 2: nothing to compare with.
    expect(kuhmoText).not.toContain('Muutokset');
    expect(kuhmoText).toContain('Kuhmo (290)');
  }, 60_000);

  it('is in the council\'s language: Swedish for a Swedish-speaking municipality', async () => {
    const admin = await actorFor(t.deps, 'admin.rantala@sopu.example');
    const sent = await t.db.selectFrom('approval_requests').select('id').where('document_id', '=', saaristoAgreement).executeTakeFirstOrThrow();
    const holmby = await decisionProposal(t.deps, admin, sent.id, '902');
    const [text] = await docxText([holmby.bytes]);
    expect(text!.replace(/\s+/g, ' ')).toMatch(/Fullmäktige godkänner samarbetsavtalet för .+, version \d+, kontrollsumma [0-9a-f]{8}…, enligt bilagan\./);
    expect(holmby.fileName).toMatch(/-beslutsforslag-/);
  }, 60_000);

  it("is its secretary's, the host admin's and its token's only, and a refusal records nothing", async () => {
    const before = await tableCounts(t.db);
    expect((await refusal(decisionProposal(t.deps, await actorFor(t.deps, 'secretary.kuhmo@sopu.example'), request, '205'))).code).toBe('forbidden');
    expect((await refusal(decisionProposal(t.deps, await actorFor(t.deps, 'rep.kajaani@sopu.example'), request, '205'))).code).toBe('forbidden');
    expect((await refusal(decisionProposal(t.deps, await actorFor(t.deps, 'admin.rantala@sopu.example'), request, '205'))).code).toBe('not_found');
    expect((await refusal(decisionProposal(t.deps, await actorFor(t.deps, ADMIN), request, '999'))).code).toBe('not_found');
    expect((await refusal(decisionProposal(t.deps, await actorFor(t.deps, ADMIN), request, '205', 'pdf'))).code).toBe('invalid_input');
    expect(await tableCounts(t.db)).toEqual(before);
    const admin = await actorFor(t.deps, ADMIN);
    const token = (await issueApprovalToken(t.deps, admin, KAINUU, { municipalityCode: '578', label: 'Paltamon asianhallinta' })).token;
    const own = await decisionProposalWithToken(t.deps, token, request, '578');
    expect(own.fileName).toMatch(/-paatosehdotus-paltamo\.docx$/);
    const row = await t.db.selectFrom('export_files').select(['kind', 'created_by', 'api_token_id']).where('file_sha256', '=', own.sha256).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'proposal', created_by: null });
    expect(row.api_token_id).not.toBeNull();
    expect((await refusal(decisionProposalWithToken(t.deps, token, request, '205'))).code).toBe('forbidden');
    expect((await refusal(decisionProposalWithToken(t.deps, 'sopu_at_nothing', request, '578'))).code).toBe('unauthenticated');
  }, 60_000);
});

describe('reports', () => {
  it('the approval matrix as CSV has a row per council and version sent, and as PDF the councils and their steps', async () => {
    const viewer = await actorFor(t.deps, 'viewer.kuhmo@sopu.example');
    await recordCouncilDecision(t.deps, await actorFor(t.deps, 'secretary.kuhmo@sopu.example'), (await t.db.selectFrom('approval_requests').select('id').where('document_id', '=', agreement).orderBy('sent_at', 'desc').executeTakeFirstOrThrow()).id, { municipalityCode: '290', state: 'scheduled', meetingDate: '2026-12-20' });
    const csv = await approvalsMatrix(t.deps, viewer, KAINUU, 'csv');
    expect(csv.contentType).toBe('text/csv; charset=utf-8');
    const lines = new TextDecoder().decode(csv.bytes).trimEnd().split('\r\n');
    const requests = await t.db.selectFrom('approval_requests').select('id').where('document_id', '=', agreement).execute();
    expect(lines).toHaveLength(1 + requests.length * 10);
    expect(lines[0]).toBe('Versio,Tarkiste,Lähetetty,Pyynnön tila,Kuntanumero,Kunta,Vaihe,Kokous,Päätöspäivä,Pykälä,Pöytäkirja,Lainvoimainen,Allekirjoitettu,Allekirjoittaja,Koskee nykyistä tekstiä');
    expect(lines.some((l) => /^3,[0-9a-f]{64},[0-9-]{10},avoin,290,Kuhmo,Kokous sovittu,2026-12-20,/.test(l))).toBe(true);
    const pdf = await approvalsMatrix(t.deps, viewer, KAINUU, 'pdf');
    const text = (await pdfText(pdf.bytes)).replace(/\s+/g, ' ');
    expect(text).toContain('Valtuustojen hyväksynnät');
    expect(text).toContain('Kajaani (205), isäntäkunta');
    expect(text).toContain('Kokous sovittu, kokous 20.12.2026');
    expect((await refusal(approvalsMatrix(t.deps, viewer, KAINUU, 'xlsx'))).code).toBe('invalid_input');
    expect((await refusal(approvalsMatrix(t.deps, await actorFor(t.deps, 'rep.holmpy@sopu.example'), KAINUU, 'csv'))).code).toBe('not_found');
  }, 60_000);

  it("a consultation round's published summary as PDF", async () => {
    const round = await t.db
      .selectFrom('consultation_rounds')
      .innerJoin('areas', 'areas.id', 'consultation_rounds.area_id')
      .select(['consultation_rounds.id', 'consultation_rounds.title'])
      .where('areas.slug', '=', KAINUU)
      .where('consultation_rounds.state', '=', 'summary_published')
      .executeTakeFirstOrThrow();
    const file = await consultationSummaryFile(t.deps, await actorFor(t.deps, 'rep.kuhmo@sopu.example'), round.id, 'pdf');
    expect(file.fileName).toMatch(/^kainuu-koillismaa-yhteenveto-lausunnoista-.+\.pdf$/);
    const text = (await pdfText(file.bytes)).replace(/\s+/g, ' ');
    expect(text).toContain(`Yhteenveto lausunnoista: ${round.title}`);
    expect(text).toContain('Lausunnot ja vastineet');
    expect(text).toMatch(/Otettu huomioon|Otettu osittain huomioon|Ei otettu huomioon/);
    expect((await refusal(consultationSummaryFile(t.deps, await actorFor(t.deps, 'rep.kuhmo@sopu.example'), round.id, 'docx'))).code).toBe('invalid_input');
  }, 60_000);
});
