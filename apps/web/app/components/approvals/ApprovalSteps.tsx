import { formatDay } from '../../format.ts';
import { useT } from '../../hooks.ts';
import type { Overview } from './types.ts';

/**
 * The steps from the councils' approval to the entry into force, each with where it stands: approved by every council
 * (on the last approval's day, or how many so far), the decisions final, the agreement signed (optional), and the
 * entry into force (the date the agreement states, and whether it has come).
 */
export function ApprovalSteps({ overview }: { overview: Overview }) {
  const { t, lang } = useT();
  const total = overview.municipalities.length;
  const a = overview.approvedText;
  const day = (date: string | null | undefined) => formatDay(date, lang);
  const count = (n: number) => t('approvals.steps.count', { count: n, total });
  const rows: Array<{ key: string; label: string; value: string; done: boolean }> = [
    { key: 'approved', label: t('approvals.steps.approved'), value: a ? day(a.approvedOn) : overview.progress ? count(overview.progress.approved.length) : t('approvals.steps.notYet'), done: a !== null },
    { key: 'final', label: t('approvals.steps.final'), value: a?.finalOn ? day(a.finalOn) : a ? count(total - a.notFinal.length) : t('approvals.steps.notYet'), done: Boolean(a?.finalOn) },
    { key: 'signed', label: t('approvals.steps.signed'), value: a?.signedOn ? day(a.signedOn) : a && a.signedCount > 0 ? count(a.signedCount) : t('approvals.steps.notYet'), done: Boolean(a?.signedOn) },
    {
      key: 'in-force',
      label: t('approvals.steps.inForce'),
      value: a?.inForce
        ? t('approvals.steps.inForceFrom', { date: day(a.inForceFrom) })
        : a?.inForceFrom
          ? t('approvals.steps.entersOn', { date: day(a.inForceFrom) })
          : overview.entryIntoForce
            ? t('approvals.steps.statedDate', { date: day(overview.entryIntoForce) })
            : t('approvals.steps.noDate'),
      done: Boolean(a?.inForce),
    },
  ];
  return (
    <section className="approval-steps" aria-labelledby="steps-heading">
      <h2 id="steps-heading">{t('approvals.steps.heading')}</h2>
      <ol data-testid="approval-steps">
        {rows.map((r) => (
          <li key={r.key} className={r.done ? 'approval-step approval-step--done' : 'approval-step'} data-step={r.key}>
            <span className="approval-step__label">{r.label}</span> <span className="approval-step__value">{r.value}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
