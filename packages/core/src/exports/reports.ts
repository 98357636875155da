import { csvOf, fileSlug, paragraph, REPORT_WORDS, reportModel, shortHashOf, simpleTable, WORDS, type Block } from '@sopu/exports';
import { approvalsOverview, type ApprovalsOverview } from '../approvals/index.ts';
import { getConsultationSummary } from '../consultation/index.ts';
import type { Actor, CoreDeps } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { helsinkiDate } from '../shared/helsinki.ts';
import { findAreaBySlug, listMunicipalities } from '../shared/tenancy.repository.ts';
import { draw, sha256Of, type ExportedFile } from './exports.ts';
import { areaLanguage, calendarDate, CONTENT_TYPES, exportTime, finnishDate, MATRIX_FORMATS, parseFormat, SUMMARY_FORMATS } from './exports.rules.ts';

/*
 * Reports as files (docs/decisions/022-exports.md): the councils' approval matrix as CSV (one row per council and
 * version sent, for a spreadsheet or a case-management system) or PDF, and a consultation round's summary of
 * statements and responses as PDF. They show what the pages show, to whoever may see the pages; they are not
 * versions, so verify does not answer for them and they are not recorded.
 */

async function languageOf(deps: CoreDeps, slug: string): Promise<'fi' | 'sv'> {
  const area = await findAreaBySlug(deps.db, slug);
  if (!area) throw new DomainError('not_found', 'area not found');
  return areaLanguage(await listMunicipalities(deps.db, area));
}

function matrixCsv(o: ApprovalsOverview, lang: 'fi' | 'sv'): Uint8Array {
  const w = REPORT_WORDS[lang];
  const names = new Map(o.municipalities.map((m) => [m.code, m.name[lang]]));
  const rows: Array<Array<string | number | null>> = [[...w.columns]];
  for (const r of o.requests) {
    for (const d of r.decisions) {
      rows.push([
        r.version, r.hash, helsinkiDate(r.sentAt), w.requestStatus[r.status], d.municipalityCode, names.get(d.municipalityCode) ?? d.municipalityName[lang], w.state[d.state],
        d.meetingDate, d.decisionDate, d.minutesSection, d.minutesUrl, d.finalDate, d.signedDate, d.signatory, d.coversCurrentText ? w.yes : w.no,
      ]);
    }
  }
  return csvOf(rows);
}

function matrixBlocks(o: ApprovalsOverview, lang: 'fi' | 'sv'): Block[] {
  const w = REPORT_WORDS[lang];
  const requests = o.requests.slice(0, 4);
  const header = [w.municipality, ...requests.map((r) => w.versionColumn(r.version, finnishDate(r.sentAt)))];
  const rows = o.municipalities.map((m) => [
    `${m.name[lang]} (${m.code})${m.isHost ? `, ${w.host}` : ''}`,
    ...requests.map((r) => {
      const d = r.decisions.find((x) => x.municipalityCode === m.code);
      if (!d) return '';
      const parts: string[] = [w.state[d.state]];
      if (d.state === 'scheduled' && d.meetingDate) parts.push(w.meeting(calendarDate(d.meetingDate)));
      if (d.decisionDate) parts.push(w.decided(calendarDate(d.decisionDate), d.minutesSection));
      if (d.finalDate) parts.push(w.finalOn(calendarDate(d.finalDate)));
      if (d.signedDate) parts.push(w.signedOn(calendarDate(d.signedDate)));
      return parts.join(', ');
    }),
  ]);
  return [paragraph(o.summary[lang]), simpleTable(header, rows), ...requests.map((r) => paragraph(`${w.versionColumn(r.version, finnishDate(r.sentAt))}: ${r.versionLabel}, SHA-256 ${r.hash} (${w.requestStatus[r.status]})`, { small: true }))];
}

/**
 * The approval matrix of the area's agreement (or of the 54 § agreement named by `documentId`) as CSV or PDF, in the
 * area's language. Any member of the area may take it, as they may read the approvals page.
 */
export async function approvalsMatrix(deps: CoreDeps, actor: Actor, slug: string, format: unknown, documentId?: string): Promise<ExportedFile> {
  const overview = await approvalsOverview(deps, actor, slug, documentId);
  const chosen = parseFormat(MATRIX_FORMATS, format);
  const lang = await languageOf(deps, slug);
  const now = deps.now();
  const w = WORDS[lang];
  const base = `${fileSlug(slug)}-${fileSlug(overview.documentTitle)}-${fileSlug(w.matrix)}-${helsinkiDate(now)}`;
  let bytes: Uint8Array;
  if (chosen === 'csv') {
    bytes = matrixCsv(overview, lang);
  } else {
    const model = reportModel({
      lang,
      title: `${w.matrix}: ${overview.documentTitle}`,
      runningHeader: `${overview.documentTitle} · ${w.matrix} · ${exportTime(now, lang)}`,
      cover: [
        { label: w.document, value: overview.documentTitle },
        { label: w.exported, value: exportTime(now, lang) },
        { label: w.hash, value: `${shortHashOf(overview.currentHash)}… (${lang === 'sv' ? 'aktuell text' : 'nykyinen teksti'})`, mono: true },
      ],
      parts: [{ title: w.matrix, blocks: matrixBlocks(overview, lang) }],
      author: slug,
      exportedAtMs: now,
      landscape: true,
      custom: { SopuArea: slug },
    });
    bytes = await draw(deps, { model, format: 'pdf' });
  }
  return { fileName: `${base}.${chosen}`, contentType: CONTENT_TYPES[chosen], bytes, sha256: sha256Of(bytes), contentHash: null };
}

/**
 * A consultation round's summary of statements and the host's responses as PDF, as the summary page shows it to the
 * caller (the host admin sees it as it stands; the members once it is published).
 */
export async function consultationSummaryFile(deps: CoreDeps, actor: Actor, roundId: string, format: unknown): Promise<ExportedFile> {
  const summary = await getConsultationSummary(deps, actor, roundId);
  parseFormat(SUMMARY_FORMATS, format);
  const area = await deps.db.selectFrom('consultation_rounds').innerJoin('areas', 'areas.id', 'consultation_rounds.area_id').select(['areas.slug']).where('consultation_rounds.id', '=', summary.round.id).executeTakeFirstOrThrow();
  const lang = await languageOf(deps, area.slug);
  const w = WORDS[lang];
  const r = REPORT_WORDS[lang];
  const now = deps.now();
  const responseText = (response: { status: keyof typeof r.response; reason: string } | null) => (response ? `${r.response[response.status]}${response.reason ? `: ${response.reason}` : ''}` : '');
  const rows = summary.rows.filter((row) => row.kind !== 'answer').map((row) => [
    row.municipality.name[lang],
    row.kind === 'section' ? (row.section?.title[lang] ?? '') : row.kind === 'general' ? r.general : '',
    row.kind === 'no_comments' ? r.noComments : row.kind === 'no_answer' ? r.noAnswer : row.kind === 'awaiting' ? r.awaiting : row.statement,
    responseText(row.response),
  ]);
  const published = summary.rows.length > 0;
  // The answers grouped by question, each with the host's response; then the general statements and section comments;
  // then who decided each statement (body, date, §, minutes) and the files attached.
  const parts = [
    ...summary.byQuestion.map((q) => ({
      title: r.question(q.number, q.question),
      blocks: !published ? [paragraph(r.notPublished)] : q.answers.length > 0 ? [simpleTable(r.answerColumns, q.answers.map((a) => [a.municipality.name[lang], a.text, responseText(a.response)]))] : [paragraph(r.noAnswers)],
    })),
    { title: r.statements, blocks: published ? [simpleTable(r.summaryColumns, rows)] : [paragraph(r.notPublished)] },
    ...(summary.statements.length > 0
      ? [{
          title: r.decisions,
          // One line each (a six-column table breaks the words of a narrow page): who decided, when, §, minutes, files.
          blocks: summary.statements.map((s) =>
            paragraph(
              [
                `${s.municipality.name[lang]}:`,
                s.decision ? `${s.decision.body} ${s.decision.date.split('-').reverse().map(Number).join('.')}, ${s.decision.section}${s.decision.url ? ` (${s.decision.url})` : ''}` : r.noDecision,
                ...(s.attachments.length > 0 ? [`${r.attachmentsLabel}: ${s.attachments.map((a) => a.fileName).join(', ')}`] : []),
              ].join(' '),
            ),
          ),
        }]
      : []),
    ...(summary.attachments.length > 0 ? [{ title: r.roundAttachments, blocks: summary.attachments.map((a) => paragraph(`${a.fileName} (${Math.ceil(a.size / 1024)} kB, SHA-256 ${a.sha256})`)) }] : []),
  ];
  const model = reportModel({
    lang,
    title: `${w.summary}: ${summary.round.title}`,
    runningHeader: `${summary.documentTitle} · ${w.summary} · ${summary.round.title}`,
    cover: [
      { label: w.round, value: summary.round.title },
      { label: w.document, value: summary.documentTitle },
      { label: r.consultedVersion, value: `${summary.round.version.number} – ${summary.round.version.label}` },
      { label: w.hash, value: summary.round.version.hash, mono: true },
      { label: w.deadline, value: exportTime(summary.round.deadline, lang) },
      { label: r.invited, value: r.answered(summary.counts.answered, summary.counts.invited) },
      ...(summary.publishedAt ? [{ label: r.published, value: exportTime(summary.publishedAt, lang) }] : []),
      { label: w.exported, value: exportTime(now, lang) },
    ],
    parts,
    author: area.slug,
    exportedAtMs: now,
    custom: { SopuArea: area.slug, SopuRound: summary.round.id },
  });
  const bytes = await draw(deps, { model, format: 'pdf' });
  const fileName = `${fileSlug(area.slug)}-${fileSlug(w.summary)}-${fileSlug(summary.round.title)}-${helsinkiDate(now)}.pdf`;
  return { fileName, contentType: CONTENT_TYPES.pdf, bytes, sha256: sha256Of(bytes), contentHash: null };
}
