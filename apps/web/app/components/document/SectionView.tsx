import { useFetcher } from '@remix-run/react';
import { EMPTY_TEXT, hashTranslationTexts, languageFragmentName, otherLanguage, type DocumentLanguage, type DocumentLanguages, type LocalisedText, type PresenceIdentity, type SectionMeta, type SectionTranslation } from '@sopu/doc-model';
import { lazy, memo, Suspense, useEffect, useRef, useState } from 'react';
import type * as Y from 'yjs';
import { formatDateTime, isolate, municipalityName } from '../../format.ts';
import { useT } from '../../hooks.ts';
import { Composer } from '../comments/LazyComposer.tsx';
import { ThreadCard, useCommentFetcher } from '../comments/ThreadCard.tsx';
import type { PersonView, ThreadData } from '../comments/types.ts';
import { editorChunk, SectionEditor } from '../editor/lazy-editor.tsx';
import type { SectionEditorHandlers } from '../editor/SectionEditor.tsx';
import { StatusBadge, StatusControl } from '../editor/StatusControl.tsx';
import type { Collab } from '../editor/use-collab.ts';

// The change behind a stale translation, shown when asked for: its diff needs the editor's schema.
const TranslationChange = lazy(() => import('./TranslationChange.tsx').then((m) => ({ default: m.TranslationChange })));

type PromptLanguage = 'fi' | 'sv' | 'en';

/** A section as the page shows it: its title, and its guidance and legal basis in each language. */
export interface SectionOutline {
  key: string;
  title: LocalisedText;
  prompts: Record<PromptLanguage, string[]>;
  legal: Record<PromptLanguage, string | null>;
}

/** A new thread being written: on a range of the section's text (anchor and the text it holds), or the whole section; on a bilingual document, in a language column. */
export interface Draft {
  section: string;
  anchor: { from: string; to: string } | null;
  quote: string;
  language: DocumentLanguage | null;
}

interface Props {
  template: SectionOutline;
  meta: SectionMeta | undefined;
  number: number;
  /** The live document once the page has mounted (what of the connection a section needs: not its presence or state). */
  collab: Pick<Collab, 'doc' | 'provider' | 'loaded'> | null;
  /** The section's editor may mount now (the page mounts them in order once synced); until then a loading line. */
  editorShown: boolean;
  editable: boolean;
  /** The person's own choice, or all they may do: typing suggests changes (an agreed section takes only suggestions). */
  suggesting: boolean;
  /** Writes the text (and the status) directly, not only by suggestions. */
  directEdit: boolean;
  canDecide: boolean;
  canOverride: boolean;
  canComment: boolean;
  me: PresenceIdentity;
  threads: ThreadData[];
  people: PersonView[];
  activeThread: string | null;
  draft: Draft | null;
  onDraft: (draft: Draft | null) => void;
  onThreadCreated: (threadId: string) => void;
  onShowInText: (thread: ThreadData) => void;
  /** The editor handlers of one language column (of a document in one language: its only text). */
  handlers: (lang: DocumentLanguage | null) => SectionEditorHandlers;
  /** The language of a document in one language (headings are in it). */
  documentLanguage: DocumentLanguage;
  /** A bilingual document's languages, live; null in one language. */
  languages: DocumentLanguages | null;
  translation: SectionTranslation | undefined;
  /** On a narrow screen one language column at a time: this one. */
  shownLanguage: DocumentLanguage;
  canMarkTranslation: boolean;
}

/** The column a thread is on: its own language, or a bilingual document's main language for a thread from before. */
export const threadLanguage = (thread: Pick<ThreadData, 'language'>, languages: DocumentLanguages | null): DocumentLanguage | null => (languages ? (thread.language ?? languages.main) : null);

/** Where a column's translation stands, in words, with what changed in the other language, and the button that marks it updated. */
function TranslationFlag({ sectionKey, lang, translation, canMark, label, doc }: { sectionKey: string; lang: DocumentLanguage; translation: SectionTranslation; canMark: boolean; label: string; doc: Y.Doc | null }) {
  const { t } = useT();
  const seenRef = useRef<HTMLInputElement>(null);
  // What is marked is the two texts as this page has them when the button is pressed (the flag's copy is read a few
  // times a second): the server waits for the person's own keystrokes still on their way, and refuses other changes.
  const onMark = () => {
    // Reading them needs the editor's schema (its chunk has come: the flag shows only once it has).
    const live = doc ? editorChunk()?.documentTranslations(doc)?.find((s) => s.key === sectionKey) : undefined;
    if (seenRef.current) seenRef.current.value = hashTranslationTexts((live ?? translation).texts);
  };
  const fetcher = useFetcher<{ ok: boolean; errors?: { form?: { key: string } } }>({ key: `mark-${sectionKey}` });
  const state = translation.states[lang];
  const other = otherLanguage(lang);
  const [showChange, setShowChange] = useState(false);
  if (state === 'in_line') return null;
  if (state === 'missing') {
    return (
      <p className="translation-flag translation-flag--missing" data-testid={`translation-${sectionKey}-${lang}`}>
        <strong>{t('bilingual.missing')}</strong> {t(`bilingual.missingExplained.${other}`)}
      </p>
    );
  }
  return (
    <div className="translation-flag translation-flag--stale" data-testid={`translation-${sectionKey}-${lang}`}>
      <p className="translation-flag__text">
        <strong>{t('bilingual.stale')}</strong> {t(`bilingual.staleBecause.${other}`)}
      </p>
      <details className="translation-flag__change" onToggle={(event) => setShowChange(event.currentTarget.open)}>
        <summary>{t('bilingual.showChange')}</summary>
        {showChange ? (
          <Suspense
            fallback={
              <p className="progress" role="status">
                <span className="spinner" aria-hidden="true" /> {t('app.loading')}
              </p>
            }
          >
            <TranslationChange from={translation.mark?.texts[other] ?? EMPTY_TEXT} to={translation.texts[other]} />
          </Suspense>
        ) : null}
      </details>
      {fetcher.data && !fetcher.data.ok ? (
        <p className="field-error" role="alert">
          {t(fetcher.data.errors?.form?.key === 'bilingual.markChanged' ? 'bilingual.markChanged' : 'bilingual.markFailed')}
        </p>
      ) : null}
      {canMark ? (
        <fetcher.Form method="post" className="translation-flag__form" onSubmit={onMark}>
          <input type="hidden" name="intent" value="mark-translation" />
          <input type="hidden" name="section" value={sectionKey} />
          <input ref={seenRef} type="hidden" name="seen" defaultValue="" />
          <button type="submit" className="button button-small" disabled={fetcher.state !== 'idle'} aria-label={`${t('bilingual.markUpdated')}: ${label}`}>
            {fetcher.state !== 'idle' ? t('bilingual.marking') : t('bilingual.markUpdated')}
          </button>
        </fetcher.Form>
      ) : null}
    </div>
  );
}

/**
 * One section of the document: its heading, guidance and status, its text (side by side in both languages of a
 * bilingual document), and beside it its open threads. Drawn again only when its own props change (the page passes
 * stable callbacks): a change of presence or connection, or another section's editor mounting, leaves it alone.
 */
export const SectionView = memo(function SectionView(props: Props) {
  const { template, meta, number, collab, editorShown, editable, suggesting, directEdit, canDecide, canOverride, canComment, me, threads, people, activeThread, draft, onDraft, onThreadCreated, onShowInText, handlers, documentLanguage, languages, translation, shownLanguage, canMarkTranslation } = props;
  const { t, lang } = useT();
  const headingId = `section-${template.key}-heading`;
  const label = template.title[lang];
  const open = threads.filter((th) => th.status === 'open');
  const create = useCommentFetcher(`create-${template.key}`);
  useEffect(() => {
    if (create.fetcher.state === 'idle' && create.fetcher.data?.ok && create.fetcher.data.threadId) {
      onDraft(null);
      onThreadCreated(create.fetcher.data.threadId);
    }
    // Only a new answer of the action matters here.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [create.fetcher.state, create.fetcher.data]);

  const highlights = (column: DocumentLanguage | null) =>
    open.flatMap((th) => (th.anchor && !th.anchorLost && threadLanguage(th, languages) === column ? [{ id: th.id, ...th.anchor }] : []));
  const loadingEditor = (
    <div className="section-editor">
      <p className="section-editor__loading">{t('editor.loadingSection')}</p>
    </div>
  );
  const editor = (column: DocumentLanguage | null, title: string) =>
    collab?.loaded && !editorShown ? (
      loadingEditor
    ) : collab?.loaded ? (
      // The editor's chunk may still be on its way (lazy-editor.tsx): the same loading line as an editor being made.
      <Suspense fallback={loadingEditor}>
      <SectionEditor
        doc={collab.doc}
        provider={collab.provider}
        sectionKey={template.key}
        fragmentName={column ? languageFragmentName(template.key, column, languages) : undefined}
        lang={column ?? undefined}
        title={title}
        editable={editable}
        me={me}
        threads={highlights(column)}
        activeThread={activeThread}
        handlers={handlers(column)}
        suggesting={suggesting || meta?.status === 'agreed'}
        describeSuggestion={(kind, attrs) => {
          const person = people.find((p) => p.id === attrs.author);
          return t(`negotiation.markTitle.${kind}`, { name: person?.name ?? t('editor.someone'), municipality: person ? municipalityName(person.municipalityName, lang) : attrs.municipality, when: formatDateTime(attrs.at, lang) });
        }}
      />
      </Suspense>
    ) : (
      <div className="section-editor section-editor--placeholder" aria-hidden="true" />
    );
  const hints = (prompts: string[], inLang?: DocumentLanguage) =>
    prompts.length > 0 ? (
      <details className="doc-section__hints" lang={inLang}>
        <summary>{t('editor.hints')}</summary>
        <ul>
          {prompts.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      </details>
    ) : null;
  const sectionState = (
    <>
      {meta?.status === 'agreed' ? (
        <p className="doc-section__agreed" data-testid={`agreed-${template.key}`}>
          {t('editor.agreedBy', { name: isolate(people.find((p) => p.id === meta.updatedBy)?.name ?? t('editor.someone')), when: meta.updatedAt ? formatDateTime(meta.updatedAt, lang) : '' })}
        </p>
      ) : null}
      {meta?.status === 'not_applicable' ? (
        <p className="doc-section__reason" data-testid={`reason-${template.key}`}>
          <strong>{t('editor.notApplicableReason')}</strong> {meta.reason}
        </p>
      ) : null}
      {/* With the section's editor: the first sections' forms do not wait for the others' (they come in its order). */}
      {collab && meta && editable && directEdit && editorShown ? <StatusControl doc={collab.doc} meta={meta} userId={me.userId} sectionTitle={label} canDecide={canDecide} canOverride={canOverride} /> : null}
    </>
  );

  // A document in one language: headings in its language (with the reader's beside them), guidance in the reader's.
  const single = () => {
    const other = lang !== documentLanguage && lang !== 'en' ? lang : null;
    return (
      <>
        <header className="doc-section__header">
          <h2 id={headingId}>
            <span className="doc-section__number">{number}.</span> <span lang={documentLanguage}>{template.title[documentLanguage]}</span>
            {other ? (
              <span className="doc-section__title-sv" lang={other}>
                {' '}
                / {template.title[other]}
              </span>
            ) : null}
          </h2>
          {meta ? <StatusBadge status={meta.status} /> : null}
        </header>
        {template.legal[lang] ? <p className="doc-section__legal">{template.legal[lang]}</p> : null}
        {hints(template.prompts[lang])}
        {sectionState}
        {editor(null, label)}
      </>
    );
  };

  // A bilingual document: a column per language, each with its heading and guidance in that language.
  const columns = (both: DocumentLanguages) => (
    <>
      {meta ? (
        <div className="doc-section__status">
          <StatusBadge status={meta.status} />
        </div>
      ) : null}
      {sectionState}
      <div className="doc-section__columns">
        {[both.main, both.parallel].map((column, i) => {
          const title = template.title[column];
          const state = translation?.states[column] ?? 'in_line';
          return (
            <div key={column} className={`doc-section__column${column === shownLanguage ? ' doc-section__column--shown' : ''}`} lang={column} data-lang={column} data-translation={state}>
              <h2 id={i === 0 ? headingId : `${headingId}-${column}`} className="doc-section__column-heading">
                <span className="doc-section__number">{number}.</span> {title} <span className="doc-section__column-language">({t(`bilingual.in.${column}`)})</span>
              </h2>
              {template.legal[column] ? <p className="doc-section__legal">{template.legal[column]}</p> : null}
              {hints(template.prompts[column], column)}
              {translation ? <TranslationFlag sectionKey={template.key} lang={column} translation={translation} canMark={canMarkTranslation} label={title} doc={collab?.doc ?? null} /> : null}
              {editor(column, title)}
            </div>
          );
        })}
      </div>
    </>
  );

  return (
    <section
      id={`section-${template.key}`}
      className={`doc-section doc-section--${meta?.status ?? 'drafting'}${languages ? ' doc-section--bilingual' : ''}`}
      aria-labelledby={headingId}
      data-section={template.key}
    >
      <div className="doc-section__body">{languages ? columns(languages) : single()}</div>
      <aside className="doc-section__margin" aria-label={t('comments.marginLabel', { title: label })}>
        {draft ? (
          <div className="thread thread--draft">
            <h3 className="thread__heading">{draft.quote ? <q className="thread__quote">{draft.quote}</q> : t('comments.wholeSection', { section: label })}</h3>
            {draft.language ? <p className="thread__badges"><span className="badge">{t(`bilingual.column.${draft.language}`)}</span></p> : null}
            <Composer
              people={people}
              label={draft.quote ? t('comments.newOnSelection') : t('comments.newOnSection')}
              submitLabel={t('comments.send')}
              pending={create.pending}
              error={create.error}
              autoFocus
              onCancel={() => onDraft(null)}
              onSubmit={(body) =>
                create.fetcher.submit(
                  {
                    intent: 'create-thread',
                    section: template.key,
                    body,
                    ...(draft.anchor ? { anchorFrom: draft.anchor.from, anchorTo: draft.anchor.to } : {}),
                    ...(draft.language ? { language: draft.language } : {}),
                  },
                  { method: 'post' },
                )
              }
            />
          </div>
        ) : null}
        {open.map((th) => (
          <ThreadCard key={th.id} thread={th} people={people} sectionTitle={label} active={th.id === activeThread} onShowInText={() => onShowInText(th)} />
        ))}
        {canComment && !draft ? (
          <button
            type="button"
            className="button button-secondary button-small doc-section__comment"
            onClick={() => onDraft({ section: template.key, anchor: null, quote: '', language: languages ? shownLanguage : null })}
          >
            {t('comments.commentSection')}
          </button>
        ) : null}
      </aside>
    </section>
  );
});
