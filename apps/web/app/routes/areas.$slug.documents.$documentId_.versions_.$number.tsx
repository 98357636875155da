import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getVersion, openDocument, type RouteHandle } from '@sopu/core';
import { documentTitle, templateFor } from '@sopu/doc-model';
import { ReadOnlyContent } from '../components/document/ReadOnlyContent.tsx';
import { StatusBadge } from '../components/editor/StatusControl.tsx';
import editorStyles from '../components/editor/editor.css?url';
import { documentFileItems, Downloads } from '../components/exports/Downloads.tsx';
import { Main } from '../components/main.tsx';
import { orHttpError } from '../errors.server.ts';
import { formatDateTime, isolate } from '../format.ts';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';
import { requireActor } from '../session.server.ts';

/** Who may call this route (docs/decisions/013-route-access-matrix.md). */
export const handle = { access: { area: 'area.read' } } satisfies RouteHandle;

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: editorStyles }];

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, (t) => [data ? t('versions.versionTitle', { number: data.version.number, label: data.version.label }) : null]);

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireActor(args);
  const { deps } = args.context;
  const opened = await orHttpError(args.request, openDocument(deps.db, actor, args.params.slug ?? '', args.params.documentId ?? ''));
  const version = await orHttpError(args.request, getVersion(deps, actor, opened.document.id, args.params.number));
  return {
    slug: opened.area.slug,
    document: { id: opened.document.id, kind: opened.document.kind, title: opened.document.title === documentTitle(opened.document.kind).fi ? null : opened.document.title },
    version,
  };
}

/** One version, read-only, as it was frozen. */
export default function VersionView() {
  const { slug, document, version } = useLoaderData<typeof loader>();
  const { t, lang } = useT();
  const base = `/areas/${slug}/documents/${document.id}`;
  const titles = new Map(templateFor(document.kind).map((s) => [s.key, s.title]));
  return (
    <Main>
      <p className="breadcrumb">
        <Link to={`${base}/versions`}>← {t('versions.title')}</Link>
      </p>
      <h1>{t('versions.versionTitle', { number: version.number, label: version.label })}</h1>
      <p className="notice notice-info">
        {t('versions.frozen', { who: isolate(version.createdBy?.name ?? '–'), when: formatDateTime(version.createdAt, lang) })} <code title={version.hash}>{version.hash.slice(0, 16)}…</code>{' '}
        <Link to={`${base}/compare?from=${version.number}&to=current`}>{t('versions.compareCurrent')}</Link>
      </p>
      <Downloads
        label={t('exports.downloadVersion', { number: version.number })}
        items={documentFileItems(document.id, version.number, t)}
        hint={t('exports.versionHint')}
      />
      <p className="no-print">
        <Link to={`/areas/${slug}/verify`}>{t('exports.verifyLink')}</Link>
      </p>
      {version.sections.map((section, i) => (
        <section key={section.key} className="frozen-section" aria-labelledby={`v-${section.key}`}>
          <header className="doc-section__header">
            <h2 id={`v-${section.key}`}>
              <span className="doc-section__number">{i + 1}.</span> {titles.get(section.key)?.fi ?? section.key}
              {lang !== 'fi' && titles.get(section.key) ? <span className="doc-section__title-sv"> / {titles.get(section.key)![lang]}</span> : null}
            </h2>
            <StatusBadge status={section.status} />
          </header>
          {section.status === 'not_applicable' ? (
            <p className="doc-section__reason">
              <strong>{t('editor.notApplicableReason')}</strong> {section.reason}
            </p>
          ) : null}
          <ReadOnlyContent content={section.content} />
        </section>
      ))}
    </Main>
  );
}
