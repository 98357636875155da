import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { listAuditLog } from '@sopu/core';
import type { TFunction } from 'i18next';
import { Main } from '../components/main.tsx';
import { TableWrap } from '../components/table-wrap.tsx';
import { orHttpError } from '../errors.server.ts';
import { formatDateTime } from '../format.ts';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';
import { requireActor } from '../session.server.ts';
import type { RouteHandle } from '@sopu/core';

/** Who may call this route (docs/decisions/013-route-access-matrix.md). */
export const handle = { access: { area: 'audit.read' } } satisfies RouteHandle;

export const meta: MetaFunction = ({ matches, params }) => pageTitle(matches, (t, ctx) => [t('audit.title'), ctx.areaName(params.slug)]);

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireActor(args);
  const before = new URL(args.request.url).searchParams.get('before');
  if (before !== null && !/^[1-9]\d{0,15}$/.test(before)) throw data({ code: 'invalid_input' }, { status: 400 });
  const page = await orHttpError(args.request, listAuditLog(args.context.deps, actor, args.params.slug ?? '', { beforeSeq: before === null ? undefined : Number(before) }));
  return {
    paged: before !== null,
    nextBeforeSeq: page.nextBeforeSeq,
    problem: page.problem,
    events: page.events.map((e) => ({ id: e.id, seq: e.seq, actorName: e.actorName, action: e.action, subjectType: e.subjectType, subjectId: e.subjectId, details: e.details, createdAt: e.createdAt })),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id shortened for reading, the whole of it on hover and for screen readers' "title". */
function ShortId({ id }: { id: string }) {
  return <code title={id}>{id.slice(0, 8)}</code>;
}

/** Detail values that are codes we know are shown in words (roles, document kinds); ids short; the rest as they are. */
function DetailValue({ t, name, value }: { t: TFunction; name: string; value: unknown }) {
  if (typeof value === 'string' && UUID.test(value)) return <ShortId id={value} />;
  return <>{detailValue(t, name, value)}</>;
}

function detailValue(t: TFunction, key: string, value: unknown): string {
  if (typeof value === 'string') {
    if (['role', 'from', 'to'].includes(key)) return t(`roles.${value}`, { defaultValue: value });
    if (key === 'kind') return t(`documentKinds.${value}`, { defaultValue: value });
    if (key === 'status') return t(`editor.status.${value}`, { defaultValue: value });
    return value;
  }
  return JSON.stringify(value);
}

export default function AuditLog() {
  const d = useLoaderData<typeof loader>();
  const { t, lang } = useT();
  return (
    <Main>
      <h1>{t('audit.title')}</h1>
      <p>{t('audit.intro')}</p>
      {d.problem === null ? (
        <p className="notice notice-success">{t('audit.chainIntact')}</p>
      ) : (
        <p className="notice notice-error" role="alert">
          {t(`audit.chainProblem.${d.problem.kind}`, { seq: d.problem.seq })} {t('audit.chainProblemAdvice')}
        </p>
      )}
      {d.events.length === 0 ? (
        <p>{t('audit.empty')}</p>
      ) : (
        <TableWrap label={t('audit.tableCaption')}>
          <table className="audit-table">
            <caption className="visually-hidden">{t('audit.tableCaption')}</caption>
            <thead>
              <tr>
                <th scope="col" className="numeric">
                  {t('audit.colSeq')}
                </th>
                <th scope="col">{t('audit.colTime')}</th>
                <th scope="col">{t('audit.colActor')}</th>
                <th scope="col">{t('audit.colAction')}</th>
                <th scope="col">{t('audit.colSubject')}</th>
                <th scope="col">{t('audit.colDetails')}</th>
              </tr>
            </thead>
            <tbody>
              {d.events.map((e) => {
                const details = Object.entries(e.details);
                return (
                  <tr key={e.id} className={d.problem?.seq === e.seq ? 'row-error' : undefined}>
                    <th scope="row" className="numeric">
                      {e.seq}
                    </th>
                    <td className="nowrap">{formatDateTime(e.createdAt, lang)}</td>
                    <td>{e.actorName !== null ? <bdi>{e.actorName}</bdi> : t('audit.system')}</td>
                    <td>{t(`audit.actions.${e.action.replaceAll('.', '_')}`, { defaultValue: e.action })}</td>
                    <td>
                      {t(`audit.subjectTypes.${e.subjectType}`, { defaultValue: e.subjectType })}
                      {e.subjectId ? (
                        <>
                          {' '}
                          <ShortId id={e.subjectId} />
                        </>
                      ) : null}
                    </td>
                    <td>
                      {details.length > 0 ? (
                        <dl className="details-list">
                          {details.map(([key, value]) => (
                            <div key={key}>
                              <dt>{key}</dt>
                              <dd>
                                <DetailValue t={t} name={key} value={value} />
                              </dd>
                            </div>
                          ))}
                        </dl>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      )}
      {d.paged || d.nextBeforeSeq !== null ? (
        <nav className="pagination" aria-label={t('audit.pagination')}>
          {d.paged ? <Link to=".">{t('audit.newest')}</Link> : null}
          {d.nextBeforeSeq !== null ? <Link to={`?before=${d.nextBeforeSeq}`}>{t('audit.older')}</Link> : null}
        </nav>
      ) : null}
    </Main>
  );
}
