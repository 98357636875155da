import { useFetcher } from '@remix-run/react';
import type { PendingSuggestion } from '@sopu/doc-model';
import { useId } from 'react';
import type * as Y from 'yjs';
import { formatDateTime } from '../../format.ts';
import { useT } from '../../hooks.ts';
import type { PersonView } from '../comments/types.ts';
import { PositionsMatrix } from './PositionsMatrix.tsx';
import { SuggestionAuthor, SuggestionCard } from './SuggestionCard.tsx';
import type { DocumentPageData } from './types.ts';
import { useSuggestions } from './use-suggestions.ts';

type ActionData = { ok: boolean; errors?: { form?: { key: string } } };

/** All of one author's suggestions in a section at once (the host). */
function AuthorDecision({ section, author, count, name }: { section: string; author: string; count: number; name: string }) {
  const { t } = useT();
  const id = useId();
  const fetcher = useFetcher<ActionData>({ key: `author-${section}-${author}` });
  const error = fetcher.state === 'idle' && fetcher.data && !fetcher.data.ok ? t(fetcher.data.errors?.form?.key ?? 'negotiation.failed') : null;
  return (
    <fetcher.Form method="post" className="suggestion-group__decide">
      <input type="hidden" name="section" value={section} />
      <input type="hidden" name="author" value={author} />
      <input type="hidden" name="intent" value="decide-author" />
      <label htmlFor={`${id}-reason`}>{t('negotiation.allOfAuthor', { name, count })}</label>
      <input id={`${id}-reason`} name="reason" maxLength={2000} placeholder={t('negotiation.reasonPlaceholder')} />
      <button type="submit" name="decision" value="accept" className="button button-small" disabled={fetcher.state !== 'idle'}>
        {t('negotiation.acceptAll')}
      </button>
      <button type="submit" name="decision" value="reject" className="button button-small button-secondary" disabled={fetcher.state !== 'idle'}>
        {t('negotiation.rejectAll')}
      </button>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </fetcher.Form>
  );
}

function SectionSuggestions({ section, suggestions, people, canDecide, title }: { section: string; suggestions: PendingSuggestion[]; people: PersonView[]; canDecide: boolean; title: string }) {
  const { t } = useT();
  const authors = [...new Set(suggestions.map((s) => s.author))];
  return (
    <li className="suggestion-group" data-section={section}>
      <h4>
        <a href={`#section-${section}`}>{title}</a> <span className="count">({suggestions.length})</span>
      </h4>
      <ul className="suggestion-list">
        {suggestions.map((s) => (
          <SuggestionCard key={`${s.kind}:${s.id}`} suggestion={s} people={people} canDecide={canDecide} sectionTitle={title} />
        ))}
      </ul>
      {canDecide
        ? authors.map((author) => {
            const mine = suggestions.filter((s) => s.author === author);
            return mine.length > 1 ? <AuthorDecision key={author} section={section} author={author} count={mine.length} name={people.find((p) => p.id === author)?.name ?? t('editor.someone')} /> : null;
          })
        : null}
    </li>
  );
}

/**
 * The negotiation beside the text: pending suggestions by section (live from the shared document), the host's
 * latest decisions with their reasons, and every municipality's position per section.
 */
export function NegotiationPanel({ data, doc, sectionTitle }: { data: DocumentPageData; doc: Y.Doc | null; sectionTitle: (key: string) => string }) {
  const { t, lang } = useT();
  const suggestions = useSuggestions(doc);
  const sections = [...new Set(suggestions.map((s) => s.section))];
  const { negotiation } = data;
  return (
    <section className="negotiation" aria-labelledby="negotiation-heading">
      <h2 id="negotiation-heading">{t('negotiation.heading')}</h2>
      <section className="negotiation__suggestions" aria-labelledby="suggestions-heading">
        <h3 id="suggestions-heading">
          {t('negotiation.pending')} <span className="count">({suggestions.length})</span>
        </h3>
        {suggestions.length === 0 ? (
          <p className="muted">{t('negotiation.nonePending')}</p>
        ) : (
          <ul className="suggestion-groups">
            {sections.map((section) => (
              <SectionSuggestions key={section} section={section} suggestions={suggestions.filter((s) => s.section === section)} people={data.people} canDecide={negotiation.canDecide} title={sectionTitle(section)} />
            ))}
          </ul>
        )}
      </section>
      {negotiation.decisions.length > 0 ? (
        <details className="negotiation__decisions">
          <summary>{t('negotiation.decided', { count: negotiation.decisions.length })}</summary>
          <ul>
            {negotiation.decisions.map((d) => (
              <li key={`${d.suggestionId}:${d.kind}:${d.decidedAt}`}>
                <strong>{t(`negotiation.outcome.${d.decision}`)}</strong> {t(`negotiation.kind.${d.kind}`)} {d.kind === 'insert' ? <ins>{d.text}</ins> : <del>{d.text}</del>} ({sectionTitle(d.section)}) ·{' '}
                {d.author.id ? <SuggestionAuthor suggestion={{ author: d.author.id, municipalityCode: d.municipalityCode, createdAt: d.suggestedAt }} people={data.people} /> : null}
                <br />
                <span className="muted">
                  {t('negotiation.decidedBy', { name: d.decidedBy?.name ?? t('editor.someone'), when: formatDateTime(d.decidedAt, lang) })}
                  {d.reason ? ` — ${d.reason}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <PositionsMatrix data={data} sectionTitle={sectionTitle} />
    </section>
  );
}
