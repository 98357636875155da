import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { canVersion, currentContent, listVersions, openDocument, restoreVersion, saveVersion, type RouteHandle } from '@sopu/core';
import { documentTitle } from '@sopu/doc-model';
import { VersionSelect } from '../components/document/VersionSelect.tsx';
import { documentFileItems, Downloads } from '../components/exports/Downloads.tsx';
import { ErrorSummary, Field, SubmitButton } from '../components/form.tsx';
import { Main } from '../components/main.tsx';
import { TableWrap } from '../components/table-wrap.tsx';
import { formFailure, orHttpError } from '../errors.server.ts';
import { formatDateTime } from '../format.ts';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';
import { requireActor } from '../session.server.ts';

/** Who may call this route (docs/decisions/013-route-access-matrix.md): members read; drafters save and restore. */
export const handle = { access: { loader: { area: 'area.read' }, action: { area: 'agreement.edit', own: true } } } satisfies RouteHandle;

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, (t) => [t('versions.title'), data?.document.title]);

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireActor(args);
  const { deps } = args.context;
  const opened = await orHttpError(args.request, openDocument(deps.db, actor, args.params.slug ?? '', args.params.documentId ?? ''));
  const [versions, current] = await Promise.all([orHttpError(args.request, listVersions(deps, actor, opened.document.id)), currentContent(deps.db, opened.document.id)]);
  return {
    slug: opened.area.slug,
    document: { id: opened.document.id, kind: opened.document.kind, title: opened.document.title === documentTitle(opened.document.kind).fi ? null : opened.document.title },
    canVersion: canVersion(opened.membership, opened.document.kind),
    currentHash: current.hash,
    versions,
  };
}

/** Save a named version, or restore one (a new change on top). */
export async function action(args: ActionFunctionArgs) {
  const actor = await requireActor(args);
  const { deps } = args.context;
  const slug = args.params.slug ?? '';
  const opened = await orHttpError(args.request, openDocument(deps.db, actor, slug, args.params.documentId ?? ''));
  const form = await args.request.formData();
  const intent = form.get('intent');
  const label = String(form.get('label') ?? '');
  try {
    if (intent === 'restore') {
      const restored = await restoreVersion(deps, actor, opened.document.id, form.get('number'));
      return redirect(`/areas/${encodeURIComponent(slug)}/documents/${encodeURIComponent(opened.document.id)}/versions?restored=${restored.restoredFrom}`);
    }
    const saved = await saveVersion(deps, actor, opened.document.id, { label });
    return redirect(`/areas/${encodeURIComponent(slug)}/documents/${encodeURIComponent(opened.document.id)}/versions?saved=${saved.number}`);
  } catch (error) {
    return formFailure(error, args.request, { intent: String(intent ?? 'save') }, { forbidden: { key: 'versions.forbidden' }, conflict: { key: 'versions.busy' } }, { values: { label } });
  }
}

const short = (hash: string) => `${hash.slice(0, 8)}…`;

export default function Versions() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, lang } = useT();
  const errors = result && 'errors' in result ? result.errors : undefined;
  const base = `/areas/${data.slug}/documents/${data.document.id}`;
  const title = data.document.title ?? t(`documentKinds.${data.document.kind}`);
  const [params] = useSearchParams();
  const latest = data.versions[0];
  const matching = data.versions.find((v) => v.hash === data.currentHash);

  return (
    <Main>
      <p className="breadcrumb">
        <Link to={base}>← {title}</Link>
      </p>
      <h1>{t('versions.title')}</h1>
      <p className={matching ? 'notice notice-success' : 'notice notice-info'} data-testid="current-vs-versions">
        {matching
          ? t('versions.currentMatches', { number: matching.number, hash: short(matching.hash) })
          : latest
            ? t('versions.currentChanged', { number: latest.number })
            : t('versions.none')}{' '}
        {latest && !matching ? <Link to={`${base}/compare?from=${latest.number}&to=current`}>{t('versions.showChanges', { number: latest.number })}</Link> : null}
      </p>
      {params.get('saved') ? (
        <p className="notice notice-success" role="status">
          {t('versions.saved', { number: params.get('saved') })}
        </p>
      ) : null}
      {params.get('restored') ? (
        <p className="notice notice-success" role="status">
          {t('versions.restored', { number: params.get('restored') })}
        </p>
      ) : null}
      {data.canVersion ? (
        <Form method="post" className="version-save" noValidate>
          <h2>{t('versions.saveHeading')}</h2>
          <ErrorSummary errors={errors} idPrefix="version-" labels={{ label: t('versions.label') }} />
          <input type="hidden" name="intent" value="save" />
          <Field name="label" id="version-label" label={t('versions.label')} hint={t('versions.labelHint')} error={errors?.fields?.label} maxLength={200} required />
          <SubmitButton pending={navigation.state === 'submitting'} pendingLabel={t('versions.saving')}>
            {t('versions.save')}
          </SubmitButton>
        </Form>
      ) : null}
      <h2>{t('versions.historyHeading')}</h2>
      {data.versions.length === 0 ? (
        <p>{t('versions.none')}</p>
      ) : (
        <>
          <Form method="get" action={`${base}/compare`} className="version-compare">
            <VersionSelect id="compare-from" name="from" label={t('versions.compareFrom')} versions={data.versions} defaultValue={String(data.versions[1]?.number ?? data.versions[0]!.number)} withCurrent={false} />
            <VersionSelect id="compare-to" name="to" label={t('versions.compareTo')} versions={data.versions} defaultValue="current" withCurrent />
            <button type="submit" className="button button-secondary">
              {t('versions.compare')}
            </button>
          </Form>
          <TableWrap label={t('versions.tableCaption')}>
            <table className="data-table">
              <caption className="visually-hidden">{t('versions.tableCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('versions.colNumber')}</th>
                  <th scope="col">{t('versions.colLabel')}</th>
                  <th scope="col">{t('versions.colBy')}</th>
                  <th scope="col">{t('versions.colWhen')}</th>
                  <th scope="col">{t('versions.colHash')}</th>
                  <th scope="col">{t('versions.colActions')}</th>
                </tr>
              </thead>
              <tbody>
                {data.versions.map((v) => (
                  <tr key={v.number} data-version={v.number}>
                    <td>{v.number}</td>
                    <td>
                      <Link to={`${base}/versions/${v.number}`}>{v.label}</Link>
                      {v.restoredFrom ? <span className="muted"> ({t('versions.restoredFrom', { number: v.restoredFrom })})</span> : null}
                      {v.hash === data.currentHash ? <span className="badge badge--done">{t('versions.isCurrent')}</span> : null}
                    </td>
                    <td>{v.createdBy ? <bdi>{v.createdBy.name}</bdi> : '–'}</td>
                    <td>{formatDateTime(v.createdAt, lang)}</td>
                    <td>
                      <code title={v.hash}>{short(v.hash)}</code>
                    </td>
                    <td className="actions-cell">
                      <Link to={`${base}/compare?from=${v.number}&to=current`}>{t('versions.compareCurrent')}</Link>
                      <Downloads variant="row" label={t('exports.downloadVersion', { number: v.number })} items={documentFileItems(data.document.id, v.number, t)} />
                      {data.canVersion && v.hash !== data.currentHash ? (
                        <Form
                          method="post"
                          onSubmit={(event) => {
                            if (!window.confirm(t('versions.restoreConfirm', { number: v.number }))) event.preventDefault();
                          }}
                        >
                          <input type="hidden" name="intent" value="restore" />
                          <input type="hidden" name="number" value={v.number} />
                          <button type="submit" className="link-button" aria-label={t('versions.restoreLabel', { number: v.number })}>
                            {t('versions.restore')}
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </Main>
  );
}
