import { Form, Link } from '@remix-run/react';
import { useRef, useEffect } from 'react';
import { useSubmitting, SubmitButton } from '../form.tsx';
import { municipalityName, isolate } from '../../format.ts';
import { useT } from '../../hooks.ts';
import { intentIs } from './intent.ts';

type MemberView = { id: string; userId: string; displayName: string; email: string; role: string; municipality: { fi: string; sv: string } };

export function MemberRow({ member: m, isMe, roles, failure }: { member: MemberView; isMe: boolean; roles: readonly string[]; failure: object | null }) {
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
