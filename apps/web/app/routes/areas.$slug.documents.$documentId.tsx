import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData, useSearchParams } from '@remix-run/react';
import {
  can, DomainError, getArea, isDomainError, getTranslations, listChecks, listMentionable, listThreads, makeDocumentBilingual, markTranslationUpdated, openDocument,
  type RouteHandle,
} from '@sopu/core';
import { colourFor, documentTitle, legalFor, promptsFor, templateFor, type DocumentLanguage, type PresenceIdentity } from '@sopu/doc-model';
import type { Editor } from '@tiptap/react';
import { memo, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Discussions } from '../components/comments/Discussions.tsx';
import type { ThreadData } from '../components/comments/types.ts';
import { DocumentLinks } from '../components/document/DocumentLinks.tsx';
import { DocumentNotices } from '../components/document/DocumentNotices.tsx';
import { useLiveThreads, useRows } from '../components/document/hooks.ts';
import { SectionNav } from '../components/document/SectionNav.tsx';
import { BilingualPanel, LanguageSwitch } from '../components/document/Bilingual.tsx';
import { SectionView, threadLanguage, type Draft, type SectionOutline } from '../components/document/SectionView.tsx';
import type { SectionEditorHandlers } from '../components/editor/SectionEditor.tsx';
import editorStyles from '../components/editor/editor.css?url';
import { ConnectionStatus } from '../components/editor/ConnectionStatus.tsx';
import { PresenceList } from '../components/editor/PresenceList.tsx';
import { editorChunk, loadEditor, Toolbar } from '../components/editor/lazy-editor.tsx';
import { connectEarly, useCollab } from '../components/editor/use-collab.ts';
import { Main } from '../components/main.tsx';
import { formFailure, orHttpError } from '../errors.server.ts';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';
import { resolveLanguage } from '../i18n.server.ts';
import { requireActor } from '../session.server.ts';
import { isNegotiationIntent, negotiationAction, negotiationData } from '../negotiation.server.ts';
import { commentAction } from '../comments.server.ts';
import { NegotiationPanel as NegotiationPanelEach } from '../components/negotiation/NegotiationPanel.tsx';
import { SuggestToggle } from '../components/negotiation/SuggestToggle.tsx';

/**
 * Who may call this route (docs/decisions/013-route-access-matrix.md): any member reads; the comment forms need
 * comments.write, and some act only on one's own comment (or, to resolve, one's own thread unless a drafter or admin);
 * marking a translation updated needs the right to edit the text, making the document bilingual the host admin's.
 */
export const handle = { access: { loader: { area: 'area.read' }, action: { area: 'comments.write', own: true } } } satisfies RouteHandle;

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireActor(args);
  const slug = args.params.slug ?? '';
  const { deps } = args.context;
  const opened = await orHttpError(args.request, openDocument(deps.db, actor, slug, args.params.documentId ?? ''));
  const [{ municipalities }, threads, people, checks, negotiation, translations] = await orHttpError(
    args.request,
    Promise.all([getArea(deps.db, actor, slug), listThreads(deps, actor, opened.document.id), listMentionable(deps, actor, opened.document.id), listChecks(deps, actor, slug), negotiationData(deps, actor, opened), getTranslations(deps, actor, opened.document.id)]),
  );
  const municipality = municipalities.find((m) => m.id === opened.membership.municipalityId);
  const lang = resolveLanguage(args.request);
  return {
    slug,
    document: { id: opened.document.id, kind: opened.document.kind, title: opened.document.title, defaultTitle: opened.document.title === documentTitle(opened.document.kind).fi },
    // The kind's sections with their guidance: the templates stay on the server (they are the largest part of the
    // document model, and a page needs one kind's). In each language: a bilingual document's columns each have theirs.
    outline: templateFor(opened.document.kind).map(
      (s): SectionOutline => ({
        key: s.key,
        title: s.title,
        prompts: { fi: promptsFor(s, 'fi'), sv: promptsFor(s, 'sv'), en: promptsFor(s, 'en') },
        legal: { fi: legalFor(s, 'fi') ?? null, sv: legalFor(s, 'sv') ?? null, en: legalFor(s, 'en') ?? null },
      }),
    ),
    // The document's language (of a bilingual one, its main one); the languages themselves come live from the document.
    language: translations.language,
    bilingual: translations.languages,
    // Marking a translation updated is for those who edit the text (the use case checks it again).
    canMarkTranslation: opened.canEdit,
    canMakeBilingual: translations.canMakeBilingual,
    canEdit: opened.canEdit,
    canComment: can(opened.membership, 'comments.write'),
    role: opened.membership.role,
    demo: municipalities.some((m) => m.labourForceIsDemo),
    me: { userId: actor.userId, name: actor.displayName, municipality: municipality?.name ?? { fi: '', sv: '' }, municipalityCode: municipality?.code ?? '' },
    threads: threads as ThreadData[],
    people,
    negotiation,
    // Beside an agreement, the checks fixed in it: the area's checks for the cooperation agreement, and each other
    // agreement's own required topics.
    checks: checks.filter((c) => (opened.document.kind === 'cooperation_agreement' ? !c.id.startsWith('required_topics:') || c.id === `required_topics:${opened.document.id}` : c.id === `required_topics:${opened.document.id}`)),
  };
}

/** The comment forms: one use case each; what a person can fix comes back to the form, in words. */
export async function action(args: ActionFunctionArgs) {
  const actor = await requireActor(args);
  const { deps } = args.context;
  const form = await args.request.formData();
  const intent = form.get('intent')?.toString();
  try {
    // The document must be this area's, and the person allowed to comment, whatever the form holds.
    const opened = await openDocument(deps.db, actor, args.params.slug ?? '', args.params.documentId ?? '');
    // Suggestions, positions, agreed sections: their own use cases decide who may (docs/decisions/025).
    if (isNegotiationIntent(intent)) return await negotiationAction(deps, actor, opened.document.id, intent, form, args.request);
    if (!can(opened.membership, 'comments.write')) throw new DomainError('forbidden', 'requires comments.write');
    switch (intent) {
      case 'mark-translation':
        // `seen`: the hash of the two texts the person's page showed, so that exactly those are marked (decision 026).
        await markTranslationUpdated(deps, actor, opened.document.id, { section: form.get('section')?.toString(), seen: form.get('seen')?.toString() || undefined });
        return { ok: true as const, intent, threadId: '' };
      case 'make-bilingual':
        await makeDocumentBilingual(deps, actor, opened.document.id);
        return { ok: true as const, intent, threadId: '' };
    }
    return await commentAction(deps, actor, opened.document.id, intent, form);
  } catch (error) {
    const bilingual = intent === 'mark-translation' || intent === 'make-bilingual';
    const textChanged = isDomainError(error) && error.details.reason === 'text_changed';
    return formFailure(error, args.request, { intent }, {
      invalid_input: { key: bilingual ? 'errors.invalidForm' : 'comments.invalid' },
      forbidden: { key: bilingual ? 'bilingual.forbidden' : 'comments.forbidden' },
      not_found: { key: 'comments.notFound' },
      conflict: { key: textChanged ? 'bilingual.markChanged' : bilingual ? 'bilingual.conflict' : 'comments.conflict' },
    });
  }
}

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: editorStyles }];

// The tab is named as the page's heading: a document under its kind's default title in the reader's language.
export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, (t) => [data && (data.document.defaultTitle ? t(`documentKinds.${data.document.kind}`) : data.document.title)]);

// In the browser the editor's chunk starts loading with the page's own code, beside hydration and the socket's sync:
// the page is drawn without it, and no editor mounts before the document has synced. If it fails here, the editors
// ask for it again when they mount (and an error there reaches the route's error page).
if (typeof document !== 'undefined') loadEditor().catch(() => undefined);
// On a first load of this page (the server drew it: its connection line is there), its socket opens now too, so that
// the document syncs while the page hydrates (useCollab takes the connection over). Reached by a link within the app,
// the page connects as it mounts.
const documentPath = typeof document !== 'undefined' ? /^\/areas\/[^/]+\/documents\/([^/]+)\/?$/.exec(window.location.pathname) : null;
if (documentPath && document.querySelector('[data-testid="connection"]')) connectEarly(decodeURIComponent(documentPath[1]!));

// Drawn again only when their own props change, not on every change of presence or connection (decision 005, first edit).
const NegotiationPanel = memo(NegotiationPanelEach);
const DiscussionsOnce = memo(Discussions);

// Stable empty values, so that what is drawn again only on a change of its props is not drawn again for a new `[]`.
const NO_PRESENCE: NonNullable<ReturnType<typeof useCollab>>['presence'] = [];
const NO_SECTIONS: NonNullable<ReturnType<typeof useCollab>>['sections'] = [];
const NO_THREADS: ThreadData[] = [];

export default function DocumentPage() {
  const data = useLoaderData<typeof loader>();
  const { t, lang } = useT();
  const [params] = useSearchParams();
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  // What this browser says of itself; the server replaces the identity part for everyone else (from the session).
  const me = useMemo<PresenceIdentity>(
    () => ({ ...data.me, role: data.role, colour: colourFor(data.me.userId), readOnly: !data.canEdit }),
    [data.me, data.role, data.canEdit],
  );
  const collab = useCollab(data.document.id, me, useLiveThreads());
  const rows = useRows(data.outline, collab?.sections ?? NO_SECTIONS);
  const titleOf = useCallback((key: string) => rows.find((r) => r.template.key === key)?.template.title[lang] ?? key, [rows, lang]);
  const editable = data.negotiation.writeMode !== 'read' && !collab?.ended;
  const [suggestChosen, setSuggestChosen] = useState(false);
  const suggesting = data.negotiation.writeMode === 'suggest' || suggestChosen;
  const kindName = t(`documentKinds.${data.document.kind}`);
  // A document under its kind's default (Finnish) title is named in the reader's language.
  const title = data.document.defaultTitle ? kindName : data.document.title;
  const loading = !collab?.loaded && !collab?.ended;
  // Once the document has synced, the editors mount in the order of the sections: the first at once, then two more
  // in each following task, so that the first sections are editable without waiting for all the others to be built
  // (each is a Tiptap editor drawing its section's text), and the page stays responsive meanwhile.
  const [editorsAdded, setEditorsAdded] = useState(0);
  const synced = !!collab?.loaded;
  const editorsShown = synced ? 1 + editorsAdded : 0;
  useEffect(() => {
    if (!synced || editorsShown >= rows.length) return;
    const timer = setTimeout(() => setEditorsAdded((n) => n + 2), 0);
    return () => clearTimeout(timer);
  }, [synced, editorsShown, rows.length]);

  // A bilingual document's languages: live from the document once it is loaded (the host may make it bilingual while
  // the page is open), from the server until then.
  const languages = collab?.loaded ? collab.languages : data.bilingual;
  const documentLanguage: DocumentLanguage = data.language;
  const [chosenLanguage, setChosenLanguage] = useState<DocumentLanguage | null>(null);
  const shownLanguage: DocumentLanguage = chosenLanguage ?? (languages && (lang === 'fi' || lang === 'sv') ? lang : (languages?.main ?? documentLanguage));
  const translations = useMemo(() => new Map((collab?.translations ?? []).map((s) => [s.key, s])), [collab?.translations]);
  /** An editor's key: the section's, and a bilingual document's column. */
  const editorKey = (key: string, column: DocumentLanguage | null) => (column ? `${key}:${column}` : key);

  const editors = useRef(new Map<string, Editor>());
  const [focused, setFocused] = useState<{ key: string; lang: DocumentLanguage | null; editor: Editor } | null>(null);
  const [activeThread, setActiveThread] = useState<string | null>(null);
  const [caretThread, setCaretThread] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [listed, setListed] = useState<string | null>(null);
  const [hint, setHint] = useState('');
  const threadsBySection = useMemo(() => {
    const map = new Map<string, ThreadData[]>();
    for (const th of data.threads) map.set(th.section, [...(map.get(th.section) ?? []), th]);
    return map;
  }, [data.threads]);

  /** Shows a thread: its card focused (in the margin, or in the thread list when resolved), its text emphasised. */
  const openThread = useCallback(
    (threadId: string) => {
      const thread = data.threads.find((th) => th.id === threadId);
      if (!thread) return;
      setActiveThread(threadId);
      setListed(thread.status === 'resolved' ? threadId : null);
      requestAnimationFrame(() => {
        const card = document.querySelector<HTMLElement>(`${thread.status === 'resolved' ? '.discussions' : '.doc-section__margin'} [data-thread-id="${threadId}"]`);
        card?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
        card?.focus({ preventScroll: true });
      });
    },
    [data.threads],
  );
  const showInText = (thread: ThreadData) => {
    const column = threadLanguage(thread, languages);
    if (column) setChosenLanguage(column);
    const editor = editors.current.get(editorKey(thread.section, column));
    const chunk = editorChunk();
    if (!thread.anchor || !editor || !chunk || !chunk.selectThreadText(editor, { id: thread.id, ...thread.anchor })) setHint(t('comments.noTextToShow'));
    else setActiveThread(thread.id);
  };
  const startThread = (editor: Editor, key: string, column: DocumentLanguage | null) => {
    // An editor exists only once the editor's chunk has loaded.
    const selected = editorChunk()?.selectionAnchor(editor) ?? null;
    if (selected) {
      setDraft({ section: key, anchor: selected.anchor, quote: selected.quote, language: column });
      setHint('');
    } else if (caretThread) openThread(caretThread);
    else setHint(t('comments.selectTextFirst'));
  };

  // A link to a thread (from a notification) opens it once the page is ready.
  const wanted = params.get('thread');
  useEffect(() => {
    if (wanted && collab?.loaded) openThread(wanted);
    // Once per link.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [wanted, collab?.loaded]);

  const handlersFor = (key: string) => (column: DocumentLanguage | null) => ({
    onFocus: (editor: Editor) => setFocused((current) => (current?.editor === editor ? current : { key, lang: column, editor })),
    onOpenThread: openThread,
    onCaretThread: (id: string | null) => setCaretThread(id),
    onCommentShortcut: (editor: Editor) => startThread(editor, key, column),
    onEditor: (editor: Editor | null) => {
      if (editor) editors.current.set(editorKey(key, column), editor);
      else editors.current.delete(editorKey(key, column));
    },
  });
  const caret = caretThread ? data.threads.find((th) => th.id === caretThread) : undefined;

  // What the sections get is stable from one drawing to the next unless it changed for them: the live document (not
  // the presence or connection state around it), and callbacks that call the newest of the page's handlers.
  const live = useMemo(() => (mounted && collab ? { doc: collab.doc, provider: collab.provider, loaded: collab.loaded } : null), [mounted, collab?.doc, collab?.provider, collab?.loaded]);
  const latest = useRef({ handlersFor, showInText });
  latest.current = { handlersFor, showInText };
  const onShowInText = useCallback((thread: ThreadData) => latest.current.showInText(thread), []);
  const onThreadCreated = useCallback((id: string) => setActiveThread(id), []);
  const handlerSets = useRef(new Map<string, (column: DocumentLanguage | null) => SectionEditorHandlers>());
  const handlersOf = (key: string) => {
    let set = handlerSets.current.get(key);
    if (!set) {
      const byColumn = new Map<string, SectionEditorHandlers>();
      set = (column) => {
        let handlers = byColumn.get(column ?? '');
        if (!handlers) {
          const now = () => latest.current.handlersFor(key)(column);
          handlers = {
            onFocus: (editor) => now().onFocus(editor),
            onOpenThread: (id) => now().onOpenThread(id),
            onCaretThread: (id) => now().onCaretThread(id),
            onCommentShortcut: (editor) => now().onCommentShortcut(editor),
            onEditor: (editor) => now().onEditor(editor),
          };
          byColumn.set(column ?? '', handlers);
        }
        return handlers;
      };
      handlerSets.current.set(key, set);
    }
    return set;
  };

  return (
    <Main wide>
      <div className="document-head">
        <div>
          {kindName !== title ? <p className="document-head__kind">{kindName}</p> : null}
          <h1>{title}</h1>
          <DocumentLinks slug={data.slug} documentId={data.document.id} kind={data.document.kind} languages={languages ? [languages.main, languages.parallel] : null} />
        </div>
        <ConnectionStatus collab={mounted ? collab : null} />
      </div>
      <DocumentNotices data={data} ended={collab?.ended ?? null} />
      <BilingualPanel documentLanguage={documentLanguage} languages={languages} canMake={data.canMakeBilingual && !!collab?.loaded} needsTranslation={(collab?.translations ?? []).filter((s) => s.states.fi !== 'in_line' || s.states.sv !== 'in_line').length} />
      <div className="document-layout">
        <aside className="document-aside">
          <PresenceList presence={collab?.presence ?? []} myUserId={data.me.userId} sectionTitle={titleOf} />
          <SectionNav rows={rows} presence={collab?.presence ?? NO_PRESENCE} myUserId={data.me.userId} threadsBySection={threadsBySection} />
          <DiscussionsOnce
            threads={data.threads}
            people={data.people}
            myUserId={data.me.userId}
            rows={rows}
            listed={listed}
            sectionTitle={titleOf}
            onSelect={openThread}
            onShowInText={onShowInText}
          />
        </aside>
        <div className="document-main">
          <div className="document-toolbar">
            {editable && focused ? (
              <Suspense fallback={<p className="document-toolbar__idle">{t('editor.loadingSection')}</p>}>
                <Toolbar editor={focused.editor} sectionTitle={titleOf(focused.key)} suggesting={suggesting || rows.find((r) => r.template.key === focused.key)?.meta?.status === 'agreed'} />
              </Suspense>
            ) : (
              <p className="document-toolbar__idle">{editable ? t('editor.toolbarIdle') : t('editor.toolbarReadOnly')}</p>
            )}
            {editable ? <SuggestToggle forced={data.negotiation.writeMode === 'suggest'} on={suggesting} onChange={setSuggestChosen} /> : null}
            {data.canComment ? (
              <button
                type="button"
                className="button button-small document-toolbar__comment"
                disabled={!focused}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => focused && startThread(focused.editor, focused.key, focused.lang)}
                aria-keyshortcuts="Control+Alt+M"
              >
                {t('comments.commentSelection')}
              </button>
            ) : null}
            <p className="document-toolbar__status" role="status" aria-live="polite">
              {caret ? (
                <>
                  {t('comments.caretInThread', { quote: caret.quote, count: caret.comments.length })}{' '}
                  <button type="button" className="link-button" onClick={() => openThread(caret.id)}>
                    {t('comments.openThread')}
                  </button>
                </>
              ) : (
                hint
              )}
            </p>
          </div>
          {languages ? <LanguageSwitch languages={languages} shown={shownLanguage} onShow={setChosenLanguage} /> : null}
          <div className={`document-sections${languages ? ` document-sections--bilingual document-sections--show-${shownLanguage}` : ''}`} aria-busy={loading}>
            {loading ? (
              <p className="progress" role="status">
                <span className="spinner" aria-hidden="true" /> {t('editor.loadingDocument')}
              </p>
            ) : null}
            {rows.map((row, i) => (
              <SectionView
                key={row.template.key}
                template={row.template}
                meta={row.meta}
                number={i + 1}
                collab={live}
                editorShown={i < editorsShown}
                editable={editable}
                suggesting={suggesting}
                directEdit={data.negotiation.writeMode === 'edit'}
                canDecide={data.negotiation.canDecide}
                canOverride={data.negotiation.canOverride}
                canComment={data.canComment}
                me={me}
                threads={threadsBySection.get(row.template.key) ?? NO_THREADS}
                people={data.people}
                activeThread={activeThread}
                draft={draft?.section === row.template.key ? draft : null}
                onDraft={setDraft}
                onThreadCreated={onThreadCreated}
                onShowInText={onShowInText}
                handlers={handlersOf(row.template.key)}
                documentLanguage={documentLanguage}
                languages={languages}
                translation={translations.get(row.template.key)}
                shownLanguage={shownLanguage}
                canMarkTranslation={data.canMarkTranslation && editable}
              />
            ))}
          </div>
          <NegotiationPanel data={data} doc={mounted && collab?.loaded ? collab.doc : null} sectionTitle={titleOf} />
        </div>
      </div>
    </Main>
  );
}
