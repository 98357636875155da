import type { PendingSuggestion } from '@sopu/doc-model';
import { useFetcher } from '@remix-run/react';
import { useId, useState } from 'react';
import { formatDateTime, municipalityName } from '../../format.ts';
import { useT } from '../../hooks.ts';
import type { PersonView } from '../comments/types.ts';

type ActionData = { ok: boolean; intent?: string; errors?: { form?: { key: string } } };

/** Who suggested, from which municipality, when. */
export function SuggestionAuthor({ suggestion, people }: { suggestion: Pick<PendingSuggestion, 'author' | 'municipalityCode' | 'createdAt'>; people: PersonView[] }) {
  const { t, lang } = useT();
  const person = people.find((p) => p.id === suggestion.author);
  return (
    <span className="suggestion-card__meta">
      <bdi>{person?.name ?? t('editor.someone')}</bdi>
      {person ? ` · ${municipalityName(person.municipalityName, lang)}` : ` · ${suggestion.municipalityCode}`} · <time dateTime={new Date(suggestion.createdAt).toISOString()}>{formatDateTime(suggestion.createdAt, lang)}</time>
    </span>
  );
}

/**
 * One pending suggestion in the side list: what it inserts or deletes, by whom, and for the host the decision. The
 * decision carries the text as shown: if the suggestion has changed meanwhile, the server refuses it as stale and
 * the card says so (the list shows the new text at once).
 */
export function SuggestionCard({ suggestion, people, canDecide, sectionTitle }: { suggestion: PendingSuggestion; people: PersonView[]; canDecide: boolean; sectionTitle: string }) {
  const { t } = useT();
  const id = useId();
  const fetcher = useFetcher<ActionData>({ key: `suggestion-${suggestion.id}` });
  const [rejecting, setRejecting] = useState(false);
  const error = fetcher.state === 'idle' && fetcher.data && !fetcher.data.ok ? t(fetcher.data.errors?.form?.key ?? 'negotiation.failed') : null;
  const busy = fetcher.state !== 'idle';
  const label = t(`negotiation.kind.${suggestion.kind}`);
  return (
    <li className={`suggestion-card suggestion-card--${suggestion.kind}`} data-suggestion-id={suggestion.id}>
      <p className="suggestion-card__what">
        <span className="suggestion-card__kind">{label}</span> {suggestion.kind === 'insert' ? <ins>{suggestion.text}</ins> : <del>{suggestion.text}</del>}
      </p>
      <SuggestionAuthor suggestion={suggestion} people={people} />
      {canDecide ? (
        <fetcher.Form method="post" className="suggestion-card__decide" aria-label={t('negotiation.decideLabel', { kind: label, section: sectionTitle })}>
          <input type="hidden" name="suggestionId" value={suggestion.id} />
          <input type="hidden" name="text" value={suggestion.text} />
          {rejecting ? (
            <>
              <label htmlFor={`${id}-reason`}>{t('negotiation.rejectReason')}</label>
              <textarea id={`${id}-reason`} name="reason" required rows={2} maxLength={2000} />
              <button type="submit" name="intent" value="reject-suggestion" className="button button-small" disabled={busy}>
                {t('negotiation.reject')}
              </button>
              <button type="button" className="link-button" onClick={() => setRejecting(false)}>
                {t('negotiation.cancel')}
              </button>
            </>
          ) : (
            <>
              <button type="submit" name="intent" value="accept-suggestion" className="button button-small" disabled={busy}>
                {t('negotiation.accept')}
              </button>
              <button type="button" className="button button-small button-secondary" onClick={() => setRejecting(true)}>
                {t('negotiation.reject')}…
              </button>
            </>
          )}
        </fetcher.Form>
      ) : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </li>
  );
}
