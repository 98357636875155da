import { createHash } from 'node:crypto';
import { canonicalJson, fillSection, sectionFragment, type ProseMirrorJSON } from '@sopu/doc-model';
import type { Database, Db, Transaction } from '@sopu/db';
import * as Y from 'yjs';
import type { AuditLog } from '../shared/audit.ts';
import { helsinkiDate } from '../shared/helsinki.ts';
import { parseDeadline, shortPeriod, type MinimumPeriod, type ResponseStatus } from '../consultation/index.ts';
import { loadDocumentState } from '../documents/index.ts';
import { newId } from '../shared/ids.ts';
import { currentContent } from '../versions/index.ts';

/**
 * Demo consultation rounds on the demo areas' administrative rules, so that a newcomer sees a finished round and a
 * running one: in Kainuu-Koillismaa a round on the rules' latest version (the drafted text), closed with statements
 * (one "ei lausuttavaa", one municipality silent), answered and its summary published; then the next version,
 * revised after the statements, and an open round on it with two statements in. In Saaristo an open round with one
 * statement. The history fits between that version's save and `now` (the open rounds' deadlines lie after `now`).
 * Demo content only, like the drafted text.
 */

const DAY = 86_400_000;

type Block = string | { bullets: string[] };

interface DemoStatement {
  municipality: string;
  /** When, as a fraction of the time to answer (from the opening to the deadline, or to now while the round is open). */
  at: number;
  /** Submitted by the host admin on the municipality's behalf. */
  onBehalf?: boolean;
  general?: string;
  sections?: Array<{ key: string; text: string }>;
  noComments?: boolean;
  /** Answers to the round's questions (1-based numbers). */
  answers?: Array<{ question: number; text: string }>;
  /** An amendment: the statement as it was submitted again later. */
  amended?: { at: number; general?: string; sections?: Array<{ key: string; text: string }> };
}

interface DemoRound {
  title: string;
  questions: string[];
  coverLetter: string;
  invited?: string[];
  statements: DemoStatement[];
  /** A reminder, as a fraction of the time to answer. */
  remindedAt?: number;
  /** An open round's deadline: 16.00 Helsinki time on the day this many days from now. */
  deadlineInDays?: number;
  /** A finished round: closed after its deadline, answered, its summary published. */
  responses?: Array<{ municipality: string; section: string | null; status: ResponseStatus; reason: string }>;
}

interface DemoVersion {
  /** Left out: the rules' latest version as the demo text left it (one is saved when there is none). */
  label?: string;
  /** Sections rewritten (their whole text) before the version is saved. */
  changes?: Record<string, Block[]>;
  round: DemoRound;
}

/** When the rules have no version yet: the first is saved this long before now, under this name. */
const BASE = { daysAgo: 30, label: { 'kainuu-koillismaa': 'Lausunnolle sopijakunnille', 'saaristo-skargard': 'Remissversion' } as Record<string, string> };

const DEMO: Record<string, DemoVersion[]> = {
  'kainuu-koillismaa': [
    {
      round: {
        title: 'Hallintosäännön muutos: Kainuu-Koillismaan työllisyyslautakunta',
        questions: [
          'Ovatko lautakunnan kokouskäytännöt (kutsuaika, sähköiset kokoukset, kokouspaikat) sopijakunnan kannalta toimivia?',
          'Onko toimivallan siirto viranhaltijoille oikein mitoitettu?',
          'Onko palkkioista ja niiden kustannusten jakamisesta muuta huomautettavaa?',
        ],
        coverLetter:
          'Kajaanin kaupunki pyytää yhteistoimintasopimuksen mukaisesti sopijakuntien lausuntoa hallintosäännön työllisyyslautakuntaa koskevasta luvusta ennen kuin kaupunginvaltuusto hyväksyy sen.\n\nLausunnot pyydetään antamaan Sopussa määräaikaan mennessä. Lausunnot ja vastuukunnan vastineet kootaan yhteenvetoon, joka liitetään kaupunginvaltuuston päätösaineistoon.',
        statements: [
          { municipality: '578', at: 0.1, noComments: true },
          {
            municipality: '290',
            at: 0.3,
            general: 'Kuhmon kaupunki pitää luonnosta pääosin hyvänä ja kannattaa sähköisiä kokouksia pitkien välimatkojen vuoksi.',
            sections: [{ key: 'meeting_procedure', text: 'Viiden päivän kutsuaika ei riitä asian käsittelyyn kunnanhallituksessa ennen lautakunnan kokousta. Esitämme kutsuajaksi seitsemää päivää.' }],
            amended: {
              at: 0.5,
              general: 'Kuhmon kaupunki pitää luonnosta pääosin hyvänä ja kannattaa sähköisiä kokouksia pitkien välimatkojen vuoksi. Täydennämme lausuntoa kokouspalkkioiden osalta.',
              sections: [
                { key: 'meeting_procedure', text: 'Viiden päivän kutsuaika ei riitä asian käsittelyyn kunnanhallituksessa ennen lautakunnan kokousta. Esitämme kutsuajaksi seitsemää päivää.' },
                { key: 'meeting_fees', text: 'Sähköisestä kokouksesta tulee maksaa sama kokouspalkkio kuin läsnäolokokouksesta, koska valmistelu ja vastuu ovat samat.' },
              ],
            },
          },
          {
            municipality: '765',
            at: 0.6,
            general: 'Sotkamon kunta puoltaa luvun hyväksymistä.',
            sections: [{ key: 'presentation_and_decisions', text: 'Työllisyysjohtajan 60 000 euron hankintaraja on korkea. Esitämme rajaksi 40 000 euroa ja että hankinnoista raportoidaan lautakunnalle neljännesvuosittain.' }],
          },
          { municipality: '777', at: 0.7, general: 'Suomussalmen kunta esittää, että kauden ensimmäinen kokous pidettäisiin vuorotellen sopijakunnissa eikä aina Kajaanissa.' },
          { municipality: '620', at: 0.75, general: 'Puolangan kunnalla ei ole muutosesityksiä. Pidämme tärkeänä, että tarkastetut pöytäkirjat lähetetään sopijakunnille viipymättä.' },
          {
            municipality: '697',
            at: 0.8,
            onBehalf: true,
            general: 'Ristijärven kunnanhallitus on käsitellyt asian ja puoltaa luonnosta. (Kirjattu vastuukunnan toimesta kunnan sähköpostitse lähettämän pöytäkirjanotteen perusteella.)',
          },
          { municipality: '105', at: 0.85, general: 'Hyrynsalmen kunta kannattaa luonnosta ja erityisesti sähköisiä kokouksia.' },
          {
            municipality: '305',
            at: 0.97,
            sections: [{ key: 'scope', text: 'Lautakunnan raportoinnin tulee kattaa Koillismaan palvelupisteiden (Kuusamo, Taivalkoski) toiminta ja talous erikseen.' }],
          },
        ],
        remindedAt: 0.55,
        responses: [
          { municipality: '290', section: null, status: 'taken_into_account', reason: '' },
          { municipality: '290', section: 'meeting_procedure', status: 'taken_into_account', reason: 'Kutsuaika pidennetään seitsemään päivään.' },
          { municipality: '290', section: 'meeting_fees', status: 'taken_into_account', reason: 'Sähköisen kokouksen palkkio yhtenäistetään läsnäolokokouksen palkkion kanssa.' },
          { municipality: '765', section: null, status: 'taken_into_account', reason: '' },
          {
            municipality: '765',
            section: 'presentation_and_decisions',
            status: 'partly',
            reason: 'Hankintaraja pidetään 60 000 eurossa kaupungin hankintaohjeen mukaisesti, mutta neljännesvuosittainen raportointi lautakunnalle lisätään.',
          },
          { municipality: '777', section: null, status: 'partly', reason: 'Kauden ensimmäinen kokous pidetään vuorotellen sopijakunnissa; muut kokoukset pidetään edelleen pääsääntöisesti sähköisinä.' },
          { municipality: '620', section: null, status: 'taken_into_account', reason: 'Pöytäkirjat lähetetään tiedoksi heti tarkastamisen jälkeen, kuten kokousmenettelyssä todetaan.' },
          { municipality: '697', section: null, status: 'taken_into_account', reason: '' },
          { municipality: '105', section: null, status: 'taken_into_account', reason: '' },
          {
            municipality: '305',
            section: 'scope',
            status: 'not_taken_into_account',
            reason: 'Palvelupistekohtainen raportointi kuuluu palvelujen järjestämissuunnitelmaan ja osavuosiraportteihin, ei hallintosääntöön.',
          },
        ],
      },
    },
    {
      label: 'Lausuntokierroksen jälkeen tarkistettu',
      changes: {
        meeting_procedure: [
          'Lautakunta kokoontuu puheenjohtajan kutsusta tai kun vähintään kolmannes jäsenistä sitä vaatii. Kokouskutsu ja esityslista lähetetään sähköisesti jäsenille, varajäsenille ja sopijakuntien kunnanhallituksille viimeistään seitsemän päivää ennen kokousta.',
          'Kevät- ja syyskauden ensimmäinen kokous pidetään vuorotellen sopijakunnissa; muut kokoukset pidetään pääsääntöisesti sähköisinä kuntalain 99 §:n mukaisesti. Lautakunta on päätösvaltainen, kun enemmän kuin puolet jäsenistä on läsnä ja läsnä olevilla jäsenillä on yli puolet lautakunnan äänimäärästä.',
          'Pöytäkirjan tarkastaa kaksi kokouksessa valittua pöytäkirjantarkastajaa viimeistään seitsemän päivän kuluessa kokouksesta. Tarkastettu pöytäkirja julkaistaan Kajaanin kaupungin verkkosivuilla ja lähetetään viipymättä tiedoksi sopijakunnille.',
        ],
        presentation_and_decisions: [
          'Asiat esittelee lautakunnalle työllisyysjohtaja tai hänen estyneenä ollessaan hänen sijaisensa. Lautakunnan sihteerinä toimii työllisyysjohtajan määräämä vastuukunnan viranhaltija.',
          'Äänestyksessä kunkin jäsenen ääni lasketaan yhteistoimintasopimuksen 4 kohdan mukaisella äänimäärällä. Varajäsen käyttää varsinaisen jäsenen äänimäärää tämän ollessa estynyt.',
          'Lautakunta voi siirtää toimivaltaansa alaisilleen viranhaltijoille. Viranhaltijoiden päätökset ilmoitetaan lautakunnalle, joka voi ottaa asian käsiteltäväkseen kuntalain 92 §:n mukaisesti. Toimivaltaa siirretään seuraavasti:',
          { bullets: ['työllisyysjohtaja: palkkatukea ja muita työllistämisen tukia koskevat päätökset sekä enintään 60 000 euron hankinnat', 'palveluesimiehet: työvoimakoulutusta ja työnhaun tukea koskevat yksittäiset asiakaspäätökset'] },
          'Työllisyysjohtaja raportoi tekemistään hankinnoista lautakunnalle neljännesvuosittain.',
        ],
        meeting_fees: [
          'Lautakunnan jäseniin sovelletaan Kajaanin kaupungin luottamushenkilöiden palkkiosääntöä. Kokouspalkkiot, ansionmenetyksen korvaukset ja matkakustannusten korvaukset maksaa Kajaanin kaupunki. Sähköisestä kokouksesta maksetaan sama kokouspalkkio kuin läsnäolokokouksesta.',
          'Palkkiot ja korvaukset ovat lautakunnan kustannuksia, jotka jaetaan sopijakuntien kesken yhteistoimintasopimuksen 7 kohdan mukaisesti.',
        ],
      },
      round: {
        title: 'Hallintosäännön muutos: lausuntokierroksen jälkeiset tarkistukset',
        questions: ['Ovatko ensimmäisen lausuntokierroksen perusteella tehdyt muutokset (kutsuaika, kokouspaikat, sähköisten kokousten palkkio, hankintaraportointi) hyväksyttäviä?'],
        coverLetter: 'Luonnosta on tarkistettu ensimmäisen lausuntokierroksen perusteella; muutokset näkyvät versioiden vertailussa. Pyydämme sopijakuntien lausuntoa tarkistetusta luonnoksesta.',
        deadlineInDays: 14,
        statements: [
          {
            municipality: '290',
            at: 0.4,
            general: 'Kuhmon kaupunki kiittää, että kutsuaika ja sähköisten kokousten palkkio on muutettu lausunnon mukaisesti, ja puoltaa tarkistettua luonnosta.',
            answers: [{ question: 1, text: 'Kyllä. Seitsemän päivän kutsuaika riittää asian käsittelyyn kaupunginhallituksessa.' }],
          },
          {
            municipality: '765',
            at: 0.85,
            general: 'Sotkamon kunta puoltaa tarkistettua luonnosta.',
            answers: [{ question: 1, text: 'Pääosin kyllä; hankintaraportoinnin sisältöä tulee vielä tarkentaa (ks. kohtakohtainen huomautus).' }],
            sections: [{ key: 'presentation_and_decisions', text: 'Neljännesvuosiraportointi on hyvä lisäys. Raportista tulisi käydä ilmi myös hankinnan toimittaja ja kilpailutustapa.' }],
          },
        ],
      },
    },
  ],
  'saaristo-skargard': [
    {
      round: {
        title: 'Ändring av förvaltningsstadgan: sysselsättningsnämnden',
        questions: ['Är bestämmelserna om sammanträdesspråk och kallelsetid ändamålsenliga?', 'Bör väntetiden för förbindelsebåten ersättas också för ersättare?'],
        coverLetter: 'Strandviks stad begär avtalskommunernas utlåtande om förvaltningsstadgans kapitel om sysselsättningsnämnden innan stadsfullmäktige godkänner det.',
        deadlineInDays: 10,
        statements: [
          {
            municipality: '902',
            at: 0.6,
            general: 'Holmby kommun tillstyrker ändringarna.',
            answers: [
              { question: 1, text: 'Ja. Sammanträdesspråket svenska med tolkning till finska vid behov fungerar väl.' },
              { question: 2, text: 'Ja, väntetiden bör ersättas också för ersättare.' },
            ],
            sections: [{ key: 'meeting_fees', text: 'Väntetiden för förbindelsebåten bör ersättas också för ersättare och för föredragande tjänsteinnehavare från öarna.' }],
          },
        ],
      },
    },
  ],
};

const DEMO_SHORT_REASON = {
  fi: 'Muutoksen on ehdittävä kaupunginvaltuuston kokoukseen ennen sopimuksen voimaantuloa; sopijakunnat on kuultu samoista muutoksista jo ensimmäisellä kierroksella.',
  sv: 'Ändringen måste hinna till stadsfullmäktiges sammanträde före avtalets ikraftträdande; kommunerna har redan hörts om samma ändringar.',
};

/**
 * A one-page PDF with a line of text (hand-written, with a correct cross-reference table, so that readers open it):
 * the demo round's cover letter as the host would attach it.
 */
export function demoPdf(line: string): Uint8Array {
  const ascii = line.replace(/[^\x20-\x7e]/g, '?').replace(/[()\\]/g, '');
  const stream = `BT /F1 14 Tf 72 760 Td (${ascii}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

const DEMO_ATTACHMENT = { fi: { name: 'Saatekirje.pdf', line: 'Lausuntopyynto: hallintosaannon muutos' }, sv: { name: 'Missiv.pdf', line: 'Remiss: forvaltningsstadgan' } };

/** A demo statement's decision: the executive board, the day it was submitted, a minute section. */
function demoDecision(swedish: boolean, date: string, section: number) {
  return { decision_body: swedish ? 'Kommunstyrelsen' : 'Kunnanhallitus', decision_date: date, decision_section: `${section} §`, decision_url: null };
}

const paragraph = (text: string): ProseMirrorJSON => ({ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] });
const blockJson = (block: Block): ProseMirrorJSON =>
  typeof block === 'string' ? paragraph(block) : { type: 'bulletList', content: block.bullets.map((item) => ({ type: 'listItem', content: [paragraph(item)] })) };

/** 16.00 Helsinki time on the day of `ms`. */
function at16(ms: number): number {
  const parsed = parseDeadline(`${helsinkiDate(ms)}T16:00`);
  if (!parsed.ok) throw new Error('demo deadline');
  return parsed.ms;
}

/**
 * When things happen, as fractions of the window from the base version's save to now: the finished round runs in the
 * first two thirds (its deadline at 16.00 near the middle), the revised version and the open round in the last part.
 */
interface Schedule {
  opened: number;
  /** Statements and reminders fall between `opened` and this (the deadline, or now). */
  answerBy: number;
  deadline: number;
  closed: number | null;
  responded: number | null;
  published: number | null;
}

function finishedSchedule(base: number, now: number): Schedule & { next: number } {
  const w = now - base;
  const opened = base + 0.02 * w;
  // 16.00 on the day near the middle, unless the window is too short for that to fall between opening and closing.
  const middle = base + 0.45 * w;
  const sixteen = at16(middle);
  const deadline = sixteen > base + 0.3 * w && sixteen < base + 0.6 * w ? sixteen : middle;
  return { opened, answerBy: deadline, deadline, closed: base + 0.65 * w, responded: base + 0.7 * w, published: base + 0.72 * w, next: base + 0.8 * w };
}

function openSchedule(saved: number, base: number, now: number, deadlineInDays: number): Schedule {
  const opened = saved + 0.03 * (now - base);
  return { opened, answerBy: now, deadline: at16(now + deadlineInDays * DAY), closed: null, responded: null, published: null };
}

/** Rewrites sections of the stored document (as one update by the server, like the drafted demo text). */
async function rewriteSections(db: Db, documentId: string, changes: Record<string, Block[]>, at: number): Promise<void> {
  const doc = await loadDocumentState(db, documentId);
  try {
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    doc.transact(() => {
      for (const [key, blocks] of Object.entries(changes)) {
        const fragment = sectionFragment(doc, key);
        if (fragment.length > 0) fragment.delete(0, fragment.length);
        fillSection(doc, key, { type: 'doc', content: blocks.map(blockJson) });
      }
    });
    if (updates.length === 0) return;
    const last = await db.selectFrom('doc_updates').select((eb) => eb.fn.max('seq').as('seq')).where('document_id', '=', documentId).executeTakeFirst();
    await db.insertInto('doc_updates').values({ document_id: documentId, seq: Number(last?.seq ?? 0) + 1, update: Y.mergeUpdates(updates), user_id: null, created_at: at }).execute();
  } finally {
    doc.destroy();
  }
}

async function saveDemoVersion(db: Db, areaId: string, documentId: string, label: string, by: string | null, at: number): Promise<{ id: string; number: number }> {
  const content = await currentContent(db, documentId);
  const last = await db.selectFrom('versions').select((eb) => eb.fn.max('number').as('n')).where('document_id', '=', documentId).executeTakeFirst();
  const number = Number(last?.n ?? 0) + 1;
  const id = newId();
  await db
    .insertInto('versions')
    .values({ id, area_id: areaId, document_id: documentId, number, label, content: canonicalJson(content.canonical), hash: content.hash, section_hashes: JSON.stringify(content.sectionHashes), snapshot: content.state, restored_from: null, created_by: by, created_at: at })
    .execute();
  return { id, number };
}

async function insertRound(
  trx: Transaction<Database>,
  input: { areaId: string; documentId: string; versionId: string; round: DemoRound; when: Schedule; admin: string | null; municipalities: Map<string, string>; reps: Map<string, string[]>; minimumPeriod: MinimumPeriod | null; swedish: boolean },
): Promise<void> {
  const { round, when, admin, areaId } = input;
  const at = (fraction: number) => Math.round(when.opened + fraction * (when.answerBy - when.opened));
  const roundId = newId();
  const closed = when.closed !== null;
  await trx
    .insertInto('consultation_rounds')
    .values({
      id: roundId,
      area_id: areaId,
      document_id: input.documentId,
      version_id: input.versionId,
      title: round.title,
      questions: JSON.stringify(round.questions),
      cover_letter: round.coverLetter,
      deadline: when.deadline,
      state: when.published !== null ? 'summary_published' : closed ? 'closed' : 'open',
      opened_by: admin,
      opened_at: when.opened,
      closed_by: closed ? admin : null,
      closed_at: when.closed,
      published_by: when.published !== null ? admin : null,
      published_at: when.published,
      // A demo round shorter than the agreement's minimum says why, as the host would have confirmed it.
      short_period_reason: shortPeriod(input.minimumPeriod, when.opened, when.deadline) ? (input.swedish ? DEMO_SHORT_REASON.sv : DEMO_SHORT_REASON.fi) : null,
    })
    .execute();
  // The host's cover letter as a file: every demo round has one (the route matrix reads :attachmentId from them).
  const words = input.swedish ? DEMO_ATTACHMENT.sv : DEMO_ATTACHMENT.fi;
  const pdf = demoPdf(words.line);
  await trx
    .insertInto('consultation_attachments')
    .values({ id: newId(), area_id: areaId, consultation_round_id: roundId, consultation_invitee_id: null, file_name: words.name, media_type: 'application/pdf', size: pdf.byteLength, sha256: createHash('sha256').update(pdf).digest('hex'), content: pdf, uploaded_by: admin, created_at: when.opened })
    .execute();
  const codes = round.invited ?? [...input.municipalities.keys()];
  const inviteeIds = new Map<string, string>();
  for (const code of codes) {
    const statement = round.statements.find((s) => s.municipality === code);
    const id = newId();
    inviteeIds.set(code, id);
    await trx
      .insertInto('consultation_invitees')
      .values({
        id,
        area_id: areaId,
        consultation_round_id: roundId,
        municipality_id: input.municipalities.get(code)!,
        status: statement ? 'answered' : closed ? 'no_answer' : 'invited',
        answered_at: statement ? at(statement.amended?.at ?? statement.at) : null,
      })
      .execute();
    if (!statement) continue;
    const revisions = [statement, ...(statement.amended ? [{ ...statement, ...statement.amended }] : [])];
    for (const [i, r] of revisions.entries()) {
      await trx
        .insertInto('consultation_statement_revisions')
        .values({
          id: newId(),
          area_id: areaId,
          consultation_invitee_id: id,
          number: i + 1,
          general: r.noComments ? '' : (r.general ?? ''),
          section_comments: JSON.stringify(r.noComments ? [] : (r.sections ?? [])),
          no_comments: r.noComments ? 1 : 0,
          answers: JSON.stringify(r.noComments ? [] : (r.answers ?? [])),
          // Every demo statement is its executive board's decision, of the day it was submitted.
          ...demoDecision(input.swedish, helsinkiDate(at(r.at)), 40 + codes.indexOf(code) * 3 + i),
          submitted_by: statement.onBehalf ? admin : (input.reps.get(code)?.[0] ?? admin),
          on_behalf: statement.onBehalf ? 1 : 0,
          created_at: at(r.at),
        })
        .execute();
    }
  }
  if (round.remindedAt !== undefined) {
    const sent = at(round.remindedAt);
    const silent = codes.filter((code) => {
      const s = round.statements.find((x) => x.municipality === code);
      return !s || at(s.at) > sent;
    });
    const recipients = silent.flatMap((code) => input.reps.get(code) ?? []);
    for (const userId of recipients) {
      await trx
        .insertInto('notifications')
        .values({ id: newId(), area_id: areaId, user_id: userId, kind: 'round_reminder', document_id: input.documentId, thread_id: null, comment_id: null, actor_id: admin, consultation_round_id: roundId, created_at: sent, read_at: sent + 2 * 3_600_000 })
        .execute();
    }
    await trx.insertInto('consultation_reminders').values({ id: newId(), area_id: areaId, consultation_round_id: roundId, municipalities: JSON.stringify(silent), recipients: recipients.length, sent_by: admin, sent_at: sent }).execute();
  }
  for (const r of round.responses ?? []) {
    await trx
      .insertInto('consultation_responses')
      .values({ id: newId(), area_id: areaId, consultation_round_id: roundId, consultation_invitee_id: inviteeIds.get(r.municipality)!, section_key: r.section ?? '', status: r.status, reason: r.reason, responded_by: admin, responded_at: when.responded! })
      .execute();
  }
}

/**
 * Loads the demo rounds into the demo areas whose administrative rules have no round yet. Call it after the demo
 * text is drafted (loadDemoContent): version 1 is the rules as drafted there.
 */
export async function loadDemoConsultation({ db, audit }: { db: Db; audit: AuditLog }, now: number): Promise<void> {
  const areas = await db.selectFrom('areas').select(['id', 'slug', 'host_municipality_id', 'min_consultation_days', 'min_consultation_excludes_july']).execute();
  for (const area of areas) {
    const versions = DEMO[area.slug];
    const minimumPeriod = area.min_consultation_days === null ? null : { days: area.min_consultation_days, excludesJuly: area.min_consultation_excludes_july === 1 };
    if (!versions) continue;
    const document = await db.selectFrom('documents').select('id').where('area_id', '=', area.id).where('kind', '=', 'administrative_rules').executeTakeFirst();
    if (!document) continue;
    const existing = await db.selectFrom('consultation_rounds').select('id').where('area_id', '=', area.id).executeTakeFirst();
    if (existing) continue;
    const municipalities = await db.selectFrom('municipalities').select(['id', 'code']).where('area_id', '=', area.id).execute();
    const members = new Map(municipalities.filter((m) => m.id !== area.host_municipality_id).map((m) => [m.code, m.id]));
    const people = await db
      .selectFrom('memberships')
      .innerJoin('municipalities', 'municipalities.id', 'memberships.municipality_id')
      .select(['memberships.user_id', 'memberships.role', 'memberships.municipality_id', 'municipalities.code'])
      .where('memberships.area_id', '=', area.id)
      .orderBy('memberships.created_at')
      .execute();
    const admin = people.find((p) => p.role === 'host_admin' && p.municipality_id === area.host_municipality_id)?.user_id ?? null;
    const reps = new Map<string, string[]>();
    for (const p of people.filter((x) => x.role === 'member_rep')) reps.set(p.code, [...(reps.get(p.code) ?? []), p.user_id]);

    // The base: the rules' latest version (the drafted text), or one saved now for the purpose.
    let base = await db.selectFrom('versions').select(['id', 'created_at']).where('area_id', '=', area.id).where('document_id', '=', document.id).orderBy('number', 'desc').executeTakeFirst();
    if (!base) {
      const at = now - BASE.daysAgo * DAY;
      base = { id: (await saveDemoVersion(db, area.id, document.id, BASE.label[area.slug] ?? 'Demo', admin, at)).id, created_at: at };
    }
    let version = base;
    let rounds = 0;
    for (const v of versions) {
      let when: Schedule;
      if (v.label) {
        // A revised version after the finished round, and an open round on it.
        const saved = finishedSchedule(base.created_at, now).next;
        if (v.changes) await rewriteSections(db, document.id, v.changes, saved);
        version = { id: (await saveDemoVersion(db, area.id, document.id, v.label, admin, saved)).id, created_at: saved };
      }
      if (v.round.responses) when = finishedSchedule(base.created_at, now);
      else when = openSchedule(version.created_at, base.created_at, now, v.round.deadlineInDays ?? 14);
      const round = v.round;
      const versionId = version.id;
      await db.transaction().execute((trx) => insertRound(trx, { areaId: area.id, documentId: document.id, versionId, round, when, admin, municipalities: members, reps, minimumPeriod, swedish: area.slug === 'saaristo-skargard' }));
      rounds += 1;
    }
    await db.transaction().execute((trx) =>
      audit.append(trx, { areaId: area.id, actorUserId: null, action: 'consultation.demo_loaded', subjectType: 'document', subjectId: document.id, details: { source: 'demo', versions: versions.length, rounds } }, now),
    );
  }
}
