import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import {
  changeMemberRole, getArea, getAreaDashboard, inviteMember, listPendingInvitations, removeMember, requireAreaAccess, revokeInvitation, ROLES,
} from '@sopu/core';
import { useEffect, useRef } from 'react';
import { ErrorSummary, StatusMessage, SubmitButton, useSubmitting } from '../components/form.tsx';
import { Main } from '../components/main.tsx';
import { intentIs } from '../components/members/intent.ts';
import { InvitationRow } from '../components/members/InvitationRow.tsx';
import { InviteForm } from '../components/members/InviteForm.tsx';
import { MemberRow } from '../components/members/MemberRow.tsx';
import { TableWrap } from '../components/table-wrap.tsx';
import { formFailure, orHttpError } from '../errors.server.ts';
import { municipalityName, isolate } from '../format.ts';
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

  const submittingRemove = useSubmitting(intentIs('remove'));

  const tableResult = result && (result.intent === 'role' || result.intent === 'remove') ? result : null;
  const revokeResult = result?.intent === 'revoke' ? result : null;

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

      <InviteForm base={base} municipalities={d.municipalities} roles={d.roles} />

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
