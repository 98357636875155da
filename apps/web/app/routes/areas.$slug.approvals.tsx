import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import {
  APPROVABLE_KINDS, approvalsOverview, DomainError, issueApprovalToken, listApprovalTokens, listDocuments, listVersions, recordCouncilDecision, requireAreaAccess, revokeApprovalToken, sendForApproval,
  updateEntryIntoForce,
  type RouteHandle,
} from '@sopu/core';
import { documentTitle } from '@sopu/doc-model';
import { ApprovalMatrix } from '../components/approvals/ApprovalMatrix.tsx';
import { ApprovalSteps } from '../components/approvals/ApprovalSteps.tsx';
import { ApprovalTokens } from '../components/approvals/ApprovalTokens.tsx';
import { EntryIntoForceForm } from '../components/approvals/EntryIntoForceForm.tsx';
import { ProposalDownloads } from '../components/approvals/ProposalDownloads.tsx';
import { SendForApproval } from '../components/approvals/SendForApproval.tsx';
import { useDocumentName } from '../components/document-name.tsx';
import { Main } from '../components/main.tsx';
import { decisionFieldCodes, pendingSuggestionsMessage } from '../approvals.server.ts';
import { formFailure, orHttpError } from '../errors.server.ts';
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
        const background = typeof form.get('background') === 'string' ? String(form.get('background')) : undefined;
        const sent = await sendForApproval(deps, actor, documentId, { version: Number(field(form, 'version')), ...(background !== undefined ? { background } : {}) });
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
      { intent, cell: `${field(form, 'approvalRequestId')}:${field(form, 'municipalityCode')}`, ...(intent === 'send' ? { background: String(form.get('background') ?? '') } : {}) },
      { forbidden: { key: 'approvals.forbidden' }, conflict: pendingSuggestionsMessage(error, args.request) ?? { key: 'approvals.conflict' }, not_found: { key: 'approvals.notFound' } },
      intent === 'record' ? { codes: decisionFieldCodes(error, args.request) } : intent === 'entry-into-force' ? { codes: { 'date:custom': { key: 'validation.date' } } } : {},
    );
  }
}

export default function Approvals() {
  const { slug, overview, versions, tokens, approvable } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, lang } = useT();
  const docBase = `/areas/${slug}/documents/${overview.documentId}`;
  const documentName = useDocumentName();
  const openRequest = overview.requests.find((r) => r.status === 'open');
  const message = result && 'message' in result ? result.message : null;
  const sendErrors = result && 'errors' in result && result.intent === 'send' ? result.errors : undefined;
  const tokenErrors = result && 'errors' in result && result.intent === 'issue-token' ? result.errors : undefined;

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
      <ApprovalSteps overview={overview} />
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

      {overview.canSend ? <SendForApproval overview={overview} versions={versions} docBase={docBase} openRequest={openRequest} sendErrors={sendErrors} background={result && 'background' in result ? result.background : undefined} /> : null}

      <ProposalDownloads overview={overview} />

      <ApprovalMatrix overview={overview} docBase={docBase} />

      {overview.canManageTokens ? <ApprovalTokens overview={overview} tokens={tokens} tokenErrors={tokenErrors} /> : null}
    </Main>
  );
}
