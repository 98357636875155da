import type { MetaFunction, LoaderFunctionArgs, ActionFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { type RouteHandle, getAreaSettings, requireAreaAccess, updateLabourForce, updateExceptionGround, updateJointBody, updateMilestones, updateKeyFacts, updateDirectEditing, updateConsultationPeriod, updateSecondFactorRequirement, chairRotation, calculateCostShares, DomainError } from '@sopu/core';
import { Main } from '../components/main.tsx';
import { orHttpError, formFailure } from '../errors.server.ts';
import type { FormErrors } from '../form-errors.ts';
import { useT } from '../hooks.ts';
import { resolveLanguage } from '../i18n.server.ts';
import { pageTitle } from '../meta.ts';
import { requireActor } from '../session.server.ts';
import { CostShares } from '../components/settings/CostShares.tsx';
import { Exception } from '../components/settings/Exception.tsx';
import { JointBody } from '../components/settings/JointBody.tsx';
import { KeyFacts } from '../components/settings/KeyFacts.tsx';
import { DirectEditing } from '../components/settings/DirectEditing.tsx';
import { ConsultationPeriod } from '../components/settings/ConsultationPeriod.tsx';
import { LabourForce } from '../components/settings/LabourForce.tsx';
import { Milestones } from '../components/settings/Milestones.tsx';
import { Rotation } from '../components/settings/Rotation.tsx';
import { SecondFactor } from '../components/settings/SecondFactor.tsx';
import { namedIssues, rows, text, type FormRows } from '../settings.server.ts';

/** Who may call this route (docs/decisions/013-route-access-matrix.md): members read the area's settings; the host admin changes them. */
export const handle = { access: { loader: { area: 'area.read' }, action: { area: 'area.settings' } } } satisfies RouteHandle;

export const meta: MetaFunction = ({ matches, params }) => pageTitle(matches, (t, ctx) => [t('settings.title'), ctx.areaName(params.slug)]);

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireActor(args);
  const settings = await orHttpError(args.request, getAreaSettings(args.context.deps, actor, args.params.slug ?? ''));
  return { settings, thisYear: Number(new Intl.DateTimeFormat('en', { timeZone: 'Europe/Helsinki', year: 'numeric' }).format(args.context.deps.now())) };
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
  let formRows: FormRows = {};
  try {
    switch (intent) {
      case 'labour-force': {
        const input = codes.map((code) => {
          // Numbers go to core as typed: it reads "20 333" and refuses "20.333" clearly (typed-number.rules.ts).
          const value = text(form, `labourForce.${code}`);
          return value === '' ? { code, labourForce: null } : { code, labourForce: value, source: text(form, `source.${code}`) || undefined, year: text(form, `year.${code}`) || undefined };
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
        const input = codes.map((code) => ({ code, seats: text(form, `seats.${code}`) || 0, votesPerSeat: text(form, `votes.${code}`) || 1 }));
        await updateJointBody(deps, actor, slug, { municipalities: input, chairCode: text(form, 'chair') || null });
        return { ok: true as const, intent, message: 'settings.saved' };
      }
      case 'milestones': {
        const kept = rows(form, 'm', ['id', 'kind', 'fi', 'sv', 'date', 'municipality']).filter(({ values: r }) => r.fi || r.sv || r.date);
        // A complaint about the n-th milestone sent names the row the form labels it with (blank rows are left out).
        formRows = { milestones: kept.map((r) => r.row) };
        const milestones = kept
          .map(({ values: r }) => ({ ...(r.id ? { id: r.id } : {}), kind: r.kind, label: { ...(r.fi ? { fi: r.fi } : {}), ...(r.sv ? { sv: r.sv } : {}) }, date: r.date, municipalityCode: r.municipality || null }));
        await updateMilestones(deps, actor, slug, { milestones });
        return { ok: true as const, intent, message: 'settings.saved' };
      }
      case 'key-facts': {
        const kept = rows(form, 'f', ['fi', 'sv', 'en']).filter(({ values: r }) => r.fi || r.sv || r.en);
        formRows = { facts: kept.map((r) => r.row) };
        const facts = kept.map((r) => r.values);
        await updateKeyFacts(deps, actor, slug, { facts });
        return { ok: true as const, intent, message: 'settings.saved' };
      }
      case 'consultation-period': {
        const days = text(form, 'days').trim();
        await updateConsultationPeriod(deps, actor, slug, { days: days === '' ? null : days, excludesJuly: form.get('excludesJuly') === 'on' });
        return { ok: true as const, intent, message: 'settings.saved' };
      }
      case 'second-factor': {
        await updateSecondFactorRequirement(deps, actor, slug, { required: form.get('required') === 'true' });
        return { ok: true as const, intent, message: 'settings.saved' };
      }
      case 'direct-editing':
        await updateDirectEditing(deps, actor, slug, { directEditing: text(form, 'directEditing') });
        return { ok: true as const, intent, message: 'settings.saved' };
      case 'rotation':
      case 'rotation-insert': {
        const rotation = await chairRotation(deps, actor, slug, { startYear: text(form, 'startYear'), years: text(form, 'years'), insert: intent === 'rotation-insert' });
        return { ok: true as const, intent, rotation, message: rotation.inserted ? (rotation.inserted.replaced ? 'settings.rotationReplaced' : 'settings.rotationInserted') : null };
      }
      case 'cost-shares':
      case 'cost-shares-insert': {
        const key = text(form, 'key');
        const figures = Object.fromEntries(codes.map((code) => [code, text(form, `figure.${code}`)]).filter(([, v]) => v !== ''));
        const shares = await calculateCostShares(deps, actor, slug, {
          year: text(form, 'year'),
          netCosts: text(form, 'netCosts'),
          key,
          ...(key === 'job_seekers' ? { jobSeekers: figures } : key === 'custom' ? { weights: figures } : {}),
          insert: intent === 'cost-shares-insert',
        });
        return { ok: true as const, intent, shares, message: shares.inserted ? (shares.inserted.replaced ? 'settings.costSharesReplaced' : 'settings.costSharesInserted') : null };
      }
      default:
        throw new DomainError('invalid_input', 'unknown intent', { field: 'intent' });
    }
  } catch (error) {
    const named = namedIssues(error, municipalities, resolveLanguage(args.request), formRows);
    if (named) return { ok: false as const, intent, errors: { fields: {}, list: named } as FormErrors & { list: typeof named } };
    return formFailure(error, args.request, { intent }, { forbidden: { key: 'settings.forbidden' }, conflict: { key: 'settings.noAgreement' } });
  }
}

/** The area's settings: labour force, the exception permit, the joint body, the chair rotation, cost shares, milestones, key facts and two-step verification. */
export default function SettingsPage() {
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
          <li>
            <a href="#period-heading">{t('settings.periodHeading')}</a>
          </li>
          <li>
            <a href="#second-factor-heading">{t('settings.secondFactorHeading')}</a>
          </li>
          <li>
            <a href="#editing-heading">{t('settings.directEditingHeading')}</a>
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
      <ConsultationPeriod settings={settings} />
      <SecondFactor settings={settings} />
      <DirectEditing settings={settings} />
    </Main>
  );
}
