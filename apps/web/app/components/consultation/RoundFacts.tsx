import { Link } from '@remix-run/react';
import { formatDeadline, municipalityName } from '../../format.ts';
import { useT } from '../../hooks.ts';
import { DaysLeft, InviteeStatus } from './round.tsx';
import type { Round } from './types.ts';

/** What is consulted (the version and its hash), the deadline, how many answered, and the caller's own municipality. */
export function RoundFacts({ round, docBase }: { round: Round; docBase: string }) {
  const { t, lang } = useT();
  const own = round.own;
  return (
    <dl className="summary-list round-facts">
      <div>
        <dt>{t('consultation.consultedVersion')}</dt>
        <dd>
          <Link to={`${docBase}/versions/${round.version.number}`}>{t('versions.option', { number: round.version.number, label: round.version.label })}</Link> <code title={round.version.hash}>{round.version.hash.slice(0, 8)}…</code>
        </dd>
      </div>
      <div>
        <dt>{t('consultation.deadline')}</dt>
        <dd data-testid="round-deadline">
          {formatDeadline(round.deadline, lang)} {round.state === 'open' ? <DaysLeft days={round.daysLeft} passed={round.deadlinePassed} /> : null}
        </dd>
      </div>
      <div>
        <dt>{t('consultation.colAnswered')}</dt>
        <dd>{round.answered === null ? t('consultation.answeredHidden') : t('consultation.answeredOf', { answered: round.answered, invited: round.invited })}</dd>
      </div>
      {own ? (
        <div>
          <dt>{t('consultation.yourMunicipality', { municipality: municipalityName(own.municipality.name, lang) })}</dt>
          <dd>
            <InviteeStatus status={own.status} />
          </dd>
        </div>
      ) : null}
    </dl>
  );
}
