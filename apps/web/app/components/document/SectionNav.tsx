import type { ThreadData } from '../comments/types.ts';
import { StatusBadge } from '../editor/StatusControl.tsx';
import type { useCollab } from '../editor/use-collab.ts';
import { CommentIcon } from '../icons.tsx';
import { isolate } from '../../format.ts';
import { useT } from '../../hooks.ts';
import type { Row } from './hooks.ts';

type Presence = NonNullable<ReturnType<typeof useCollab>>['presence'];

/** The document's sections in order: each one's status, its open threads, and who else is in it. */
export function SectionNav({ rows, presence, myUserId, threadsBySection }: { rows: Row[]; presence: Presence; myUserId: string; threadsBySection: Map<string, ThreadData[]> }) {
  const { t, lang } = useT();
  return (
    <nav aria-label={t('editor.sectionNav')} className="section-nav">
      <h2 className="section-nav__heading">{t('editor.sectionNav')}</h2>
      <ol>
        {rows.map(({ template, meta }, i) => {
          const here = presence.filter((p) => p.section === template.key && p.userId !== myUserId);
          const open = (threadsBySection.get(template.key) ?? []).filter((th) => th.status === 'open').length;
          return (
            <li key={template.key}>
              <a href={`#section-${template.key}`}>
                <span className="section-nav__number">{i + 1}.</span>{' '}
                <span className="section-nav__title" lang={lang}>
                  {template.title[lang]}
                </span>
              </a>
              {meta ? <StatusBadge status={meta.status} /> : null}
              {open > 0 ? (
                <span className="section-nav__threads" title={t('comments.openInSection', { count: open })}>
                  <CommentIcon /> <span aria-hidden="true">{open}</span>
                  <span className="visually-hidden">{t('comments.openInSection', { count: open })}</span>
                </span>
              ) : null}
              {here.map((p) => (
                <span key={p.clientId} className="section-nav__dot" style={{ background: p.colour }} title={p.name} role="img" aria-label={t('editor.someoneHere', { name: isolate(p.name) })} />
              ))}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
