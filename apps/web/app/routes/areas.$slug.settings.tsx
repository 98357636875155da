import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import {
  calculateCostShares, chairRotation, DomainError, getAreaSettings, isDomainError, requireAreaAccess, updateExceptionGround, updateJointBody, updateKeyFacts, updateLabourForce, updateMilestones,
  type RouteHandle,
} from '@sopu/core';
import { COST_SHARE_KEYS, EXCEPTION_GROUND_LABELS, EXCEPTION_GROUNDS, formatEuros, formatInteger, formatPercent, MILESTONE_KINDS, ROTATION_MAX_YEARS, ROTATION_MIN_YEARS, voteShares } from '@sopu/core/rules';
import { useState, type ReactNode } from 'react';
import { ErrorSummary, SubmitButton, useSubmitting } from '../components/form.tsx';
import { Main } from '../components/main.tsx';
import { TableWrap } from '../components/table-wrap.tsx';
import { formFailure, orHttpError } from '../errors.server.ts';
import type { FormErrors } from '../form-errors.ts';
import { municipalityName } from '../format.ts';
import { useT } from '../hooks.ts';
import { resolveLanguage } from '../i18n.server.ts';
import { pageTitle } from '../meta.ts';
import { requireActor } from '../session.server.ts';

/** Who may call this route (docs/decisions/013-route-access-matrix.md): members read the area's settings; the host admin changes them. */
export const handle = { access: { loader: { area: 'area.read' }, action: { area: 'area.settings' } } } satisfies RouteHandle;

export const meta: MetaFunction = ({ matches, params }) => pageTitle(matches, (t, ctx) => [t('settings.title'), ctx.areaName(params.slug)]);

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireActor(args);
  const settings = await orHttpError(args.request, getAreaSettings(args.context.deps, actor, args.params.slug ?? ''));
  return { settings, thisYear: Number(new Intl.DateTimeFormat('en', { timeZone: 'Europe/Helsinki', year: 'numeric' }).format(args.context.deps.now())) };
}

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v.trim() : '';
};
/** A whole number typed as people type them ("6 200"), or null when empty; NaN when it is not one. */
const integer = (value: string): number | null => (value === '' ? null : /^\d+$/.test(value.replace(/[\s\u00a0]/g, '')) ? Number(value.replace(/[\s\u00a0]/g, '')) : Number.NaN);
/** A decimal typed with a comma or a point, or null when empty. */
const decimal = (value: string): number | null => (value === '' ? null : /^\d+([.,]\d+)?$/.test(value.replace(/[\s\u00a0]/g, '')) ? Number(value.replace(/[\s\u00a0]/g, '').replace(',', '.')) : Number.NaN);

/** Words for a rule's complaint about one field (core's messages are for programs). */
function problemKey(code: string, message: string): string {
  if (code === 'invalid_type') return 'settings.problem.number';
  if (code === 'too_small' || code === 'too_big') return 'settings.problem.range';
  if (message.includes('source and year')) return 'settings.problem.sourceAndYear';
  if (code === 'no_seats') return 'settings.problem.noSeats';
  if (code === 'no_seat') return 'settings.problem.chairSeat';
  if (code === 'too_few' || code === 'too_many') return 'settings.problem.rotationMembers';
  if (code === 'all_zero') return 'settings.problem.allZero';
  if (code === 'invalid_amount') return 'settings.problem.amount';
  if (code === 'invalid_format' || message.includes('calendar date')) return 'settings.problem.date';
  return 'settings.problem.invalid';
}

/** Rows of a repeated group: `prefix.<i>.<field>` fields, in index order. */
function rows(form: FormData, prefix: string, fields: readonly string[]): Array<Record<string, string>> {
  const found = new Map<number, Record<string, string>>();
  for (const [name, value] of form.entries()) {
    const m = new RegExp(`^${prefix}\\.(\\d{1,3})\\.(\\w+)$`).exec(name);
    if (!m || !fields.includes(m[2]!) || typeof value !== 'string') continue;
    const i = Number(m[1]);
    found.set(i, { ...(found.get(i) ?? {}), [m[2]!]: value.trim() });
  }
  return [...found.entries()].sort(([a], [b]) => a - b).map(([, r]) => r);
}

export async function action(args: ActionFunctionArgs) {
  const actor = await requireActor(args);
  const { deps } = args.context;
  const slug = args.params.slug ?? '';
  // Authorise before reading the form: an outsider gets 404, a member who is not the host admin 403.
  const { municipalities } = await orHttpError(args.request, requireAreaAccess(deps.db, actor.userId, slug, 'area.settings')).then(async () => ({ municipalities: (await getAreaSettings(deps, actor, slug)).municipalities }));
  const form = await args.request.formData();
  const intent = text(form, 'intent');
  const codes = municipalities.map((m) => m.code);
  try {
    switch (intent) {
      case 'labour-force': {
        const input = codes.map((code) => {
          const value = integer(text(form, `labourForce.${code}`));
          return value === null ? { code, labourForce: null } : { code, labourForce: value, source: text(form, `source.${code}`) || undefined, year: integer(text(form, `year.${code}`)) ?? undefined };
        });
        await updateLabourForce(deps, actor, slug, { municipalities: input });
        return { ok: true as const, intent, message: 'settings.saved' };
      }
      case 'exception': {
        const reference = text(form, 'permitReference');
        await updateExceptionGround(deps, actor, slug, { grounds: form.getAll('ground').map(String), permit: reference ? { reference, date: text(form, 'permitDate') || null } : null });
        return { ok: true as const, intent, message: 'settings.saved' };
      }
      case 'joint-body': {
        const input = codes.map((code) => ({ code, seats: integer(text(form, `seats.${code}`)) ?? 0, votesPerSeat: decimal(text(form, `votes.${code}`)) ?? 1 }));
        await updateJointBody(deps, actor, slug, { municipalities: input, chairCode: text(form, 'chair') || null });
        return { ok: true as const, intent, message: 'settings.saved' };
      }
      case 'milestones': {
        const milestones = rows(form, 'm', ['id', 'kind', 'fi', 'sv', 'date', 'municipality'])
          .filter((r) => r.fi || r.sv || r.date)
          .map((r) => ({ ...(r.id ? { id: r.id } : {}), kind: r.kind, label: { ...(r.fi ? { fi: r.fi } : {}), ...(r.sv ? { sv: r.sv } : {}) }, date: r.date, municipalityCode: r.municipality || null }));
        await updateMilestones(deps, actor, slug, { milestones });
        return { ok: true as const, intent, message: 'settings.saved' };
      }
      case 'key-facts': {
        const facts = rows(form, 'f', ['fi', 'sv', 'en']).filter((r) => r.fi || r.sv || r.en);
        await updateKeyFacts(deps, actor, slug, { facts });
        return { ok: true as const, intent, message: 'settings.saved' };
      }
      case 'rotation':
      case 'rotation-insert': {
        const rotation = await chairRotation(deps, actor, slug, { startYear: integer(text(form, 'startYear')) ?? Number.NaN, years: integer(text(form, 'years')) ?? Number.NaN, insert: intent === 'rotation-insert' });
        return { ok: true as const, intent, rotation, message: rotation.inserted ? 'settings.rotationInserted' : null };
      }
      case 'cost-shares':
      case 'cost-shares-insert': {
        const key = text(form, 'key');
        const figures = Object.fromEntries(codes.map((code) => [code, text(form, `figure.${code}`)]).filter(([, v]) => v !== ''));
        const shares = await calculateCostShares(deps, actor, slug, {
          year: integer(text(form, 'year')) ?? Number.NaN,
          netCosts: text(form, 'netCosts'),
          key,
          ...(key === 'job_seekers' ? { jobSeekers: figures } : key === 'custom' ? { weights: figures } : {}),
          insert: intent === 'cost-shares-insert',
        });
        return { ok: true as const, intent, shares, message: shares.inserted ? 'settings.costSharesInserted' : null };
      }
      default:
        throw new DomainError('invalid_input', 'unknown intent', { field: 'intent' });
    }
  } catch (error) {
    // A table's row is named in the summary: "Kuhmo: lähde" rather than a bare field.
    if (isDomainError(error) && error.code === 'invalid_input' && Array.isArray(error.details.issues)) {
      const issues = error.details.issues as Array<{ path?: string[]; code?: string; message?: string }>;
      const named = issues.slice(0, 6).map((i) => {
        const [group, index, field] = i.path ?? [];
        const row = group === 'municipalities' && index !== undefined ? municipalities[Number(index)] : undefined;
        const where = [row ? municipalityName(row.name, resolveLanguage(args.request)) : null, field ? `settings.field.${field}` : row ? null : `settings.field.${group}`, index !== undefined && !row ? `#${Number(index) + 1}` : null].filter((x): x is string => Boolean(x));
        return { key: 'settings.issue', values: { where: where.join(' ') }, parts: where, problem: problemKey(i.code ?? '', i.message ?? '') };
      });
      return { ok: false as const, intent, errors: { fields: {}, list: named } as FormErrors & { list: typeof named } };
    }
    return formFailure(error, args.request, { intent }, { forbidden: { key: 'settings.forbidden' }, conflict: { key: 'settings.noAgreement' } });
  }
}

type Settings = ReturnType<typeof useLoaderData<typeof loader>>['settings'];

function useResult(intents: string[]) {
  const result = useActionData<typeof action>();
  const mine = result && 'intent' in result && intents.includes(String(result.intent)) ? result : undefined;
  return { result: mine, errors: mine && 'errors' in mine ? (mine.errors as FormErrors & { list?: Array<{ key: string; values?: Record<string, string>; parts?: string[]; problem?: string }> }) : undefined };
}

/** One settings form: its heading, what it is for, what was saved, and the intent the action dispatches on. */
function SettingsBlock({ id, heading, intro, saved, intent, children }: { id: string; heading: string; intro: string; saved: string[]; intent?: string; children: ReactNode }) {
  return (
    <Form method="post" className="settings-block" aria-labelledby={id}>
      <h2 id={id}>{heading}</h2>
      <p>{intro}</p>
      <Saved intents={saved} />
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      {children}
    </Form>
  );
}

/** A settings form's save button, "Saving…" while it is sent. */
function SaveButton({ pending }: { pending: boolean }) {
  const { t } = useT();
  return (
    <SubmitButton pending={pending} pendingLabel={t('settings.saving')}>
      {t('settings.save')}
    </SubmitButton>
  );
}

function Saved({ intents }: { intents: string[] }) {
  const { t } = useT();
  const { result, errors } = useResult(intents);
  if (errors?.list) {
    const words = (m: { parts?: string[]; problem?: string }) => ({ where: (m.parts ?? []).map((p) => (p.startsWith('settings.') ? t(p, { defaultValue: p.slice(p.lastIndexOf('.') + 1) }) : p)).join(', '), message: m.problem ? t(m.problem) : '' });
    return (
      <div className="error-summary" role="alert" tabIndex={-1}>
        <h3>{t('settings.fix')}</h3>
        <ul>
          {errors.list.map((m, i) => (
            <li key={i}>{t(m.key, words(m))}</li>
          ))}
        </ul>
      </div>
    );
  }
  if (errors) return <ErrorSummary errors={errors} />;
  if (result && 'message' in result && result.message)
    return (
      <p className="notice notice-success" role="status">
        {t(result.message)}
      </p>
    );
  return null;
}

function LabourForce({ settings, thisYear }: { settings: Settings; thisYear: number }) {
  const { t, lang } = useT();
  const pending = useSubmitting((f) => f.get('intent') === 'labour-force');
  const th = settings.threshold;
  return (
    <SettingsBlock id="lf-heading" heading={t('settings.labourForceHeading')} intro={t('settings.labourForceIntro', { total: formatInteger(th.total, lang), threshold: formatInteger(th.threshold, lang) })} saved={['labour-force']} intent="labour-force">
      <TableWrap label={t('settings.labourForceHeading')}>
        <table className="data-table settings-table">
          <thead>
            <tr>
              <th scope="col">{t('dashboard.colName')}</th>
              <th scope="col">{t('settings.labourForce')}</th>
              <th scope="col">{t('settings.source')}</th>
              <th scope="col">{t('settings.year')}</th>
            </tr>
          </thead>
          <tbody>
            {settings.municipalities.map((m) => {
              const name = municipalityName(m.name, lang);
              return (
                <tr key={m.code}>
                  <th scope="row">
                    {name}
                    {m.labourForce.isDemo ? <span className="badge badge-demo">{t('dashboard.demoFigures')}</span> : null}
                  </th>
                  <td>
                    <input className="input input-number" name={`labourForce.${m.code}`} inputMode="numeric" aria-label={t('settings.labourForceOf', { name })} defaultValue={m.labourForce.value ?? ''} disabled={!settings.canEdit} />
                  </td>
                  <td>
                    <input className="input" name={`source.${m.code}`} maxLength={200} aria-label={t('settings.sourceOf', { name })} defaultValue={m.labourForce.source ?? (m.labourForce.isDemo ? '' : t('settings.defaultSource'))} disabled={!settings.canEdit} />
                  </td>
                  <td>
                    <input className="input input-year" name={`year.${m.code}`} inputMode="numeric" aria-label={t('settings.yearOf', { name })} defaultValue={m.labourForce.year ?? thisYear - 2} disabled={!settings.canEdit} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      {settings.canEdit ? <SaveButton pending={pending} /> : null}
    </SettingsBlock>
  );
}

function Exception({ settings }: { settings: Settings }) {
  const { t, lang } = useT();
  const pending = useSubmitting((f) => f.get('intent') === 'exception');
  return (
    <SettingsBlock id="exception-heading" heading={t('settings.exceptionHeading')} intro={t('settings.exceptionIntro')} saved={['exception']} intent="exception">
      <fieldset className="plain-fieldset">
        <legend>{t('settings.grounds')}</legend>
        <ul className="checkbox-list checkbox-list--wide">
          {EXCEPTION_GROUNDS.map((g) => (
            <li key={g}>
              <label>
                <input type="checkbox" name="ground" value={g} defaultChecked={settings.exception.grounds.includes(g)} disabled={!settings.canEdit} /> {EXCEPTION_GROUND_LABELS[g][lang]}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <div className="field-row">
        <div className="field">
          <label htmlFor="permit-reference">{t('settings.permitReference')}</label>
          <p className="hint" id="permit-reference-hint">
            {t('settings.permitReferenceHint')}
          </p>
          <input id="permit-reference" name="permitReference" className="input" maxLength={200} aria-describedby="permit-reference-hint" defaultValue={settings.exception.permit?.reference ?? ''} disabled={!settings.canEdit} />
        </div>
        <div className="field">
          <label htmlFor="permit-date">{t('settings.permitDate')}</label>
          <input id="permit-date" name="permitDate" type="date" className="input input-date" defaultValue={settings.exception.permit?.date ?? ''} disabled={!settings.canEdit} />
        </div>
      </div>
      {settings.canEdit ? <SaveButton pending={pending} /> : null}
    </SettingsBlock>
  );
}

function JointBody({ settings }: { settings: Settings }) {
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

function Rotation({ settings, thisYear }: { settings: Settings; thisYear: number }) {
  const { t, lang } = useT();
  const { result } = useResult(['rotation', 'rotation-insert']);
  const previewing = useSubmitting((f) => f.get('intent') === 'rotation');
  const inserting = useSubmitting((f) => f.get('intent') === 'rotation-insert');
  const rotation = result && 'rotation' in result ? result.rotation : null;
  if (!settings.canEdit) return null;
  return (
    <SettingsBlock id="rotation-heading" heading={t('settings.rotationHeading')} intro={t('settings.rotationIntro')} saved={['rotation', 'rotation-insert']}>
      <div className="field-row">
        <div className="field">
          <label htmlFor="rotation-start">{t('settings.startYear')}</label>
          <input id="rotation-start" name="startYear" className="input input-year" inputMode="numeric" defaultValue={thisYear + 1} />
        </div>
        <div className="field">
          <label htmlFor="rotation-years">{t('settings.years')}</label>
          <input id="rotation-years" name="years" type="number" min={ROTATION_MIN_YEARS} max={ROTATION_MAX_YEARS} className="input input-year" defaultValue={4} />
        </div>
      </div>
      <span className="form-actions">
        <SubmitButton name="intent" value="rotation" variant="secondary" pending={previewing} pendingLabel={t('settings.calculating')}>
          {t('settings.preview')}
        </SubmitButton>
        <SubmitButton name="intent" value="rotation-insert" pending={inserting} pendingLabel={t('settings.inserting')}>
          {t('settings.insertRotation')}
        </SubmitButton>
      </span>
      {rotation ? (
        <TableWrap label={t('settings.rotationHeading')}>
          <table className="data-table" data-testid="rotation">
            <thead>
              <tr>
                <th scope="col">{t('settings.year')}</th>
                <th scope="col">{t('settings.chairRole')}</th>
                <th scope="col">{t('settings.viceChairRole')}</th>
                <th scope="col">{t('settings.secretaryRole')}</th>
              </tr>
            </thead>
            <tbody>
              {rotation.rows.map((r) => (
                <tr key={r.year}>
                  <th scope="row">{r.year}</th>
                  <td>{municipalityName(r.chair.name, lang)}</td>
                  <td>{municipalityName(r.viceChair.name, lang)}</td>
                  <td>{municipalityName(r.secretary.name, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {rotation?.inserted ? (
        <p>
          <Link to={`/areas/${settings.slug}/documents/${rotation.inserted.documentId}#section-${rotation.inserted.section}`}>{t('settings.openSection')}</Link>
        </p>
      ) : null}
    </SettingsBlock>
  );
}

function CostShares({ settings, thisYear }: { settings: Settings; thisYear: number }) {
  const { t, lang } = useT();
  const { result } = useResult(['cost-shares', 'cost-shares-insert']);
  const previewing = useSubmitting((f) => f.get('intent') === 'cost-shares');
  const inserting = useSubmitting((f) => f.get('intent') === 'cost-shares-insert');
  const [key, setKey] = useState<string>(settings.costShares[0]?.key ?? 'labour_force');
  const shares = result && 'shares' in result ? result.shares : null;
  if (!settings.canEdit) return null;
  return (
    <SettingsBlock id="costs-heading" heading={t('settings.costsHeading')} intro={t('settings.costsIntro')} saved={['cost-shares', 'cost-shares-insert']}>
      <div className="field-row">
        <div className="field">
          <label htmlFor="costs-year">{t('settings.year')}</label>
          <input id="costs-year" name="year" className="input input-year" inputMode="numeric" defaultValue={settings.costShares[0]?.year ?? thisYear + 1} />
        </div>
        <div className="field">
          <label htmlFor="costs-net">{t('settings.netCosts')}</label>
          <input id="costs-net" name="netCosts" className="input input-money" inputMode="decimal" placeholder="1 250 000,00" defaultValue={settings.costShares[0] ? (settings.costShares[0].netCostsCents / 100).toFixed(2).replace('.', ',') : ''} />
        </div>
      </div>
      <fieldset className="plain-fieldset">
        <legend>{t('settings.costKey')}</legend>
        <ul className="checkbox-list checkbox-list--wide">
          {COST_SHARE_KEYS.map((k) => (
            <li key={k}>
              <label>
                <input type="radio" name="key" value={k} checked={key === k} onChange={() => setKey(k)} /> {t(`settings.keys.${k}`)}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      {key !== 'labour_force' ? (
        <TableWrap label={t(`settings.keys.${key}`)}>
          <table className="data-table settings-table">
            <tbody>
              {settings.municipalities.map((m) => {
                const name = municipalityName(m.name, lang);
                const saved = settings.costShares[0]?.key === key ? settings.costShares[0].figures.find((f) => f.code === m.code)?.value : undefined;
                return (
                  <tr key={m.code}>
                    <th scope="row">{name}</th>
                    <td>
                      <input className="input input-number" name={`figure.${m.code}`} inputMode="decimal" aria-label={t(key === 'job_seekers' ? 'settings.jobSeekersOf' : 'settings.weightOf', { name })} defaultValue={saved ?? ''} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      <span className="form-actions">
        <SubmitButton name="intent" value="cost-shares" variant="secondary" pending={previewing} pendingLabel={t('settings.calculating')}>
          {t('settings.calculate')}
        </SubmitButton>
        <SubmitButton name="intent" value="cost-shares-insert" pending={inserting} pendingLabel={t('settings.inserting')}>
          {t('settings.insertCosts')}
        </SubmitButton>
      </span>
      {shares ? (
        <TableWrap label={t('settings.costsHeading')}>
          <table className="data-table" data-testid="cost-shares">
            <caption>{t('settings.costsCaption', { year: shares.year, total: formatEuros(shares.netCostsCents, lang) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.colName')}</th>
                <th scope="col" className="numeric">
                  {t(`settings.keys.${shares.key}`)}
                </th>
                <th scope="col" className="numeric">
                  {t('settings.share')}
                </th>
                <th scope="col" className="numeric">
                  {t('settings.euros')}
                </th>
              </tr>
            </thead>
            <tbody>
              {shares.rows.map((r) => (
                <tr key={r.code}>
                  <th scope="row">{municipalityName(r.name, lang)}</th>
                  <td className="numeric">{formatInteger(r.value, lang)}</td>
                  <td className="numeric">{formatPercent(r.percentHundredths, lang)}</td>
                  <td className="numeric">{formatEuros(r.cents, lang)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('settings.total')}</th>
                <td className="numeric">{formatInteger(shares.totalValue, lang)}</td>
                <td className="numeric">{formatPercent(10_000, lang)}</td>
                <td className="numeric">{formatEuros(shares.totalCents, lang)}</td>
              </tr>
            </tfoot>
          </table>
        </TableWrap>
      ) : null}
      {shares?.inserted ? (
        <p>
          <Link to={`/areas/${settings.slug}/documents/${shares.inserted.documentId}#section-${shares.inserted.section}`}>{t('settings.openSection')}</Link>
        </p>
      ) : null}
    </SettingsBlock>
  );
}

function Milestones({ settings }: { settings: Settings }) {
  const { t, lang } = useT();
  const pending = useSubmitting((f) => f.get('intent') === 'milestones');
  const [items, setItems] = useState(() => [...settings.milestones.map((m) => ({ ...m, municipalityCode: m.municipality?.code ?? '' })), { id: '', kind: 'council_meeting', label: { fi: '', sv: '' }, date: '', municipalityCode: '', daysLeft: 0, municipality: null }]);
  return (
    <SettingsBlock id="milestones-heading" heading={t('settings.milestonesHeading')} intro={t('settings.milestonesIntro')} saved={['milestones']} intent="milestones">
      <TableWrap label={t('settings.milestonesHeading')}>
        <table className="data-table settings-table">
          <thead>
            <tr>
              <th scope="col">{t('settings.date')}</th>
              <th scope="col">{t('settings.kind')}</th>
              <th scope="col">{t('settings.labelFi')}</th>
              <th scope="col">{t('settings.labelSv')}</th>
              <th scope="col">{t('settings.municipality')}</th>
              {settings.canEdit ? <th scope="col">{t('settings.remove')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {items.map((m, i) => (
              <tr key={m.id || `new-${i}`}>
                <td>
                  <input type="hidden" name={`m.${i}.id`} value={m.id} />
                  <input type="date" className="input input-date" name={`m.${i}.date`} aria-label={t('settings.rowDate', { row: i + 1 })} defaultValue={m.date} disabled={!settings.canEdit} />
                </td>
                <td>
                  <select className="select select-compact" name={`m.${i}.kind`} aria-label={t('settings.rowKind', { row: i + 1 })} defaultValue={m.kind} disabled={!settings.canEdit}>
                    {MILESTONE_KINDS.map((k) => (
                      <option key={k} value={k}>
                        {t(`settings.milestoneKinds.${k}`)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input className="input" name={`m.${i}.fi`} maxLength={200} aria-label={t('settings.rowLabelFi', { row: i + 1 })} defaultValue={m.label.fi} disabled={!settings.canEdit} />
                </td>
                <td>
                  <input className="input" name={`m.${i}.sv`} maxLength={200} aria-label={t('settings.rowLabelSv', { row: i + 1 })} defaultValue={m.label.sv} disabled={!settings.canEdit} />
                </td>
                <td>
                  <select className="select select-compact" name={`m.${i}.municipality`} aria-label={t('settings.rowMunicipality', { row: i + 1 })} defaultValue={m.municipalityCode} disabled={!settings.canEdit}>
                    <option value="">{t('settings.wholeArea')}</option>
                    {settings.municipalities.map((x) => (
                      <option key={x.code} value={x.code}>
                        {municipalityName(x.name, lang)}
                      </option>
                    ))}
                  </select>
                </td>
                {settings.canEdit ? (
                  <td>
                    <button type="button" className="link-button" onClick={() => setItems(items.filter((_, j) => j !== i))} aria-label={t('settings.removeRow', { row: i + 1 })}>
                      {t('settings.remove')}
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {settings.canEdit ? (
        <span className="form-actions">
          <button type="button" className="button button-secondary" onClick={() => setItems([...items, { id: '', kind: 'other', label: { fi: '', sv: '' }, date: '', municipalityCode: '', daysLeft: 0, municipality: null }])}>
            {t('settings.addRow')}
          </button>
          <SaveButton pending={pending} />
        </span>
      ) : null}
    </SettingsBlock>
  );
}

function KeyFacts({ settings }: { settings: Settings }) {
  const { t } = useT();
  const pending = useSubmitting((f) => f.get('intent') === 'key-facts');
  const [items, setItems] = useState(() => [...settings.keyFacts, { fi: '', sv: '', en: '' }]);
  return (
    <SettingsBlock id="facts-heading" heading={t('settings.factsHeading')} intro={t('settings.factsIntro')} saved={['key-facts']} intent="key-facts">
      <ol className="facts-edit">
        {items.map((f, i) => (
          <li key={`${i}-${items.length}`}>
            {(['fi', 'sv', 'en'] as const).map((l) => (
              <label key={l} className="facts-edit__field">
                <span>{t(`settings.factIn.${l}`)}</span>
                <textarea className="textarea" rows={2} maxLength={500} name={`f.${i}.${l}`} defaultValue={f[l]} disabled={!settings.canEdit} />
              </label>
            ))}
            {settings.canEdit ? (
              <button type="button" className="link-button" onClick={() => setItems(items.filter((_, j) => j !== i))} aria-label={t('settings.removeRow', { row: i + 1 })}>
                {t('settings.remove')}
              </button>
            ) : null}
          </li>
        ))}
      </ol>
      {settings.canEdit ? (
        <span className="form-actions">
          <button type="button" className="button button-secondary" onClick={() => setItems([...items, { fi: '', sv: '', en: '' }])}>
            {t('settings.addFact')}
          </button>
          <SaveButton pending={pending} />
        </span>
      ) : null}
    </SettingsBlock>
  );
}

/** The area's settings: labour force, the exception permit, the joint body, the chair rotation, cost shares, milestones and key facts. */
export default function Settings() {
  const { settings, thisYear } = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <Main wide>
      <h1>{t('settings.title')}</h1>
      <p>{settings.canEdit ? t('settings.intro') : t('settings.readOnly')}</p>
      <nav aria-label={t('settings.contents')} className="settings-contents">
        <ul>
          <li>
            <a href="#lf-heading">{t('settings.labourForceHeading')}</a>
          </li>
          <li>
            <a href="#exception-heading">{t('settings.exceptionHeading')}</a>
          </li>
          <li>
            <a href="#jb-heading">{t('settings.jointBodyHeading')}</a>
          </li>
          {settings.canEdit ? (
            <>
              <li>
                <a href="#rotation-heading">{t('settings.rotationHeading')}</a>
              </li>
              <li>
                <a href="#costs-heading">{t('settings.costsHeading')}</a>
              </li>
            </>
          ) : null}
          <li>
            <a href="#milestones-heading">{t('settings.milestonesHeading')}</a>
          </li>
          <li>
            <a href="#facts-heading">{t('settings.factsHeading')}</a>
          </li>
        </ul>
      </nav>
      <LabourForce settings={settings} thisYear={thisYear} />
      <Exception settings={settings} />
      <JointBody settings={settings} />
      <Rotation settings={settings} thisYear={thisYear} />
      <CostShares settings={settings} thisYear={thisYear} />
      <Milestones settings={settings} />
      <KeyFacts settings={settings} />
    </Main>
  );
}
