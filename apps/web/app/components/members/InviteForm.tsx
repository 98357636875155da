import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { Field, ErrorSummary, SelectField, StatusMessage, SubmitButton, useSubmitting } from '../form.tsx';
import { municipalityName } from '../../format.ts';
import { useT } from '../../hooks.ts';
import type { action, loader } from '../../routes/areas.$slug.members.tsx';
import { intentIs } from './intent.ts';

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

/** Inviting a person: e-mail, name, municipality and role, each role explained; the mail goes through the outbox. */
export function InviteForm({ base, municipalities, roles }: { base: string; municipalities: Data['municipalities']; roles: Data['roles'] }) {
  const { t, lang } = useT();
  const result = useActionData<typeof action>();
  const submittingInvite = useSubmitting(intentIs('invite'));
  const inviteResult = result?.intent === 'invite' ? result : null;
  const inviteValues = inviteResult && !inviteResult.ok ? inviteResult.values : null;
  const inviteErrors = inviteResult && !inviteResult.ok ? inviteResult.errors : undefined;
  return (
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
          {municipalities.map((m) => (
            <option key={m.code} value={m.code}>
              {municipalityName(m.name, lang)}
            </option>
          ))}
        </SelectField>
        <SelectField id="invite-role" name="role" label={t('members.inviteRole')} defaultValue={inviteValues?.role ?? ''} error={inviteErrors?.fields.role} hint={t('members.roleHint')}>
          <option value="">{t('members.chooseRole')}</option>
          {roles.map((r) => (
            <option key={r} value={r}>
              {t(`roles.${r}`)}
            </option>
          ))}
        </SelectField>
        <details className="role-help">
          <summary>{t('members.roleHelp')}</summary>
          <dl>
            {roles.map((r) => (
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
  );
}
