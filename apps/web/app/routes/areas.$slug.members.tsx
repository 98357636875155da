import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import {
  changeMemberRole, getArea, getAreaDashboard, inviteMember, listPendingInvitations, removeMember, requireAreaAccess, revokeInvitation, ROLES,
} from '@sopu/core';
import { useEffect, useRef } from 'react';
import { ErrorSummary, Field, SelectField, StatusMessage, SubmitButton, useSubmitting } from '../components/form.tsx';
import { Main } from '../components/main.tsx';
import { TableWrap } from '../components/table-wrap.tsx';
import { formFailure, orHttpError } from '../errors.server.ts';
import { formatDateTime, municipalityName, isolate } from '../format.ts';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';
import { requireActor } from '../session.server.ts';
import type { RouteHandle } from '@sopu/core';

/** Who may call this route (docs/decisions/013-route-access-matrix.md). */
export const handle = { access: { area: 'members.manage' } } satisfies RouteHandle;

export const meta: MetaFunction = ({ matches, params }) => pageTitle(matches, (t, ctx) => [t('members.title'), ctx.areaName(params.slug)]);

export async function loader(args: LoaderFunctionArgs) {
  const { request, context } = args;
  const actor = await requireActor(args);
  const slug = args.params.slug ?? '';
  // The invitations list needs members.manage: a non-admin gets 403 (a non-member 404) before anything else is read.
  const invitations = await orHttpError(request, listPendingInvitations(context.deps, actor, slug));
  const d = await orHttpError(request, getAreaDashboard(context.deps.db, actor, slug));
  const names = new Map(d.municipalities.map((m) => [m.code, m.name]));
  return {
    slug: d.area.slug,
    roles: ROLES,
    me: actor.userId,
    municipalities: d.municipalities.map((m) => ({ code: m.code, name: m.name })),
    members: d.members.map((m) => ({ id: m.membershipId, userId: m.userId, displayName: m.displayName, email: m.email, role: m.role, municipality: m.municipalityName })),
    invitations: invitations.map((i) => ({ ...i, municipality: names.get(i.municipalityCode) ?? null })),
  };
}

const text = (form: FormData, name: string) => String(form.get(name) ?? '');

/** A name another member of the area has, or one with bidi controls: said as such, not as "check this field". */
const NAME_CODES = { 'displayName:name_taken': { key: 'validation.nameTaken' }, 'displayName:custom': { key: 'validation.nameCharacters' } };

export async function action(args: ActionFunctionArgs) {
  const { request, context } = args;
  const actor = await requireActor(args);
  const slug = args.params.slug ?? '';
  // Authorise before reading the form: whatever they send, an outsider gets 404 and a member without the right 403.
  await orHttpError(request, requireAreaAccess(context.deps.db, actor.userId, slug, 'members.manage'));
  const form = await request.formData();
  const intent = text(form, 'intent');
  const deps = context.deps;

  if (intent === 'role' || intent === 'remove') {
    const membershipId = text(form, 'membershipId');
    const extra = { intent: intent as 'role' | 'remove', membershipId };
    const notFound = { not_found: { key: 'members.memberNotFound' } };
    try {
      const d = await getAreaDashboard(deps.db, actor, slug);
      const member = d.members.find((m) => m.membershipId === membershipId);
      if (intent === 'role') {
        const role = text(form, 'role');
        await changeMemberRole(deps, actor, slug, membershipId, { role });
        // Someone who just gave up their own admin role may no longer see this page.
        const mine = await getArea(deps.db, actor, slug);
        if (mine.membership.role !== 'host_admin') throw redirect(`/areas/${encodeURIComponent(slug)}`);
        return { ...extra, ok: true as const, name: member?.displayName ?? '', role };
      }
      await removeMember(deps, actor, slug, membershipId);
      // Someone who removed themselves no longer belongs here; they stay signed in for their other areas.
      if (member?.userId === actor.userId) throw redirect('/');
      return { ...extra, ok: true as const, name: member?.displayName ?? '', role: '' };
    } catch (error) {
      if (error instanceof Response) throw error;
      return formFailure(error, request, extra, notFound);
    }
  }

  if (intent === 'invite') {
    const input = { email: text(form, 'email'), displayName: text(form, 'displayName'), municipalityCode: text(form, 'municipalityCode'), role: text(form, 'role') };
    try {
      await inviteMember(deps, actor, slug, input);
      return { intent: 'invite' as const, ok: true as const, email: input.email.trim().toLowerCase() };
    } catch (error) {
      return formFailure(error, request, { intent: 'invite' as const, values: input }, { conflict: { key: 'members.alreadyMember' } }, { values: input, selects: ['municipalityCode', 'role'], codes: NAME_CODES });
    }
  }

  if (intent === 'revoke') {
    try {
      await revokeInvitation(deps, actor, slug, text(form, 'invitationId'));
      return { intent: 'revoke' as const, ok: true as const };
    } catch (error) {
      return formFailure(error, request, { intent: 'revoke' as const }, { not_found: { key: 'members.invitationNotFound' } });
    }
  }

  throw data({ code: 'invalid_input' }, { status: 400 });
}

export default function Members() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, lang } = useT();
  const [searchParams] = useSearchParams();
  const base = `/areas/${encodeURIComponent(d.slug)}`;
  const confirming = d.members.find((m) => m.id === searchParams.get('remove'));
  const confirmRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const submittingInvite = useSubmitting(intentIs('invite'));
  const submittingRemove = useSubmitting(intentIs('remove'));

  const tableResult = result && (result.intent === 'role' || result.intent === 'remove') ? result : null;
  const inviteResult = result?.intent === 'invite' ? result : null;
  const revokeResult = result?.intent === 'revoke' ? result : null;
  const inviteValues = inviteResult && !inviteResult.ok ? inviteResult.values : null;
  const inviteErrors = inviteResult && !inviteResult.ok ? inviteResult.errors : undefined;

  return (
    <Main>
      <h1>{t('members.title')}</h1>

      {confirming ? (
        <section className="confirm-panel" aria-labelledby="confirm-heading" id="confirm-remove">
          <h2 id="confirm-heading" tabIndex={-1} ref={confirmRef}>
            {t('members.confirmTitle', { name: isolate(confirming.displayName) })}
          </h2>
          <p>{t('members.confirmBody', { name: isolate(confirming.displayName), municipality: municipalityName(confirming.municipality, lang), role: t(`roles.${confirming.role}`) })}</p>
          <Form method="post" action={base + '/members'} className="button-row">
            <input type="hidden" name="intent" value="remove" />
            <input type="hidden" name="membershipId" value={confirming.id} />
            <SubmitButton variant="danger" pending={submittingRemove} pendingLabel={t('members.removing')}>
              {t('members.confirmRemove')}
            </SubmitButton>
            <Link to={base + '/members'} className="button button-secondary">
              {t('members.cancel')}
            </Link>
          </Form>
        </section>
      ) : null}

      <section aria-labelledby="members-heading">
        <h2 id="members-heading">{t('nav.members')}</h2>
        {tableResult?.ok ? (
          <StatusMessage>
            {tableResult.intent === 'role' ? t('members.roleChanged', { name: isolate(tableResult.name), role: t(`roles.${tableResult.role}`) }) : t('members.removed', { name: isolate(tableResult.name) })}
          </StatusMessage>
        ) : null}
        {tableResult && !tableResult.ok ? <ErrorSummary errors={tableResult.errors} /> : null}
        <TableWrap label={t('members.tableCaption')}>
          <table>
            <caption className="visually-hidden">{t('members.tableCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('members.colName')}</th>
                <th scope="col">{t('members.colEmail')}</th>
                <th scope="col">{t('members.colMunicipality')}</th>
                <th scope="col">{t('members.colRole')}</th>
                <th scope="col">{t('members.colActions')}</th>
              </tr>
            </thead>
            <tbody>
              {d.members.map((m) => (
                <MemberRow key={m.id} member={m} isMe={m.userId === d.me} roles={d.roles} failure={tableResult && !tableResult.ok && tableResult.membershipId === m.id ? tableResult : null} />
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>

      <section aria-labelledby="invite-heading" className="panel">
        <h2 id="invite-heading">{t('members.inviteTitle')}</h2>
        <p>{t('members.inviteIntro')}</p>
        {inviteResult?.ok ? (
          <StatusMessage>
            <p>{t('members.invited', { email: inviteResult.email })}</p>
            <p>
              <Link to={`${base}/outbox`}>{t('members.invitedOutboxLink')}</Link>
            </p>
          </StatusMessage>
        ) : null}
        <ErrorSummary
          errors={inviteErrors}
          idPrefix="invite-"
          labels={{ email: t('members.inviteEmail'), displayName: t('members.inviteDisplayName'), municipalityCode: t('members.inviteMunicipality'), role: t('members.inviteRole') }}
        />
        <Form method="post" noValidate className="form" key={inviteResult?.ok ? inviteResult.email : 'invite'}>
          <input type="hidden" name="intent" value="invite" />
          <Field id="invite-email" name="email" type="email" autoComplete="off" label={t('members.inviteEmail')} defaultValue={inviteValues?.email ?? ''} error={inviteErrors?.fields.email} />
          <Field id="invite-displayName" name="displayName" autoComplete="off" label={t('members.inviteDisplayName')} defaultValue={inviteValues?.displayName ?? ''} error={inviteErrors?.fields.displayName} />
          <SelectField id="invite-municipalityCode" name="municipalityCode" label={t('members.inviteMunicipality')} defaultValue={inviteValues?.municipalityCode ?? ''} error={inviteErrors?.fields.municipalityCode}>
            <option value="">{t('members.chooseMunicipality')}</option>
            {d.municipalities.map((m) => (
              <option key={m.code} value={m.code}>
                {municipalityName(m.name, lang)}
              </option>
            ))}
          </SelectField>
          <SelectField id="invite-role" name="role" label={t('members.inviteRole')} defaultValue={inviteValues?.role ?? ''} error={inviteErrors?.fields.role} hint={t('members.roleHint')}>
            <option value="">{t('members.chooseRole')}</option>
            {d.roles.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </SelectField>
          <details className="role-help">
            <summary>{t('members.roleHelp')}</summary>
            <dl>
              {d.roles.map((r) => (
                <div key={r}>
                  <dt>{t(`roles.${r}`)}</dt>
                  <dd>{t(`roleDescriptions.${r}`)}</dd>
                </div>
              ))}
            </dl>
          </details>
          <SubmitButton pending={submittingInvite} pendingLabel={t('members.inviting')}>
            {t('members.inviteSubmit')}
          </SubmitButton>
        </Form>
      </section>

      <section aria-labelledby="pending-heading">
        <h2 id="pending-heading">{t('members.pendingTitle')}</h2>
        {revokeResult?.ok ? <StatusMessage>{t('members.revoked')}</StatusMessage> : null}
        {revokeResult && !revokeResult.ok ? <ErrorSummary errors={revokeResult.errors} /> : null}
        {d.invitations.length === 0 ? (
          <p>{t('members.noPending')}</p>
        ) : (
          <TableWrap label={t('members.pendingCaption')}>
            <table>
              <caption className="visually-hidden">{t('members.pendingCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('members.colName')}</th>
                  <th scope="col">{t('members.colEmail')}</th>
                  <th scope="col">{t('members.colMunicipality')}</th>
                  <th scope="col">{t('members.colRole')}</th>
                  <th scope="col">{t('members.colInvited')}</th>
                  <th scope="col">{t('members.colExpires')}</th>
                  <th scope="col">{t('members.colActions')}</th>
                </tr>
              </thead>
              <tbody>
                {d.invitations.map((i) => (
                  <InvitationRow key={i.id} invitation={i} />
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
    </Main>
  );
}

function InvitationRow({ invitation: i }: { invitation: InvitationView }) {
  const { t, lang } = useT();
  const revoking = useSubmitting(intentIs('revoke', 'invitationId', i.id));
  return (
    <tr>
      <th scope="row">
        <bdi>{i.displayName}</bdi>
      </th>
      <td>{i.email}</td>
      <td>{i.municipality ? municipalityName(i.municipality, lang) : i.municipalityCode}</td>
      <td>{t(`roles.${i.role}`)}</td>
      <td>{formatDateTime(i.createdAt, lang)}</td>
      <td>{formatDateTime(i.expiresAt, lang)}</td>
      <td>
        <Form method="post">
          <input type="hidden" name="intent" value="revoke" />
          <input type="hidden" name="invitationId" value={i.id} />
          <SubmitButton variant="secondary" className="button-small" pending={revoking} pendingLabel={t('members.revoking')}>
            {t('members.revoke')}
            <span className="visually-hidden">: {i.email}</span>
          </SubmitButton>
        </Form>
      </td>
    </tr>
  );
}

/** Matches the submission of one form on this page: by its intent and, for row forms, the row's id. */
function intentIs(intent: string, key?: string, value?: string) {
  return (fd: FormData) => fd.get('intent') === intent && (!key || fd.get(key) === value);
}

type InvitationView = { id: string; email: string; displayName: string; role: string; municipalityCode: string; municipality: { fi: string; sv: string } | null; createdAt: number; expiresAt: number };

type MemberView = { id: string; userId: string; displayName: string; email: string; role: string; municipality: { fi: string; sv: string } };

function MemberRow({ member: m, isMe, roles, failure }: { member: MemberView; isMe: boolean; roles: readonly string[]; failure: object | null }) {
  const { t, lang } = useT();
  const saving = useSubmitting(intentIs('role', 'membershipId', m.id));
  const selectId = `role-${m.id}`;
  const select = useRef<HTMLSelectElement>(null);
  // A refused change (e.g. the last host admin) must not leave the refused role showing as if it were saved.
  useEffect(() => {
    if (failure && select.current) select.current.value = m.role;
  }, [failure, m.role]);
  return (
    <tr>
      <th scope="row">
        <bdi>{m.displayName}</bdi> {isMe ? <span className="muted">{t('members.you')}</span> : null}
      </th>
      <td>{m.email}</td>
      <td>{municipalityName(m.municipality, lang)}</td>
      <td>
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="role" />
          <input type="hidden" name="membershipId" value={m.id} />
          <label htmlFor={selectId} className="visually-hidden">
            {t('members.roleFor', { name: isolate(m.displayName) })}
          </label>
          <select id={selectId} name="role" defaultValue={m.role} className="select select-compact" key={m.role} ref={select}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </select>
          <SubmitButton variant="secondary" className="button-small" pending={saving} pendingLabel={t('members.savingRole')}>
            {t('members.saveRole')}
            <span className="visually-hidden">
            : <bdi>{m.displayName}</bdi>
          </span>
          </SubmitButton>
        </Form>
      </td>
      <td>
        <Link to={`?remove=${encodeURIComponent(m.id)}#confirm-remove`} className="button button-secondary button-small">
          {t('members.remove')}
          <span className="visually-hidden">
            : <bdi>{m.displayName}</bdi>
          </span>
        </Link>
      </td>
    </tr>
  );
}
