// The words of notification mail in Finnish, Swedish and English. Mail is written in core, not by the web app's
// translation files: the worker composes it away from any request (docs/decisions/023-mail-notifications.md). Every
// language has every text (the type holds each to `MailTexts`). Values are plain text; render.ts escapes them.
import { Temporal } from 'temporal-polyfill';
import { HELSINKI } from '../shared/helsinki.ts';
import type { Lang } from '../shared/language.ts';
import type { MailKind } from './notify.rules.ts';
import type { RoundReminderDays } from './notify.rules.ts';

export interface MailTexts {
  locale: string;
  /** What a kind is, as the footer and the unsubscribe page name it. */
  kind: Record<MailKind, string>;
  /** A mail's subject: one item (its own words) or several of a kind. */
  many: Record<MailKind, (n: number) => string>;
  digestSubject: (date: string) => string;
  digestIntro: string;
  intro: Record<MailKind, string>;
  mention: (actor: string, document: string, section: string) => string;
  reply: (actor: string, document: string, section: string) => string;
  commentLink: string;
  suggestion: (actor: string, document: string, section: string) => string;
  suggestionLink: string;
  roundOpened: (title: string) => string;
  roundReminder: (title: string, days: RoundReminderDays) => string;
  /** The host admin's own reminder (not the deadline's 7- or 1-day one). */
  roundReminderManual: (title: string) => string;
  statementSubmitted: (municipality: string, title: string, amended: boolean) => string;
  deadline: (when: string) => string;
  forMunicipality: (municipality: string) => string;
  notAnswered: (municipality: string) => string;
  roundLink: string;
  approvalRequested: (document: string, version: number) => string;
  approvalRequestedFor: (municipality: string) => string;
  approvalsLink: string;
  /** The approval request's link: the approvals page at the council's decision proposal (DOCX) and its appendix. */
  proposalLink: string;
  decisionRecorded: (municipality: string, state: string) => string;
  decisionRecordedBy: (name: string) => string;
  approvalStale: (municipality: string, document: string, version: number) => string;
  staleLink: string;
  councilMeeting: (municipality: string, date: string) => string;
  approvalState: (state: string, version: number) => string;
  noApprovalRequest: string;
  staleNote: string;
  decisionState: Record<string, string>;
  calendarAttached: string;
  unsubscribe: (kind: string) => string;
  settings: string;
  sentBecause: (area: string) => string;
  deadlineEvent: (title: string) => string;
  meetingEvent: (municipality: string) => string;
  reminderDays: (days: RoundReminderDays) => string;
}

const fi: MailTexts = {
  locale: 'fi-FI',
  kind: {
    mention: 'maininnat',
    reply: 'vastaukset keskusteluihin, joihin olet osallistunut',
    suggestion: 'muutosehdotukset kohtiin, joita olet kirjoittanut',
    round_opened: 'avatut lausuntokierrokset',
    round_reminder: 'lausuntojen määräaikojen muistutukset',
    statement_submitted: 'kuntien antamat lausunnot',
    approval_requested: 'valtuustojen hyväksyttäviksi lähetetyt sopimukset',
    decision_recorded: 'kirjatut valtuustojen käsittelyvaiheet',
    approval_stale: 'muuttuneet hyväksytyt tekstit',
    council_meeting: 'valtuuston kokousten muistutukset',
  },
  many: {
    mention: (n) => `${n} mainintaa`,
    reply: (n) => `${n} uutta vastausta keskusteluihin`,
    suggestion: (n) => `${n} uutta muutosehdotusta`,
    round_opened: (n) => `${n} lausuntokierrosta avattu`,
    round_reminder: (n) => `${n} lausunnon määräaikaa lähestyy`,
    statement_submitted: (n) => `${n} lausuntoa annettu`,
    approval_requested: (n) => `${n} sopimusta valtuuston hyväksyttäväksi`,
    decision_recorded: (n) => `${n} valtuuston käsittelyvaihetta kirjattu`,
    approval_stale: (n) => `${n} hyväksyttyä tekstiä muuttunut`,
    council_meeting: (n) => `${n} valtuuston kokousta tulossa`,
  },
  digestSubject: (date) => `päivän kooste ${date}`,
  digestIntro: 'Tässä on Sopun koosteesi edelliseltä vuorokaudelta.',
  intro: {
    mention: 'Sinut mainittiin kommentissa Sopussa.',
    reply: 'Keskusteluun, johon olet osallistunut, on vastattu.',
    suggestion: 'Kohtaan, jota olet kirjoittanut, on ehdotettu muutosta.',
    round_opened: 'Kuntasi lausuntoa pyydetään.',
    round_reminder: 'Kuntasi lausunto puuttuu vielä.',
    statement_submitted: 'Kunta on antanut lausuntonsa lausuntokierrokselle.',
    approval_requested: 'Sopimus on lähetetty valtuustojen hyväksyttäväksi.',
    decision_recorded: 'Valtuuston käsittelyvaihe on kirjattu.',
    approval_stale: 'Valtuuston hyväksymää tekstiä on muutettu.',
    council_meeting: 'Valtuuston kokous on viikon kuluttua.',
  },
  mention: (actor, document, section) => `${actor} mainitsi sinut: ${document}, ${section}`,
  reply: (actor, document, section) => `${actor} vastasi keskusteluun: ${document}, ${section}`,
  commentLink: 'Avaa keskustelu',
  suggestion: (actor, document, section) => `${actor} ehdotti muutosta: ${document}, ${section}`,
  suggestionLink: 'Avaa ehdotus',
  roundOpened: (title) => `Lausuntokierros avattiin: ${title}`,
  roundReminder: (title, days) => `Lausunnon määräaika ${days === 1 ? 'on huomenna' : 'on viikon kuluttua'}: ${title}`,
  roundReminderManual: (title) => `Muistutus: kuntasi lausuntoa odotetaan: ${title}`,
  statementSubmitted: (municipality, title, amended) => `${municipality} ${amended ? 'täydensi lausuntoaan' : 'antoi lausuntonsa'}: ${title}`,
  deadline: (when) => `Määräaika: ${when} (Suomen aikaa).`,
  forMunicipality: (municipality) => `Lausunto pyydetään kunnalta ${municipality}.`,
  notAnswered: (municipality) => `${municipality} ei ole vielä antanut lausuntoa.`,
  roundLink: 'Avaa lausuntokierros',
  approvalRequested: (document, version) => `${document}, versio ${version}, on lähetetty valtuustojen hyväksyttäväksi.`,
  approvalRequestedFor: (municipality) => `Valtuuston päätösehdotus (${municipality}) Word-tiedostona ja sen liitteenä oleva sopimusteksti ovat hyväksyntäsivulla. Kirjaa valtuuston käsittely Sopuun.`,
  approvalsLink: 'Avaa hyväksynnät',
  proposalLink: 'Avaa päätösehdotus',
  decisionRecorded: (municipality, state) => `${municipality}: ${state}`,
  decisionRecordedBy: (name) => `Kirjasi: ${name}.`,
  approvalStale: (municipality, document, version) => `${municipality}: valtuusto hyväksyi asiakirjan ${document} version ${version}, mutta tekstiä on sen jälkeen muutettu: hyväksyntä ei enää kata nykyistä tekstiä.`,
  staleLink: 'Näytä muutokset',
  councilMeeting: (municipality, date) => `${municipality}: valtuuston kokous ${date}.`,
  approvalState: (state, version) => `Sopimuksen hyväksynnän tila: ${state} (versio ${version}).`,
  noApprovalRequest: 'Sopimusta ei ole vielä lähetetty valtuustojen hyväksyttäväksi.',
  staleNote: 'Tekstiä on muutettu valtuustoille lähetetyn version jälkeen.',
  decisionState: { pending: 'odottaa', scheduled: 'kokous sovittu', approved: 'hyväksytty', rejected: 'hylätty', returned: 'palautettu uudelleen valmisteltavaksi', final: 'lainvoimainen', signed: 'allekirjoitettu' },
  calendarAttached: 'Päivämäärä on liitteenä kalenterimerkintänä (.ics).',
  unsubscribe: (kind) => `Et halua enää sähköpostia aiheesta ”${kind}”? Lopeta tästä`,
  settings: 'Kaikki ilmoitusasetuksesi',
  sentBecause: (area) => `Sopu, ${area}. Saat tämän viestin, koska olet alueen jäsen.`,
  deadlineEvent: (title) => `Lausunnon määräaika: ${title}`,
  meetingEvent: (municipality) => `Valtuuston kokous: ${municipality}`,
  reminderDays: (days) => (days === 1 ? 'huomenna' : 'viikon kuluttua'),
};

const sv: MailTexts = {
  locale: 'sv-FI',
  kind: {
    mention: 'omnämnanden',
    reply: 'svar i diskussioner du deltar i',
    suggestion: 'ändringsförslag i avsnitt du har skrivit',
    round_opened: 'öppnade remissrundor',
    round_reminder: 'påminnelser om svarstider för utlåtanden',
    statement_submitted: 'kommunernas utlåtanden',
    approval_requested: 'avtal som skickats till fullmäktige för godkännande',
    decision_recorded: 'registrerade behandlingssteg i fullmäktige',
    approval_stale: 'godkända texter som ändrats',
    council_meeting: 'påminnelser om fullmäktigesammanträden',
  },
  many: {
    mention: (n) => `${n} omnämnanden`,
    reply: (n) => `${n} nya svar i diskussioner`,
    suggestion: (n) => `${n} nya ändringsförslag`,
    round_opened: (n) => `${n} remissrundor öppnade`,
    round_reminder: (n) => `${n} svarstider närmar sig`,
    statement_submitted: (n) => `${n} utlåtanden inlämnade`,
    approval_requested: (n) => `${n} avtal till fullmäktige för godkännande`,
    decision_recorded: (n) => `${n} behandlingssteg registrerade`,
    approval_stale: (n) => `${n} godkända texter har ändrats`,
    council_meeting: (n) => `${n} fullmäktigesammanträden närmar sig`,
  },
  digestSubject: (date) => `dagens sammandrag ${date}`,
  digestIntro: 'Här är ditt sammandrag från Sopu för det senaste dygnet.',
  intro: {
    mention: 'Du har nämnts i en kommentar i Sopu.',
    reply: 'Någon har svarat i en diskussion du deltar i.',
    suggestion: 'Någon har föreslagit en ändring i ett avsnitt du har skrivit.',
    round_opened: 'Din kommun ombeds ge ett utlåtande.',
    round_reminder: 'Din kommuns utlåtande saknas ännu.',
    statement_submitted: 'En kommun har lämnat sitt utlåtande i remissrundan.',
    approval_requested: 'Avtalet har skickats till fullmäktige för godkännande.',
    decision_recorded: 'Ett behandlingssteg i fullmäktige har registrerats.',
    approval_stale: 'En text som fullmäktige godkänt har ändrats.',
    council_meeting: 'Fullmäktige sammanträder om en vecka.',
  },
  mention: (actor, document, section) => `${actor} nämnde dig: ${document}, ${section}`,
  reply: (actor, document, section) => `${actor} svarade i diskussionen: ${document}, ${section}`,
  commentLink: 'Öppna diskussionen',
  suggestion: (actor, document, section) => `${actor} föreslog en ändring: ${document}, ${section}`,
  suggestionLink: 'Öppna förslaget',
  roundOpened: (title) => `En remissrunda har öppnats: ${title}`,
  roundReminder: (title, days) => `Svarstiden för utlåtandet går ut ${days === 1 ? 'i morgon' : 'om en vecka'}: ${title}`,
  roundReminderManual: (title) => `Påminnelse: din kommuns utlåtande väntas: ${title}`,
  statementSubmitted: (municipality, title, amended) => `${municipality} ${amended ? 'kompletterade sitt utlåtande' : 'lämnade sitt utlåtande'}: ${title}`,
  deadline: (when) => `Svarstid: ${when} (finsk tid).`,
  forMunicipality: (municipality) => `Utlåtandet begärs av ${municipality}.`,
  notAnswered: (municipality) => `${municipality} har ännu inte gett sitt utlåtande.`,
  roundLink: 'Öppna remissrundan',
  approvalRequested: (document, version) => `${document}, version ${version}, har skickats till fullmäktige för godkännande.`,
  approvalRequestedFor: (municipality) => `Beslutsförslaget till fullmäktige i ${municipality} som Word-fil och avtalstexten som bifogas det finns på sidan för godkännanden. Registrera behandlingen i fullmäktige i Sopu.`,
  approvalsLink: 'Öppna godkännandena',
  proposalLink: 'Öppna beslutsförslaget',
  decisionRecorded: (municipality, state) => `${municipality}: ${state}`,
  decisionRecordedBy: (name) => `Registrerat av: ${name}.`,
  approvalStale: (municipality, document, version) => `Fullmäktige i ${municipality} godkände version ${version} av ${document}, men texten har ändrats sedan dess: godkännandet gäller inte längre den nuvarande texten.`,
  staleLink: 'Visa ändringarna',
  councilMeeting: (municipality, date) => `${municipality}: fullmäktige sammanträder ${date}.`,
  approvalState: (state, version) => `Avtalets godkännande: ${state} (version ${version}).`,
  noApprovalRequest: 'Avtalet har ännu inte skickats till fullmäktige för godkännande.',
  staleNote: 'Texten har ändrats efter den version som skickades till fullmäktige.',
  decisionState: { pending: 'väntar', scheduled: 'sammanträde utsatt', approved: 'godkänt', rejected: 'förkastat', returned: 'återremitterat', final: 'laga kraft', signed: 'undertecknat' },
  calendarAttached: 'Datumet finns bifogat som kalenderpost (.ics).',
  unsubscribe: (kind) => `Vill du inte längre få e-post om ”${kind}”? Avsluta här`,
  settings: 'Alla dina aviseringsinställningar',
  sentBecause: (area) => `Sopu, ${area}. Du får det här meddelandet eftersom du är medlem i området.`,
  deadlineEvent: (title) => `Svarstid för utlåtande: ${title}`,
  meetingEvent: (municipality) => `Fullmäktigesammanträde: ${municipality}`,
  reminderDays: (days) => (days === 1 ? 'i morgon' : 'om en vecka'),
};

const en: MailTexts = {
  locale: 'en-GB',
  kind: {
    mention: 'mentions',
    reply: 'replies in threads you take part in',
    suggestion: 'suggested changes to sections you drafted',
    round_opened: 'consultation rounds opened',
    round_reminder: 'reminders of statement deadlines',
    statement_submitted: 'statements submitted by the municipalities',
    approval_requested: 'agreements sent to the councils for approval',
    decision_recorded: "councils' recorded decisions",
    approval_stale: 'approved texts that have changed',
    council_meeting: 'reminders of council meetings',
  },
  many: {
    mention: (n) => `${n} mentions`,
    reply: (n) => `${n} new replies in threads`,
    suggestion: (n) => `${n} new suggested changes`,
    round_opened: (n) => `${n} consultation rounds opened`,
    round_reminder: (n) => `${n} statement deadlines approaching`,
    statement_submitted: (n) => `${n} statements submitted`,
    approval_requested: (n) => `${n} agreements for council approval`,
    decision_recorded: (n) => `${n} council decisions recorded`,
    approval_stale: (n) => `${n} approved texts have changed`,
    council_meeting: (n) => `${n} council meetings coming up`,
  },
  digestSubject: (date) => `daily digest ${date}`,
  digestIntro: 'Here is your Sopu digest of the past day.',
  intro: {
    mention: 'You were mentioned in a comment in Sopu.',
    reply: 'Someone replied in a thread you take part in.',
    suggestion: 'Someone suggested a change to a section you drafted.',
    round_opened: "Your municipality's statement is requested.",
    round_reminder: "Your municipality's statement is still missing.",
    statement_submitted: 'A municipality has submitted its statement in a consultation round.',
    approval_requested: 'The agreement has been sent to the councils for approval.',
    decision_recorded: "A step of a council's handling has been recorded.",
    approval_stale: 'A text a council approved has changed.',
    council_meeting: 'The council meets in a week.',
  },
  mention: (actor, document, section) => `${actor} mentioned you: ${document}, ${section}`,
  reply: (actor, document, section) => `${actor} replied in the thread: ${document}, ${section}`,
  commentLink: 'Open the thread',
  suggestion: (actor, document, section) => `${actor} suggested a change: ${document}, ${section}`,
  suggestionLink: 'Open the suggestion',
  roundOpened: (title) => `A consultation round has opened: ${title}`,
  roundReminder: (title, days) => `The statement is due ${days === 1 ? 'tomorrow' : 'in a week'}: ${title}`,
  roundReminderManual: (title) => `Reminder: your municipality's statement is awaited: ${title}`,
  statementSubmitted: (municipality, title, amended) => `${municipality} ${amended ? 'amended its statement' : 'submitted its statement'}: ${title}`,
  deadline: (when) => `Deadline: ${when} (Finnish time).`,
  forMunicipality: (municipality) => `The statement is requested from ${municipality}.`,
  notAnswered: (municipality) => `${municipality} has not given its statement yet.`,
  roundLink: 'Open the consultation round',
  approvalRequested: (document, version) => `${document}, version ${version}, has been sent to the councils for approval.`,
  approvalRequestedFor: (municipality) => `The decision proposal for the council of ${municipality} as a Word file, and the agreement text attached to it, are on the approvals page. Record the council's handling in Sopu.`,
  approvalsLink: 'Open the approvals',
  proposalLink: 'Open the decision proposal',
  decisionRecorded: (municipality, state) => `${municipality}: ${state}`,
  decisionRecordedBy: (name) => `Recorded by: ${name}.`,
  approvalStale: (municipality, document, version) => `The council of ${municipality} approved version ${version} of ${document}, but the text has changed since: the approval no longer covers the current text.`,
  staleLink: 'Show the changes',
  councilMeeting: (municipality, date) => `${municipality}: council meeting on ${date}.`,
  approvalState: (state, version) => `Approval of the agreement: ${state} (version ${version}).`,
  noApprovalRequest: 'The agreement has not been sent to the councils for approval yet.',
  staleNote: 'The text has changed since the version sent to the councils.',
  decisionState: { pending: 'pending', scheduled: 'meeting scheduled', approved: 'approved', rejected: 'rejected', returned: 'returned for further preparation', final: 'final', signed: 'signed' },
  calendarAttached: 'The date is attached as a calendar entry (.ics).',
  unsubscribe: (kind) => `No more e-mail about "${kind}"? Unsubscribe here`,
  settings: 'All your notification settings',
  sentBecause: (area) => `Sopu, ${area}. You receive this because you are a member of the area.`,
  deadlineEvent: (title) => `Statement deadline: ${title}`,
  meetingEvent: (municipality) => `Council meeting: ${municipality}`,
  reminderDays: (days) => (days === 1 ? 'tomorrow' : 'in a week'),
};

export const MAIL_TEXTS: Record<Lang, MailTexts> = { fi, sv, en };

/** An instant as a person reads it in Helsinki, in the mail's language (Temporal's zone rules, shared/helsinki.ts). */
export function formatInstant(ms: number, lang: Lang): string {
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(HELSINKI).toLocaleString(MAIL_TEXTS[lang].locale, { dateStyle: 'long', timeStyle: 'short' });
}

/** A calendar date (YYYY-MM-DD) in the mail's language: a day, in no time zone. */
export function formatCalendarDate(date: string, lang: Lang): string {
  return Temporal.PlainDate.from(date).toLocaleString(MAIL_TEXTS[lang].locale, { dateStyle: 'long' });
}
