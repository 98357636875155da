import { type MetaFunction, type LoaderFunctionArgs, type ActionFunctionArgs, redirect } from '@remix-run/node';
import { useLoaderData, useActionData, useSearchParams, Link } from '@remix-run/react';
import { type RouteHandle, consultationPeriodOf, getRound, openDocument, listVersions, getAreaDashboard, requireAreaAccess, updateDraftRound, openDraftRound, discardDraftRound, submitStatement, remindInvitees, closeRound, respondToStatements, publishSummary, DomainError } from '@sopu/core';
import { RoundState } from '../components/consultation/round.tsx';
import { ErrorSummary } from '../components/form.tsx';
import { useDocumentName } from '../components/document-name.tsx';
import { Main } from '../components/main.tsx';
import { roundInputOf, roundValuesOf, consultationFailure, ROUND_FIELD_CODES } from '../consultation.server.ts';
import { orHttpError } from '../errors.server.ts';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';
import { requireActor } from '../session.server.ts';
import { DraftForm } from '../components/consultation/DraftForm.tsx';
import { ResponsesForm } from '../components/consultation/ResponsesForm.tsx';
import { RoundFacts } from '../components/consultation/RoundFacts.tsx';
import { RoundSteps } from '../components/consultation/RoundSteps.tsx';
import { StatementForm } from '../components/consultation/StatementForm.tsx';
import { StatementList } from '../components/consultation/StatementList.tsx';
import { Timeline } from '../components/consultation/Timeline.tsx';
import { AttachmentList, AttachmentUpload } from '../components/consultation/Attachments.tsx';

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
      ? await Promise.all([orHttpError(args.request, listVersions(deps, actor, round.documentId)), orHttpError(args.request, getAreaDashboard(deps.db, actor, opened.area.slug))]).then(async ([versions, dashboard]) => ({
          versions: versions.map((v) => ({ number: v.number, label: v.label })),
          members: dashboard.municipalities.filter((m) => !m.isHost).map((m) => ({ code: m.code, name: m.name })),
          hostName: dashboard.municipalities.find((m) => m.isHost)?.name ?? null,
          minimumPeriod: await consultationPeriodOf(deps.db, opened.area.id),
          now: deps.now(),
        }))
      : null;
  return { slug: opened.area.slug, round, ownCode: opened.membership.municipalityCode, kind: opened.document.kind, draft, userId: actor.userId };
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
      case 'save-draft': {
        const { shortPeriodReason: _reason, ...fields } = roundInputOf(form);
        await updateDraftRound(deps, actor, round.id, fields);
        return redirect(`${here}?saved=1`);
      }
      case 'open-draft':
        {
          const { shortPeriodReason, ...fields } = roundInputOf(form);
          await updateDraftRound(deps, actor, round.id, fields);
          await openDraftRound(deps, actor, round.id, shortPeriodReason ? { shortPeriodReason } : {});
        }
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
        const answers = [...form.entries()]
          .filter(([name, value]) => name.startsWith('answer:') && typeof value === 'string' && value.trim() !== '')
          .map(([name, value]) => ({ question: Number(name.slice('answer:'.length)), text: String(value) }));
        // The decision is recorded when any of its fields is filled (core then asks for the rest).
        const decisionFields = ['decisionBody', 'decisionDate', 'decisionSection', 'decisionUrl'].map((f) => text(form, f).trim());
        const decision = decisionFields.some(Boolean) ? { body: decisionFields[0], date: decisionFields[1], section: decisionFields[2], url: decisionFields[3] || null } : undefined;
        await submitStatement(deps, actor, round.id, { municipalityCode: text(form, 'municipalityCode'), ...(noComments ? { noComments: true } : { general, sections, answers }), ...(decision ? { decision } : {}) });
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
            // An answer to question N is "qN" in the form's names.
            const question = /^q(\d+)$/.exec(section ?? '')?.[1];
            return {
              municipalityCode: code ?? '',
              ...(question ? { question: Number(question) } : { section: section ? section : null }),
              status: text(form, name),
              reason: text(form, `reason:${code}:${section ?? ''}`),
            };
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

/** One consultation round: what is asked, the statements as far as the caller may see them, the host's steps, the timeline. */
export default function RoundPage() {
  const { slug, round, ownCode, kind, draft, userId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useT();
  const [params] = useSearchParams();
  const docBase = `/areas/${slug}/documents/${round.documentId}`;
  const documentName = useDocumentName();
  const manager = round.actions.close.allowed || round.actions.close.reason !== 'forbidden';
  const message = result && 'message' in result ? result.message : null;
  const stepErrors = result && 'errors' in result && ['close', 'remind', 'publish'].includes(String(result.intent)) ? result.errors : undefined;
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
      <RoundFacts round={round} docBase={docBase} />

      {round.coverLetter ? (
        <section aria-labelledby="cover-heading">
          <h2 id="cover-heading">{t('consultation.coverLetter')}</h2>
          <p className="cover-letter">{round.coverLetter}</p>
        </section>
      ) : null}
      {round.shortPeriodReason && round.shortPeriod ? (
        <p className="notice notice-warning short-period-note">
          {t('consultation.shortPeriodOpened', { days: round.shortPeriod.days, minimum: round.shortPeriod.minimum })} {t('consultation.shortPeriodReasonWas', { reason: round.shortPeriodReason })}
        </p>
      ) : null}
      {round.attachments.length > 0 || (manager && round.state === 'open') ? (
        <section aria-labelledby="round-files-heading">
          <h2 id="round-files-heading">{t('consultation.attachment.roundFiles')}</h2>
          <AttachmentList items={round.attachments} label={t('consultation.attachment.roundFiles')} canRemove={() => manager && (round.state === 'open' || round.state === 'draft')} />
          {manager && round.state === 'open' ? <AttachmentUpload action={`/api/v1/rounds/${encodeURIComponent(round.id)}/attachments`} label={t('consultation.attachment.toRound')} /> : null}
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

      <RoundSteps slug={slug} round={round} manager={manager} />

      <StatementList round={round} kind={kind} ownCode={ownCode} manager={manager} userId={userId} />

      {round.state === 'closed' && round.actions.respond.allowed ? <ResponsesForm round={round} kind={kind} /> : null}

      <Timeline round={round} />
      </>
      )}
    </Main>
  );
}
