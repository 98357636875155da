import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { addDays, can, consultationPeriodOf, createConsultationRound, DomainError, getAreaDashboard, helsinkiDate, requireAreaAccess, listAdoptions, listRounds, listVersions, openConsultationRound, openDocument, recordAdoption, type RouteHandle } from '@sopu/core';
import { documentTitle, templateFor } from '@sopu/doc-model';
import { ErrorSummary, Field, SelectField, SubmitButton, TextAreaField, useSubmitting } from '../components/form.tsx';
import { Main } from '../components/main.tsx';
import { TableWrap } from '../components/table-wrap.tsx';
import { consultationFailure, ROUND_FIELD_CODES, roundInputOf, roundValuesOf } from '../consultation.server.ts';
import { orHttpError } from '../errors.server.ts';
import { formatDateTime, formatDay, formatDeadline, municipalityName, isolate } from '../format.ts';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';
import { requireActor } from '../session.server.ts';
import { DaysLeft, RoundForm, RoundState, type RoundFieldValues } from '../components/consultation/round.tsx';

/**
 * Who may call this route (docs/decisions/013-route-access-matrix.md): members read the rounds and adoptions; the
 * host admin opens rounds and records adoptions.
 */
export const handle = { access: { loader: { area: 'area.read' }, action: { area: 'consultation.manage' } } } satisfies RouteHandle;

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, (t) => [t('consultation.roundsTitle'), data?.document.title]);

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireActor(args);
  const { deps } = args.context;
  const slug = args.params.slug ?? '';
  const opened = await orHttpError(args.request, openDocument(deps.db, actor, slug, args.params.documentId ?? ''));
  const manager = can(opened.membership, 'consultation.manage');
  const [rounds, adoptions, versions, dashboard] = await Promise.all([
    orHttpError(args.request, listRounds(deps, actor, opened.document.id)),
    orHttpError(args.request, listAdoptions(deps, actor, opened.document.id)),
    orHttpError(args.request, listVersions(deps, actor, opened.document.id)),
    manager ? orHttpError(args.request, getAreaDashboard(deps.db, actor, slug)) : Promise.resolve(null),
  ]);
  return {
    slug: opened.area.slug,
    document: { id: opened.document.id, kind: opened.document.kind, title: opened.document.title === documentTitle(opened.document.kind).fi ? null : opened.document.title },
    consultable: opened.document.kind === 'administrative_rules',
    manager,
    rounds,
    adoptions,
    versions: versions.map((v) => ({ number: v.number, label: v.label, hash: v.hash })),
    members: dashboard ? dashboard.municipalities.filter((m) => !m.isHost).map((m) => ({ code: m.code, name: m.name })) : [],
    hostName: dashboard?.municipalities.find((m) => m.isHost)?.name ?? null,
    // A fortnight from today, counted in Helsinki calendar days, as the date input wants it; or the agreement's
    // minimum period (and July, when it does not count) when that is longer.
    minimumPeriod: await consultationPeriodOf(deps.db, opened.area.id),
    now: deps.now(),
    defaultDeadlineDate: addDays(helsinkiDate(args.context.deps.now()), 14),
  };
}

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v : '';
};

/** Open a round, or record the adoption of a consulted version. */
export async function action(args: ActionFunctionArgs) {
  const actor = await requireActor(args);
  const { deps } = args.context;
  const slug = args.params.slug ?? '';
  // Authorise before reading the form: an outsider or another area's document gets 404, a member who does not run
  // rounds 403.
  const opened = await orHttpError(args.request, openDocument(deps.db, actor, slug, args.params.documentId ?? ''));
  await orHttpError(args.request, requireAreaAccess(deps.db, actor.userId, slug, 'consultation.manage'));
  const form = await args.request.formData();
  const intent = text(form, 'intent');
  const base = `/areas/${encodeURIComponent(slug)}/documents/${encodeURIComponent(opened.document.id)}`;
  try {
    if (intent === 'open' || intent === 'draft') {
      const input = roundInputOf(form);
      const round = intent === 'draft' ? await createConsultationRound(deps, actor, opened.document.id, { ...input, draft: true }) : await openConsultationRound(deps, actor, opened.document.id, input);
      return redirect(`/areas/${encodeURIComponent(slug)}/rounds/${encodeURIComponent(round.id)}?${intent === 'draft' ? 'drafted' : 'opened'}=1`);
    }
    if (intent === 'adopt') {
      const adoption = await recordAdoption(deps, actor, opened.document.id, {
        version: Number(text(form, 'version')),
        body: text(form, 'body'),
        date: text(form, 'date'),
        minutesSection: text(form, 'minutesSection'),
      });
      return redirect(`${base}/rounds?adopted=${adoption.version.number}`);
    }
    throw new DomainError('invalid_input', 'unknown intent', { field: 'intent' });
  } catch (error) {
    const values = roundValuesOf(form);
    return consultationFailure(error, args.request, { intent: intent === 'draft' ? 'open' : intent, values }, { values, selects: ['version'], codes: ROUND_FIELD_CODES });
  }
}

function OpenRoundForm() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useT();
  const opening = useSubmitting((f) => f.get('intent') === 'open');
  const drafting = useSubmitting((f) => f.get('intent') === 'draft');
  const mine = result && 'intent' in result && result.intent === 'open';
  const errors = mine && 'errors' in result ? result.errors : undefined;
  const sent = (mine && 'values' in result ? result.values : undefined) as Record<string, string> | undefined;
  const values: RoundFieldValues = {
    version: sent?.version ?? String(data.versions[0]?.number ?? ''),
    title: sent?.title ?? t('consultation.defaultTitle'),
    questions: sent?.questions ?? '',
    deadlineDate: sent?.deadlineDate ?? data.defaultDeadlineDate,
    deadlineTime: sent?.deadlineTime ?? '16:00',
    invited: sent ? (sent.invited ?? '').split(',') : data.members.map((m) => m.code),
    coverLetter: sent?.coverLetter ?? '',
    shortPeriodReason: sent?.shortPeriodReason ?? '',
  };
  return (
    <RoundForm id="open-round-heading" heading={t('consultation.openHeading')} intro={t('consultation.openIntro')} errors={errors} versions={data.versions} members={data.members} hostName={data.hostName} values={values} minimumPeriod={data.minimumPeriod} now={data.now}>
        <SubmitButton name="intent" value="open" pending={opening} pendingLabel={t('consultation.opening')}>
          {t('consultation.open')}
        </SubmitButton>
        <SubmitButton name="intent" value="draft" variant="secondary" pending={drafting} pendingLabel={t('consultation.saving')}>
          {t('consultation.saveDraft')}
        </SubmitButton>
    </RoundForm>
  );
}

function AdoptionForm() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, lang } = useT();
  const submitting = useSubmitting((f) => f.get('intent') === 'adopt');
  const mine = result && 'intent' in result && result.intent === 'adopt';
  const errors = mine && 'errors' in result ? result.errors : undefined;
  const values = (mine && 'values' in result ? result.values : undefined) as Record<string, string> | undefined;
  const labels = { version: t('consultation.adoptVersion'), body: t('consultation.adoptBody'), date: t('consultation.adoptDate'), minutesSection: t('consultation.adoptSection') };
  return (
    <Form method="post" className="round-form" aria-labelledby="adopt-heading" noValidate>
      <h3 id="adopt-heading">{t('consultation.adoptHeading')}</h3>
      <p>{t('consultation.adoptIntro')}</p>
      <ErrorSummary errors={errors} idPrefix="adopt-" labels={labels} />
      <input type="hidden" name="intent" value="adopt" />
      <SelectField name="version" id="adopt-version" label={labels.version} error={errors?.fields?.version} defaultValue={values?.version ?? String(data.rounds[0]?.version.number ?? data.versions[0]?.number ?? '')}>
        {data.versions.map((v) => (
          <option key={v.number} value={v.number}>
            {t('versions.option', { number: v.number, label: v.label })}
          </option>
        ))}
      </SelectField>
      <Field name="body" id="adopt-body" label={labels.body} error={errors?.fields?.body} maxLength={200} defaultValue={values?.body ?? ''} placeholder={t('consultation.defaultBody')} required />
      <Field name="date" id="adopt-date" type="date" className="input input-date" label={labels.date} error={errors?.fields?.date} defaultValue={values?.date ?? ''} required />
      <Field name="minutesSection" id="adopt-minutesSection" label={labels.minutesSection} error={errors?.fields?.minutesSection} maxLength={50} placeholder="§ 45" defaultValue={values?.minutesSection ?? ''} required className="input input-short" />
      <SubmitButton pending={submitting} pendingLabel={t('consultation.recording')}>
        {t('consultation.adopt')}
      </SubmitButton>
    </Form>
  );
}

/** A document's consultation rounds and the adoptions they allowed. */
export default function Rounds() {
  const data = useLoaderData<typeof loader>();
  const { t, lang } = useT();
  const base = `/areas/${data.slug}/documents/${data.document.id}`;
  const title = data.document.title ?? t(`documentKinds.${data.document.kind}`);
  const sectionTitle = new Map(templateFor(data.document.kind).map((s, i) => [s.key, `${i + 1}. ${s.title[lang]}`]));
  const openRound = data.rounds.find((r) => r.state === 'open');
  const [params] = useSearchParams();
  const adopted = params.get('adopted');

  return (
    <Main>
      <p className="breadcrumb">
        <Link to={base}>← {title}</Link> · <Link to={`${base}/versions`}>{t('versions.title')}</Link>
      </p>
      <h1>{t('consultation.roundsTitle')}</h1>
      <p>{t('consultation.roundsIntro')}</p>
      {params.get('discarded') ? (
        <p className="notice notice-success" role="status">
          {t('consultation.discarded')}
        </p>
      ) : null}
      {adopted ? (
        <p className="notice notice-success" role="status">
          {t('consultation.adopted', { version: adopted })}
        </p>
      ) : null}

      {data.rounds.length === 0 ? (
        <p>{t('consultation.noRounds')}</p>
      ) : (
        <TableWrap label={t('consultation.roundsCaption')}>
          <table className="data-table">
            <caption className="visually-hidden">{t('consultation.roundsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('consultation.colRound')}</th>
                <th scope="col">{t('consultation.colVersion')}</th>
                <th scope="col">{t('consultation.colState')}</th>
                <th scope="col">{t('consultation.colDeadline')}</th>
                <th scope="col">{t('consultation.colAnswered')}</th>
              </tr>
            </thead>
            <tbody>
              {data.rounds.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/areas/${data.slug}/rounds/${r.id}`}>{r.title}</Link>
                  </td>
                  <td>
                    <Link to={`${base}/versions/${r.version.number}`}>{t('versions.option', { number: r.version.number, label: r.version.label })}</Link>
                  </td>
                  <td>
                    <RoundState state={r.state} />
                  </td>
                  <td>
                    {formatDeadline(r.deadline, lang)}
                    {r.state === 'open' ? (
                      <>
                        {' '}
                        <DaysLeft days={r.daysLeft} passed={r.deadlinePassed} />
                      </>
                    ) : null}
                  </td>
                  <td>{r.answered === null ? '–' : t('consultation.answeredOf', { answered: r.answered, invited: r.invited })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}

      {data.manager && data.consultable ? (
        openRound ? (
          <p className="notice notice-info">{t('consultation.oneOpen', { title: openRound.title })}</p>
        ) : data.versions.length === 0 ? (
          <p className="notice notice-info">
            {t('consultation.needVersion')} <Link to={`${base}/versions`}>{t('versions.saveHeading')}</Link>
          </p>
        ) : (
          <OpenRoundForm />
        )
      ) : null}

      {data.consultable ? (
        <section aria-labelledby="adoptions-heading" className="adoptions">
          <h2 id="adoptions-heading">{t('consultation.adoptionsHeading')}</h2>
          {data.adoptions.length === 0 ? (
            <p>{t('consultation.noAdoptions')}</p>
          ) : (
            <ul className="adoption-list">
              {data.adoptions.map((a) => (
                <li key={a.id} data-testid="adoption">
                  <strong>{t('consultation.adoptionLine', { body: a.decisionBody, date: formatDay(a.decisionDate, lang), section: a.minutesSection, version: a.version.number })}</strong>{' '}
                  <span className="muted">
                    · <Link to={`/areas/${data.slug}/rounds/${a.round.id}`}>{a.round.title}</Link> · {t('consultation.recordedBy', { who: isolate(a.recordedBy?.name ?? '–'), when: formatDateTime(a.recordedAt, lang) })}
                  </span>
                  {a.changedSinceConsultation ? (
                    <p className="notice notice-warning">
                      {t('consultation.changedSince', { version: a.version.number, sections: a.changedSections.map((k) => sectionTitle.get(k) ?? k).join(', ') })}{' '}
                      <Link to={`${base}/compare?from=${a.version.number}&to=current`}>{t('approvals.showDiff')}</Link>
                    </p>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
          {data.manager ? <AdoptionForm /> : null}
        </section>
      ) : (
        <p className="notice notice-info">{t('consultation.onlyRules')}</p>
      )}
    </Main>
  );
}
