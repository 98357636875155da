import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react';
import { compareVersions, listVersions, openDocument, type RouteHandle } from '@sopu/core';
import { documentTitle, templateFor } from '@sopu/doc-model';
import { DiffBlocks } from '../components/document/DiffView.tsx';
import { VersionSelect } from '../components/document/VersionSelect.tsx';
import { StatusBadge } from '../components/editor/StatusControl.tsx';
import editorStyles from '../components/editor/editor.css?url';
import { Main } from '../components/main.tsx';
import { orHttpError } from '../errors.server.ts';
import { formatDateTime } from '../format.ts';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';
import { requireActor } from '../session.server.ts';

/** Who may call this route (docs/decisions/013-route-access-matrix.md): any member compares. */
export const handle = { access: { area: 'area.read' } } satisfies RouteHandle;

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: editorStyles }];

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, (t) => [t('compare.title'), data?.document.title]);

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireActor(args);
  const { deps } = args.context;
  const opened = await orHttpError(args.request, openDocument(deps.db, actor, args.params.slug ?? '', args.params.documentId ?? ''));
  const versions = await orHttpError(args.request, listVersions(deps, actor, opened.document.id));
  const document = { id: opened.document.id, kind: opened.document.kind, title: opened.document.title === documentTitle(opened.document.kind).fi ? null : opened.document.title };
  const base = { slug: opened.area.slug, document, versions: versions.map((v) => ({ number: v.number, label: v.label })) };
  const search = new URL(args.request.url).searchParams;
  // Without parameters: the latest version against the text now (what changed since it was saved).
  const from = search.get('from') ?? (versions[0] ? String(versions[0].number) : null);
  const to = search.get('to') ?? 'current';
  if (from === null) return { ...base, comparison: null };
  const comparison = await orHttpError(args.request, compareVersions(deps, actor, opened.document.id, { from, to }));
  return { ...base, comparison };
}

/** Two versions, or a version and the current text, word by word per section; unchanged sections collapsed. */
export default function Compare() {
  const { slug, document, versions, comparison } = useLoaderData<typeof loader>();
  const { t, lang } = useT();
  const navigation = useNavigation();
  const base = `/areas/${slug}/documents/${document.id}`;
  const titles = new Map(templateFor(document.kind).map((s) => [s.key, s.title]));
  const title = document.title ?? t(`documentKinds.${document.kind}`);
  const sectionTitle = (key: string) => {
    const known = titles.get(key);
    return known ? known[lang] : key;
  };
  const sideName = (side: { number: number | null; label: string | null }) => (side.number === null ? t('compare.current') : t('versions.versionTitle', { number: side.number, label: side.label }));
  const numberOf = new Map(templateFor(document.kind).map((s, i) => [s.key, i + 1]));
  const unchanged = comparison ? comparison.diff.sections.filter((s) => !s.changed) : [];

  return (
    <Main>
      <p className="breadcrumb">
        <Link to={`${base}/versions`}>← {t('versions.title')}</Link> · <Link to={base}>{title}</Link>
      </p>
      <h1>{t('compare.title')}</h1>
      {comparison === null ? (
        <p className="notice notice-info">{t('versions.none')}</p>
      ) : (
        <>
          <Form method="get" className="version-compare" aria-label={t('compare.formLabel')}>
            <VersionSelect id="compare-from" name="from" label={t('versions.compareFrom')} versions={versions} defaultValue={comparison.from.number === null ? 'current' : String(comparison.from.number)} withCurrent />
            <VersionSelect id="compare-to" name="to" label={t('versions.compareTo')} versions={versions} defaultValue={comparison.to.number === null ? 'current' : String(comparison.to.number)} withCurrent />
            <button type="submit" className="button button-secondary">
              {navigation.state === 'loading' ? t('compare.comparing') : t('versions.compare')}
            </button>
          </Form>

          <dl className="compare-sides">
            <div className="compare-side compare-side--from">
              <dt>{t('compare.fromHeading')}</dt>
              <dd>
                <strong className="compare-side__name">{sideName(comparison.from)}</strong>
                <span className="muted">
                  {comparison.from.createdAt !== null ? ` · ${formatDateTime(comparison.from.createdAt, lang)}` : ''} · <code title={comparison.from.hash}>{comparison.from.hash.slice(0, 8)}…</code>
                </span>
              </dd>
            </div>
            <div className="compare-side compare-side--to">
              <dt>{t('compare.toHeading')}</dt>
              <dd>
                <strong className="compare-side__name">{sideName(comparison.to)}</strong>
                <span className="muted">
                  {comparison.to.createdAt !== null ? ` · ${formatDateTime(comparison.to.createdAt, lang)}` : ''} · <code title={comparison.to.hash}>{comparison.to.hash.slice(0, 8)}…</code>
                </span>
              </dd>
            </div>
          </dl>

          <p className={comparison.identical ? 'notice notice-success' : 'notice notice-info'} role="status" data-testid="compare-summary">
            {comparison.identical
              ? t('compare.identical')
              : t('compare.changedSections', {
                  count: comparison.changedSections.length,
                  list: comparison.changedSections.map((key) => numberOf.get(key) ?? key).join(', '),
                })}
          </p>
          {comparison.identical ? null : (
            <p className="compare-legend">
              {t('compare.legend')} <ins>{t('compare.legendInserted')}</ins> <del>{t('compare.legendDeleted')}</del>
            </p>
          )}

          {comparison.diff.sections
            .filter((s) => s.changed)
            .map((section) => (
              <section key={section.key} className="frozen-section diff-section" aria-labelledby={`d-${section.key}`} data-section={section.key}>
                <header className="doc-section__header">
                  <h2 id={`d-${section.key}`}>
                    <span className="doc-section__number">{numberOf.get(section.key) ?? '–'}.</span> {sectionTitle(section.key)}
                  </h2>
                  {section.presence === 'added' ? <span className="badge">{t('compare.sectionAdded')}</span> : null}
                  {section.presence === 'removed' ? <span className="badge">{t('compare.sectionRemoved')}</span> : null}
                </header>
                {section.status && section.status.from && section.status.to ? (
                  <p className="diff-status">
                    {t('compare.statusChanged')} <StatusBadge status={section.status.from} /> → <StatusBadge status={section.status.to} />
                  </p>
                ) : null}
                {section.reason && (section.reason.from || section.reason.to) ? (
                  <p className="doc-section__reason">
                    <strong>{t('editor.notApplicableReason')}</strong> {section.reason.from ? <del>{section.reason.from}</del> : null} {section.reason.to ? <ins>{section.reason.to}</ins> : null}
                  </p>
                ) : null}
                {comparison.languages && section.parallelBlocks ? (
                  // A bilingual document: each language's text compared in its own column (decision 026).
                  <div className="doc-section__columns">
                    {[
                      [comparison.languages[0], section.blocks ?? []],
                      [comparison.languages[1], section.parallelBlocks],
                    ].map(([column, blocks]) => (
                      <div key={column as string} className="doc-section__column doc-section__column--shown" lang={column as string} data-lang={column as string}>
                        <h3 className="doc-section__column-language">{t(`bilingual.column.${column as string}`)}</h3>
                        {(blocks as typeof section.parallelBlocks).some((b) => b.op !== 'equal') ? <DiffBlocks blocks={blocks as typeof section.parallelBlocks} /> : <p className="muted">{t('bilingual.noChangeHere')}</p>}
                      </div>
                    ))}
                  </div>
                ) : section.blocks && section.blocks.length > 0 ? (
                  <DiffBlocks blocks={section.blocks} />
                ) : section.contentChanged ? null : (
                  <p className="muted">{t('compare.textSame')}</p>
                )}
              </section>
            ))}

          {unchanged.length > 0 ? (
            <details className="diff-unchanged">
              <summary>{t('compare.unchangedSections', { count: unchanged.length })}</summary>
              <ul>
                {unchanged.map((s) => (
                  <li key={s.key}>
                    {numberOf.get(s.key) ?? '–'}. {sectionTitle(s.key)}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </>
      )}
    </Main>
  );
}
