import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import {
  APPROVABLE_KINDS, approvalsOverview, DomainError, isDomainError, issueApprovalToken, listApprovalTokens, listDocuments, listVersions, recordCouncilDecision, requireAreaAccess, revokeApprovalToken, sendForApproval,
  updateEntryIntoForce,
  type RouteHandle,
} from '@sopu/core';
import { documentTitle } from '@sopu/doc-model';
import { useState } from 'react';
import { ErrorSummary } from '../components/form.tsx';
import { useDocumentName } from '../components/document-name.tsx';
import { Main } from '../components/main.tsx';
import { TableWrap } from '../components/table-wrap.tsx';
import { formFailure, orHttpError } from '../errors.server.ts';
import type { Message } from '../form-errors.ts';
import { formatDateTime, formatDay, municipalityName } from '../format.ts';
import { resolveLanguage } from '../i18n.server.ts';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';
import { requireActor } from '../session.server.ts';

/**
 * Who may call this route (docs/decisions/013-route-access-matrix.md): every member reads the matrix; council
 * secretaries record their own municipality's steps; the host admin sends versions, records on behalf, issues tokens.
 */
export const handle = { access: { loader: { area: 'area.read' }, action: { area: 'approvals.record', own: true } } } satisfies RouteHandle;

export const meta: MetaFunction = ({ matches, params }) => pageTitle(matches, (t, ctx) => [t('approvals.title'), ctx.areaName(params.slug)]);

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireActor(args);
  const { deps } = args.context;
  const slug = args.params.slug ?? '';
  const documentId = new URL(args.request.url).searchParams.get('document') ?? undefined;
  const overview = await orHttpError(args.request, approvalsOverview(deps, actor, slug, documentId));
  const [versions, tokens, documents] = await Promise.all([
    overview.canSend ? orHttpError(args.request, listVersions(deps, actor, overview.documentId)) : Promise.resolve([]),
    overview.canManageTokens ? orHttpError(args.request, listApprovalTokens(deps, actor, slug)) : Promise.resolve([]),
    orHttpError(args.request, listDocuments(deps.db, actor, slug)),
  ]);
  // The agreements the councils approve: the cooperation agreement and any 54 § agreements, one matrix each.
  const approvable = documents.filter((d) => (APPROVABLE_KINDS as readonly string[]).includes(d.kind)).map((d) => ({ id: d.id, kind: d.kind, title: d.title === documentTitle(d.kind).fi ? null : d.title }));
  return { slug, overview, versions, tokens, approvable };
}

/**
 * The recording form's reasons for core's field codes: a date before the request was sent names the version and its
 * day (from the issue's params), so that the secretary knows what to check, not just that something is wrong.
 */
function decisionFieldCodes(error: unknown, request: Request): Record<string, Message> {
  const codes: Record<string, Message> = {
    'meetingDate:required': { key: 'validation.required' },
    'decisionDate:required': { key: 'validation.required' },
    'minutesSection:required': { key: 'validation.required' },
    'meetingDate:not_a_date': { key: 'validation.date' },
    'decisionDate:not_a_date': { key: 'validation.date' },
    'meetingDate:too_far_past': { key: 'approvals.fieldError.tooFarPast' },
    'decisionDate:too_far_past': { key: 'approvals.fieldError.tooFarPast' },
    'decisionDate:in_future': { key: 'approvals.fieldError.decisionInFuture' },
    'meetingDate:too_far_future': { key: 'approvals.fieldError.meetingTooFarAhead' },
    'minutesSection:invalid': { key: 'approvals.fieldError.minutesSection' },
    'minutesUrl:invalid': { key: 'approvals.fieldError.minutesUrl' },
    'finalDate:required': { key: 'validation.required' },
    'signedDate:required': { key: 'validation.required' },
    'finalDate:not_a_date': { key: 'validation.date' },
    'signedDate:not_a_date': { key: 'validation.date' },
    'finalDate:in_future': { key: 'approvals.fieldError.laterInFuture' },
    'signedDate:in_future': { key: 'approvals.fieldError.laterInFuture' },
  };
  for (const field of ['meetingDate', 'decisionDate', 'minutesSection', 'minutesUrl']) codes[`${field}:changes_decision`] = { key: 'approvals.fieldError.changesDecision' };
  const lang = resolveLanguage(request);
  const issues = isDomainError(error) && Array.isArray(error.details.issues) ? (error.details.issues as Array<{ path?: string[]; code?: string; params?: { version?: number; sentOn?: string; decisionDate?: string } }>) : [];
  for (const issue of issues) {
    const path = issue.path?.[0];
    if (issue.code === 'before_sent' && (path === 'meetingDate' || path === 'decisionDate')) {
      const key = path === 'meetingDate' ? 'approvals.fieldError.meetingBeforeSent' : 'approvals.fieldError.decisionBeforeSent';
      codes[`${path}:before_sent`] = { key, values: { version: issue.params?.version ?? '', date: formatDay(issue.params?.sentOn, lang) } };
    }
    if (issue.code === 'not_after_decision') codes['finalDate:not_after_decision'] = { key: 'approvals.fieldError.finalNotAfterDecision', values: { date: formatDay(issue.params?.decisionDate, lang) } };
    if (issue.code === 'before_decision') codes['signedDate:before_decision'] = { key: 'approvals.fieldError.signedBeforeDecision', values: { date: formatDay(issue.params?.decisionDate, lang) } };
  }
  return codes;
}

const field = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};

export async function action(args: ActionFunctionArgs) {
  const actor = await requireActor(args);
  const { deps } = args.context;
  const slug = args.params.slug ?? '';
  // Authorise before reading the form: an outsider gets 404, a member who records nothing 403.
  await orHttpError(args.request, requireAreaAccess(deps.db, actor.userId, slug, 'approvals.record'));
  const form = await args.request.formData();
  const intent = field(form, 'intent');
  try {
    switch (intent) {
      case 'send': {
        const documentId = field(form, 'documentId') ?? '';
        const sent = await sendForApproval(deps, actor, documentId, { version: Number(field(form, 'version')) });
        return { ok: true as const, intent, message: { key: 'approvals.sent', values: { version: sent.version } } };
      }
      case 'record': {
        const recorded = await recordCouncilDecision(deps, actor, field(form, 'approvalRequestId') ?? '', {
          municipalityCode: field(form, 'municipalityCode'),
          state: field(form, 'state'),
          meetingDate: field(form, 'meetingDate'),
          decisionDate: field(form, 'decisionDate'),
          minutesSection: field(form, 'minutesSection'),
          minutesUrl: field(form, 'minutesUrl'),
          note: field(form, 'note'),
          finalDate: field(form, 'finalDate'),
          signedDate: field(form, 'signedDate'),
          signatory: field(form, 'signatory'),
        });
        return { ok: true as const, intent, cell: `${field(form, 'approvalRequestId')}:${field(form, 'municipalityCode')}`, message: { key: recorded.recorded ? 'approvals.recorded' : 'approvals.unchanged' } };
      }
      case 'issue-token': {
        const issued = await issueApprovalToken(deps, actor, slug, { municipalityCode: field(form, 'municipalityCode'), label: field(form, 'label') });
        return { ok: true as const, intent, token: issued.token, tokenLabel: issued.label };
      }
      case 'entry-into-force': {
        await updateEntryIntoForce(deps, actor, slug, { date: field(form, 'entryIntoForce') ?? null, documentId: field(form, 'documentId') });
        return { ok: true as const, intent, message: { key: 'approvals.entryIntoForce.saved' } };
      }
      case 'revoke-token':
        await revokeApprovalToken(deps, actor, field(form, 'apiTokenId') ?? '');
        return { ok: true as const, intent, message: { key: 'approvals.tokenRevoked' } };
      default:
        throw new DomainError('invalid_input', 'unknown intent', { field: 'intent' });
    }
  } catch (error) {
    return formFailure(
      error,
      args.request,
      { intent, cell: `${field(form, 'approvalRequestId')}:${field(form, 'municipalityCode')}` },
      { forbidden: { key: 'approvals.forbidden' }, conflict: { key: 'approvals.conflict' }, not_found: { key: 'approvals.notFound' } },
      intent === 'record' ? { codes: decisionFieldCodes(error, args.request) } : intent === 'entry-into-force' ? { codes: { 'date:custom': { key: 'validation.date' } } } : {},
    );
  }
}

type Overview = ReturnType<typeof useLoaderData<typeof loader>>['overview'];
type Decision = Overview['requests'][number]['decisions'][number];

const short = (hash: string) => `${hash.slice(0, 4)}…`;


/** One cell: the council's state, its date and §, and (for who may) the form to record the next step. */
function Cell({ decision, requestId, open, diffHref }: { decision: Decision; requestId: string; open: boolean; diffHref: string }) {
  const { t, lang } = useT();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [recording, setRecording] = useState(false);
  const cellKey = `${requestId}:${decision.municipalityCode}`;
  const mine = result && 'cell' in result && result.cell === cellKey;
  const errors = mine && result && 'errors' in result ? result.errors : undefined;
  const [state, setState] = useState(decision.mayRecord[0] ?? 'scheduled');
  const id = `rec-${requestId.slice(0, 8)}-${decision.municipalityCode}`;
  // Finality and signature go on from an approval: only their own dates are asked (a correction from elsewhere asks all).
  const approvedAlready = decision.state === 'approved' || decision.state === 'final' || decision.state === 'signed';
  const onward = (state === 'final' || state === 'signed') && approvedAlready;
  return (
    <td className={`approval-cell approval-cell--${decision.state}${open ? (decision.coversCurrentText ? '' : ' approval-cell--stale') : ' approval-cell--old'}`} data-municipality={decision.municipalityCode}>
      <span className={`approval-state approval-state--${decision.state}`}>{t(`approvals.state.${decision.state}`)}</span>
      {decision.state === 'scheduled' && decision.meetingDate ? <span className="approval-cell__date">{t('approvals.meeting', { date: formatDay(decision.meetingDate, lang) })}</span> : null}
      {decision.decisionDate ? <span className="approval-cell__date">{formatDay(decision.decisionDate, lang)}</span> : null}
      {decision.minutesSection ? (
        decision.minutesUrl ? (
          <a href={decision.minutesUrl} rel="noopener noreferrer nofollow" className="approval-cell__section">
            {decision.minutesSection}
          </a>
        ) : (
          <span className="approval-cell__section">{decision.minutesSection}</span>
        )
      ) : null}
      {decision.finalDate ? <span className="approval-cell__step">{t('approvals.finalOn', { date: formatDay(decision.finalDate, lang) })}</span> : null}
      {decision.signedDate ? (
        <span className="approval-cell__step">
          {t('approvals.signedOn', { date: formatDay(decision.signedDate, lang) })}
          {decision.signatory ? ` (${decision.signatory})` : ''}
        </span>
      ) : null}
      {decision.recordedVia === 'on_behalf' ? <span className="approval-cell__via">{t('approvals.onBehalf')}</span> : null}
      {decision.recordedVia === 'token' ? <span className="approval-cell__via">{t('approvals.byToken')}</span> : null}
      {open && decision.state === 'approved' && !decision.coversCurrentText ? (
        <Link to={diffHref} className="approval-cell__stale">
          {t('approvals.olderText')}
        </Link>
      ) : null}
      {/* A superseded request: only a council that had it on its agenda still records its decision on that text, and an approval its finality and signature. */}
      {decision.mayRecord.length > 0 && (open || decision.state === 'scheduled' || decision.state === 'approved' || decision.state === 'final') ? (
        recording || errors ? (
          <Form method="post" className="approval-record" aria-label={t('approvals.recordFor', { municipality: municipalityName(decision.municipalityName, lang) })}>
            <ErrorSummary
              errors={errors}
              idPrefix={`${id}-`}
              labels={{
                state: t('approvals.stateLabel'), meetingDate: t('approvals.meetingDate'), decisionDate: t('approvals.decisionDate'), minutesSection: t('approvals.minutesSection'), minutesUrl: t('approvals.minutesUrl'), note: t('approvals.note'),
                finalDate: t('approvals.finalDate'), signedDate: t('approvals.signedDate'), signatory: t('approvals.signatory'),
              }}
            />
            <input type="hidden" name="intent" value="record" />
            <input type="hidden" name="approvalRequestId" value={requestId} />
            <input type="hidden" name="municipalityCode" value={decision.municipalityCode} />
            <label htmlFor={`${id}-state`}>{t('approvals.stateLabel')}</label>
            <select id={`${id}-state`} name="state" value={state} onChange={(e) => setState(e.target.value as typeof state)}>
              {decision.mayRecord.map((s) => (
                <option key={s} value={s}>
                  {t(`approvals.state.${s}`)}
                </option>
              ))}
            </select>
            {state === 'scheduled' ? (
              <>
                <label htmlFor={`${id}-meetingDate`}>{t('approvals.meetingDate')}</label>
                <input id={`${id}-meetingDate`} name="meetingDate" type="date" defaultValue={decision.meetingDate ?? ''} required />
              </>
            ) : onward ? (
              <>
                {/* The approval's own details go on as recorded; the form asks only for this step's. */}
                {state === 'final' ? (
                  <>
                    <label htmlFor={`${id}-finalDate`}>{t('approvals.finalDate')}</label>
                    <input id={`${id}-finalDate`} name="finalDate" type="date" required />
                  </>
                ) : (
                  <>
                    <label htmlFor={`${id}-signedDate`}>{t('approvals.signedDate')}</label>
                    <input id={`${id}-signedDate`} name="signedDate" type="date" required />
                    <label htmlFor={`${id}-signatory`}>{t('approvals.signatory')}</label>
                    <input id={`${id}-signatory`} name="signatory" maxLength={200} />
                  </>
                )}
              </>
            ) : state !== 'pending' ? (
              <>
                <label htmlFor={`${id}-decisionDate`}>{t('approvals.decisionDate')}</label>
                <input id={`${id}-decisionDate`} name="decisionDate" type="date" required />
                <label htmlFor={`${id}-minutesSection`}>{t('approvals.minutesSection')}</label>
                <input id={`${id}-minutesSection`} name="minutesSection" required maxLength={20} placeholder="45 §" />
                <label htmlFor={`${id}-minutesUrl`}>{t('approvals.minutesUrl')}</label>
                <input id={`${id}-minutesUrl`} name="minutesUrl" type="url" maxLength={2000} placeholder="https://" />
              </>
            ) : null}
            <label htmlFor={`${id}-note`}>{t('approvals.note')}</label>
            <textarea id={`${id}-note`} name="note" rows={2} maxLength={2000} />
            <span className="approval-record__actions">
              <button type="submit" className="button button-small" disabled={navigation.state !== 'idle'}>
                {t('approvals.record')}
              </button>
              <button type="button" className="button button-secondary button-small" onClick={() => setRecording(false)}>
                {t('comments.cancel')}
              </button>
            </span>
          </Form>
        ) : (
          <button type="button" className="link-button approval-cell__open" onClick={() => setRecording(true)} aria-label={t('approvals.recordFor', { municipality: municipalityName(decision.municipalityName, lang) })}>
            {t('approvals.record')}
          </button>
        )
      ) : null}
    </td>
  );
}

/**
 * The steps from the councils' approval to the entry into force, each with where it stands: approved by every council
 * (on the last approval's day, or how many so far), the decisions final, the agreement signed (optional), and the
 * entry into force (the date the agreement states, and whether it has come).
 */
function Steps({ overview }: { overview: Overview }) {
  const { t, lang } = useT();
  const total = overview.municipalities.length;
  const a = overview.approvedText;
  const day = (date: string | null | undefined) => formatDay(date, lang);
  const count = (n: number) => t('approvals.steps.count', { count: n, total });
  const rows: Array<{ key: string; label: string; value: string; done: boolean }> = [
    { key: 'approved', label: t('approvals.steps.approved'), value: a ? day(a.approvedOn) : overview.progress ? count(overview.progress.approved.length) : t('approvals.steps.notYet'), done: a !== null },
    { key: 'final', label: t('approvals.steps.final'), value: a?.finalOn ? day(a.finalOn) : a ? count(total - a.notFinal.length) : t('approvals.steps.notYet'), done: Boolean(a?.finalOn) },
    { key: 'signed', label: t('approvals.steps.signed'), value: a?.signedOn ? day(a.signedOn) : a && a.signedCount > 0 ? count(a.signedCount) : t('approvals.steps.notYet'), done: Boolean(a?.signedOn) },
    {
      key: 'in-force',
      label: t('approvals.steps.inForce'),
      value: a?.inForce
        ? t('approvals.steps.inForceFrom', { date: day(a.inForceFrom) })
        : a?.inForceFrom
          ? t('approvals.steps.entersOn', { date: day(a.inForceFrom) })
          : overview.entryIntoForce
            ? t('approvals.steps.statedDate', { date: day(overview.entryIntoForce) })
            : t('approvals.steps.noDate'),
      done: Boolean(a?.inForce),
    },
  ];
  return (
    <section className="approval-steps" aria-labelledby="steps-heading">
      <h2 id="steps-heading">{t('approvals.steps.heading')}</h2>
      <ol data-testid="approval-steps">
        {rows.map((r) => (
          <li key={r.key} className={r.done ? 'approval-step approval-step--done' : 'approval-step'} data-step={r.key}>
            <span className="approval-step__label">{r.label}</span> <span className="approval-step__value">{r.value}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The host admin's form for the date the agreement states for its entry into force (an area setting). */
function EntryIntoForceForm({ overview }: { overview: Overview }) {
  const { t } = useT();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = result && 'errors' in result && result.intent === 'entry-into-force' ? result.errors : undefined;
  return (
    <Form method="post" className="approval-entry-into-force" aria-labelledby="entry-heading">
      <h3 id="entry-heading">{t('approvals.entryIntoForce.heading')}</h3>
      <ErrorSummary errors={errors} idPrefix="entry-" labels={{ date: t('approvals.entryIntoForce.label') }} />
      <input type="hidden" name="intent" value="entry-into-force" />
      <input type="hidden" name="documentId" value={overview.documentId} />
      <label htmlFor="entry-date">{t('approvals.entryIntoForce.label')}</label>
      <p id="entry-date-hint" className="field-hint">
        {t('approvals.entryIntoForce.hint')}
      </p>
      <input id="entry-date" name="entryIntoForce" type="date" defaultValue={overview.entryIntoForce ?? ''} aria-describedby="entry-date-hint" />
      <button type="submit" className="button button-secondary" disabled={navigation.state !== 'idle'}>
        {t('approvals.entryIntoForce.save')}
      </button>
    </Form>
  );
}

export default function Approvals() {
  const { slug, overview, versions, tokens, approvable } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, lang } = useT();
  const docBase = `/areas/${slug}/documents/${overview.documentId}`;
  const documentName = useDocumentName();
  const openRequest = overview.requests.find((r) => r.status === 'open');
  const message = result && 'message' in result ? result.message : null;
  const sendErrors = result && 'errors' in result && result.intent === 'send' ? result.errors : undefined;
  const tokenErrors = result && 'errors' in result && result.intent === 'issue-token' ? result.errors : undefined;

  // The latest version is already out (or every council has decided on it): sending is then the rarer case (another
  // version), folded away.
  const current = overview.requests[0] && overview.requests[0].status !== 'superseded' ? overview.requests[0] : null;
  const latestSent = current && versions[0] && current.version === versions[0].number ? current : null;
  const sendForm = (
    <Form method="post" className="approval-send__form" aria-labelledby="send-heading">
      <ErrorSummary errors={sendErrors} idPrefix="send-" labels={{ version: t('approvals.version') }} />
      <input type="hidden" name="intent" value="send" />
      <input type="hidden" name="documentId" value={overview.documentId} />
      {versions.length === 0 ? (
        <p>
          {t('approvals.noVersions')} <Link to={`${docBase}/versions`}>{t('versions.saveHeading')}</Link>
        </p>
      ) : (
        <>
          <label htmlFor="send-version">{t('approvals.version')}</label>
          <select id="send-version" name="version" defaultValue={String(versions[0]!.number)}>
            {versions.map((v) => (
              <option key={v.number} value={v.number}>
                {t('versions.option', { number: v.number, label: v.label })} ({short(v.hash)})
              </option>
            ))}
          </select>
          {openRequest ? <p className="field-hint">{t('approvals.supersedes', { version: openRequest.version })}</p> : null}
          <button type="submit" className="button" disabled={navigation.state !== 'idle'}>
            {t('approvals.send')}
          </button>
        </>
      )}
    </Form>
  );

  return (
    <Main wide>
      <h1>{t('approvals.title')}</h1>
      {approvable.length > 1 ? (
        <nav className="approval-documents" aria-label={t('approvals.documentsNav')}>
          <ul>
            {approvable.map((d) => (
              <li key={d.id}>
                <Link to={`/areas/${slug}/approvals?document=${d.id}`} aria-current={d.id === overview.documentId ? 'page' : undefined}>
                  {d.title ?? t(`documentKinds.${d.kind}`)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <p className="document-links">
        <Link to={docBase}>{documentName(overview.documentKind, overview.documentTitle)}</Link> · <Link to={`${docBase}/versions`}>{t('versions.title')}</Link>
      </p>
      <p className={overview.inForce ? 'notice notice-success approval-summary' : 'notice approval-summary'} data-testid="approval-summary" role="status">
        {overview.summary[lang]}
      </p>
      <Steps overview={overview} />
      {overview.canSetEntryIntoForce ? <EntryIntoForceForm overview={overview} /> : null}
      {overview.inForce && !overview.currentMatchesInForce ? (
        <p className="notice notice-warning">
          {t('approvals.changedSinceInForce', { version: overview.inForceDetail?.version })}{' '}
          <Link to={`${docBase}/compare?from=${overview.inForceDetail?.version}&to=current`}>{t('approvals.showDiff')}</Link>
        </p>
      ) : null}
      {openRequest && !openRequest.coversCurrentText ? (
        <p className="notice notice-warning" data-testid="open-request-stale">
          {t('approvals.openStale', { version: openRequest.version })} <Link to={`${docBase}/compare?from=${openRequest.version}&to=current`}>{t('approvals.showDiff')}</Link>
        </p>
      ) : null}
      {message ? (
        <p className="notice notice-success" role="status">
          {t(message.key, message.values ?? {})}
        </p>
      ) : null}
      {result && 'token' in result ? (
        <div className="notice notice-warning" role="status">
          <p>{t('approvals.tokenShownOnce', { label: result.tokenLabel })}</p>
          <p>
            <code className="token" data-testid="new-token">
              {result.token}
            </code>
          </p>
        </div>
      ) : null}

      {overview.canSend ? (
        <section className="approval-send" aria-labelledby="send-heading">
          <h2 id="send-heading">{t('approvals.sendHeading')}</h2>
          {latestSent ? (
            <p>
              {t('approvals.latestSent', { version: latestSent.version })} <Link to={`${docBase}/versions`}>{t('versions.title')}</Link>
            </p>
          ) : null}
          {latestSent && !sendErrors ? (
            <details>
              <summary>{t('approvals.sendOther')}</summary>
              {sendForm}
            </details>
          ) : (
            sendForm
          )}
        </section>
      ) : null}

      <h2>{t('approvals.matrixHeading')}</h2>
      {overview.requests.length === 0 ? (
        <p>{t('approvals.nothingSent')}</p>
      ) : (
        <TableWrap label={t('approvals.matrixCaption')}>
          <table className="data-table approval-matrix">
            <caption className="visually-hidden">{t('approvals.matrixCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('approvals.municipality')}</th>
                {overview.requests.map((r) => (
                  <th scope="col" key={r.id} className={r.status === 'superseded' ? 'approval-matrix__old' : undefined}>
                    <Link to={`${docBase}/versions/${r.version}`}>{t('approvals.versionColumn', { version: r.version })}</Link>
                    <span className="approval-matrix__meta">
                      <code title={r.hash}>{short(r.hash)}</code> · {t(`approvals.request.${r.status}`)} · {formatDateTime(r.sentAt, lang)}
                    </span>
                    {!r.coversCurrentText ? (
                      <Link to={`${docBase}/compare?from=${r.version}&to=current`} className="approval-matrix__stale">
                        {t('approvals.olderTextColumn')}
                      </Link>
                    ) : null}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {overview.municipalities.map((m, row) => (
                <tr key={m.code}>
                  <th scope="row">
                    {municipalityName(m.name, lang)}
                    {m.isHost ? <span className="muted"> ({t('approvals.host')})</span> : null}
                  </th>
                  {overview.requests.map((r) => (
                    <Cell key={r.id} decision={r.decisions[row]!} requestId={r.id} open={r.status !== 'superseded'} diffHref={`${docBase}/compare?from=${r.version}&to=current`} />
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}

      {overview.canManageTokens ? (
        <section className="approval-tokens" aria-labelledby="tokens-heading">
          <h2 id="tokens-heading">{t('approvals.tokensHeading')}</h2>
          <p>{t('approvals.tokensIntro')}</p>
          {tokens.length > 0 ? (
            <ul className="token-list">
              {tokens.map((tok) => (
                <li key={tok.id}>
                  <strong>{tok.label}</strong> · {municipalityName(tok.municipalityName, lang)} · {tok.revokedAt ? t('approvals.tokenRevokedAt', { when: formatDateTime(tok.revokedAt, lang) }) : t('approvals.tokenActive')}
                  {!tok.revokedAt ? (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="revoke-token" />
                      <input type="hidden" name="apiTokenId" value={tok.id} />
                      <button type="submit" className="link-button">
                        {t('approvals.revokeToken')}
                      </button>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : null}
          <Form method="post" className="approval-token-form">
            <ErrorSummary errors={tokenErrors} idPrefix="token-" labels={{ municipalityCode: t('approvals.municipality'), label: t('approvals.tokenLabel') }} />
            <input type="hidden" name="intent" value="issue-token" />
            <label htmlFor="token-municipalityCode">{t('approvals.municipality')}</label>
            <select id="token-municipalityCode" name="municipalityCode">
              {overview.municipalities.map((m) => (
                <option key={m.code} value={m.code}>
                  {municipalityName(m.name, lang)}
                </option>
              ))}
            </select>
            <label htmlFor="token-label">{t('approvals.tokenLabel')}</label>
            <input id="token-label" name="label" maxLength={100} required placeholder={t('approvals.tokenLabelExample')} />
            <button type="submit" className="button button-secondary">
              {t('approvals.issueToken')}
            </button>
          </Form>
        </section>
      ) : null}
    </Main>
  );
}
