import { splitMentions } from '@sopu/core/rules';
import { useId, useMemo, useState } from 'react';
import { compareText, municipalityName } from '../../format.ts';
import { useT } from '../../hooks.ts';
import type { PersonView, ThreadData } from './types.ts';

type StatusFilter = 'open' | 'resolved' | 'all';

interface Props {
  threads: ThreadData[];
  people: PersonView[];
  myUserId: string;
  sections: Array<{ key: string; number: number; title: string }>;
  onSelect: (thread: ThreadData) => void;
}

function excerpt(thread: ThreadData, people: Map<string, PersonView>): string {
  const first = thread.comments.find((c) => !c.deleted && !c.hidden);
  if (!first) return '';
  const text = splitMentions(first.body)
    .map((p) => ('text' in p ? p.text : `@${people.get(p.mention)?.name ?? '?'}`))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

/**
 * Every thread of the document, filtered: open, resolved or all; only mine (started or commented); by municipality;
 * by section. Resolved threads leave the margin but stay here. Selecting one shows it (and its text).
 */
export function ThreadList({ threads, people, myUserId, sections, onSelect }: Props) {
  const { t, lang } = useT();
  const id = useId();
  const [status, setStatus] = useState<StatusFilter>('open');
  const [mine, setMine] = useState(false);
  const [municipality, setMunicipality] = useState('');
  const [section, setSection] = useState('');
  const byId = useMemo(() => new Map(people.map((p) => [p.id, p])), [people]);
  const sectionOf = useMemo(() => new Map(sections.map((s) => [s.key, s])), [sections]);
  const municipalities = useMemo(() => {
    const found = new Map<string, PersonView['municipalityName']>();
    for (const th of threads) for (const c of th.comments) if (c.author.municipalityCode) found.set(c.author.municipalityCode, c.author.municipalityName);
    return [...found].sort((a, b) => compareText(municipalityName(a[1], lang), municipalityName(b[1], lang), lang));
  }, [threads, lang]);

  const shown = threads
    .filter((th) => status === 'all' || th.status === status)
    .filter((th) => !mine || th.createdBy.id === myUserId || th.comments.some((c) => c.author.id === myUserId))
    .filter((th) => !municipality || th.comments.some((c) => c.author.municipalityCode === municipality))
    .filter((th) => !section || th.section === section)
    .sort((a, b) => (sectionOf.get(a.section)?.number ?? 0) - (sectionOf.get(b.section)?.number ?? 0) || a.createdAt - b.createdAt);

  return (
    <div className="thread-list">
      <fieldset className="thread-list__filters">
        <legend className="visually-hidden">{t('comments.filters')}</legend>
        <label htmlFor={`${id}-status`}>{t('comments.filterStatus')}</label>
        <select id={`${id}-status`} value={status} onChange={(e) => setStatus(e.target.value as StatusFilter)}>
          <option value="open">{t('comments.filterOpen')}</option>
          <option value="resolved">{t('comments.filterResolved')}</option>
          <option value="all">{t('comments.filterAll')}</option>
        </select>
        <label htmlFor={`${id}-municipality`}>{t('comments.filterMunicipality')}</label>
        <select id={`${id}-municipality`} value={municipality} onChange={(e) => setMunicipality(e.target.value)}>
          <option value="">{t('comments.filterAnyMunicipality')}</option>
          {municipalities.map(([code, name]) => (
            <option key={code} value={code}>
              {municipalityName(name, lang)}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-section`}>{t('comments.filterSection')}</label>
        <select id={`${id}-section`} value={section} onChange={(e) => setSection(e.target.value)}>
          <option value="">{t('comments.filterAnySection')}</option>
          {sections.map((s) => (
            <option key={s.key} value={s.key}>
              {s.number}. {s.title}
            </option>
          ))}
        </select>
        <span className="thread-list__mine">
          <input id={`${id}-mine`} type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} />
          <label htmlFor={`${id}-mine`}>{t('comments.filterMine')}</label>
        </span>
      </fieldset>
      <p className="thread-list__count" role="status" aria-live="polite">
        {t('comments.shownCount', { count: shown.length })}
      </p>
      <ul className="thread-list__items">
        {shown.map((th) => {
          const s = sectionOf.get(th.section);
          return (
            <li key={th.id}>
              <button type="button" className="thread-list__item" onClick={() => onSelect(th)} data-thread-id={th.id}>
                <span className="thread-list__where">
                  {s ? `${s.number}. ${s.title}` : th.section}
                  {th.status === 'resolved' ? <span className="badge badge--done">{t('comments.resolved')}</span> : null}
                  {th.anchorLost ? <span className="badge badge--warning">{t('comments.textRemoved')}</span> : null}
                </span>
                {th.quote ? <q className="thread-list__quote" dir="auto">{th.quote}</q> : null}
                <span className="thread-list__excerpt">
                  <bdi>{th.createdBy.name}</bdi> ({municipalityName(th.createdBy.municipalityName, lang)}): <bdi>{excerpt(th, byId)}</bdi>
                </span>
                <span className="thread-list__replies">{t('comments.commentCount', { count: th.comments.length })}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
