import { useT } from '../hooks.ts';

const STATE_CLASS: Record<string, string> = { draft: 'badge', open: 'badge badge--new', closed: 'badge badge--warning', summary_published: 'badge badge--done' };

/** A round's state as a badge: draft, open for statements, closed, summary published. */
export function RoundState({ state }: { state: string }) {
  const { t } = useT();
  return <span className={STATE_CLASS[state] ?? 'badge'}>{t(`consultation.state.${state}`, { defaultValue: state })}</span>;
}

/** Days to a deadline in Helsinki calendar days: "14 päivää jäljellä", "viimeinen päivä", "päättynyt". */
export function DaysLeft({ days, passed }: { days: number; passed: boolean }) {
  const { t } = useT();
  if (passed) return <span className="days-left days-left--passed">{t('consultation.deadlinePassed')}</span>;
  if (days <= 0) return <span className="days-left days-left--today">{t('consultation.lastDay')}</span>;
  return <span className={days <= 3 ? 'days-left days-left--soon' : 'days-left'}>{t('consultation.daysLeft', { count: days })}</span>;
}

const INVITEE_CLASS: Record<string, string> = { invited: 'invitee-status invitee-status--waiting', answered: 'invitee-status invitee-status--answered', no_answer: 'invitee-status invitee-status--none' };

/** An invited municipality's status in a round. */
export function InviteeStatus({ status }: { status: string | null }) {
  const { t } = useT();
  if (status === null) return <span className="muted">–</span>;
  return <span className={INVITEE_CLASS[status] ?? 'invitee-status'}>{t(`consultation.invitee.${status}`, { defaultValue: status })}</span>;
}
