import type { LocalisedText, PresenceIdentity, SectionMeta } from '@sopu/doc-model';
import { useEffect } from 'react';
import { formatDateTime, isolate, municipalityName } from '../../format.ts';
import { useT } from '../../hooks.ts';
import { Composer } from '../comments/Composer.tsx';
import { ThreadCard, useCommentFetcher } from '../comments/ThreadCard.tsx';
import type { PersonView, ThreadData } from '../comments/types.ts';
import { SectionEditor, type SectionEditorHandlers } from '../editor/SectionEditor.tsx';
import { StatusBadge, StatusControl } from '../editor/StatusControl.tsx';
import type { Collab } from '../editor/use-collab.ts';

/** A section as the page shows it: its title, and its guidance and legal basis already in the reader's language. */
export interface SectionOutline {
  key: string;
  title: LocalisedText;
  prompts: string[];
  legal: string | null;
}

/** A new thread being written: on a range of the section's text (anchor and the text it holds), or the whole section. */
export interface Draft {
  section: string;
  anchor: { from: string; to: string } | null;
  quote: string;
}

interface Props {
  template: SectionOutline;
  meta: SectionMeta | undefined;
  number: number;
  collab: Collab | null;
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
  handlers: SectionEditorHandlers;
}

/** One section of the document: its heading, guidance and status, its text, and beside it its open threads. */
export function SectionView({ template, meta, number, collab, editable, suggesting, directEdit, canDecide, canOverride, canComment, me, threads, people, activeThread, draft, onDraft, onThreadCreated, onShowInText, handlers }: Props) {
  const { t, lang } = useT();
  const headingId = `section-${template.key}-heading`;
  const prompts = template.prompts;
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

  return (
    <section id={`section-${template.key}`} className={`doc-section doc-section--${meta?.status ?? 'drafting'}`} aria-labelledby={headingId} data-section={template.key}>
      <div className="doc-section__body">
        <header className="doc-section__header">
          <h2 id={headingId}>
            <span className="doc-section__number">{number}.</span> {template.title.fi}
            {lang !== 'fi' ? (
              <span className="doc-section__title-sv" lang={lang}>
                {' '}
                / {template.title[lang]}
              </span>
            ) : null}
          </h2>
          {meta ? <StatusBadge status={meta.status} /> : null}
        </header>
        {template.legal ? <p className="doc-section__legal">{template.legal}</p> : null}
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
        {collab && meta && editable && directEdit ? <StatusControl doc={collab.doc} meta={meta} userId={me.userId} sectionTitle={label} canDecide={canDecide} canOverride={canOverride} /> : null}
        {collab?.loaded ? (
          <SectionEditor
            doc={collab.doc}
            provider={collab.provider}
            sectionKey={template.key}
            title={label}
            editable={editable}
            me={me}
            threads={open.flatMap((th) => (th.anchor && !th.anchorLost ? [{ id: th.id, ...th.anchor }] : []))}
            activeThread={activeThread}
            handlers={handlers}
            suggesting={suggesting || meta?.status === 'agreed'}
            describeSuggestion={(kind, attrs) => {
              const person = people.find((p) => p.id === attrs.author);
              return t(`negotiation.markTitle.${kind}`, { name: person?.name ?? t('editor.someone'), municipality: person ? municipalityName(person.municipalityName, lang) : attrs.municipality, when: formatDateTime(attrs.at, lang) });
            }}
          />
        ) : (
          <div className="section-editor section-editor--placeholder" aria-hidden="true" />
        )}
      </div>
      <aside className="doc-section__margin" aria-label={t('comments.marginLabel', { title: label })}>
        {draft ? (
          <div className="thread thread--draft">
            <h3 className="thread__heading">{draft.quote ? <q className="thread__quote">{draft.quote}</q> : t('comments.wholeSection', { section: label })}</h3>
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
                  { intent: 'create-thread', section: template.key, body, ...(draft.anchor ? { anchorFrom: draft.anchor.from, anchorTo: draft.anchor.to } : {}) },
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
          <button type="button" className="button button-secondary button-small doc-section__comment" onClick={() => onDraft({ section: template.key, anchor: null, quote: '' })}>
            {t('comments.commentSection')}
          </button>
        ) : null}
      </aside>
    </section>
  );
}
