import { voteShares, formatPercent, readTypedNumber, type NumberProblem } from '@sopu/core/rules';
import { useState } from 'react';
import { useSubmitting } from '../form.tsx';
import { TableWrap } from '../table-wrap.tsx';
import { municipalityName } from '../../format.ts';
import { useT } from '../../hooks.ts';
import { type Settings, SettingsBlock, SaveButton } from './SettingsBlock.tsx';

const PROBLEM_KEYS: Record<NumberProblem, string> = { not_a_number: 'settings.problem.number', not_whole: 'settings.problem.notWhole', too_many_decimals: 'settings.problem.decimals' };

export function JointBody({ settings }: { settings: Settings }) {
  const { t, lang } = useT();
  const pending = useSubmitting((f) => f.get('intent') === 'joint-body');
  // A live preview of the vote shares while typing, by the same rule the check uses.
  const [draft, setDraft] = useState(() => ({
    seats: Object.fromEntries(settings.municipalities.map((m) => [m.code, m.jointBody.seats === null ? '' : String(m.jointBody.seats)])),
    votes: Object.fromEntries(settings.municipalities.map((m) => [m.code, m.jointBody.votesPerSeat === null ? '' : String(m.jointBody.votesPerSeat).replace('.', lang === 'en' ? '.' : ',')])),
    chair: settings.jointBody.chair?.code ?? '',
  }));
  // Read as core reads them (typed-number.rules.ts): a figure that cannot be read is said, not silently dropped with
  // the verdict (issue 21: "1,5" seats or "20.333" votes used to make the verdict vanish).
  const unreadable: Array<{ name: string; field: 'seats' | 'votesPerSeat'; problem: NumberProblem }> = [];
  const read = (v: string, decimals: number, name: string, field: 'seats' | 'votesPerSeat'): number | null => {
    if (v.trim() === '') return null;
    const r = readTypedNumber(v, decimals);
    if (r.ok) return r.value;
    unreadable.push({ name, field, problem: r.problem });
    return null;
  };
  const members = settings.municipalities.map((m) => {
    const name = municipalityName(m.name, lang);
    const seats = read(draft.seats[m.code] ?? '', 0, name, 'seats');
    return { code: m.code, seats, votesPerSeat: read(draft.votes[m.code] ?? '', 2, name, 'votesPerSeat') ?? ((seats ?? 0) > 0 ? 1 : null) };
  });
  let preview: ReturnType<typeof voteShares> | null = null;
  if (unreadable.length === 0) {
    try {
      preview = voteShares(members, draft.chair || null);
    } catch {
      preview = null;
    }
  }
  const share = new Map((preview?.shares ?? []).map((s) => [s.code, s]));
  const verdictClass = preview ? { pass: 'notice-success', fail: 'notice-error', warning: 'notice-warning', incomplete: 'notice-info' }[preview.verdict] : 'notice-info';
  const subject = preview?.subject ? settings.municipalities.find((m) => m.code === preview!.subject) : undefined;
  return (
    <SettingsBlock id="jb-heading" heading={t('settings.jointBodyHeading')} intro={t('settings.jointBodyIntro')} saved={['joint-body']} intent="joint-body">
      <TableWrap label={t('settings.jointBodyHeading')}>
        <table className="data-table settings-table">
          <thead>
            <tr>
              <th scope="col">{t('dashboard.colName')}</th>
              <th scope="col">{t('settings.seats')}</th>
              <th scope="col">{t('settings.votesPerSeat')}</th>
              <th scope="col" className="numeric">
                {t('settings.voteShare')}
              </th>
              <th scope="col">{t('settings.chair')}</th>
            </tr>
          </thead>
          <tbody>
            {settings.municipalities.map((m) => {
              const name = municipalityName(m.name, lang);
              const s = share.get(m.code);
              return (
                <tr key={m.code} className={s?.overHalf || (s?.exactlyHalf && s.holdsChair) ? 'row--fail' : s?.exactlyHalf ? 'row--warning' : undefined}>
                  <th scope="row">{name}</th>
                  <td>
                    <input className="input input-number" name={`seats.${m.code}`} inputMode="numeric" aria-label={t('settings.seatsOf', { name })} value={draft.seats[m.code]} onChange={(e) => setDraft({ ...draft, seats: { ...draft.seats, [m.code]: e.target.value } })} disabled={!settings.canEdit} />
                  </td>
                  <td>
                    <input className="input input-number" name={`votes.${m.code}`} inputMode="decimal" aria-label={t('settings.votesOf', { name })} value={draft.votes[m.code]} onChange={(e) => setDraft({ ...draft, votes: { ...draft.votes, [m.code]: e.target.value } })} disabled={!settings.canEdit} />
                  </td>
                  <td className="numeric" data-share={m.code}>
                    {s && preview && preview.totalVotes > 0 ? formatPercent(s.percentHundredths, lang) : '–'}
                  </td>
                  <td>
                    <label className="checkbox-label">
                      <input type="radio" name="chair" value={m.code} checked={draft.chair === m.code} onChange={() => setDraft({ ...draft, chair: m.code })} disabled={!settings.canEdit} />
                      <span className="visually-hidden">{t('settings.chairOf', { name })}</span>
                    </label>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      {preview ? (
        <p className={`notice ${verdictClass}`} role="status" data-testid="vote-verdict">
          {t(`settings.verdict.${preview.reason}`, { name: subject ? municipalityName(subject.name, lang) : '', share: subject && share.get(subject.code) ? formatPercent(share.get(subject.code)!.percentHundredths, lang) : '' })}
        </p>
      ) : (
        <p className="notice notice-warning" role="status" data-testid="vote-verdict">
          {unreadable.length > 0
            ? t('settings.verdict.unreadable', { where: `${unreadable[0]!.name}, ${t(`settings.field.${unreadable[0]!.field}`)}`, problem: t(PROBLEM_KEYS[unreadable[0]!.problem]) })
            : t('settings.verdict.uncountable')}
        </p>
      )}
      {settings.canEdit ? <SaveButton pending={pending} /> : null}
    </SettingsBlock>
  );
}
