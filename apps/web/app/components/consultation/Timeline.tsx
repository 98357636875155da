import { municipalityName, formatDateTime, isolate } from '../../format.ts';
import { useT } from '../../hooks.ts';
import type { Round } from './types.ts';

export function Timeline({ round }: { round: Round }) {
  const { t, lang } = useT();
  const line = (e: Round['timeline'][number]): string => {
    switch (e.kind) {
      case 'opened':
        return t('consultation.timeline.opened', { who: isolate(e.by?.name ?? '–') });
      case 'statement_submitted':
      case 'statement_amended':
        return t(`consultation.timeline.${e.kind}${e.onBehalf ? '_onBehalf' : ''}`, { municipality: municipalityName(e.municipality.name, lang), who: e.by?.name ?? '–', revision: e.revision });
      case 'reminded':
        return t('consultation.timeline.reminded', { municipalities: e.municipalities.map((m) => municipalityName(m.name, lang)).join(', ') });
      case 'deadline':
        return t(e.passed ? 'consultation.timeline.deadlinePassed' : 'consultation.timeline.deadline');
      case 'closed':
        return e.noAnswer.length > 0 ? t('consultation.timeline.closedNoAnswer', { who: isolate(e.by?.name ?? '–'), municipalities: e.noAnswer.map((m) => municipalityName(m.name, lang)).join(', ') }) : t('consultation.timeline.closed', { who: isolate(e.by?.name ?? '–') });
      case 'summary_published':
        return t('consultation.timeline.published', { who: isolate(e.by?.name ?? '–') });
      case 'adopted':
        return t('consultation.timeline.adopted', { body: e.decisionBody, section: e.minutesSection });
    }
  };
  return (
    <section aria-labelledby="timeline-heading" className="timeline">
      <h2 id="timeline-heading">{t('consultation.timelineHeading')}</h2>
      <ol>
        {round.timeline.map((e, i) => (
          <li key={i} className={`timeline__item timeline__item--${e.kind}${e.kind === 'deadline' && !e.passed ? ' timeline__item--future' : ''}`}>
            <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(e.at, lang)}</time> <span>{line(e)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
