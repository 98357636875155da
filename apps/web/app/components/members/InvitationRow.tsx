import { Form } from '@remix-run/react';
import { useSubmitting, SubmitButton } from '../form.tsx';
import { municipalityName, formatDateTime } from '../../format.ts';
import { useT } from '../../hooks.ts';
import { intentIs } from './intent.ts';

export function InvitationRow({ invitation: i }: { invitation: InvitationView }) {
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

type InvitationView = { id: string; email: string; displayName: string; role: string; municipalityCode: string; municipality: { fi: string; sv: string } | null; createdAt: number; expiresAt: number };
