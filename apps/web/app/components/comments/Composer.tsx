import { mentionToken } from '@sopu/core/rules';
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { formatNumber, municipalityName } from '../../format.ts';
import { useT } from '../../hooks.ts';
import type { PersonView } from './types.ts';

export const COMMENT_MAX_LENGTH = 10_000;
const MENTION_TOKEN = /<@([0-9a-f-]{36})>/g;

interface Props {
  people: PersonView[];
  label: string;
  submitLabel: string;
  /** A body to edit (mention tokens are shown as @Name). */
  initial?: string;
  pending: boolean;
  error?: string | null;
  onSubmit: (body: string) => void;
  onCancel?: () => void;
  autoFocus?: boolean;
}

const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** The "@query" being typed at the caret, if any: an @ at the start or after whitespace, then up to 40 characters. */
function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at < 0 || (at > 0 && !/\s/.test(before[at - 1]!))) return null;
  const query = before.slice(at + 1);
  if (query.length > 40 || /[\n@<>]/.test(query)) return null;
  return { start: at, query };
}

/**
 * A comment box: plain text, with @-mentions of the area's members (autocomplete by name and municipality, by
 * keyboard: arrows, Enter or Tab, Escape). The text shows "@Name"; what is sent carries the person's token.
 */
export function Composer({ people, label, submitLabel, initial = '', pending, error, onSubmit, onCancel, autoFocus }: Props) {
  const { t, lang } = useT();
  const id = useId();
  const byId = useMemo(() => new Map(people.map((p) => [p.id, p])), [people]);
  // Mentions chosen (or in the body being edited): the "@Name" shown → whose it is.
  const chosen = useRef(new Map<string, string>());
  const [text, setText] = useState(() =>
    initial.replace(MENTION_TOKEN, (token, userId: string) => {
      const person = byId.get(userId);
      if (!person) return token;
      chosen.current.set(`@${person.name}`, userId);
      return `@${person.name}`;
    }),
  );
  const [query, setQuery] = useState<{ start: number; query: string } | null>(null);
  const [active, setActive] = useState(0);
  const textarea = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (autoFocus) textarea.current?.focus();
  }, [autoFocus]);

  const suggestions = useMemo(() => {
    if (!query) return [];
    const q = fold(query.query.trim());
    return people.filter((p) => fold(`${p.name} ${p.municipalityName.fi} ${p.municipalityName.sv}`).includes(q)).slice(0, 8);
  }, [people, query]);
  const open = suggestions.length > 0;
  const length = [...text].length;
  const tooLong = length > COMMENT_MAX_LENGTH;
  const empty = text.trim() === '';

  const caretAfterChoice = useRef<number | null>(null);
  const choose = (person: PersonView) => {
    if (!query) return;
    const shown = `@${person.name}`;
    chosen.current.set(shown, person.id);
    const caret = textarea.current?.selectionStart ?? text.length;
    const next = `${text.slice(0, query.start)}${shown} ${text.slice(caret)}`;
    // The caret goes after the mention as soon as the new text is in the textarea (a layout effect, before the next
    // key is handled): set in a later frame, a key pressed at once landed at the end of the text.
    caretAfterChoice.current = query.start + shown.length + 1;
    setText(next);
    setQuery(null);
  };
  useLayoutEffect(() => {
    const at = caretAfterChoice.current;
    if (at === null) return;
    caretAfterChoice.current = null;
    textarea.current?.setSelectionRange(at, at);
    textarea.current?.focus();
  }, [text]);

  /** The body as sent: each chosen "@Name" that is still in the text becomes that person's token. */
  const body = () => {
    let out = text;
    for (const [shown, userId] of [...chosen.current].sort((a, b) => b[0].length - a[0].length)) out = out.split(shown).join(mentionToken(userId));
    return out.trim();
  };

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        if (!empty && !tooLong && !pending) onSubmit(body());
      }}
    >
      <label htmlFor={`${id}-text`} className="composer__label">
        {label}
      </label>
      <p id={`${id}-hint`} className="composer__hint">
        {t('comments.composerHint')}
      </p>
      <div className="composer__field">
        <textarea
          ref={textarea}
          id={`${id}-text`}
          value={text}
          rows={3}
          aria-describedby={`${id}-hint ${id}-count${error || tooLong ? ` ${id}-error` : ''}`}
          aria-invalid={error || tooLong ? true : undefined}
          aria-autocomplete="list"
          aria-controls={open ? `${id}-suggestions` : undefined}
          aria-activedescendant={open ? `${id}-option-${active}` : undefined}
          onChange={(event) => {
            setText(event.target.value);
            setQuery(mentionQuery(event.target.value, event.target.selectionStart));
            setActive(0);
          }}
          onKeyDown={(event) => {
            if (open) {
              if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
                event.preventDefault();
                setActive((i) => (i + (event.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length);
                return;
              }
              if (event.key === 'Enter' || event.key === 'Tab') {
                event.preventDefault();
                choose(suggestions[active]!);
                return;
              }
              if (event.key === 'Escape') {
                event.preventDefault();
                setQuery(null);
                return;
              }
            }
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              event.currentTarget.form?.requestSubmit();
            }
            if (event.key === 'Escape' && onCancel) onCancel();
          }}
        />
        {open ? (
          <ul id={`${id}-suggestions`} role="listbox" className="composer__suggestions" aria-label={t('comments.mentionSuggestions')}>
            {suggestions.map((p, i) => (
              <li
                key={p.id}
                id={`${id}-option-${i}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'composer__suggestion composer__suggestion--active' : 'composer__suggestion'}
                onMouseDown={(event) => {
                  event.preventDefault();
                  choose(p);
                }}
              >
                <bdi>{p.name}</bdi> <span className="composer__suggestion-meta">{municipalityName(p.municipalityName, lang)}</span>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <p className="visually-hidden" aria-live="polite">
        {open ? t('comments.suggestionCount', { count: suggestions.length }) : ''}
      </p>
      <div className="composer__footer">
        <span id={`${id}-count`} className={tooLong ? 'composer__count composer__count--over' : 'composer__count'}>
          {t('comments.characterCount', { count: length, max: formatNumber(COMMENT_MAX_LENGTH, lang) })}
        </span>
        <span className="composer__actions">
          {onCancel ? (
            <button type="button" className="button button-secondary button-small" onClick={onCancel}>
              {t('comments.cancel')}
            </button>
          ) : null}
          <button type="submit" className="button button-small" disabled={pending || empty || tooLong} aria-disabled={pending || empty || tooLong}>
            {pending ? t('comments.sending') : submitLabel}
          </button>
        </span>
      </div>
      {tooLong ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {t('comments.tooLong', { max: formatNumber(COMMENT_MAX_LENGTH, lang) })}
        </p>
      ) : error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
