import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getArea, openDocument } from '@sopu/core';
import { colourFor, documentTitle, legalFor, promptsFor, templateFor, type DocumentKind, type PresenceIdentity, type SectionMeta, type SectionTemplate } from '@sopu/doc-model';
import { useEffect, useMemo, useState } from 'react';
import editorStyles from '../components/editor/editor.css?url';
import { ConnectionStatus } from '../components/editor/ConnectionStatus.tsx';
import { PresenceList } from '../components/editor/PresenceList.tsx';
import { SectionEditor } from '../components/editor/SectionEditor.tsx';
import { StatusBadge, StatusControl } from '../components/editor/StatusControl.tsx';
import { useCollab, type Collab } from '../components/editor/use-collab.ts';
import { Main } from '../components/main.tsx';
import { orHttpError } from '../errors.server.ts';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';
import { requireActor } from '../session.server.ts';
import type { RouteHandle } from '@sopu/core';

/** Who may call this route (docs/decisions/013-route-access-matrix.md). */
export const handle = { access: { area: 'area.read' } } satisfies RouteHandle;

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireActor(args);
  const slug = args.params.slug ?? '';
  const opened = await orHttpError(args.request, openDocument(args.context.deps.db, actor, slug, args.params.documentId ?? ''));
  const { municipalities } = await orHttpError(args.request, getArea(args.context.deps.db, actor, slug));
  const municipality = municipalities.find((m) => m.id === opened.membership.municipalityId);
  return {
    slug,
    document: { id: opened.document.id, kind: opened.document.kind, title: opened.document.title },
    canEdit: opened.canEdit,
    role: opened.membership.role,
    me: { userId: actor.userId, name: actor.displayName, municipality: municipality?.name ?? { fi: '', sv: '' }, municipalityCode: municipality?.code ?? '' },
  };
}

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: editorStyles }];

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, () => [data?.document.title]);

type Row = { template: SectionTemplate; meta: SectionMeta | undefined };

/** Sections in the document's order; before the first sync, in the template's order. */
function useRows(kind: DocumentKind, sections: SectionMeta[]): Row[] {
  return useMemo(() => {
    const templates = new Map(templateFor(kind).map((s) => [s.key, s]));
    if (sections.length === 0) return [...templates.values()].map((template) => ({ template, meta: undefined }));
    return sections.filter((m) => templates.has(m.key)).map((m) => ({ template: templates.get(m.key)!, meta: m }));
  }, [kind, sections]);
}

export default function DocumentPage() {
  const data = useLoaderData<typeof loader>();
  const { t, lang } = useT();
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  // What this browser says of itself; the server replaces the identity part for everyone else (from the session).
  const me = useMemo<PresenceIdentity>(
    () => ({ ...data.me, role: data.role, colour: colourFor(data.me.userId), readOnly: !data.canEdit }),
    [data.me, data.role, data.canEdit],
  );
  const collab = useCollab(data.document.id, me);
  const rows = useRows(data.document.kind, collab?.sections ?? []);
  const titleOf = (key: string) => rows.find((r) => r.template.key === key)?.template.title[lang] ?? key;
  const editable = data.canEdit && !collab?.ended;
  const kindName = t(`documentKinds.${data.document.kind}`);
  // A document under its kind's default (Finnish) title is named in the reader's language.
  const title = data.document.title === documentTitle(data.document.kind).fi ? kindName : data.document.title;
  const loading = !collab?.loaded && !collab?.ended;

  return (
    <Main wide>
      <div className="document-head">
        <div>
          {kindName !== title ? <p className="document-head__kind">{kindName}</p> : null}
          <h1>{title}</h1>
        </div>
        <ConnectionStatus collab={mounted ? collab : null} />
      </div>
      {!data.canEdit ? (
        <p className="notice notice--info" data-testid="read-only-notice">
          {t('editor.readOnlyNotice', { role: t(`roles.${data.role}`) })}
        </p>
      ) : null}
      {collab?.ended ? (
        <p className="notice notice--error" role="alert">
          {collab.ended === 'session' ? t('editor.connection.sessionEndedLong') : t('editor.connection.accessEndedLong')}{' '}
          {collab.ended === 'session' ? <Link to={`/login?redirectTo=${encodeURIComponent(`/areas/${data.slug}/documents/${data.document.id}`)}`}>{t('editor.loginAgain')}</Link> : null}
        </p>
      ) : null}
      <div className="document-layout">
        <aside className="document-aside">
          <PresenceList presence={collab?.presence ?? []} myUserId={data.me.userId} sectionTitle={titleOf} />
          <nav aria-label={t('editor.sectionNav')} className="section-nav">
            <h2 className="section-nav__heading">{t('editor.sectionNav')}</h2>
            <ol>
              {rows.map(({ template, meta }, i) => {
                const here = (collab?.presence ?? []).filter((p) => p.section === template.key && p.userId !== data.me.userId);
                return (
                  <li key={template.key}>
                    <a href={`#section-${template.key}`}>
                      <span className="section-nav__number">{i + 1}.</span> <span className="section-nav__title" lang={lang === 'en' ? 'en' : lang}>
                        {template.title[lang]}
                      </span>
                    </a>
                    {meta ? <StatusBadge status={meta.status} /> : null}
                    {here.map((p) => (
                      <span key={p.clientId} className="section-nav__dot" style={{ background: p.colour }} title={p.name} role="img" aria-label={t('editor.someoneHere', { name: p.name })} />
                    ))}
                  </li>
                );
              })}
            </ol>
          </nav>
        </aside>
        <div className="document-sections" aria-busy={loading}>
          {loading ? (
            <p className="progress" role="status">
              <span className="spinner" aria-hidden="true" /> {t('editor.loadingDocument')}
            </p>
          ) : null}
          {rows.map((row, i) => (
            <SectionView key={row.template.key} row={row} number={i + 1} collab={mounted ? collab : null} editable={editable} me={me} />
          ))}
        </div>
      </div>
    </Main>
  );
}

function SectionView({ row, number, collab, editable, me }: { row: Row; number: number; collab: Collab | null; editable: boolean; me: PresenceIdentity }) {
  const { t, lang } = useT();
  const { template, meta } = row;
  const headingId = `section-${template.key}-heading`;
  const prompts = promptsFor(template, lang);
  // Labels follow the reader's language; the heading keeps the Finnish title first, as the agreement is written.
  const label = template.title[lang];
  return (
    <section id={`section-${template.key}`} className={`doc-section doc-section--${meta?.status ?? 'drafting'}`} aria-labelledby={headingId} data-section={template.key}>
      <header className="doc-section__header">
        <h2 id={headingId}>
          <span className="doc-section__number">{number}.</span> {template.title.fi}
          {lang === 'sv' ? (
            <span className="doc-section__title-sv" lang="sv">
              {' '}
              / {template.title.sv}
            </span>
          ) : lang === 'en' ? (
            <span className="doc-section__title-sv" lang="en">
              {' '}
              / {template.title.en}
            </span>
          ) : null}
        </h2>
        {meta ? <StatusBadge status={meta.status} /> : null}
      </header>
      {template.legal ? <p className="doc-section__legal">{legalFor(template, lang)}</p> : null}
      {prompts.length > 0 ? (
        <details className="doc-section__hints">
          <summary>{t('editor.hints')}</summary>
          <ul>
            {prompts.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </details>
      ) : null}
      {meta?.status === 'not_applicable' ? (
        <p className="doc-section__reason" data-testid={`reason-${template.key}`}>
          <strong>{t('editor.notApplicableReason')}</strong> {meta.reason}
        </p>
      ) : null}
      {collab && meta && editable ? <StatusControl doc={collab.doc} meta={meta} userId={me.userId} sectionTitle={label} /> : null}
      {collab?.loaded ? (
        <SectionEditor doc={collab.doc} provider={collab.provider} sectionKey={template.key} title={label} editable={editable} me={me} />
      ) : (
        <div className="section-editor section-editor--placeholder" aria-hidden="true" />
      )}
    </section>
  );
}
