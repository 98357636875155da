import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { closeRound, discardDraftRound, DomainError, getAreaDashboard, listVersions, openDraftRound, requireAreaAccess, updateDraftRound, getRound, openDocument, publishSummary, remindInvitees, respondToStatements, submitStatement, type RouteHandle } from '@sopu/core';
import { templateFor } from '@sopu/doc-model';
import { useState } from 'react';
import { DaysLeft, InviteeStatus, RoundForm, RoundState, type RoundFieldValues } from '../components/consultation.tsx';
import { ErrorSummary, SubmitButton, useSubmitting } from '../components/form.tsx';
import { useDocumentName } from '../components/document-name.tsx';
import { Main } from '../components/main.tsx';
import { TableWrap } from '../components/table-wrap.tsx';
import { consultationFailure, ROUND_FIELD_CODES, roundInputOf, roundValuesOf } from '../consultation.server.ts';
import { orHttpError } from '../errors.server.ts';
import { formatDateTime, formatDeadline, municipalityName, isolate } from '../format.ts';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';
import { requireActor } from '../session.server.ts';

/**
 * Who may call this route (docs/decisions/013-route-access-matrix.md): members read the round as far as they may see
 * it; member reps submit their municipality's statement; the host admin runs the round. Core decides each step.
 */
export const handle = { access: { loader: { area: 'area.read' }, action: { area: 'consultation.answer' } } } satisfies RouteHandle;

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, (t) => [data?.round.title ?? t('consultation.roundsTitle')]);

/** The round, if it belongs to the area in the URL (another area's round is missing, as a missing one is). */
async function roundOf(args: LoaderFunctionArgs | ActionFunctionArgs) {
  const actor = await requireActor(args);
  const { deps } = args.context;
  const round = await orHttpError(args.request, getRound(deps, actor, args.params.consultationRoundId ?? ''));
  const opened = await orHttpError(args.request, openDocument(deps.db, actor, args.params.slug ?? '', round.documentId));
  return { actor, deps, round, opened };
}

export async function loader(args: LoaderFunctionArgs) {
  const { actor, deps, round, opened } = await roundOf(args);
  // A draft (only the host admin sees one) is edited with the round's fields: its versions and the members to invite.
  const draft =
    round.state === 'draft'
      ? await Promise.all([orHttpError(args.request, listVersions(deps, actor, round.documentId)), orHttpError(args.request, getAreaDashboard(deps.db, actor, opened.area.slug))]).then(([versions, dashboard]) => ({
          versions: versions.map((v) => ({ number: v.number, label: v.label })),
          members: dashboard.municipalities.filter((m) => !m.isHost).map((m) => ({ code: m.code, name: m.name })),
          hostName: dashboard.municipalities.find((m) => m.isHost)?.name ?? null,
        }))
      : null;
  return { slug: opened.area.slug, round, ownCode: opened.membership.municipalityCode, kind: opened.document.kind, draft };
}

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v : '';
};

export async function action(args: ActionFunctionArgs) {
  // Authorise before reading the form: an outsider or another area's round gets 404, a member who answers for
  // nobody 403.
  const { actor, deps, round, opened } = await roundOf(args);
  await orHttpError(args.request, requireAreaAccess(deps.db, actor.userId, opened.area.slug, 'consultation.answer'));
  const form = await args.request.formData();
  const intent = text(form, 'intent');
  const here = `/areas/${encodeURIComponent(opened.area.slug)}/rounds/${encodeURIComponent(round.id)}`;
  try {
    switch (intent) {
      case 'save-draft':
        await updateDraftRound(deps, actor, round.id, roundInputOf(form));
        return redirect(`${here}?saved=1`);
      case 'open-draft':
        await updateDraftRound(deps, actor, round.id, roundInputOf(form));
        await openDraftRound(deps, actor, round.id);
        return redirect(`${here}?opened=1`);
      case 'discard':
        await discardDraftRound(deps, actor, round.id);
        return redirect(`/areas/${encodeURIComponent(opened.area.slug)}/documents/${encodeURIComponent(round.documentId)}/rounds?discarded=1`);
      case 'statement': {
        const noComments = form.get('noComments') === 'on';
        const sections = [...form.entries()]
          .filter(([name, value]) => name.startsWith('section:') && typeof value === 'string' && value.trim() !== '')
          .map(([name, value]) => ({ key: name.slice('section:'.length), text: String(value) }));
        const general = text(form, 'general');
        await submitStatement(deps, actor, round.id, { municipalityCode: text(form, 'municipalityCode'), ...(noComments ? { noComments: true } : { general, sections }) });
        return redirect(`${here}?submitted=${encodeURIComponent(text(form, 'municipalityCode'))}`);
      }
      case 'remind': {
        const result = await remindInvitees(deps, actor, round.id, {});
        return { ok: true as const, intent, message: { key: 'consultation.reminded', values: { count: result.municipalities.length } } };
      }
      case 'close':
        await closeRound(deps, actor, round.id);
        return redirect(`${here}?closed=1`);
      case 'respond': {
        const responses = [...form.keys()]
          .filter((name) => name.startsWith('status:'))
          .map((name) => {
            const [, code, section] = name.split(':');
            return { municipalityCode: code ?? '', section: section ? section : null, status: text(form, name), reason: text(form, `reason:${code}:${section ?? ''}`) };
          })
          .filter((r) => r.status !== '');
        await respondToStatements(deps, actor, round.id, { responses });
        return { ok: true as const, intent, message: { key: 'consultation.responsesSaved' } };
      }
      case 'publish':
        await publishSummary(deps, actor, round.id);
        return redirect(`${here}/summary?published=1`);
      default:
        throw new DomainError('invalid_input', 'unknown intent', { field: 'intent' });
    }
  } catch (error) {
    const values = roundValuesOf(form);
    const draftIntent = intent === 'save-draft' || intent === 'open-draft' || intent === 'discard';
    return consultationFailure(error, args.request, { intent: draftIntent ? 'draft' : intent, values }, draftIntent ? { values, selects: ['version'], codes: ROUND_FIELD_CODES } : {});
  }
}

type Round = ReturnType<typeof useLoaderData<typeof loader>>['round'];
type Invitee = Round['invitees'][number];
type Statement = NonNullable<Invitee['statement']>;

function useSectionTitles(kind: Parameters<typeof templateFor>[0]) {
  const { lang } = useT();
  return new Map(templateFor(kind).map((s, i) => [s.key, `${i + 1}. ${s.title[lang]}`]));
}

/** A statement as submitted: general text, section comments, or "no comments"; who submitted it and when. */
function StatementText({ statement, kind }: { statement: Statement; kind: Parameters<typeof templateFor>[0] }) {
  const { t, lang } = useT();
  const titles = useSectionTitles(kind);
  return (
    <div className="statement">
      {statement.noComments ? <p className="statement__none">{t('consultation.noCommentsText')}</p> : null}
      {statement.general ? <p className="statement__general">{statement.general}</p> : null}
      {statement.sections.length > 0 ? (
        <dl className="statement__sections">
          {statement.sections.map((s) => (
            <div key={s.key}>
              <dt>{titles.get(s.key) ?? s.key}</dt>
              <dd>{s.text}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      <p className="muted statement__meta">
        {t(statement.onBehalf ? 'consultation.submittedOnBehalf' : 'consultation.submittedBy', { who: isolate(statement.submittedBy?.name ?? '–'), when: formatDateTime(statement.submittedAt, lang) })}
        {statement.number > 1 ? ` · ${t('consultation.revision', { number: statement.number })}` : ''}
      </p>
    </div>
  );
}

/** The statement form: one municipality's general statement, section comments, or "ei lausuttavaa". */
function StatementForm({ round, kind, codes, ownCode }: { round: Round; kind: Parameters<typeof templateFor>[0]; codes: string[]; ownCode: string | null }) {
  const { t, lang } = useT();
  const result = useActionData<typeof action>();
  const submitting = useSubmitting((f) => f.get('intent') === 'statement');
  const mine = result && 'intent' in result && result.intent === 'statement';
  const errors = mine && 'errors' in result ? result.errors : undefined;
  const [code, setCode] = useState(codes.includes(ownCode ?? '') ? ownCode! : codes[0]!);
  const invitee = round.invitees.find((i) => i.municipality.code === code);
  const current = invitee?.statement ?? null;
  const [none, setNone] = useState(current?.noComments ?? false);
  const sections = templateFor(kind);
  const commented = new Map((current?.sections ?? []).map((s) => [s.key, s.text]));
  const onBehalf = code !== ownCode;
  return (
    <Form method="post" className="round-form statement-form" aria-labelledby="statement-heading" key={code} noValidate>
      <h2 id="statement-heading">{current ? t('consultation.amendHeading') : t('consultation.statementHeading')}</h2>
      <p>{t('consultation.statementIntro', { deadline: formatDeadline(round.deadline, lang) })}</p>
      <ErrorSummary errors={errors} idPrefix="statement-" labels={{ general: t('consultation.general'), noComments: t('consultation.noComments'), municipalityCode: t('consultation.municipality') }} />
      <input type="hidden" name="intent" value="statement" />
      {codes.length > 1 ? (
        <div className="field">
          <label htmlFor="statement-municipalityCode">{t('consultation.municipality')}</label>
          <select id="statement-municipalityCode" name="municipalityCode" className="select" value={code} onChange={(e) => setCode(e.target.value)}>
            {codes.map((c) => {
              const m = round.invitees.find((i) => i.municipality.code === c)!;
              return (
                <option key={c} value={c}>
                  {municipalityName(m.municipality.name, lang)}
                </option>
              );
            })}
          </select>
        </div>
      ) : (
        <input type="hidden" name="municipalityCode" value={code} />
      )}
      {onBehalf ? <p className="notice notice-warning">{t('consultation.onBehalfNotice', { municipality: municipalityName(invitee!.municipality.name, lang) })}</p> : null}
      <div className="field">
        <label className="checkbox-label">
          <input type="checkbox" name="noComments" id="statement-noComments" checked={none} onChange={(e) => setNone(e.target.checked)} /> {t('consultation.noComments')}
        </label>
      </div>
      <fieldset disabled={none} className="statement-fields">
        <div className={errors?.fields?.general ? 'field field-error' : 'field'}>
          <label htmlFor="statement-general">{t('consultation.general')}</label>
          {errors?.fields?.general ? (
            <p id="statement-general-error" className="error-message">
              {t('consultation.statementEmpty')}
            </p>
          ) : null}
          <textarea id="statement-general" name="general" className="textarea" rows={6} maxLength={20_000} defaultValue={current?.general ?? ''} aria-invalid={errors?.fields?.general ? true : undefined} />
        </div>
        <h3>{t('consultation.sectionComments')}</h3>
        <p className="hint">{t('consultation.sectionCommentsHint')}</p>
        {sections.map((s, i) => (
          <details key={s.key} className="section-comment" open={commented.has(s.key)}>
            <summary>
              {i + 1}. {s.title[lang]}
              {commented.has(s.key) ? <span className="badge badge--done">{t('consultation.commented')}</span> : null}
            </summary>
            <label htmlFor={`statement-section-${s.key}`} className="visually-hidden">
              {t('consultation.commentOn', { section: `${i + 1}. ${s.title[lang]}` })}
            </label>
            <textarea id={`statement-section-${s.key}`} name={`section:${s.key}`} className="textarea" rows={3} maxLength={10_000} defaultValue={commented.get(s.key) ?? ''} />
          </details>
        ))}
      </fieldset>
      <SubmitButton pending={submitting} pendingLabel={t('consultation.submitting')}>
        {current ? t('consultation.amend') : t('consultation.submit')}
      </SubmitButton>
    </Form>
  );
}

const RESPONSE_STATUSES = ['taken_into_account', 'partly', 'not_taken_into_account'] as const;

/** The host's answers: one row per general statement and per section comment, with a status and a reason. */
function ResponsesForm({ round, kind }: { round: Round; kind: Parameters<typeof templateFor>[0] }) {
  const { t, lang } = useT();
  const titles = useSectionTitles(kind);
  const result = useActionData<typeof action>();
  const submitting = useSubmitting((f) => f.get('intent') === 'respond');
  const mine = result && 'intent' in result && result.intent === 'respond';
  const errors = mine && 'errors' in result ? result.errors : undefined;
  const items = round.invitees.flatMap((i) => {
    const s = i.statement;
    if (!s || s.noComments) return [];
    const rows: Array<{ invitee: Invitee; section: string | null; text: string }> = [];
    if (s.general) rows.push({ invitee: i, section: null, text: s.general });
    for (const c of s.sections) rows.push({ invitee: i, section: c.key, text: c.text });
    return rows;
  });
  if (items.length === 0) return <p>{t('consultation.nothingToAnswer')}</p>;
  return (
    <Form method="post" className="responses-form" aria-labelledby="responses-heading">
      <h2 id="responses-heading">{t('consultation.responsesHeading')}</h2>
      <p>{t('consultation.responsesIntro')}</p>
      <ErrorSummary errors={errors} idPrefix="response-" labels={{ responses: t('consultation.responsesHeading') }} />
      <input type="hidden" name="intent" value="respond" />
      <TableWrap label={t('consultation.responsesHeading')}>
        <table className="data-table responses-table">
          <thead>
            <tr>
              <th scope="col">{t('consultation.colMunicipality')}</th>
              <th scope="col">{t('consultation.colStatement')}</th>
              <th scope="col">{t('consultation.colResponse')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map(({ invitee, section, text: statement }) => {
              const id = `${invitee.municipality.code}-${section ?? 'general'}`;
              const existing = invitee.responses.find((r) => r.section === section);
              const name = municipalityName(invitee.municipality.name, lang);
              const what = section ? titles.get(section) ?? section : t('consultation.generalShort');
              return (
                <tr key={id} data-item={id}>
                  <th scope="row">
                    {name}
                    <span className="muted responses-table__what">{what}</span>
                  </th>
                  <td className="responses-table__statement">{statement}</td>
                  <td>
                    <label htmlFor={`status-${id}`} className="visually-hidden">
                      {t('consultation.responseFor', { municipality: name, what })}
                    </label>
                    <select id={`status-${id}`} name={`status:${invitee.municipality.code}:${section ?? ''}`} className="select" defaultValue={existing?.status ?? ''}>
                      <option value="">{t('consultation.notAnswered')}</option>
                      {RESPONSE_STATUSES.map((s) => (
                        <option key={s} value={s}>
                          {t(`consultation.response.${s}`)}
                        </option>
                      ))}
                    </select>
                    <label htmlFor={`reason-${id}`} className="visually-hidden">
                      {t('consultation.reasonFor', { municipality: name, what })}
                    </label>
                    <textarea id={`reason-${id}`} name={`reason:${invitee.municipality.code}:${section ?? ''}`} className="textarea" rows={2} maxLength={5000} defaultValue={existing?.reason ?? ''} placeholder={t('consultation.reasonPlaceholder')} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      <SubmitButton pending={submitting} pendingLabel={t('consultation.saving')}>
        {t('consultation.saveResponses')}
      </SubmitButton>
    </Form>
  );
}

/** A refused step's reason, shown beside its button. */
function Blocked({ state }: { state: { allowed: boolean; reason?: string } }) {
  const { t } = useT();
  if (state.allowed || !state.reason || state.reason === 'forbidden') return null;
  return <p className="hint">{t(`consultation.refusal.${state.reason}`, { defaultValue: '' })}</p>;
}

/** A draft round, seen only by the host admin: edit its fields, open it, or throw it away. */
function DraftForm({ round, draft }: { round: Round; draft: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>['draft']> }) {
  const { t } = useT();
  const result = useActionData<typeof action>();
  const saving = useSubmitting((f) => f.get('intent') === 'save-draft');
  const opening = useSubmitting((f) => f.get('intent') === 'open-draft');
  const discarding = useSubmitting((f) => f.get('intent') === 'discard');
  const mine = result && 'intent' in result && result.intent === 'draft';
  const errors = mine && 'errors' in result ? result.errors : undefined;
  const sent = (mine && 'values' in result ? result.values : undefined) as Record<string, string> | undefined;
  const local = round.deadlineLocal; // "2026-12-15T16:00+02:00"
  const values: RoundFieldValues = {
    version: sent?.version ?? String(round.version.number),
    title: sent?.title ?? round.title,
    questions: sent?.questions ?? round.questions.join('\n'),
    deadlineDate: sent?.deadlineDate ?? local.slice(0, 10),
    deadlineTime: sent?.deadlineTime ?? local.slice(11, 16),
    invited: sent ? (sent.invited ?? '').split(',') : round.invitees.map((i) => i.municipality.code),
    coverLetter: sent?.coverLetter ?? round.coverLetter,
  };
  return (
    <RoundForm id="draft-heading" heading={t('consultation.draftHeading')} intro={t('consultation.draftIntro')} errors={errors} versions={draft.versions} members={draft.members} hostName={draft.hostName} values={values}>
        <SubmitButton name="intent" value="open-draft" pending={opening} pendingLabel={t('consultation.opening')}>
          {t('consultation.open')}
        </SubmitButton>
        <SubmitButton name="intent" value="save-draft" variant="secondary" pending={saving} pendingLabel={t('consultation.saving')}>
          {t('consultation.saveDraftChanges')}
        </SubmitButton>
        <SubmitButton
          name="intent"
          value="discard"
          variant="danger"
          pending={discarding}
          pendingLabel={t('consultation.discarding')}
          formNoValidate
          onClick={(event) => {
            if (!window.confirm(t('consultation.discardConfirm'))) event.preventDefault();
          }}
        >
          {t('consultation.discard')}
        </SubmitButton>
    </RoundForm>
  );
}

function Timeline({ round }: { round: Round }) {
  const { t, lang } = useT();
  const line = (e: Round['timeline'][number]): string => {
    switch (e.kind) {
      case 'opened':
        return t('consultation.timeline.opened', { who: isolate(e.by?.name ?? '–') });
      case 'statement_submitted':
      case 'statement_amended':
        return t(`consultation.timeline.${e.kind}${e.onBehalf ? '_onBehalf' : ''}`, { municipality: municipalityName(e.municipality.name, lang), who: e.by?.name ?? '–', revision: e.revision });
      case 'reminded':
        return t('consultation.timeline.reminded', { municipalities: e.municipalities.map((m) => municipalityName(m.name, lang)).join(', ') });
      case 'deadline':
        return t(e.passed ? 'consultation.timeline.deadlinePassed' : 'consultation.timeline.deadline');
      case 'closed':
        return e.noAnswer.length > 0 ? t('consultation.timeline.closedNoAnswer', { who: isolate(e.by?.name ?? '–'), municipalities: e.noAnswer.map((m) => municipalityName(m.name, lang)).join(', ') }) : t('consultation.timeline.closed', { who: isolate(e.by?.name ?? '–') });
      case 'summary_published':
        return t('consultation.timeline.published', { who: isolate(e.by?.name ?? '–') });
      case 'adopted':
        return t('consultation.timeline.adopted', { body: e.decisionBody, section: e.minutesSection });
    }
  };
  return (
    <section aria-labelledby="timeline-heading" className="timeline">
      <h2 id="timeline-heading">{t('consultation.timelineHeading')}</h2>
      <ol>
        {round.timeline.map((e, i) => (
          <li key={i} className={`timeline__item timeline__item--${e.kind}${e.kind === 'deadline' && !e.passed ? ' timeline__item--future' : ''}`}>
            <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(e.at, lang)}</time> <span>{line(e)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** One consultation round: what is asked, the statements as far as the caller may see them, the host's steps, the timeline. */
export default function RoundPage() {
  const { slug, round, ownCode, kind, draft } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, lang } = useT();
  const [params] = useSearchParams();
  const docBase = `/areas/${slug}/documents/${round.documentId}`;
  const documentName = useDocumentName();
  const manager = round.actions.close.allowed || round.actions.close.reason !== 'forbidden';
  const message = result && 'message' in result ? result.message : null;
  const stepErrors = result && 'errors' in result && ['close', 'remind', 'publish'].includes(String(result.intent)) ? result.errors : undefined;
  const closing = useSubmitting((f) => f.get('intent') === 'close');
  const reminding = useSubmitting((f) => f.get('intent') === 'remind');
  const publishing = useSubmitting((f) => f.get('intent') === 'publish');
  const own = round.own;
  const submitted = params.get('submitted');

  return (
    <Main>
      <p className="breadcrumb">
        <Link to={`${docBase}/rounds`}>← {t('consultation.roundsTitle')}</Link> · <Link to={docBase}>{documentName(kind, round.documentTitle)}</Link>
      </p>
      <h1>
        {round.title} <RoundState state={round.state} />
      </h1>
      {params.get('drafted') || params.get('saved') ? (
        <p className="notice notice-success" role="status">
          {t('consultation.draftSaved')}
        </p>
      ) : null}
      {params.get('opened') ? (
        <p className="notice notice-success" role="status">
          {t('consultation.openedNotice', { count: round.invited })}
        </p>
      ) : null}
      {submitted ? (
        <p className="notice notice-success" role="status">
          {t('consultation.submittedNotice')}
        </p>
      ) : null}
      {params.get('closed') ? (
        <p className="notice notice-success" role="status">
          {t('consultation.closedNotice')}
        </p>
      ) : null}
      {message ? (
        <p className="notice notice-success" role="status">
          {t(message.key, message.values ?? {})}
        </p>
      ) : null}
      <ErrorSummary errors={stepErrors} />

      {round.state === 'draft' && draft ? (
        <>
          <p className="notice notice-info">{t('consultation.draftNotice')}</p>
          <DraftForm round={round} draft={draft} />
        </>
      ) : (
      <>
      <dl className="summary-list round-facts">
        <div>
          <dt>{t('consultation.consultedVersion')}</dt>
          <dd>
            <Link to={`${docBase}/versions/${round.version.number}`}>{t('versions.option', { number: round.version.number, label: round.version.label })}</Link> <code title={round.version.hash}>{round.version.hash.slice(0, 8)}…</code>
          </dd>
        </div>
        <div>
          <dt>{t('consultation.deadline')}</dt>
          <dd data-testid="round-deadline">
            {formatDeadline(round.deadline, lang)} {round.state === 'open' ? <DaysLeft days={round.daysLeft} passed={round.deadlinePassed} /> : null}
          </dd>
        </div>
        <div>
          <dt>{t('consultation.colAnswered')}</dt>
          <dd>{round.answered === null ? t('consultation.answeredHidden') : t('consultation.answeredOf', { answered: round.answered, invited: round.invited })}</dd>
        </div>
        {own ? (
          <div>
            <dt>{t('consultation.yourMunicipality', { municipality: municipalityName(own.municipality.name, lang) })}</dt>
            <dd>
              <InviteeStatus status={own.status} />
            </dd>
          </div>
        ) : null}
      </dl>

      {round.coverLetter ? (
        <section aria-labelledby="cover-heading">
          <h2 id="cover-heading">{t('consultation.coverLetter')}</h2>
          <p className="cover-letter">{round.coverLetter}</p>
        </section>
      ) : null}
      {round.questions.length > 0 ? (
        <section aria-labelledby="questions-heading">
          <h2 id="questions-heading">{t('consultation.questions')}</h2>
          <ol className="round-questions">
            {round.questions.map((q, i) => (
              <li key={i}>{q}</li>
            ))}
          </ol>
        </section>
      ) : null}

      {round.actions.submitFor.length > 0 ? (
        round.actions.submitFor.includes(ownCode ?? '') ? (
          <StatementForm round={round} kind={kind} codes={round.actions.submitFor} ownCode={ownCode} />
        ) : (
          // The host admin: answering on a municipality's behalf is the exception, folded away.
          <details className="on-behalf" open={Boolean(result && 'intent' in result && result.intent === 'statement')}>
            <summary>{t('consultation.onBehalfOpen')}</summary>
            <StatementForm round={round} kind={kind} codes={round.actions.submitFor} ownCode={ownCode} />
          </details>
        )
      ) : null}

      {manager ? (
        <section aria-labelledby="steps-heading" className="round-steps">
          <h2 id="steps-heading">{t('consultation.stepsHeading')}</h2>
          <div className="round-steps__row">
            {round.state === 'open' ? (
              <>
                <Form method="post">
                  <input type="hidden" name="intent" value="remind" />
                  <SubmitButton variant="secondary" pending={reminding} pendingLabel={t('consultation.reminding')} disabled={!round.actions.remind.allowed}>
                    {t('consultation.remind')}
                  </SubmitButton>
                  <Blocked state={round.actions.remind} />
                </Form>
                <Form
                  method="post"
                  onSubmit={(event) => {
                    if (!window.confirm(t('consultation.closeConfirm'))) event.preventDefault();
                  }}
                >
                  <input type="hidden" name="intent" value="close" />
                  <SubmitButton pending={closing} pendingLabel={t('consultation.closing')} disabled={!round.actions.close.allowed}>
                    {t('consultation.close')}
                  </SubmitButton>
                  <Blocked state={round.actions.close} />
                </Form>
              </>
            ) : null}
            {round.state === 'closed' ? (
              <Form method="post">
                <input type="hidden" name="intent" value="publish" />
                <SubmitButton pending={publishing} pendingLabel={t('consultation.publishing')} disabled={!round.actions.publish.allowed}>
                  {t('consultation.publish')}
                </SubmitButton>
                <Blocked state={round.actions.publish} />
              </Form>
            ) : null}
            {round.state !== 'open' ? <Link to={`/areas/${slug}/rounds/${round.id}/summary`}>{t('consultation.summaryLink')}</Link> : null}
          </div>
        </section>
      ) : round.state === 'summary_published' ? (
        <p>
          <Link to={`/areas/${slug}/rounds/${round.id}/summary`}>{t('consultation.summaryLink')}</Link>
        </p>
      ) : null}

      <section aria-labelledby="invitees-heading">
        <h2 id="invitees-heading">{round.state === 'open' && !manager ? t('consultation.ownStatementHeading') : t('consultation.statementsHeading')}</h2>
        {round.state === 'open' && !manager ? <p className="hint">{t('consultation.othersHidden')}</p> : null}
        <ul className="invitee-list">
          {round.invitees
            .filter((i) => manager || round.state !== 'open' || i.municipality.code === ownCode)
            .map((i) => (
              <li key={i.municipality.code} className="invitee" data-municipality={i.municipality.code}>
                <h3>
                  {municipalityName(i.municipality.name, lang)} <InviteeStatus status={i.status} />
                  {i.answeredAt ? <span className="muted invitee__when"> {formatDateTime(i.answeredAt, lang)}</span> : null}
                </h3>
                {i.statement ? <StatementText statement={i.statement} kind={kind} /> : i.status === 'invited' ? <p className="muted">{t('consultation.notYet')}</p> : null}
                {i.responses.length > 0 && round.state === 'summary_published' ? (
                  <ul className="invitee__responses">
                    {i.responses.map((r) => (
                      <li key={r.section ?? '_'}>
                        <strong>{t(`consultation.response.${r.status}`)}</strong>
                        {r.reason ? `: ${r.reason}` : ''}
                      </li>
                    ))}
                  </ul>
                ) : null}
                {i.revisions.length > 1 ? (
                  <details className="invitee__revisions">
                    <summary>{t('consultation.revisions', { count: i.revisions.length })}</summary>
                    <ol>
                      {i.revisions.map((r) => (
                        <li key={r.number}>
                          <StatementText statement={r} kind={kind} />
                        </li>
                      ))}
                    </ol>
                  </details>
                ) : null}
              </li>
            ))}
        </ul>
      </section>

      {round.state === 'closed' && round.actions.respond.allowed ? <ResponsesForm round={round} kind={kind} /> : null}

      <Timeline round={round} />
      </>
      )}
    </Main>
  );
}
