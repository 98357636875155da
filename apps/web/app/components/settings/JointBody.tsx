import { voteShares, formatPercent } from '@sopu/core/rules';
import { useState } from 'react';
import { useSubmitting } from '../form.tsx';
import { TableWrap } from '../table-wrap.tsx';
import { municipalityName } from '../../format.ts';
import { useT } from '../../hooks.ts';
import { type Settings, SettingsBlock, SaveButton } from './SettingsBlock.tsx';

export function JointBody({ settings }: { settings: Settings }) {
  const { t, lang } = useT();
  const pending = useSubmitting((f) => f.get('intent') === 'joint-body');
  // A live preview of the vote shares while typing, by the same rule the check uses.
  const [draft, setDraft] = useState(() => ({
    seats: Object.fromEntries(settings.municipalities.map((m) => [m.code, m.jointBody.seats === null ? '' : String(m.jointBody.seats)])),
    votes: Object.fromEntries(settings.municipalities.map((m) => [m.code, m.jointBody.votesPerSeat === null ? '' : String(m.jointBody.votesPerSeat).replace('.', lang === 'en' ? '.' : ',')])),
    chair: settings.jointBody.chair?.code ?? '',
  }));
  const number = (v: string) => (v.trim() === '' ? null : Number(v.replace(',', '.')));
  let preview: ReturnType<typeof voteShares> | null = null;
  try {
    preview = voteShares(
      settings.municipalities.map((m) => ({ code: m.code, seats: number(draft.seats[m.code] ?? ''), votesPerSeat: number(draft.votes[m.code] ?? '') ?? ((number(draft.seats[m.code] ?? '') ?? 0) > 0 ? 1 : null) })),
      draft.chair || null,
    );
  } catch {
    preview = null;
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
      ) : null}
      {settings.canEdit ? <SaveButton pending={pending} /> : null}
    </SettingsBlock>
  );
}
