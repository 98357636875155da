import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { approvalsOverview, can, createDocument, getAreaDashboard, listAreaRounds, listChecks, requireAreaAccess } from '@sopu/core';
import { ChecksPanel } from '../components/checks.tsx';
import { DaysLeft, InviteeStatus, RoundState } from '../components/consultation/round.tsx';
import { CreateDocumentForm } from '../components/dashboard/CreateDocumentForm.tsx';
import { documentTitle } from '@sopu/doc-model';
import { Main } from '../components/main.tsx';
import { TableWrap } from '../components/table-wrap.tsx';
import { formFailure, orHttpError } from '../errors.server.ts';
import { areaName, formatDay, formatDeadline, formatNumber, municipalityName } from '../format.ts';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';
import { requireActor } from '../session.server.ts';
import type { RouteHandle } from '@sopu/core';

/** Who may call this route (docs/decisions/013-route-access-matrix.md). */
export const handle = { access: { loader: { area: 'area.read' }, action: { area: 'documents.create' } } } satisfies RouteHandle;

export const meta: MetaFunction = ({ matches, params }) => pageTitle(matches, (_t, ctx) => [ctx.areaName(params.slug)]);

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireActor(args);
  const { deps } = args.context;
  const d = await orHttpError(args.request, getAreaDashboard(deps.db, actor, args.params.slug ?? '', deps.now()));
  const [rounds, approvals, checks] = await Promise.all([
    orHttpError(args.request, listAreaRounds(deps, actor, d.area.slug)),
    // An area without a cooperation agreement has nothing out for approval.
    approvalsOverview(deps, actor, d.area.slug).catch(() => null),
    orHttpError(args.request, listChecks(deps, actor, d.area.slug)),
  ]);
  const host = d.municipalities.find((m) => m.isHost) ?? null;
  const own = d.municipalities.find((m) => m.id === d.membership.municipalityId) ?? null;
  return {
    area: { slug: d.area.slug, name: d.area.name, cooperationModel: d.area.cooperationModel },
    host: host?.name ?? null,
    role: d.membership.role,
    ownMunicipality: own?.name ?? null,
    canManage: can(d.membership, 'members.manage'),
    threshold: d.threshold,
    municipalities: d.municipalities.map((m) => ({ id: m.id, code: m.code, name: m.name, language: m.language, labourForce: m.labourForce, labourForceIsDemo: m.labourForceIsDemo, isHost: m.isHost })),
    members: d.members.map((m) => ({ id: m.membershipId, displayName: m.displayName, role: m.role, municipality: m.municipalityName })),
    // A document still under its kind's default (Finnish) title is named in the reader's language instead.
    documents: d.documents.map((doc) => ({ id: doc.id, kind: doc.kind, title: doc.title === documentTitle(doc.kind).fi ? null : doc.title })),
    // The host's drafts, then open rounds (soonest deadline first), then the three latest finished ones.
    rounds: [...rounds.filter((r) => r.state === 'draft'), ...rounds.filter((r) => r.state === 'open').sort((a, b) => a.deadline - b.deadline), ...rounds.filter((r) => r.state === 'closed' || r.state === 'summary_published').slice(0, 3)],
    approvals: approvals ? { summary: approvals.summary, inForce: approvals.inForce } : null,
    checks,
    milestones: d.milestones,
    keyFacts: d.keyFacts,
  };
}

/** The host admin adds an authority-task agreement or a service plan; it opens straight away. */
export async function action(args: ActionFunctionArgs) {
  const actor = await requireActor(args);
  const slug = args.params.slug ?? '';
  // Authorise before reading the form: whatever they send, an outsider gets 404 and a member without the right 403.
  await orHttpError(args.request, requireAreaAccess(args.context.deps.db, actor.userId, slug, 'documents.create'));
  const form = await args.request.formData();
  const kind = String(form.get('kind') ?? '');
  const title = String(form.get('title') ?? '').trim();
  try {
    const created = await createDocument(args.context.deps, actor, slug, { kind, ...(title ? { title } : {}) });
    return redirect(`/areas/${encodeURIComponent(slug)}/documents/${encodeURIComponent(created.id)}`);
  } catch (error) {
    return formFailure(error, args.request, {}, {}, { values: { kind, title }, selects: ['kind'] });
  }
}

export default function AreaDashboard() {
  const d = useLoaderData<typeof loader>();
  const { t, lang } = useT();
  const base = `/areas/${encodeURIComponent(d.area.slug)}`;
  const th = d.threshold;
  const allDemo = d.municipalities.length > 0 && d.municipalities.every((m) => m.labourForceIsDemo);
  const demoBadge = <span className="badge badge-demo">{t('dashboard.demoFigures')}</span>;

  return (
    <Main wide>
      <h1>{areaName(d.area.name, lang)}</h1>
      <dl className="summary-list">
        <div>
          <dt>{t('dashboard.hostMunicipality')}</dt>
          <dd>{d.host ? municipalityName(d.host, lang) : t('dashboard.noHost')}</dd>
        </div>
        <div>
          <dt>{t('dashboard.cooperationModel')}</dt>
          <dd>{t(`cooperationModels.${d.area.cooperationModel}`, { defaultValue: d.area.cooperationModel })}</dd>
        </div>
        <div>
          <dt>{t('dashboard.yourRole')}</dt>
          <dd>{d.ownMunicipality ? t('home.roleIn', { role: t(`roles.${d.role}`), municipality: municipalityName(d.ownMunicipality, lang) }) : t(`roles.${d.role}`)}</dd>
        </div>
      </dl>

      <div className="dashboard-grid">
        <div className="dashboard-main">
          <section aria-labelledby="documents-heading">
            <h2 id="documents-heading">{t('dashboard.documentsTitle')}</h2>
            {d.documents.length === 0 ? (
              <p>{t('dashboard.noDocuments')}</p>
            ) : (
              <ul className="document-list">
                {d.documents.map((doc) => (
                  <li key={doc.id}>
                    <Link to={`${base}/documents/${encodeURIComponent(doc.id)}`} className="document-link">
                      {doc.title ?? t(`documentKinds.${doc.kind}`)}
                    </Link>
                    {doc.title ? <span className="muted"> ({t(`documentKinds.${doc.kind}`)})</span> : null}
                  </li>
                ))}
              </ul>
            )}
            {d.canManage ? <CreateDocumentForm /> : null}
          </section>

          {d.approvals ? (
            <section aria-labelledby="approvals-heading">
              <h2 id="approvals-heading">{t('approvals.title')}</h2>
              <p className={d.approvals.inForce ? 'notice notice-success' : 'notice notice-info'} data-testid="dashboard-approvals">
                {d.approvals.summary[lang]} <Link to={`${base}/approvals`}>{t('dashboard.approvalsLink')}</Link>
              </p>
            </section>
          ) : null}

          <section aria-labelledby="rounds-heading">
            <h2 id="rounds-heading">{t('consultation.dashboardHeading')}</h2>
            {d.rounds.length === 0 ? (
              <p>{t('consultation.noRounds')}</p>
            ) : (
              <ul className="round-list">
                {d.rounds.map((r) => (
                  <li key={r.id} className="round-list__item" data-round={r.id}>
                    <Link to={`${base}/rounds/${encodeURIComponent(r.id)}`} className="round-list__title">
                      {r.title}
                    </Link>{' '}
                    <RoundState state={r.state} />
                    <p className="round-list__meta">
                      {t('consultation.deadline')}: {formatDeadline(r.deadline, lang)}
                      {r.state === 'open' ? (
                        <>
                          {' · '}
                          <DaysLeft days={r.daysLeft} passed={r.deadlinePassed} />
                        </>
                      ) : null}
                      {r.own ? (
                        <>
                          {' · '}
                          {t('consultation.yourMunicipality', { municipality: municipalityName(r.own.municipality.name, lang) })}: <InviteeStatus status={r.own.status} />
                        </>
                      ) : r.answered !== null ? (
                        <>
                          {' · '}
                          {t('consultation.answeredOf', { answered: r.answered, invited: r.invited })}
                        </>
                      ) : null}
                    </p>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <ChecksPanel checks={d.checks} slug={d.area.slug} />
        </div>
        <aside className="dashboard-aside" aria-label={t('dashboard.asideLabel')}>
          {d.milestones.length > 0 ? (
            <section aria-labelledby="milestones-heading">
              <h2 id="milestones-heading">{t('dashboard.milestones')}</h2>
              <ul className="milestone-list">
                {d.milestones.map((m) => (
                  <li key={m.id} className={m.upcoming ? 'milestone' : 'milestone milestone--past'} data-milestone={m.kind}>
                    <span className="milestone__date">{formatDay(m.date, lang)}</span>
                    <span className="milestone__label">
                      {(lang === 'sv' ? m.label.sv || m.label.fi : m.label.fi || m.label.sv) || t(`settings.milestoneKinds.${m.kind}`)}
                      {m.municipality ? <span className="muted"> · {municipalityName(m.municipality.name, lang)}</span> : null}
                    </span>
                    <span className="milestone__days">
                      {m.approval?.decided ? t('dashboard.councilDecided') : m.daysLeft > 0 ? t('dashboard.daysLeft', { count: m.daysLeft }) : m.daysLeft === 0 ? t('dashboard.today') : t('dashboard.past')}
                    </span>
                    {m.approval ? (
                      <span className="milestone__approval">{t('dashboard.councilApproval', { version: m.approval.version, state: t(`approvals.state.${m.approval.state}`, { defaultValue: m.approval.state }) })}</span>
                    ) : null}
                    {m.warnings.map((w, i) => (
                      <span key={i} className="milestone__warning notice notice-warning">
                        {w.kind === 'after_entry_into_force' ? t('dashboard.meetingAfterEntryIntoForce', { date: formatDay(w.date, lang) }) : t('dashboard.roundDeadlineAfterMeeting', { title: w.title })}
                      </span>
                    ))}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}

          {d.keyFacts.length > 0 ? (
            <section aria-labelledby="facts-heading" className="key-facts">
              <h2 id="facts-heading">{t('dashboard.keyFacts')}</h2>
              <ul>
                {d.keyFacts.map((f, i) => (
                  <li key={i}>{f[lang] || f.fi || f.sv}</li>
                ))}
              </ul>
            </section>
          ) : null}
        </aside>
      </div>

      <section aria-labelledby="labour-heading">
        <h2 id="labour-heading">
          {t('dashboard.labourForceTitle')} {th.usesDemoFigures ? demoBadge : null}
        </h2>
        <p>{t('dashboard.labourForceIntro', { threshold: formatNumber(th.threshold, lang) })}</p>
        <dl className="figures">
          <div>
            <dt>{t('dashboard.labourForceTotal')}</dt>
            <dd>{formatNumber(th.total, lang)}</dd>
          </div>
          <div>
            <dt>{t('dashboard.labourForceThreshold')}</dt>
            <dd>{formatNumber(th.threshold, lang)}</dd>
          </div>
        </dl>
        {th.incomplete ? <p className="muted">{t('dashboard.incomplete')}</p> : null}
        {th.usesDemoFigures ? <p className="muted">{t('dashboard.demoFiguresExplained')}</p> : null}
      </section>

      <section aria-labelledby="municipalities-heading">
        <h2 id="municipalities-heading">{t('dashboard.municipalitiesTitle')}</h2>
        <TableWrap label={t('dashboard.municipalitiesCaption')}>
          <table>
            <caption className="visually-hidden">{t('dashboard.municipalitiesCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.colName')}</th>
                <th scope="col">{t('dashboard.colCode')}</th>
                <th scope="col">{t('dashboard.colLanguage')}</th>
                <th scope="col" className="numeric">
                  {t('dashboard.colLabourForce')} {allDemo ? demoBadge : null}
                </th>
                <th scope="col">{t('dashboard.colHost')}</th>
              </tr>
            </thead>
            <tbody>
              {d.municipalities.map((m) => (
                <tr key={m.id}>
                  <th scope="row">{municipalityName(m.name, lang)}</th>
                  <td>{m.code}</td>
                  <td>{t(`municipalityLanguages.${m.language.replace('-', '_')}`, { defaultValue: m.language })}</td>
                  <td className="numeric">
                    {m.labourForce === null ? t('dashboard.noFigure') : formatNumber(m.labourForce, lang)}
                    {m.labourForceIsDemo && !allDemo ? <> {demoBadge}</> : null}
                  </td>
                  <td>{m.isHost ? <span className="badge badge-host">{t('dashboard.hostMarker')}</span> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>

      <section aria-labelledby="members-heading">
        <h2 id="members-heading">{t('dashboard.membersTitle')}</h2>
        {d.canManage ? (
          <p>
            <Link to={`${base}/members`}>{t('dashboard.manageMembers')}</Link>
          </p>
        ) : null}
        <TableWrap label={t('dashboard.membersCaption')}>
          <table>
            <caption className="visually-hidden">{t('dashboard.membersCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.colMember')}</th>
                <th scope="col">{t('dashboard.colRole')}</th>
                <th scope="col">{t('dashboard.colMunicipality')}</th>
              </tr>
            </thead>
            <tbody>
              {d.members.map((m) => (
                <tr key={m.id}>
                  <th scope="row">
                    <bdi>{m.displayName}</bdi>
                  </th>
                  <td>{t(`roles.${m.role}`)}</td>
                  <td>{municipalityName(m.municipality, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>
    </Main>
  );
}
